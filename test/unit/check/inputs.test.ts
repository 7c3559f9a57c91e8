// The checker's bad-input cases and auth modes, over real HTTP to small local servers: one
// line per problem and exit 2, never a stack trace; every mode's credentials as sent; secrets
// never printed.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../src/check/index.js';
import { parseEnvFile } from '../../../src/check/env-file.js';
import { expandPlaceholders, insecureProblem, isLoopback, parseBaseUrl } from '../../../src/check/target.js';
import { checkDeps } from './harness.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function check(args: string[], env: Record<string, string> = {}) {
  const io = checkDeps(env);
  const code = await runCheck(['check', ...args], io.deps);
  return { code, out: io.stdout(), err: io.stderr() };
}

const oneLine = (text: string) => expect(text.trim().split('\n')).toHaveLength(1);

describe('bad input', () => {
  it('a server that is not reachable', async () => {
    const url = await serve(() => undefined);
    servers[0]!.closeAllConnections();
    await new Promise((done) => servers.pop()!.close(done));
    const { code, err } = await check([`${url}/scim/v2`]);
    expect(code).toBe(2);
    expect(err).toMatch(/connection refused\. Is the server running/);
    oneLine(err);
  });

  it('a URL that answers HTML', async () => {
    const url = await serve((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Welcome</title>'));
    const { code, err } = await check([`${url}/`]);
    expect(code).toBe(2);
    expect(err).toMatch(/answers with an HTML page \(200\), not SCIM JSON/);
    oneLine(err);
  });

  it('a URL that is not SCIM', async () => {
    const url = await serve((_, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}'));
    const { code, err } = await check([`${url}/api`]);
    expect(code).toBe(2);
    expect(err).toMatch(/does not look like a SCIM 2\.0 server: GET \/ServiceProviderConfig answered 404 and GET \/Users answered 404/);
    oneLine(err);
  });

  it('a server that hangs: the per-request timeout', async () => {
    const url = await serve(() => undefined);
    const { code, err } = await check([`${url}/scim/v2`, '--timeout', '0.3']);
    expect(code).toBe(2);
    expect(err).toMatch(/got no answer within 0\.3 s \(--timeout\)/);
    oneLine(err);
  });

  it('plain http:// to another machine is refused unless --allow-insecure', async () => {
    const { code, err } = await check(['http://scim.example.com/scim/v2', '--token', 'abcdefgh']);
    expect(code).toBe(2);
    expect(err).toMatch(/Refusing plain http:\/\/ to scim\.example\.com.*--allow-insecure/);
    expect(insecureProblem(new URL('http://scim.example.com'), true)).toBeUndefined();
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'a.localhost'].every(isLoopback)).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });

  it('flags that do not fit: usage errors naming the flag', async () => {
    expect((await check(['not a url'])).err).toMatch(/"not a url" is not a URL/);
    expect((await check(['ftp://host/scim'])).err).toMatch(/is not an http\(s\) URL/);
    expect((await check(['http://localhost/scim', '--header', 'X-API-Key'])).err).toMatch(/--header sends a token: give it with --token-env/);
    expect((await check(['http://localhost/scim', '--token-env', 'NOPE'])).err).toMatch(/--token-env NOPE: that variable is not set/);
    expect((await check(['http://localhost/scim', '--token', 'a', '--basic', 'u:p'])).err).toMatch(/--token and --basic are different ways/);
    expect((await check(['http://localhost/scim', '--client-id', 'c'])).err).toMatch(/OAuth needs the token endpoint/);
    expect((await check(['http://localhost/scim', '--env-file', 'missing.env'])).err).toMatch(/--env-file missing\.env: no such file/);
    const unknown = await check(['http://localhost/scim', '--tokn', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/Unknown argument: tokn\. Did you mean --token\?/);
    expect((await check(['http://localhost/scim', '--read-onyl'])).err).toMatch(/Did you mean --read-only\?/);
    expect((await check(['http://localhost/scim', '--zzzzzz'])).err).not.toMatch(/Did you mean/);
  });

  it('reads {NAME} and {NAME:-default} in the URL, and .env files', () => {
    expect(expandPlaceholders('http://localhost:{PORT:-3000}/scim/v2', {})).toBe('http://localhost:3000/scim/v2');
    expect(expandPlaceholders('http://localhost:{PORT:-3000}/scim/v2', { PORT: '4000' })).toBe('http://localhost:4000/scim/v2');
    expect(() => expandPlaceholders('http://{HOST}/', {})).toThrow(/\{HOST\}, which is not set/);
    expect(parseEnvFile('# c\nA=1\nexport B="two words"\nC=x # comment\nD=\'q\'\n')).toEqual({ A: '1', B: 'two words', C: 'x', D: 'q' });
    expect(parseBaseUrl('https://h/scim/v2/?aadOptscim062020').href).toBe('https://h/scim/v2');
  });
});

describe('auth modes', () => {
  /** A server that records what each request carried and refuses it, so the run stops at preflight. */
  async function recorder() {
    const seen: Array<Record<string, string | undefined>> = [];
    const url = await serve((req, res, body) => {
      if (req.url === '/oauth/token') {
        seen.push({ token: req.headers.authorization, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"issued-access-token","token_type":"Bearer"}');
        return;
      }
      seen.push({ authorization: req.headers.authorization, apiKey: req.headers['x-api-key'] as string | undefined });
      res.writeHead(401, { 'content-type': 'application/scim+json' }).end('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401"}');
    });
    return { url, seen };
  }

  it('bearer, raw header, custom header, Basic and OAuth client credentials; the secret is never printed', async () => {
    const env = { SECRET: 'super-secret-value', USER: 'okta', PASS: 'basic-pass-word' };
    const cases: Array<[string[], Record<string, string | undefined>]> = [
      [['--token-env', 'SECRET'], { authorization: 'Bearer super-secret-value' }],
      [['--header', 'Authorization', '--token-env', 'SECRET'], { authorization: 'super-secret-value' }],
      [['--header', 'X-API-Key', '--token-env', 'SECRET'], { apiKey: 'super-secret-value' }],
      [['--basic-env', 'USER:PASS'], { authorization: `Basic ${Buffer.from('okta:basic-pass-word').toString('base64')}` }],
      [['--basic', 'okta:basic-pass-word'], { authorization: `Basic ${Buffer.from('okta:basic-pass-word').toString('base64')}` }],
    ];
    for (const [args, want] of cases) {
      const { url, seen } = await recorder();
      const { code, err } = await check([`${url}/scim/v2`, ...args], env);
      expect(code).toBe(2);
      expect(seen[0]).toMatchObject(want);
      expect(err).toMatch(/refused the credentials \(401\)/);
      for (const secret of Object.values(env)) if (secret !== 'okta') expect(err).not.toContain(secret);
    }

    const { url, seen } = await recorder();
    const { code, err } = await check([`${url}/scim/v2`, '--oauth-token-url', '/oauth/token', '--client-id', 'scim-client', '--client-secret-env', 'SECRET', '--scope', 'scim'], env);
    expect(code).toBe(2);
    expect(seen[0]).toEqual({ token: `Basic ${Buffer.from('scim-client:super-secret-value').toString('base64')}`, body: 'grant_type=client_credentials&scope=scim' });
    expect(seen[1]).toMatchObject({ authorization: 'Bearer issued-access-token' });
    expect(err).toMatch(/with OAuth 2\.0 client credentials as scim-client/);
    expect(err).not.toContain('super-secret-value');
    expect(err).not.toContain('issued-access-token');
  });

  it('asks for credentials when none were given and the server wants them', async () => {
    const { url } = await recorder();
    const { code, err } = await check([`${url}/scim/v2`]);
    expect(code).toBe(2);
    expect(err).toMatch(/asks for credentials \(401\): give them with --token-env/);
  });
});
