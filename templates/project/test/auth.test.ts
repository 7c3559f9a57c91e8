// Whatever the auth mode: every SCIM endpoint, discovery included, refuses a request without
// valid credentials with a SCIM 401 and a WWW-Authenticate challenge, and changes nothing.
// /health stays open for load balancers. The test/auth-*.test.ts file of the mode checks which
// credentials are accepted.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { expectScimError, newUser, searchRequest, URN } from './helpers/scim.js';

const { server, client } = useScimServer();

describe("Okta's SPEC test", () => {
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

  it.each(endpoints)('$method $path requires credentials', async ({ method, path, body }) => {
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

describe('challenge and health', () => {
  it('names the scheme to use in WWW-Authenticate', async () => {
    const res = await client.get('/Users', { authorization: null });
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/\S/);
  });

  it('serves /health without credentials', async () => {
    const res = await fetch(`${server.origin}/health`);
    expect(res.status).toBe(200);
  });

  it('accepts the credentials the tests were given', async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    const schemes = (res.body as { authenticationSchemes: Array<{ type: string; primary?: boolean }> }).authenticationSchemes;
    expect(schemes.length).toBeGreaterThan(0);
    expect(schemes[0]!.primary).toBe(true);
  });
});
