// HTTP Basic (RFC 7617) for private Okta app integrations: the configured user name and password,
// compared together in constant time.

import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { expectScimError, URN } from './helpers/scim.js';

const { server, client } = useScimServer();
let username: string;
let password: string;

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

beforeAll(async () => {
  username = server.env.SCIM_BASIC_USERNAME!;
  password = server.env.SCIM_BASIC_PASSWORD!;
});

describe('rejected credentials', () => {
  const cases: Array<{ name: string; authorization: () => string | null }> = [
    { name: 'no Authorization header', authorization: () => null },
    { name: 'a wrong password', authorization: () => basic(username, 'wrong') },
    { name: 'a wrong user name', authorization: () => basic('someone', password) },
    { name: 'the password with one extra character', authorization: () => basic(username, `${password}x`) },
    { name: 'user name and password swapped', authorization: () => basic(password, username) },
    { name: 'no password', authorization: () => basic(username, '') },
    { name: 'not base64', authorization: () => 'Basic !!!' },
    { name: 'the password as a bearer token', authorization: () => `Bearer ${password}` },
  ];

  it.each(cases)('$name -> 401 SCIM error with a Basic challenge', async ({ authorization }) => {
    const res = await client.get('/Users', { authorization: authorization() });
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="SCIM"/);
  });
});

describe('accepted credentials', () => {
  it('accepts the configured user name and password', async () => {
    const res = await client.get('/Users', { authorization: basic(username, password) });
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
  });

  it('treats the scheme name case-insensitively (RFC 7235)', async () => {
    const res = await client.get('/Users', { authorization: basic(username, password).replace('Basic', 'basic') });
    expect(res.status).toBe(200);
  });

  it('advertises httpbasic in ServiceProviderConfig', async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(res.body.authenticationSchemes[0].type).toBe('httpbasic');
  });
});
