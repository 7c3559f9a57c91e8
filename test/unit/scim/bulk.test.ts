// POST /Bulk (RFC 7644 §3.7) through ScimService over a real SQLite store: dependency ordering of
// bulkId references, cycles, failOnErrors, limits, per-operation versions and errors, tenancy.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../templates/database-sqlite/store.js';
import { sqliteMigrations } from '../../../templates/database-sqlite/generator/migrations.js';
import { executionOrder, readBulkRequest, type BulkOperationResult } from '../../../templates/scim/bulk.js';
import { ScimError } from '../../../templates/scim/errors.js';
import { ScimService, type ScimRequest } from '../../../templates/scim/service.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ResourceStore } from '../../../templates/scim/store.js';
import { testRegistry } from './fixtures.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BASE = 'https://scim.example.com/scim/v2';
const registry = testRegistry();
const User = registry.byName('User')!;
const Group = registry.byName('Group')!;
const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
const LIMITS = { maxOperations: 10, maxPayloadSize: 4096 };

let dir: string;
let store: ResourceStore;
let svc: ScimService;
let otherTenant: number;
const hookRequests: string[] = [];
/** What happened in order: 'created' from the afterCreate hook, and whatever a test adds. */
const timeline: string[] = [];

const req = (body?: unknown, tenant = 1): ScimRequest => ({
  tenant,
  baseUrl: BASE,
  query: {},
  body,
  requestId: 'bulk-1',
  log: { info() {}, warn() {}, error() {} },
});

const bulk = (Operations: unknown[], rest: object = {}) => ({ schemas: [BULK], Operations, ...rest });
const user = (bulkId: string, userName: string) => ({
  method: 'POST',
  path: '/Users',
  bulkId,
  data: { schemas: [USER], userName },
});

async function run(body: unknown, tenant = 1): Promise<BulkOperationResult[]> {
  const response = await svc.bulk(req(body, tenant));
  expect(response.status).toBe(200);
  const out = response.body as { schemas: string[]; Operations: BulkOperationResult[] };
  expect(out.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
  return out.Operations;
}

const idOf = (result: BulkOperationResult) => result.location!.slice(result.location!.lastIndexOf('/') + 1);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scim-bulk-'));
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  for (const m of sqliteMigrations(storagePlan(registry))) writeFileSync(join(migrations, m.name), m.sql);
  store = await openSqliteStore({ file: join(dir, 'bulk.sqlite'), registry, migrationsDir: migrations });
  otherTenant = (await store.tenants.createTenant({ slug: 'other', name: 'Other', idp: 'other' })).key;
  svc = new ScimService({
    registry,
    store,
    authenticator: { scheme },
    bulk: LIMITS,
    hooks: {
      User: {
        afterCreate: (_u, ctx) => {
          hookRequests.push(ctx.requestId);
          timeline.push('created');
        },
      },
    },
  });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('executionOrder', () => {
  const plan = (ops: unknown[]) => readBulkRequest(bulk(ops), { maxOperations: 10_000, maxPayloadSize: 1 << 24 }).operations;

  it('keeps request order, except that a reference runs after the POST declaring it', () => {
    const ops = plan([
      { method: 'POST', path: '/Groups', bulkId: 'g', data: { members: [{ value: 'bulkId:b' }, { value: 'bulkId:a' }] } },
      user('a', 'a'),
      { method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [] } },
      user('b', 'b'),
    ]);
    expect(executionOrder(ops).map((op) => op.bulkId ?? op.method)).toEqual(['b', 'a', 'g', 'PATCH']);
    expect(ops.every((op) => op.error === undefined)).toBe(true);
  });

  it('marks every operation on a cycle with 409, and nothing else', () => {
    const ops = plan([
      { method: 'POST', path: '/Groups', bulkId: 'x', data: { members: [{ value: 'bulkId:y' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'y', data: { members: [{ value: 'bulkId:z' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'z', data: { members: [{ value: 'bulkId:x' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'self', data: { members: [{ value: 'bulkId:self' }] } },
      user('free', 'free'),
    ]);
    executionOrder(ops);
    expect(ops.map((op) => op.error?.status)).toEqual([409, 409, 409, 409, undefined]);
  });

  it('orders a chain of thousands of references without overflowing the stack', () => {
    const n = 5000;
    const ops = plan(
      Array.from({ length: n }, (_, i) => ({
        method: 'POST',
        path: '/Groups',
        bulkId: `g${i}`,
        data: i + 1 < n ? { members: [{ value: `bulkId:g${i + 1}` }] } : {},
      })),
    );
    const order = executionOrder(ops);
    expect(order[0]!.bulkId).toBe(`g${n - 1}`);
    expect(order.at(-1)!.bulkId).toBe('g0');
  });

  it('finds references in PATCH path filters and operation paths', () => {
    const [op] = plan([
      { method: 'PATCH', path: '/Groups/bulkId:g', data: { Operations: [{ op: 'remove', path: 'members[value eq "bulkId:u"]' }] } },
      user('u', 'u'),
      { method: 'POST', path: '/Groups', bulkId: 'g', data: {} },
    ]);
    expect(op!.refs.sort()).toEqual(['g', 'u']);
  });
});

describe('POST /Bulk', () => {
  it('creates users and a group whose members refer to them by bulkId, in dependency order', async () => {
    const results = await run(
      bulk([
        {
          method: 'POST',
          path: '/Groups',
          bulkId: 'team',
          data: { schemas: [GROUP], displayName: 'bulk team', members: [{ value: 'bulkId:ada' }, { value: 'bulkId:bob' }] },
        },
        user('ada', 'bulk.ada'),
        user('bob', 'bulk.bob'),
      ]),
    );
    expect(results.map((r) => [r.bulkId, r.method, r.status])).toEqual([
      ['ada', 'POST', '201'],
      ['bob', 'POST', '201'],
      ['team', 'POST', '201'],
    ]);
    for (const r of results) {
      expect(r.location).toMatch(new RegExp(`^${BASE}/(Users|Groups)/`));
      expect(r.version).toMatch(/^W\/"/);
      expect(r.response).toBeUndefined();
    }
    const group = (await svc.get(Group, idOf(results[2]!), req())).body as { members: { value: string }[] };
    expect(group.members.map((m) => m.value).sort()).toEqual([idOf(results[0]!), idOf(results[1]!)].sort());
    expect(hookRequests.filter((r) => r === 'bulk-1').length).toBeGreaterThanOrEqual(2);
  });

  it('runs PUT, PATCH and DELETE with paths that refer to a bulkId, and per-operation versions', async () => {
    const [created] = await run(bulk([user('carol', 'bulk.carol')]));
    const id = idOf(created!);
    const results = await run(
      bulk([
        { method: 'PATCH', path: `/Users/${id}`, version: created!.version, data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: 'boss' }] } },
        { method: 'PUT', path: `/Users/${id}`, version: created!.version, data: { schemas: [USER], userName: 'bulk.carol', title: 'stale' } },
        { method: 'PUT', path: '/Users/bulkId:dan', data: { schemas: [USER], userName: 'bulk.dan', title: 'new' } },
        user('dan', 'bulk.dan'),
        { method: 'DELETE', path: '/Users/bulkId:dan' },
      ]),
    );
    expect(results.map((r) => [r.method, r.status])).toEqual([
      ['PATCH', '200'],
      ['PUT', '412'],
      ['POST', '201'],
      ['PUT', '200'],
      ['DELETE', '204'],
    ]);
    expect(results[1]!.location).toBe(`${BASE}/Users/${id}`);
    expect(results[1]!.response).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '412' });
    expect(results[4]!.location).toBe(results[2]!.location);
    expect(((await svc.get(User, id, req())).body as { title: string }).title).toBe('boss');
  });

  it('answers each failed operation with its SCIM error and goes on', async () => {
    const results = await run(
      bulk([
        user('e1', 'bulk.erin'),
        user('e2', 'bulk.erin'),
        { method: 'GET', path: '/Users' },
        { path: '/Users', bulkId: 'nomethod', data: {} },
        { method: 'POST', path: '/Users', data: { schemas: [USER], userName: 'no.bulkid' } },
        { method: 'POST', path: '/Nope', bulkId: 'nope', data: {} },
        { method: 'PATCH', path: '/Users', data: {} },
        { method: 'DELETE', path: '/Users/does-not-exist' },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [GROUP], displayName: 'x', members: [{ value: 'bulkId:ghost' }] } },
        'not an object',
      ]),
    );
    expect(results.map((r) => [r.status, (r.response as { scimType?: string } | undefined)?.scimType])).toEqual([
      ['201', undefined],
      ['409', 'uniqueness'],
      ['400', 'invalidSyntax'],
      ['400', 'invalidSyntax'],
      ['400', 'invalidSyntax'],
      ['404', undefined],
      ['400', 'invalidSyntax'],
      ['404', undefined],
      ['400', 'invalidValue'],
      ['400', 'invalidSyntax'],
    ]);
  });

  it('refuses circular references with 409 and fails what depends on a failed POST', async () => {
    const results = await run(
      bulk([
        { method: 'POST', path: '/Groups', bulkId: 'ga', data: { schemas: [GROUP], displayName: 'cycle a', members: [{ value: 'bulkId:gb', type: 'Group' }] } },
        { method: 'POST', path: '/Groups', bulkId: 'gb', data: { schemas: [GROUP], displayName: 'cycle b', members: [{ value: 'bulkId:ga', type: 'Group' }] } },
        { method: 'PATCH', path: '/Groups/bulkId:ga', data: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'z' }] } },
      ]),
    );
    expect(results.map((r) => r.status)).toEqual(['409', '409', '409']);
    expect((results[0]!.response as { detail: string }).detail).toMatch(/Circular/);
    expect((results[2]!.response as { detail: string }).detail).toMatch(/bulkId:ga/);
    const list = await svc.list(Group, { ...req(), query: { filter: 'displayName sw "cycle"' } });
    expect((list.body as { totalResults: number }).totalResults).toBe(0);
  });

  it('stops after failOnErrors errors and leaves the rest out', async () => {
    const results = await run(
      bulk([user('f1', 'bulk.frank'), user('f2', 'bulk.frank'), user('f3', 'bulk.frank'), user('f4', 'bulk.fay')], { failOnErrors: 2 }),
    );
    expect(results.map((r) => [r.bulkId, r.status])).toEqual([
      ['f1', '201'],
      ['f2', '409'],
      ['f3', '409'],
    ]);
    const list = await svc.list(User, { ...req(), query: { filter: 'userName eq "bulk.fay"' } });
    expect((list.body as { totalResults: number }).totalResults).toBe(0);
  });

  it('refuses a bad envelope, too many operations or too large a payload before running anything', async () => {
    const refused = async (body: unknown) => {
      try {
        await svc.bulk(req(body));
      } catch (error) {
        expect(error).toBeInstanceOf(ScimError);
        return error as ScimError;
      }
      throw new Error('not refused');
    };
    expect(await refused('x')).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(await refused({ Operations: [] })).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(await refused({ schemas: [BULK] })).toMatchObject({ status: 400, scimType: 'invalidSyntax' });
    expect(await refused(bulk([], { failOnErrors: 0 }))).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(await refused(bulk([user('d', 'dup.1'), user('d', 'dup.2')]))).toMatchObject({ status: 400, scimType: 'invalidValue' });
    const tooMany = await refused(bulk(Array.from({ length: 11 }, (_, i) => user(`t${i}`, `too.many.${i}`))));
    expect(tooMany.status).toBe(413);
    expect(tooMany.message).toMatch(/maxOperations \(10\)/);
    const tooLarge = await refused(bulk([{ ...user('big', 'too.large'), data: { schemas: [USER], userName: 'x'.repeat(5000) } }]));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.message).toMatch(/maxPayloadSize \(4096\)/);
    const list = await svc.list(User, { ...req(), query: { filter: 'userName sw "too."' } });
    expect((list.body as { totalResults: number }).totalResults).toBe(0);
  });

  it('yields to the event loop between operations, so other requests run during a large bulk', async () => {
    timeline.length = 0;
    let running = true;
    const tick = () => {
      timeline.push('tick');
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await svc.bulk({ ...req(bulk(Array.from({ length: 5 }, (_, i) => user(`y${i}`, `bulk.yield.${i}`)))), requestId: 'yield' });
    running = false;
    const ops = timeline.flatMap((event, i) => (event === 'created' ? [i] : []));
    expect(ops).toHaveLength(5);
    // Between one operation and the next, other work got the event loop.
    for (let k = 1; k < ops.length; k++) expect(timeline.slice(ops[k - 1]!, ops[k]!)).toContain('tick');
  });

  it('runs in the tenant of the request', async () => {
    const other = otherTenant;
    const [mine] = await run(bulk([user('t', 'bulk.tenant')]), other);
    expect(mine!.status).toBe('201');
    expect(await store.get(1, User, idOf(mine!), { withMembers: false, withGroups: false })).toBeUndefined();
    expect(await store.get(other, User, idOf(mine!), { withMembers: false, withGroups: false })).toBeDefined();
  });

  it('advertises the limits in ServiceProviderConfig', () => {
    const config = svc.serviceProviderConfig(req()).body as { bulk: unknown };
    expect(config.bulk).toEqual({ supported: true, maxOperations: 10, maxPayloadSize: 4096 });
  });

  it('answers /Me with 501', () => {
    expect(() => svc.me(req())).toThrow(expect.objectContaining({ status: 501 }));
  });
});
