// OAuth 2.0: the built-in authorization server over HTTP, the way Okta and Entra ID use it
// (authorization code with PKCE through the consent form, refresh with rotation), plus
// client_credentials, revocation, expiry, CSRF on the consent form, tokens hashed at rest, and
// JWT access tokens from an external issuer whose keys a small JWKS server in this file serves.

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScimServer } from '../src/generated/app.js';
import { createAuthenticator } from '../src/generated/auth/index.js';
import { TEST_REDIRECT_URI, testCredentials } from '../src/generated/auth/testing.js';
import type { HttpRoute, PlainRequest } from '../src/generated/scim/auth.js';
import type { KeyValueStore } from '../src/generated/scim/key-value.js';
import { CredentialChecker } from '../src/generated/scim/credentials.js';
import type { TenantDirectory } from '../src/generated/scim/tenancy.js';
import { testDatabase } from '../src/generated/database/testing.js';
import { startServer, useScimServer, type TestServer } from './helpers/server.js';
import { expectScimError, scim, sleep, type Json } from './helpers/scim.js';

const PUBLIC_CLIENT = { id: 'public-app', redirectUri: 'https://public.example.test/callback' };
const OTHER_CLIENT = { id: 'other-app', secret: randomBytes(32).toString('base64url') };

const { server } = useScimServer({
  OAUTH_CLIENTS: JSON.stringify([
    { id: PUBLIC_CLIENT.id, name: 'Public app', redirectUris: [PUBLIC_CLIENT.redirectUri] },
    { id: OTHER_CLIENT.id, secret: OTHER_CLIENT.secret },
  ]),
});

// ---------------------------------------------------------------------------------------------
// Helpers: an OAuth client and a browser, in a few lines each.

interface Reply {
  status: number;
  headers: Headers;
  body: Json;
  text: string;
}

async function reply(response: Response): Promise<Reply> {
  const text = await response.text();
  let body: Json = text;
  try {
    body = JSON.parse(text);
  } catch {
    // an HTML page or an empty body
  }
  return { status: response.status, headers: response.headers, body, text };
}

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const ownClient = () => ({ id: server.env.OAUTH_CLIENT_ID!, secret: server.env.OAUTH_CLIENT_SECRET! });

/** POST a form to /oauth/token (or another path), authenticating with client_secret_basic by default. */
async function post(
  path: string,
  params: Record<string, string>,
  auth: { id: string; secret?: string; method?: 'basic' | 'post' | 'none' } = ownClient(),
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const fields = { ...params };
  const method = auth.method ?? 'basic';
  if (method === 'basic') headers.authorization = basic(auth.id, auth.secret ?? '');
  if (method === 'post') Object.assign(fields, { client_id: auth.id, client_secret: auth.secret ?? '' });
  if (method === 'none') fields.client_id = auth.id;
  return reply(await fetch(server.origin + path, { method: 'POST', headers, body: new URLSearchParams(fields) }));
}

const token = (params: Record<string, string>, auth?: Parameters<typeof post>[2]) => post('/oauth/token', params, auth);

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** GET /oauth/authorize the way a browser does, without following redirects. */
async function authorize(query: Record<string, string>, cookie?: string): Promise<Reply> {
  const url = `${server.origin}/oauth/authorize?${new URLSearchParams(query)}`;
  return reply(await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} }));
}

interface ConsentForm {
  page: Reply;
  formToken: string;
  cookie: string;
}

/** Opens the consent page and keeps what a browser would: the form's hidden token and the cookie. */
async function openConsent(query: Record<string, string>): Promise<ConsentForm> {
  const page = await authorize(query);
  expect(page.status, page.text).toBe(200);
  const formToken = /name="request" value="([^"]+)"/.exec(page.text)?.[1];
  const cookie = page.headers.getSetCookie()[0]?.split(';')[0];
  expect(formToken).toBeTruthy();
  expect(cookie).toBeTruthy();
  return { page, formToken: formToken!, cookie: cookie! };
}

/** Submits the consent form. */
async function submitConsent(
  form: { formToken: string; cookie?: string },
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Reply> {
  const body = new URLSearchParams({
    request: form.formToken,
    username: server.env.OAUTH_ADMIN_USERNAME!,
    password: server.env.OAUTH_ADMIN_PASSWORD!,
    decision: 'approve',
    ...fields,
  });
  const response = await fetch(`${server.origin}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(form.cookie ? { cookie: form.cookie } : {}), ...headers },
    body,
  });
  return reply(response);
}

/** The redirect back to the client, as a URL. */
function redirectedTo(res: Reply): URL {
  expect([302, 303], res.text).toContain(res.status);
  return new URL(res.headers.get('location')!);
}

const codeRequest = (overrides: Record<string, string> = {}) => ({
  response_type: 'code',
  client_id: server.env.OAUTH_CLIENT_ID!,
  redirect_uri: TEST_REDIRECT_URI,
  state: randomBytes(8).toString('hex'),
  scope: 'scim',
  ...overrides,
});

/** The whole browser part: authorize, consent, approve; returns the code and what it was bound to. */
async function obtainCode(overrides: Record<string, string> = {}) {
  const { verifier, challenge } = pkce();
  const query = codeRequest({ code_challenge: challenge, code_challenge_method: 'S256', ...overrides });
  const form = await openConsent(query);
  const back = redirectedTo(await submitConsent(form));
  expect(back.searchParams.get('state')).toBe(query.state);
  return { code: back.searchParams.get('code')!, verifier, back };
}

async function exchange(code: string, verifier?: string, auth?: Parameters<typeof post>[2]) {
  return token(
    { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, ...(verifier ? { code_verifier: verifier } : {}) },
    auth,
  );
}

/** GET /Users with a bearer token. */
const listUsers = (accessToken: string) => scim(server).get('/Users', { authorization: `Bearer ${accessToken}` });

function expectOAuthError(res: Reply, status: number, error: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error).toBe(error);
  expect(res.headers.get('cache-control')).toBe('no-store');
}

function expectTokenResponse(res: Reply) {
  expect(res.status, res.text).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('pragma')).toBe('no-cache');
  expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'scim' });
  expect(res.body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
}

// ---------------------------------------------------------------------------------------------

describe('authorization server metadata (RFC 8414)', () => {
  it('publishes the endpoints, grants and PKCE method', async () => {
    const res = await reply(await fetch(`${server.origin}/.well-known/oauth-authorization-server`));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issuer: server.origin,
      authorization_endpoint: `${server.origin}/oauth/authorize`,
      token_endpoint: `${server.origin}/oauth/token`,
      revocation_endpoint: `${server.origin}/oauth/revoke`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect(res.body.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect(res.body.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
  });

  it('names the public origin of SCIM_PUBLIC_URL as the issuer behind a proxy', async () => {
    const proxied = await startServer({ SCIM_PUBLIC_URL: 'https://scim.example.com/scim/v2' });
    try {
      const res = await reply(await fetch(`${proxied.origin}/.well-known/oauth-authorization-server`));
      expect(res.body.issuer).toBe('https://scim.example.com');
      expect(res.body.token_endpoint).toBe('https://scim.example.com/oauth/token');
    } finally {
      await proxied.close();
    }
  });
});

describe('authorization code flow with PKCE', () => {
  it('authorize -> consent -> approve -> code -> tokens -> SCIM call', async () => {
    const { code, verifier, back } = await obtainCode();
    expect(`${back.origin}${back.pathname}`).toBe(TEST_REDIRECT_URI);
    expect(back.searchParams.get('iss')).toBe(server.origin);

    const tokens = await exchange(code, verifier);
    expectTokenResponse(tokens);
    expect(tokens.body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const users = await listUsers(tokens.body.access_token);
    expect(users.status, users.text).toBe(200);
  });

  it('serves the consent page with the client name and strict security headers', async () => {
    const { page } = await openConsent(codeRequest({ code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Test identity provider');
    expect(page.text).toContain('<form method="post"');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(new URL(TEST_REDIRECT_URI).origin);
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(page.headers.getSetCookie()[0]).toMatch(/SameSite=Strict/i);
  });

  it('refuses a wrong code_verifier, and the code is spent', async () => {
    const { code, verifier } = await obtainCode();
    expectOAuthError(await exchange(code, pkce().verifier), 400, 'invalid_grant');
    expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant');
  });

  it('refuses a missing code_verifier when a challenge was sent', async () => {
    const { code } = await obtainCode();
    expectOAuthError(await exchange(code), 400, 'invalid_grant');
  });

  it('refuses a reused code and revokes the tokens the first use obtained', async () => {
    const { code, verifier } = await obtainCode();
    const first = await exchange(code, verifier);
    expectTokenResponse(first);
    expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant');
    expectScimError(await listUsers(first.body.access_token), 401);
    expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }), 400, 'invalid_grant');
  });

  it('refuses a code presented by another client, or with another redirect_uri', async () => {
    const stolen = await obtainCode();
    expectOAuthError(await exchange(stolen.code, stolen.verifier, OTHER_CLIENT), 400, 'invalid_grant');
    const moved = await obtainCode();
    const res = await token({
      grant_type: 'authorization_code',
      code: moved.code,
      code_verifier: moved.verifier,
      redirect_uri: 'https://idp.example.test/elsewhere',
    });
    expectOAuthError(res, 400, 'invalid_grant');
  });

  it('lets a confidential client without PKCE through (Okta), but not one that sends a verifier anyway', async () => {
    const form = await openConsent(codeRequest());
    const code = redirectedTo(await submitConsent(form)).searchParams.get('code')!;
    const tokens = await exchange(code);
    expectTokenResponse(tokens);

    const again = await openConsent(codeRequest());
    const second = redirectedTo(await submitConsent(again)).searchParams.get('code')!;
    expectOAuthError(await exchange(second, pkce().verifier), 400, 'invalid_grant');
  });

  it('requires PKCE from a public client, which then needs no secret', async () => {
    const query = { response_type: 'code', client_id: PUBLIC_CLIENT.id, redirect_uri: PUBLIC_CLIENT.redirectUri, state: 'xyz' };
    const refused = redirectedTo(await authorize(query));
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    expect(refused.searchParams.get('state')).toBe('xyz');

    const { verifier, challenge } = pkce();
    const form = await openConsent({ ...query, code_challenge: challenge, code_challenge_method: 'S256' });
    expect(form.page.text).toContain('Public app');
    const code = redirectedTo(await submitConsent(form)).searchParams.get('code')!;
    const res = await token(
      { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: PUBLIC_CLIENT.redirectUri },
      { id: PUBLIC_CLIENT.id, method: 'none' },
    );
    expectTokenResponse(res);
  });

  it('refuses the plain PKCE method with a redirect carrying invalid_request', async () => {
    const back = redirectedTo(await authorize(codeRequest({ code_challenge: pkce().verifier, code_challenge_method: 'plain' })));
    expect(back.searchParams.get('error')).toBe('invalid_request');
  });

  it('sends unsupported response types back as unsupported_response_type', async () => {
    const back = redirectedTo(await authorize(codeRequest({ response_type: 'token' })));
    expect(back.searchParams.get('error')).toBe('unsupported_response_type');
  });

  it('uses the only registered redirect URI when the request names none', async () => {
    const { redirect_uri: _omitted, ...query } = codeRequest();
    const form = await openConsent(query);
    const back = redirectedTo(await submitConsent(form));
    expect(`${back.origin}${back.pathname}`).toBe(TEST_REDIRECT_URI);
    const tokens = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code')! });
    expectTokenResponse(tokens);
  });

  it('redirects with access_denied and the state when the admin denies', async () => {
    const query = codeRequest();
    const form = await openConsent(query);
    const back = redirectedTo(await submitConsent(form, { decision: 'deny', username: '', password: '' }));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe(query.state);
    expect(back.searchParams.get('code')).toBeNull();
  });

  it('shows the form again on a wrong password, and approves with the right one', async () => {
    const form = await openConsent(codeRequest());
    const wrong = await submitConsent(form, { password: 'not-the-password' });
    expect(wrong.status).toBe(200);
    expect(wrong.headers.get('location')).toBeNull();
    expect(wrong.text).toContain('wrong');
    const wrongUser = await submitConsent(form, { username: 'someone-else' });
    expect(wrongUser.headers.get('location')).toBeNull();
    expect(redirectedTo(await submitConsent(form)).searchParams.get('code')).toBeTruthy();
  });
});

describe('requests that must not be redirected', () => {
  it('answers a redirect_uri that is not registered with a 400 page, not a redirect', async () => {
    const res = await authorize(codeRequest({ redirect_uri: 'https://attacker.example/callback' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('https://attacker.example/callback');
  });

  it('compares redirect URIs exactly (no prefix, no extra query)', async () => {
    for (const uri of [`${TEST_REDIRECT_URI}/x`, `${TEST_REDIRECT_URI}?a=1`, TEST_REDIRECT_URI.toUpperCase()]) {
      const res = await authorize(codeRequest({ redirect_uri: uri }));
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
    }
  });

  it('answers an unknown client_id with a 400 page, even with a response_type error', async () => {
    const res = await authorize(codeRequest({ client_id: 'nobody', response_type: 'token' }));
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });
});

describe('CSRF protection of the consent form', () => {
  it('refuses a submission without the cookie the form was served with', async () => {
    const form = await openConsent(codeRequest());
    const res = await submitConsent({ formToken: form.formToken });
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
  });

  it("refuses a form token paired with another browser's cookie", async () => {
    const mine = await openConsent(codeRequest());
    const theirs = await openConsent(codeRequest());
    const res = await submitConsent({ formToken: mine.formToken, cookie: theirs.cookie });
    expect(res.status).toBe(403);
  });

  it('refuses a tampered or forged form token', async () => {
    const form = await openConsent(codeRequest());
    const [header, payload, signature] = form.formToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, redirectUri: 'https://attacker.example/' })).toString('base64url');
    expect((await submitConsent({ formToken: `${header}.${forged}.${signature}`, cookie: form.cookie })).status).toBe(403);
    expect((await submitConsent({ formToken: 'not-a-token', cookie: form.cookie })).status).toBe(403);
  });

  it('refuses a cross-site submission', async () => {
    const form = await openConsent(codeRequest());
    const res = await submitConsent(form, {}, { 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
  });
});

describe('refresh tokens', () => {
  it('rotate: each refresh returns a new pair and the new access token works', async () => {
    const { code, verifier } = await obtainCode();
    const first = await exchange(code, verifier);
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expectTokenResponse(second);
    expect(second.body.refresh_token).not.toBe(first.body.refresh_token);
    expect(second.body.access_token).not.toBe(first.body.access_token);
    expect((await listUsers(second.body.access_token)).status).toBe(200);
  });

  it('detect reuse: presenting a rotated refresh token revokes the whole family', async () => {
    const { code, verifier } = await obtainCode();
    const first = await exchange(code, verifier);
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
    expectTokenResponse(second);

    expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token }), 400, 'invalid_grant');
    expectScimError(await listUsers(second.body.access_token), 401);
    expectScimError(await listUsers(first.body.access_token), 401);
    expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token }), 400, 'invalid_grant');
  });

  it("refuses another client's refresh token without spending it", async () => {
    const { code, verifier } = await obtainCode();
    const tokens = await exchange(code, verifier);
    expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }, OTHER_CLIENT), 400, 'invalid_grant');
    expectTokenResponse(await token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }));
  });
});

describe('client_credentials and client authentication', () => {
  it('issues an access token with client_secret_basic, and no refresh token', async () => {
    const res = await token({ grant_type: 'client_credentials' });
    expectTokenResponse(res);
    expect(res.body.refresh_token).toBeUndefined();
    expect((await listUsers(res.body.access_token)).status).toBe(200);
  });

  it('accepts client_secret_post', async () => {
    expectTokenResponse(await token({ grant_type: 'client_credentials' }, { ...ownClient(), method: 'post' }));
  });

  it('answers a wrong secret or an unknown client with 401 invalid_client', async () => {
    const wrong = await token({ grant_type: 'client_credentials' }, { id: ownClient().id, secret: 'wrong' });
    expectOAuthError(wrong, 401, 'invalid_client');
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic/);
    expectOAuthError(await token({ grant_type: 'client_credentials' }, { id: 'nobody', secret: 'x' }), 401, 'invalid_client');
    expectOAuthError(await token({ grant_type: 'client_credentials' }, { id: ownClient().id, method: 'none' }), 401, 'invalid_client');
  });

  it('refuses different credentials in the header and the body, tolerates the same ones twice', async () => {
    expectOAuthError(await token({ grant_type: 'client_credentials', client_secret: 'another-secret' }), 400, 'invalid_request');
    expectOAuthError(await token({ grant_type: 'client_credentials', client_id: OTHER_CLIENT.id }), 400, 'invalid_request');
    expectTokenResponse(await token({ grant_type: 'client_credentials', client_id: ownClient().id, client_secret: ownClient().secret }));
  });

  it('refuses client_credentials for a public client', async () => {
    expectOAuthError(await token({ grant_type: 'client_credentials' }, { id: PUBLIC_CLIENT.id, method: 'none' }), 400, 'unauthorized_client');
  });

  it('answers RFC 6749 errors for a bad grant_type, a missing one, repeated parameters and JSON bodies', async () => {
    expectOAuthError(await token({ grant_type: 'password' }), 400, 'unsupported_grant_type');
    expectOAuthError(await token({}), 400, 'invalid_request');
    const repeated = await fetch(`${server.origin}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(ownClient().id, ownClient().secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    });
    expectOAuthError(await reply(repeated), 400, 'invalid_request');
    const asJson = await fetch(`${server.origin}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(ownClient().id, ownClient().secret), 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expectOAuthError(await reply(asJson), 400, 'invalid_request');
  });
});

describe('revocation (RFC 7009)', () => {
  it('revokes an access token', async () => {
    const issued = await token({ grant_type: 'client_credentials' });
    const res = await post('/oauth/revoke', { token: issued.body.access_token, token_type_hint: 'access_token' });
    expect(res.status).toBe(200);
    const refused = await listUsers(issued.body.access_token);
    expectScimError(refused, 401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it('revokes a refresh token and the access tokens of its grant', async () => {
    const { code, verifier } = await obtainCode();
    const tokens = await exchange(code, verifier);
    expect((await post('/oauth/revoke', { token: tokens.body.refresh_token })).status).toBe(200);
    expectScimError(await listUsers(tokens.body.access_token), 401);
    expectOAuthError(await token({ grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token }), 400, 'invalid_grant');
  });

  it("answers 200 to unknown tokens and leaves other clients' tokens alone", async () => {
    expect((await post('/oauth/revoke', { token: 'never-issued' })).status).toBe(200);
    const mine = await token({ grant_type: 'client_credentials' });
    expect((await post('/oauth/revoke', { token: mine.body.access_token }, OTHER_CLIENT)).status).toBe(200);
    expect((await listUsers(mine.body.access_token)).status).toBe(200);
  });

  it('requires client authentication', async () => {
    expectOAuthError(await post('/oauth/revoke', { token: 'x' }, { id: ownClient().id, secret: 'wrong' }), 401, 'invalid_client');
  });
});

describe('SCIM endpoints without a valid access token', () => {
  it.each([
    ['a random token', () => `Bearer ${randomBytes(32).toString('base64url')}`],
    ['a refresh token used as an access token', async () => `Bearer ${(await exchange(...(await codePair()))).body.refresh_token}`],
    ['the client secret', () => `Bearer ${ownClient().secret}`],
    ['Basic client credentials', () => basic(ownClient().id, ownClient().secret)],
  ])('%s -> 401 SCIM error with WWW-Authenticate', async (_name, authorization) => {
    const res = await scim(server).get('/Users', { authorization: await authorization() });
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });
});

async function codePair(): Promise<[string, string]> {
  const { code, verifier } = await obtainCode();
  return [code, verifier];
}

describe('expiry', () => {
  it('refuses an access token once OAUTH_ACCESS_TOKEN_TTL has passed', async () => {
    const shortLived = await startServer({ OAUTH_ACCESS_TOKEN_TTL: '1' });
    try {
      const { id, secret } = { id: shortLived.env.OAUTH_CLIENT_ID!, secret: shortLived.env.OAUTH_CLIENT_SECRET! };
      const res = await fetch(`${shortLived.origin}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      const { access_token: accessToken, expires_in: expiresIn } = (await res.json()) as Json;
      expect(expiresIn).toBe(1);
      const client = scim(shortLived);
      expect((await client.get('/Users', { authorization: `Bearer ${accessToken}` })).status).toBe(200);
      await sleep(1500);
      const expired = await client.get('/Users', { authorization: `Bearer ${accessToken}` });
      expectScimError(expired, 401);
      expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    } finally {
      await shortLived.close();
    }
  });
});

describe('tokens at rest', () => {
  /** A KeyValueStore that keeps everything in view, to check what the server would store. */
  function recordingState(): KeyValueStore & { entries: Map<string, string> } {
    const entries = new Map<string, string>();
    const expiries = new Map<string, number>();
    const live = (key: string) => (expiries.get(key) ?? 0) > Date.now();
    return {
      entries,
      get: async (key) => (live(key) ? entries.get(key) : undefined),
      set: async (key, value, expiresAt) => {
        entries.set(key, value);
        expiries.set(key, expiresAt.getTime());
      },
      take: async (key) => {
        const value = live(key) ? entries.get(key) : undefined;
        entries.delete(key);
        return value;
      },
      delete: async (key) => {
        entries.delete(key);
      },
      purgeExpired: async () => 0,
    };
  }

  it('stores codes, access and refresh tokens only as SHA-256 hashes', async () => {
    const state = recordingState();
    const credentials = testCredentials();
    const tenant = { key: 1, slug: 'default', name: 'default', idp: 'other' as const, disabled: false, created: new Date().toISOString() };
    const tenants = { getTenant: async (key: number) => (key === 1 ? tenant : undefined), findCredential: async () => undefined };
    const checker = new CredentialChecker(tenants as unknown as TenantDirectory);
    const authenticator = await createAuthenticator({ env: credentials.env, state, basePath: '/scim/v2', credentials: checker, tenancy: 'single' });
    const origin = 'http://127.0.0.1';
    const route = (method: string, path: string) => authenticator.routes!.find((r: HttpRoute) => r.method === method && r.path === path)!;
    const call = (method: string, path: string, request: Partial<PlainRequest>) =>
      route(method, path).handle({ method, path, query: {}, headers: {}, body: '', origin, ...request });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const clientAuth = { authorization: basic(credentials.env.OAUTH_CLIENT_ID!, credentials.env.OAUTH_CLIENT_SECRET!) };

    const { verifier, challenge } = pkce();
    const page = await call('GET', '/oauth/authorize', {
      query: { response_type: 'code', client_id: credentials.env.OAUTH_CLIENT_ID!, redirect_uri: TEST_REDIRECT_URI, code_challenge: challenge, code_challenge_method: 'S256' },
    });
    const formToken = /name="request" value="([^"]+)"/.exec(page.body ?? '')![1]!;
    const cookie = page.headers!['set-cookie']!.split(';')[0]!;
    const approved = await call('POST', '/oauth/authorize', {
      headers: { ...form, cookie },
      body: new URLSearchParams({
        request: formToken,
        decision: 'approve',
        username: credentials.env.OAUTH_ADMIN_USERNAME!,
        password: credentials.env.OAUTH_ADMIN_PASSWORD!,
      }).toString(),
    });
    const code = new URL(approved.headers!.location!).searchParams.get('code')!;
    const secrets = [code];
    const hashesBeforeExchange = [...state.entries.keys()];

    const issued = JSON.parse(
      (await call('POST', '/oauth/token', {
        headers: { ...form, ...clientAuth },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: TEST_REDIRECT_URI }).toString(),
      })).body!,
    );
    const machine = JSON.parse(
      (await call('POST', '/oauth/token', { headers: { ...form, ...clientAuth }, body: 'grant_type=client_credentials' })).body!,
    );
    secrets.push(issued.access_token, issued.refresh_token, machine.access_token);

    const hash = (s: string) => createHash('sha256').update(s).digest('base64url');
    expect(hashesBeforeExchange.some((key) => key.includes(hash(code)))).toBe(true);
    const stored = [...state.entries].flat().join('\n');
    for (const secret of secrets) expect(stored).not.toContain(secret);
    for (const secret of [issued.access_token, issued.refresh_token, machine.access_token]) {
      expect([...state.entries.keys()].some((key) => key.includes(hash(secret)))).toBe(true);
    }
    expect(await authenticator.authenticate({ authorization: `Bearer ${issued.access_token}` })).toMatchObject({ tenant: { key: 1 } });
  });
});

describe('JWT client authentication (RFC 7523 §2.2, private_key_jwt), as the IPSIE SCIM profile asks', () => {
  const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
  const KEY_CLIENT = 'ipsie-idp';
  let jwks: Server;
  let jwksUrl: string;
  let clientKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    clientKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((done) => jwks.listen(0, '127.0.0.1', done));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((done) => jwks?.close(done));
  });

  // Registered after the JWKS server's hooks: it starts once jwksUrl is known, and closes first.
  const { server: withKeys } = useScimServer(() => ({
    OAUTH_CLIENTS: JSON.stringify([{ id: KEY_CLIENT, name: 'IPSIE identity service', jwksUri: jwksUrl }]),
  }));

  /** The assertion the identity service signs; `claims` override the defaults. */
  function assertion(claims: Record<string, unknown> = {}, key: CryptoKey = clientKey) {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: KEY_CLIENT, sub: KEY_CLIENT, aud: `${withKeys.origin}/oauth/token`, jti: randomBytes(16).toString('hex'), iat: now, exp: now + 120, ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'idp-1' }).sign(key);
  }

  const tokenWith = async (clientAssertion: string, extra: Record<string, string> = {}, headers: Record<string, string> = {}) =>
    reply(
      await fetch(`${withKeys.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion, ...extra }),
      }),
    );

  it('advertises private_key_jwt in the metadata (RFC 8414)', async () => {
    const metadata = await reply(await fetch(`${withKeys.origin}/.well-known/oauth-authorization-server`));
    expect(metadata.body.token_endpoint).toBe(`${withKeys.origin}/oauth/token`);
    expect(metadata.body.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(metadata.body.token_endpoint_auth_signing_alg_values_supported).toContain('ES256');
  });

  it('issues a scim-scoped access token for a valid assertion, which then provisions', async () => {
    const res = await tokenWith(await assertion());
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'Bearer', scope: 'scim' });
    expect((await scim(withKeys).get('/Users', { authorization: `Bearer ${res.body.access_token}` })).status).toBe(200);
    // The issuer itself is an accepted audience too (RFC 7523 §3).
    expect((await tokenWith(await assertion({ aud: withKeys.origin }))).status).toBe(200);
  });

  it('accepts an assertion once: a replay is 401 invalid_client', async () => {
    const once = await assertion();
    expect((await tokenWith(once)).status).toBe(200);
    expectOAuthError(await tokenWith(once), 401, 'invalid_client');
  });

  it.each([
    ['another audience', () => assertion({ aud: 'https://other.example.test/oauth/token' })],
    ['an expired assertion', () => assertion({ exp: Math.floor(Date.now() / 1000) - 300 })],
    ['no jti', () => assertion({ jti: undefined })],
    ['a lifetime over an hour', () => assertion({ exp: Math.floor(Date.now() / 1000) + 7200 })],
    ['a key the client does not publish', () => assertion({}, strangerKey)],
    ['an unknown client', () => assertion({ iss: 'nobody', sub: 'nobody' })],
    ['iss and sub that differ', () => assertion({ sub: 'someone-else' })],
  ])('refuses %s with 401 invalid_client', async (_name, make) => {
    expectOAuthError(await tokenWith(await make()), 401, 'invalid_client');
  });

  it('refuses an assertion beside a secret, or of another type, with 400 invalid_request', async () => {
    const valid = await assertion();
    expectOAuthError(await tokenWith(valid, {}, { authorization: basic(KEY_CLIENT, 'x'.repeat(32)) }), 400, 'invalid_request');
    expectOAuthError(await tokenWith(valid, { client_assertion_type: 'urn:example:other' }), 400, 'invalid_request');
  });

  it('a client registered with keys only cannot authenticate without an assertion', async () => {
    const res = await reply(
      await fetch(`${withKeys.origin}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: KEY_CLIENT }),
      }),
    );
    expectOAuthError(res, 401, 'invalid_client');
  });
});

describe('JWT access tokens from an external issuer', () => {
  const ISSUER = 'https://issuer.example.test';
  const AUDIENCE = 'https://scim.example.test';
  let jwks: Server;
  let jwksUrl: string;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((done) => jwks.listen(0, '127.0.0.1', done));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((done) => jwks?.close(done));
  });

  // Registered after the JWKS server's hooks: it starts once jwksUrl is known, and closes first.
  const { server: withJwt } = useScimServer(() => ({
    OAUTH_JWT_ISSUER: ISSUER,
    OAUTH_JWKS_URL: jwksUrl,
    OAUTH_JWT_AUDIENCE: AUDIENCE,
    OAUTH_JWT_SCOPE: 'scim',
  }));

  /** A JWT as the issuer would mint it; `claims` override the defaults (undefined removes one). */
  function jwt(claims: Record<string, unknown> = {}, key: CryptoKey = signingKey) {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: ISSUER, aud: AUDIENCE, sub: 'okta-client', scp: ['scim'], iat: now, exp: now + 300, ...claims };
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'key-1' }).sign(key);
  }

  const claims = () => ({ iss: ISSUER, aud: AUDIENCE, scp: ['scim'], exp: Math.floor(Date.now() / 1000) + 300 });
  const hs256 = (secret: Uint8Array) => new SignJWT(claims()).setProtectedHeader({ alg: 'HS256' }).sign(secret);
  const unsigned = () => {
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none' })}.${part(claims())}.`;
  };

  const get = (target: TestServer, authorization: string) => scim(target).get('/Users', { authorization });

  it('accepts a valid JWT, and still the built-in server tokens', async () => {
    expect((await get(withJwt, `Bearer ${await jwt()}`)).status).toBe(200);
    expect((await get(withJwt, `Bearer ${await jwt({ scp: undefined, scope: 'openid scim' })}`)).status).toBe(200);
    expect((await scim(withJwt).get('/Users')).status).toBe(200);
  });

  it.each([
    ['another audience', () => jwt({ aud: 'https://other-api.example.test' })],
    ['another issuer', () => jwt({ iss: 'https://evil.example.test' })],
    ['an expired token', () => jwt({ exp: Math.floor(Date.now() / 1000) - 300 })],
    ['a key the issuer does not publish', () => jwt({}, strangerKey)],
    ['no required scope', () => jwt({ scp: ['profile'] })],
    ['a symmetric algorithm', () => hs256(new TextEncoder().encode('x'.repeat(32)))],
    ['alg none', () => unsigned()],
  ])('refuses %s with a SCIM 401', async (_name, make) => {
    const res = await get(withJwt, `Bearer ${await make()}`);
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
  });

  it('with OAUTH_BUILTIN_SERVER=false accepts only JWTs and serves no OAuth endpoint', async () => {
    const database = await testDatabase();
    const app = await createScimServer({
      env: {
        ...database.env,
        LOG_LEVEL: 'silent',
        OAUTH_BUILTIN_SERVER: 'false',
        OAUTH_JWT_ISSUER: ISSUER,
        OAUTH_JWKS_URL: jwksUrl,
        OAUTH_JWT_AUDIENCE: AUDIENCE,
      },
    });
    try {
      const origin = await app.listen({ port: 0, host: '127.0.0.1' });
      const target = { origin, baseUrl: `${origin}${server.basePath}`, basePath: server.basePath, credentials: {}, env: {}, headersFor: async () => ({}), close: async () => {} };
      expect((await get(target, `Bearer ${await jwt()}`)).status).toBe(200);
      expectScimError(await get(target, `Bearer ${randomBytes(32).toString('base64url')}`), 401);
      expect((await fetch(`${origin}/.well-known/oauth-authorization-server`)).status).toBe(404);
      expect((await fetch(`${origin}/oauth/token`, { method: 'POST' })).status).toBe(404);
    } finally {
      await app.close();
      await database.cleanup();
    }
  });

  it('answers 503 when the issuer keys cannot be fetched, so the identity provider retries', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const unreachable = await startServer({
      OAUTH_JWT_ISSUER: ISSUER,
      OAUTH_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      OAUTH_JWT_AUDIENCE: AUDIENCE,
    });
    try {
      expectScimError(await get(unreachable, `Bearer ${await jwt()}`), 503);
    } finally {
      await unreachable.close();
    }
  });
});
