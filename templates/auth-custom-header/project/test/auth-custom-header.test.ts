// A static secret in the project's own header (AUTH_HEADER_NAME): Authorization is ignored.

import { beforeAll, describe, expect, it } from 'vitest';
import { AUTH_HEADER_NAME } from '../src/generated/project.gen.js';
import { useScimServer } from './helpers/server.js';
import { expectScimError, URN } from './helpers/scim.js';

const { server, client } = useScimServer();
let key: string;

beforeAll(async () => {
  key = server.env.SCIM_API_KEY!;
});

const withKey = (value: string) => ({ authorization: null, headers: { [AUTH_HEADER_NAME]: value } });

describe('rejected credentials', () => {
  it.each([
    { name: 'a wrong key', value: 'not-the-key' },
    { name: 'the key with one extra character', value: 'KEY+x' },
    { name: 'a prefix of the key', value: 'KEY-1' },
    { name: 'an empty header', value: '' },
  ])('$name -> 401 SCIM error naming the header', async ({ value }) => {
    const sent = value.replace('KEY+x', `${key}x`).replace('KEY-1', key.slice(0, -1));
    const res = await client.get('/Users', withKey(sent));
    expectScimError(res, 401);
    expect(res.headers.get('www-authenticate')).toContain(AUTH_HEADER_NAME);
  });

  it('refuses the key sent as a bearer token in Authorization', async () => {
    const res = await client.get('/Users', { authorization: `Bearer ${key}` });
    expectScimError(res, 401);
  });
});

describe('accepted credentials', () => {
  it('accepts the key in its header', async () => {
    const res = await client.get('/Users', withKey(key));
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
  });

  it('matches the header name case-insensitively', async () => {
    const res = await client.get('/Users', { authorization: null, headers: { [AUTH_HEADER_NAME.toLowerCase()]: key } });
    expect(res.status).toBe(200);
  });
});
