// No personal data and no secrets in the logs: the server runs as it does in production (its
// own process, src/server.ts, logging at info to stdout), is sent filters with e-mail addresses
// and URLs carrying OAuth parameters, and its whole output is searched for them afterwards.
// Query-string values are redacted; a filter keeps its attribute names and operators.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testCredentials } from '../src/generated/auth/testing.js';
import { testDatabase } from '../src/generated/database/testing.js';
import { BASE_PATH } from '../src/generated/project.gen.js';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
/** Values that must never appear in the output. */
const SECRETS = [
  'leaky.person@example.com',
  'leaky.person%40example.com',
  'second.leak@example.org',
  'Babs Jensen',
  'ACCESSTOKENLEAK',
  'CLIENTSECRETLEAK',
  'AUTHCODELEAK',
  'REFRESHLEAK',
  'PASSWORDLEAK',
];

let child: ChildProcess;
let output = '';
let origin = '';
let credentials: Record<string, string> = {};
let cleanup = async () => {};

beforeAll(async () => {
  const database = await testDatabase();
  const auth = testCredentials();
  cleanup = () => database.cleanup();
  child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: PROJECT,
    env: { ...process.env, ...database.env, ...auth.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  origin = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start:\n${output}`)), 25_000);
    const onData = (data: Buffer) => {
      output += data.toString('utf8');
      const address = /http:\/\/127\.0\.0\.1:\d+/.exec(output)?.[0];
      if (address && !/:0$/.test(address)) {
        clearTimeout(timer);
        resolve(address);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The server exited (${code}):\n${output}`)));
  });
  credentials = await auth.headers({ origin });
}, 30_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  await cleanup();
});

async function get(path: string, query: Record<string, string>, withCredentials = true): Promise<number> {
  const url = new URL(path, origin);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const res = await fetch(url, { headers: withCredentials ? credentials : {} });
  await res.text();
  return res.status;
}

describe('request logs', () => {
  it('record every write: method, path with the resource id, status (IPSIE profile §8 Auditing)', async () => {
    const url = new URL(`${BASE_PATH}/Users`, origin);
    const headers = { ...credentials, 'Content-Type': 'application/scim+json' };
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `audit-${Date.now()}` });
    const created = await fetch(url, { method: 'POST', headers, body });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const deleted = await fetch(new URL(`${BASE_PATH}/Users/${id}`, origin), { method: 'DELETE', headers: credentials });
    expect(deleted.status).toBe(204);
    // The log is written asynchronously: wait for the DELETE's lines.
    const written = () => output.includes(`/Users/${id}`) && /\b204\b/.test(output);
    for (let i = 0; i < 50 && !written(); i++) await new Promise((r) => setTimeout(r, 100));
    const lines = output.split('\n');
    expect(lines.some((l) => l.includes('POST') && l.includes(`${BASE_PATH}/Users`))).toBe(true);
    expect(lines.some((l) => l.includes('DELETE') && l.includes(`/Users/${id}`))).toBe(true);
    expect(output).toMatch(/\b201\b/);
    expect(output).toMatch(/\b204\b/);
  });

  it('never contain filter values, OAuth parameters or other query values', async () => {
    expect(await get(`${BASE_PATH}/Users`, { filter: 'userName eq "leaky.person@example.com"' })).toBe(200);
    await get(`${BASE_PATH}/Users`, {
      filter: 'emails[type eq "work" and value co "second.leak@example.org"] or displayName eq "Babs Jensen"',
      startIndex: '1',
      count: '5',
    });
    await get(`${BASE_PATH}/Users`, { access_token: 'ACCESSTOKENLEAK', client_secret: 'CLIENTSECRETLEAK' });
    await get('/oauth/token', { code: 'AUTHCODELEAK', refresh_token: 'REFRESHLEAK', client_secret: 'CLIENTSECRETLEAK' }, false);
    await get('/nowhere', { password: 'PASSWORDLEAK' }, false);
    // A password in a body goes to no log line (nor to the event the create writes).
    const created = await fetch(new URL(`${BASE_PATH}/Users`, origin), {
      method: 'POST',
      headers: { ...credentials, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'log-check-user', password: 'PASSWORDLEAK' }),
    });
    expect(created.status).toBe(201);

    // Stopped, so that every line is out.
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));

    for (const secret of SECRETS) expect(output, `the log contains ${secret}`).not.toContain(secret);
    // The lines are there, with what they may say.
    expect(output).toContain('filter=userName eq ***');
    expect(output).toContain('startIndex=1&count=5');
    expect(output).toContain('client_secret=***');
  });
});
