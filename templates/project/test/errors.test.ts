// Errors (RFC 7644 §3.12): every failure is an application/scim+json Error message with the
// status as a string, the right scimType, and never a 500 or an HTML page (Okta's client fails
// to parse anything else).

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimError,
  newUser,
  patchOp,
  URN,
  type Json,
  type RequestOptions,
} from './helpers/scim.js';

const { client } = useScimServer();
let user: Json;

beforeAll(async () => {
  user = await createUser(client);
});

describe('request bodies', () => {
  it('malformed JSON -> 400 invalidSyntax', async () => {
    const res = await client.request('POST', '/Users', {
      rawBody: '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": ',
    });
    expectScimError(res, 400, 'invalidSyntax');
  });

  it.each([
    { name: 'an array', rawBody: '[]' },
    { name: 'a string', rawBody: '"user"' },
    { name: 'a number', rawBody: '42' },
    { name: 'null', rawBody: 'null' },
  ])('a body that is $name -> 400', async ({ rawBody }) => {
    expectScimError(await client.request('POST', '/Users', { rawBody }), 400);
  });

  it('an unknown attribute -> 400', async () => {
    expectScimError(await client.post('/Users', newUser({ favouriteColour: 'blue' })), 400);
  });

  it.each([
    { name: 'active: "maybe"', overrides: { active: 'maybe' } },
    { name: 'userName as a number', overrides: { userName: 42 } },
    { name: 'name as a string', overrides: { name: 'Ada Lovelace' } },
    { name: 'emails as a string', overrides: { emails: 'a@example.com' } },
    { name: 'an email value as an object', overrides: { emails: [{ value: { address: 'a@example.com' } }] } },
  ])('a value of the wrong type ($name) -> 400 invalidValue', async ({ overrides }) => {
    expectScimError(await client.post('/Users', newUser(overrides)), 400, 'invalidValue');
  });

  it('an empty body on POST -> 400', async () => {
    expectScimError(await client.request('POST', '/Users', { rawBody: '' }), 400);
  });
});

describe('content types accepted', () => {
  it.each([
    'application/scim+json',
    'application/scim+json; charset=utf-8',
    'application/json',
    'application/json; charset=utf-8',
  ])('POST with Content-Type %s -> 201', async (contentType) => {
    const res = await client.post('/Users', newUser(), { contentType });
    expect(res.status, res.text).toBe(201);
  });

  it('PATCH with Content-Type application/json -> 200', async () => {
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'json' }),
      {
        contentType: 'application/json',
      },
    );
    expect(res.status, res.text).toBe(200);
  });
});

describe('PATCH requests', () => {
  const patch = (body: unknown) => client.patch(`/Users/${user.id}`, body);

  it.each([
    { name: 'an unknown attribute', path: 'favouriteColour' },
    { name: 'an unknown sub-attribute', path: 'name.nickname' },
    { name: 'an unknown extension URN', path: 'urn:example:unknown:2.0:Thing:attr' },
  ])('a path naming $name -> 400 invalidSyntax (interoperability profile §5.3)', async ({ path }) => {
    expectScimError(await patch(patchOp({ op: 'replace', path, value: 'x' })), 400, 'invalidSyntax');
  });

  it('a malformed path -> 400 invalidPath', async () => {
    expectScimError(await patch(patchOp({ op: 'replace', path: 'name..givenName', value: 'x' })), 400, 'invalidPath');
  });

  it('remove without a path -> 400 noTarget', async () => {
    expectScimError(await patch(patchOp({ op: 'remove' })), 400, 'noTarget');
  });

  it('add without a value -> 400', async () => {
    expectScimError(await patch(patchOp({ op: 'add', path: 'title' })), 400);
  });

  it('an unknown op -> 400', async () => {
    expectScimError(await patch(patchOp({ op: 'move', path: 'title', value: 'x' })), 400);
  });

  it('a value of the wrong type -> 400 invalidValue', async () => {
    expectScimError(
      await patch(patchOp({ op: 'replace', path: 'active', value: 'maybe' })),
      400,
      'invalidValue',
    );
  });

  it('an unknown attribute in a path-less value -> 400', async () => {
    expectScimError(await patch(patchOp({ op: 'replace', value: { favouriteColour: 'blue' } })), 400);
  });

  it('a path-less add or replace whose value is not an object -> 400', async () => {
    expectScimError(await patch(patchOp({ op: 'replace', value: 'x' })), 400);
  });

  it('Operations missing or not an array -> 400', async () => {
    expectScimError(await patch({ schemas: [URN.patchOp] }), 400);
    expectScimError(await patch({ schemas: [URN.patchOp], Operations: { op: 'add' } }), 400);
  });

  it('a body without the PatchOp schema -> 400', async () => {
    expectScimError(
      await patch({ schemas: [URN.user], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }),
      400,
    );
  });
});

describe('not found', () => {
  const requests: Array<{ method: string; path: string; body?: unknown }> = [
    { method: 'GET', path: '/Users' },
    { method: 'PUT', path: '/Users', body: newUser() },
    { method: 'PATCH', path: '/Users', body: patchOp({ op: 'replace', path: 'title', value: 'x' }) },
    { method: 'DELETE', path: '/Users' },
    { method: 'GET', path: '/Groups' },
    { method: 'PUT', path: '/Groups', body: { schemas: [URN.group], displayName: 'x' } },
    { method: 'PATCH', path: '/Groups', body: patchOp({ op: 'replace', path: 'displayName', value: 'x' }) },
    { method: 'DELETE', path: '/Groups' },
  ];

  it.each(requests)('$method $path/{unknown id} -> 404', async ({ method, path, body }) => {
    expectScimError(await client.request(method, `${path}/${randomUUID()}`, { body }), 404);
  });

  it.each(['/Widgets', '/Users/x/y', '/Bulk/nothing'])(
    'an unknown route %s under the base path -> 404 SCIM error',
    async (path) => {
      const res = await client.get(path);
      expectScimError(res, 404);
      expect(res.text).not.toMatch(/<html/i);
    },
  );
});

describe('never a 500', () => {
  const list = (query: Record<string, string>): RequestOptions => ({ query });
  const withBody = (body: unknown): RequestOptions => ({ body });
  // [what, method, path ("USER" is replaced by a real user id), options]
  const weird: Array<[string, string, string, RequestOptions?]> = [
    ['count=abc', 'GET', '/Users', list({ count: 'abc' })],
    ['count=99999999999999999999', 'GET', '/Users', list({ count: '99999999999999999999' })],
    ['startIndex=1e99', 'GET', '/Users', list({ startIndex: '1e99' })],
    ['startIndex=99999999999999999999', 'GET', '/Users', list({ startIndex: '99999999999999999999' })],
    ['sortBy an unknown attribute', 'GET', '/Users', list({ sortBy: 'nope' })],
    ['sortOrder=sideways', 'GET', '/Users', list({ sortOrder: 'sideways' })],
    ['attributes=%%%', 'GET', '/Users', list({ attributes: '%%%' })],
    [
      '2,000 nested parentheses',
      'GET',
      '/Users',
      list({ filter: `${'('.repeat(2000)}title pr${')'.repeat(2000)}` }),
    ],
    ['a filter with a NUL byte', 'GET', '/Users', list({ filter: 'userName eq "a\u0000b"' })],
    ['a filter with a SQL-ish value', 'GET', '/Users', list({ filter: `userName eq "x' OR 1=1 --"` })],
    ['a 200-character id', 'GET', `/Users/${'a'.repeat(200)}`],
    ['a 10,000-character id', 'GET', `/Users/${'a'.repeat(10_000)}`],
    ['an id with percent-encoded slashes', 'GET', '/Users/..%2F..%2Fetc'],
    ['PATCH with an empty Operations array', 'PATCH', '/Users/USER', withBody(patchOp())],
    [
      'PATCH with a null operation',
      'PATCH',
      '/Users/USER',
      withBody({ schemas: [URN.patchOp], Operations: [null] }),
    ],
    [
      'PATCH members on a user',
      'PATCH',
      '/Users/USER',
      withBody(patchOp({ op: 'add', path: 'members', value: [{ value: 'x' }] })),
    ],
    [
      'a group member that is a string',
      'POST',
      '/Groups',
      { body: { schemas: [URN.group], displayName: 'g', members: ['x'] } },
    ],
    ['a deeply nested body', 'POST', '/Users', { rawBody: `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}` }],
    ['a text/plain body', 'POST', '/Users', { rawBody: 'userName=x', contentType: 'text/plain' }],
    ['an unsupported method', 'OPTIONS', '/Users'],
  ];

  it.each(weird)('%s', async (_what, method, path, options) => {
    const res = await client.request(method, path.replace('USER', user.id), options);
    expect(res.status, res.text).toBeLessThan(500);
    if (res.status >= 400) expectScimError(res, res.status);
  });

  it('a group member without a value -> 400', async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ display: 'no value' }] }),
    );
    expectScimError(res, 400);
  });
});

describe('request size limit', () => {
  const { client: smallClient } = useScimServer({ SCIM_MAX_BODY_BYTES: '2048' });

  it('answers 413 as a SCIM error when the body exceeds SCIM_MAX_BODY_BYTES', async () => {
    const res = await smallClient.post('/Users', newUser({ nickName: 'x'.repeat(4096) }));
    expectScimError(res, 413);
  });

  it('accepts a body under the limit', async () => {
    const res = await smallClient.post('/Users', newUser());
    expect(res.status, res.text).toBe(201);
  });
});
