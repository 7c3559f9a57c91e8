// POST /Bulk (RFC 7644 §3.7) and /Me (§3.11) over HTTP: bulkId references resolved in
// dependency order, mixed methods, per-operation errors and versions, failOnErrors, circular
// references, and the advertised limits enforced with 413.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { expectScimContentType, expectScimError, fetchResource, memberIds, newGroup, newUser, patchOp, URN, WEAK_ETAG, type Json } from './helpers/scim.js';

const MAX_OPERATIONS = 20;
const MAX_PAYLOAD = 64 * 1024;
const { client } = useScimServer({
  SCIM_BULK_MAX_OPERATIONS: String(MAX_OPERATIONS),
  SCIM_BULK_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD),
});

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

const bulk = (Operations: unknown[], rest: object = {}) => ({ schemas: [BULK_REQUEST], Operations, ...rest });
const postUser = (bulkId: string, overrides: Record<string, unknown> = {}) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: newUser(overrides),
});

async function runBulk(body: unknown): Promise<Json[]> {
  const res = await client.post('/Bulk', body);
  expect(res.status).toBe(200);
  expectScimContentType(res);
  expect(res.body.schemas).toEqual([BULK_RESPONSE]);
  return res.body.Operations;
}

/** The client takes absolute URLs: an operation's location is fetched as it is. */
const pathOf = (location: string): string => location;

describe('ServiceProviderConfig', () => {
  it('advertises bulk with the configured limits', async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(res.body.bulk).toEqual({ supported: true, maxOperations: MAX_OPERATIONS, maxPayloadSize: MAX_PAYLOAD });
  });
});

describe('POST /Bulk', () => {
  it('creates users and a group whose members refer to them by bulkId, whatever their order', async () => {
    const ops = await runBulk(
      bulk([
        { method: 'POST', path: '/Groups', bulkId: 'team', data: newGroup({ members: [{ value: 'bulkId:ada' }, { value: 'bulkId:bob' }] }) },
        postUser('ada'),
        postUser('bob'),
      ]),
    );
    expect(ops.map((op: Json) => [op.method, op.bulkId, op.status])).toEqual([
      ['POST', 'ada', '201'],
      ['POST', 'bob', '201'],
      ['POST', 'team', '201'],
    ]);
    for (const op of ops) {
      expect(op.version).toMatch(WEAK_ETAG);
      expect(op.location).toMatch(/^https?:\/\//);
    }
    const group = await fetchResource(client, pathOf(ops[2].location));
    const ada = await fetchResource(client, pathOf(ops[0].location));
    const bob = await fetchResource(client, pathOf(ops[1].location));
    expect(memberIds(group)).toEqual([ada.id, bob.id].sort());
  });

  it('runs PATCH, PUT and DELETE, with bulkId references in paths and PATCH values, and If-Match per operation', async () => {
    const created = await client.post('/Users', newUser());
    const user = created.body;
    const ops = await runBulk(
      bulk([
        { method: 'PATCH', path: `/Users/${user.id}`, version: created.headers.get('etag'), data: patchOp({ op: 'replace', path: 'displayName', value: 'Patched' }) },
        { method: 'PUT', path: `/Users/${user.id}`, version: created.headers.get('etag'), data: { ...user, displayName: 'Stale' } },
        { method: 'PATCH', path: '/Groups/bulkId:g', data: patchOp({ op: 'add', path: 'members', value: [{ value: 'bulkId:u' }] }) },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: newGroup() },
        postUser('u'),
        { method: 'DELETE', path: '/Users/bulkId:u' },
      ]),
    );
    expect(ops.map((op: Json) => [op.method, op.status])).toEqual([
      ['PATCH', '200'],
      ['PUT', '412'],
      ['POST', '201'],
      ['POST', '201'],
      ['PATCH', expect.stringMatching(/^20[04]$/)],
      ['DELETE', '204'],
    ]);
    expect(ops[1].response.schemas).toEqual([URN.error]);
    expect(ops[1].response.status).toBe('412');
    expect((await fetchResource(client, `/Users/${user.id}`)).displayName).toBe('Patched');
    // The user the PATCH added was deleted afterwards, which removes its memberships.
    expect(memberIds(await fetchResource(client, pathOf(ops[2].location)))).toEqual([]);
    expect((await client.get(pathOf(ops[3].location))).status).toBe(404);
  });

  it('answers each failed operation with its SCIM error and goes on', async () => {
    const taken = newUser();
    const ops = await runBulk(
      bulk([
        { method: 'POST', path: '/Users', bulkId: 'a', data: taken },
        { method: 'POST', path: '/Users', bulkId: 'b', data: taken },
        { method: 'POST', path: '/Users', bulkId: 'c', data: { schemas: [URN.user] } },
        { method: 'DELETE', path: '/Users/00000000-0000-4000-8000-000000000000' },
        { method: 'GET', path: '/Users' },
        { path: '/Users', bulkId: 'no-method', data: newUser() },
        { method: 'POST', bulkId: 'no-path', data: newUser() },
        { method: 'POST', path: '/Nothing', bulkId: 'nowhere', data: {} },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: newGroup({ members: [{ value: 'bulkId:unknown' }] }) },
        42,
      ]),
    );
    expect(ops.map((op: Json) => [op.status, op.response?.scimType])).toEqual([
      ['201', undefined],
      ['409', 'uniqueness'],
      ['400', expect.any(String)],
      ['404', undefined],
      ['400', 'invalidSyntax'],
      ['400', 'invalidSyntax'],
      ['400', 'invalidSyntax'],
      ['404', undefined],
      ['400', 'invalidValue'],
      ['400', 'invalidSyntax'],
    ]);
    for (const op of ops.slice(1)) expect(op.response.schemas).toEqual([URN.error]);
  });

  it('refuses circular references with 409 and creates none of them', async () => {
    const a = newGroup();
    const ops = await runBulk(
      bulk([
        { method: 'POST', path: '/Groups', bulkId: 'ga', data: { ...a, members: [{ value: 'bulkId:gb', type: 'Group' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'gb', data: newGroup({ members: [{ value: 'bulkId:ga', type: 'Group' }] }) },
      ]),
    );
    expect(ops.map((op: Json) => op.status)).toEqual(['409', '409']);
    const found = await client.get('/Groups', { query: { filter: `displayName eq "${a.displayName}"` } });
    expect(found.body.totalResults).toBe(0);
  });

  it('stops after failOnErrors errors; the operations after it are not run', async () => {
    const taken = newUser();
    const last = newUser();
    const ops = await runBulk(
      bulk(
        [
          { method: 'POST', path: '/Users', bulkId: 'u1', data: taken },
          { method: 'POST', path: '/Users', bulkId: 'u2', data: taken },
          { method: 'POST', path: '/Users', bulkId: 'u3', data: last },
        ],
        { failOnErrors: 1 },
      ),
    );
    expect(ops.map((op: Json) => [op.bulkId, op.status])).toEqual([
      ['u1', '201'],
      ['u2', '409'],
    ]);
    const found = await client.get('/Users', { query: { filter: `userName eq "${last.userName}"` } });
    expect(found.body.totalResults).toBe(0);
  });

  it('answers 413 for more than maxOperations operations and runs none', async () => {
    const users = Array.from({ length: MAX_OPERATIONS + 1 }, (_, i) => postUser(`u${i}`));
    const res = await client.post('/Bulk', bulk(users));
    expectScimError(res, 413);
    expect(res.body.detail).toMatch(/maxOperations/);
    const found = await client.get('/Users', { query: { filter: `userName eq "${users[0]!.data.userName}"` } });
    expect(found.body.totalResults).toBe(0);
  });

  it('answers 413 for a request over maxPayloadSize and runs none of it', async () => {
    const small = postUser('small');
    const big = bulk([small, postUser('big', { displayName: 'x'.repeat(MAX_PAYLOAD) })]);
    const res = await client.post('/Bulk', big);
    expectScimError(res, 413);
    expect(res.body.detail).toMatch(/maxPayloadSize/);
    const found = await client.get('/Users', { query: { filter: `userName eq "${small.data.userName}"` } });
    expect(found.body.totalResults).toBe(0);
  });

  it('answers 400 invalidSyntax for a malformed envelope, never a 500', async () => {
    expectScimError(await client.post('/Bulk', { Operations: [] }), 400, 'invalidSyntax');
    expectScimError(await client.post('/Bulk', { schemas: [BULK_REQUEST], Operations: 'all' }), 400, 'invalidSyntax');
    expectScimError(await client.post('/Bulk', [1, 2]), 400, 'invalidSyntax');
    expectScimError(await client.request('POST', '/Bulk', { rawBody: '{"schemas":' }), 400, 'invalidSyntax');
    expectScimError(await client.post('/Bulk', bulk([], { failOnErrors: -1 })), 400, 'invalidValue');
  });

  it('requires credentials', async () => {
    expect((await client.post('/Bulk', bulk([]), { authorization: null })).status).toBe(401);
  });
});

describe('/Me', () => {
  it('answers 501 Not Implemented: the credential is a provisioning client, not a User', async () => {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await client.request(method, '/Me', method === 'GET' || method === 'DELETE' ? {} : { body: newUser() });
      expectScimError(res, 501);
    }
  });

  it('requires credentials', async () => {
    expect((await client.get('/Me', { authorization: null })).status).toBe(401);
  });
});
