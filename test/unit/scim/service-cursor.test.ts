// ScimService's cursor paging (RFC 9865) on the memory store: index paging untouched, a walk
// by nextCursor, the parameters' errors, and ServiceProviderConfig's pagination.

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../templates/database-custom/memory-store.js';
import { CursorCodec } from '../../../templates/scim/cursor.js';
import { ScimError } from '../../../templates/scim/errors.js';
import { ScimService, type ScimRequest } from '../../../templates/scim/service.js';
import type { ListQuery, ResourceStore } from '../../../templates/scim/store.js';
import type { TenantKey } from '../../../templates/scim/tenancy.js';
import { testRegistry } from './fixtures.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const silent = { info() {}, warn() {}, error() {} };
const req = (query: Record<string, unknown>, body?: unknown): ScimRequest => ({
  tenant: 1,
  baseUrl: 'https://scim.example.com/scim/v2',
  query,
  body,
  requestId: 'r1',
  log: silent,
});

async function setup() {
  const registry = testRegistry();
  const memory = createMemoryStore({ registry });
  const queries: ListQuery[] = [];
  const store: ResourceStore = Object.assign(Object.create(memory) as ResourceStore, {
    list: (tenant: TenantKey, type: Parameters<ResourceStore['list']>[1], query: ListQuery) => {
      queries.push(query);
      return memory.list(tenant, type, query);
    },
  });
  const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
  const svc = new ScimService({
    registry,
    store,
    authenticator: { scheme },
    paging: { defaultCount: 50, maxCount: 200 },
    cursors: new CursorCodec('unit-test-secret', 300),
  });
  const User = registry.byName('User')!;
  for (const name of ['d', 'b', 'e', 'a', 'c']) await memory.create(1, User, { schemas: [USER], userName: name }, []);
  return { svc, User, queries };
}

async function refusal(work: Promise<unknown>): Promise<ScimError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('ScimService cursor paging', () => {
  it('advertises pagination in ServiceProviderConfig from its settings', async () => {
    const { svc } = await setup();
    expect((svc.serviceProviderConfig(req({})).body as { pagination: unknown }).pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: 50,
      maxPageSize: 200,
      cursorTimeout: 300,
    });
  });

  it('leaves index paging as it was: no keyset asked of the store, startIndex in the answer', async () => {
    const { svc, User, queries } = await setup();
    const res = await svc.list(User, req({ startIndex: '2', count: '2' }));
    expect(queries[0]?.keyset).toBeUndefined();
    expect(res.body).toMatchObject({ startIndex: 2, itemsPerPage: 2, totalResults: 5 });
    expect(res.body).not.toHaveProperty('nextCursor');
  });

  it('walks by nextCursor on GET and POST .search, sorted', async () => {
    const { svc, User } = await setup();
    for (const via of ['get', 'search'] as const) {
      const seen: unknown[] = [];
      let cursor = '';
      for (let i = 0; i < 10; i++) {
        const params = { sortBy: 'userName', sortOrder: 'descending', count: 2, cursor };
        const res = via === 'get'
          ? await svc.list(User, req({ ...params, count: '2' }))
          : await svc.search(User, req({}, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], ...params }));
        const body = res.body as { Resources: Array<{ userName: string }>; nextCursor?: string; startIndex?: number };
        expect(body.startIndex).toBeUndefined();
        seen.push(...body.Resources.map((r) => r.userName));
        if (!body.nextCursor) break;
        cursor = body.nextCursor;
      }
      expect(seen).toEqual(['e', 'd', 'c', 'b', 'a']);
    }
  });

  it('refuses cursor with startIndex, count 0, a foreign cursor and a cursor on the root search', async () => {
    const { svc, User } = await setup();
    expect(await refusal(svc.list(User, req({ cursor: '', startIndex: '1' })))).toMatchObject({ status: 400, scimType: 'invalidValue' });
    expect(await refusal(svc.list(User, req({ cursor: '', count: '0' })))).toMatchObject({ status: 400, scimType: 'invalidCount' });
    const first = await svc.list(User, req({ cursor: '', count: '1' }));
    const next = (first.body as { nextCursor: string }).nextCursor;
    expect(await refusal(svc.list(User, req({ cursor: next, count: '1', filter: 'userName pr' })))).toMatchObject({ scimType: 'invalidCursor' });
    expect(await refusal(svc.search(undefined, req({}, { cursor: '' })))).toMatchObject({ status: 400, scimType: 'invalidCursor' });
  });
});
