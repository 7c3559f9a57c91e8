// Okta's OIN "Header" mode: the token is the whole Authorization value, with no scheme.
// `Bearer <token>` is accepted too (Okta's App Integration Wizard and Entra ID send that).

import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { expectScimError, URN } from './helpers/scim.js';

const { server, client } = useScimServer();
let token: string;

beforeAll(async () => {
  token = server.env.SCIM_AUTH_TOKEN!;
});

describe('rejected credentials', () => {
  const cases: Array<{ name: string; authorization: () => string | null }> = [
    { name: 'no Authorization header', authorization: () => null },
    { name: 'a wrong token', authorization: () => 'not-the-token' },
    { name: 'the right token with one extra character', authorization: () => `${token}x` },
    { name: 'a prefix of the right token', authorization: () => token.slice(0, -1) },
    { name: 'an empty value', authorization: () => '' },
    { name: 'the Basic scheme around the token', authorization: () => `Basic ${token}` },
    { name: 'a wrong bearer token', authorization: () => 'Bearer not-the-token' },
  ];

  it.each(cases)('$name -> 401 SCIM error with WWW-Authenticate', async ({ authorization }) => {
    const res = await client.get('/Users', { authorization: authorization() });
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toBeTruthy();
  });
});

describe('accepted credentials', () => {
  it('accepts the raw token, as Okta\'s "Header" mode sends it', async () => {
    const res = await client.get('/Users', { authorization: token });
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
  });

  it('accepts the token with the Bearer scheme, as Entra ID sends it', async () => {
    const res = await client.get('/Users', { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
  });

  it('ignores surrounding whitespace', async () => {
    const res = await client.get('/Users', { authorization: ` ${token} ` });
    expect(res.status).toBe(200);
  });
});
