// Bearer token authentication: every SCIM endpoint, discovery included, refuses a request
// without the right token with a SCIM 401 (Okta's SPEC suite checks the body and status).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';
import { expectScimError, newUser, scim, searchRequest, URN, type ScimClient } from './helpers/scim.js';

let server: TestServer;
let client: ScimClient;
let token: string;

beforeAll(async () => {
  server = await startServer();
  client = scim(server);
  token = server.env.SCIM_BEARER_TOKEN!;
});

afterAll(async () => {
  await server?.close();
});

describe('rejected credentials', () => {
  const cases: Array<{ name: string; authorization: () => string | null }> = [
    { name: 'no Authorization header', authorization: () => null },
    { name: 'a wrong token', authorization: () => 'Bearer not-the-token' },
    { name: 'the right token with one extra character', authorization: () => `Bearer ${token}x` },
    { name: 'a prefix of the right token', authorization: () => `Bearer ${token.slice(0, -1)}` },
    { name: 'an empty bearer token', authorization: () => 'Bearer ' },
    {
      name: 'the Basic scheme',
      authorization: () => `Basic ${Buffer.from(`user:${token}`).toString('base64')}`,
    },
    { name: "Okta's `Authorization: non-token`", authorization: () => 'non-token' },
  ];

  it.each(cases)('$name -> 401 SCIM error with WWW-Authenticate', async ({ authorization }) => {
    const res = await client.get('/Users', { authorization: authorization() });
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/i);
  });

  it('answers 401 to the exact request of Okta\'s SPEC test ("Check status 401")', async () => {
    const res = await client.get('/Users', {
      authorization: 'non-token',
      query: { filter: 'userName eq "SOMEONE@EXAMPLE.COM"' },
      headers: {
        'Accept-Charset': 'utf-8',
        'Content-Type': 'application/scim+json; charset=utf-8',
        'User-Agent': 'OKTA SCIM Integration',
      },
    });
    expect(res.status).toBe(401);
    expect(res.body.schemas).toContain(URN.error);
    expect(res.body.status).toBe('401');
    expect(res.body.detail).toBeTruthy();
  });
});

describe('protected endpoints', () => {
  const endpoints: Array<{ method: string; path: string; body?: unknown }> = [
    { method: 'GET', path: '/Users' },
    { method: 'GET', path: '/Users/2819c223-7f76-453a-919d-413861904646' },
    { method: 'POST', path: '/Users', body: newUser() },
    { method: 'PUT', path: '/Users/2819c223-7f76-453a-919d-413861904646', body: newUser() },
    { method: 'PATCH', path: '/Users/2819c223-7f76-453a-919d-413861904646', body: {} },
    { method: 'DELETE', path: '/Users/2819c223-7f76-453a-919d-413861904646' },
    { method: 'GET', path: '/Groups' },
    { method: 'POST', path: '/Groups', body: { displayName: 'x' } },
    { method: 'POST', path: '/.search', body: searchRequest() },
    { method: 'POST', path: '/Users/.search', body: searchRequest() },
    { method: 'GET', path: '/ServiceProviderConfig' },
    { method: 'GET', path: '/ResourceTypes' },
    { method: 'GET', path: '/ResourceTypes/User' },
    { method: 'GET', path: '/Schemas' },
    { method: 'GET', path: `/Schemas/${URN.user}` },
  ];

  it.each(endpoints)('$method $path requires the token', async ({ method, path, body }) => {
    const res = await client.request(method, path, { authorization: null, body });
    expectScimError(res, 401);
  });

  it('does not create a user when the POST is unauthenticated', async () => {
    const user = newUser();
    const refused = await client.post('/Users', user, { authorization: 'Bearer wrong' });
    expect(refused.status).toBe(401);

    const lookup = await client.get('/Users', {
      query: { filter: `userName eq "${user.userName}"` },
    });
    expect(lookup.status).toBe(200);
    expect(lookup.body.totalResults).toBe(0);
  });
});

describe('accepted credentials', () => {
  it('accepts the configured bearer token', async () => {
    const res = await client.get('/Users', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
  });

  it('treats the scheme name case-insensitively (RFC 7235)', async () => {
    const res = await client.get('/Users', { authorization: `bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it('serves discovery endpoints with the token', async () => {
    for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
    }
  });
});
