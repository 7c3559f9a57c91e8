// Bearer token authentication: which Authorization values are refused and which accepted.
// test/auth.test.ts checks that every endpoint requires credentials, whatever the mode.

import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { expectScimError, URN } from './helpers/scim.js';

const { server, client } = useScimServer();
let token: string;

beforeAll(async () => {
  token = server.env.SCIM_BEARER_TOKEN!;
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
