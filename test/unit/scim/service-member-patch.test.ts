// A PATCH that changes group members answers 204 and never asks the store for the member list,
// unless the request names `attributes`; a PATCH of other attributes keeps its 200.

import { describe, expect, it } from 'vitest';
import { ScimService, type ScimRequest } from '../../../templates/scim/service.js';
import type { ReadOptions, ResourceStore, StoredResource, UpdateRequest } from '../../../templates/scim/store.js';
import { testRegistry } from './fixtures.js';

const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const silent = { info() {}, warn() {}, error() {} };

/** One stored group of two members; records what each read and write asked for. */
function groupStore() {
  let stored: StoredResource = {
    id: 'g1',
    attributes: { schemas: [GROUP], displayName: 'Engineering' },
    version: 1,
    created: '2026-01-01T00:00:00.000Z',
    lastModified: '2026-01-01T00:00:00.000Z',
  };
  const members = ['u1', 'u2'];
  const reads: ReadOptions[] = [];
  const updates: UpdateRequest[] = [];
  const withMembers = (options: ReadOptions) =>
    options.withMembers ? { ...stored, members: members.map((value) => ({ value, type: 'User' })) } : stored;
  const store: Partial<ResourceStore> = {
    get: async (_tenant, _type, _id, options) => {
      reads.push(options);
      return withMembers(options);
    },
    update: async (_tenant, _type, _id, request) => {
      updates.push(request);
      members.push(...(request.members?.add ?? []));
      stored = { ...stored, attributes: request.attributes ?? stored.attributes, version: stored.version + 1 };
      return withMembers(request);
    },
  };
  return { store: store as ResourceStore, reads, updates };
}

function patch(operations: unknown[], query: Record<string, unknown> = {}) {
  const { store, reads, updates } = groupStore();
  const registry = testRegistry();
  const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
  const svc = new ScimService({ registry, store, authenticator: { scheme } });
  const req: ScimRequest = {
    tenant: 1,
    baseUrl: 'https://scim.example.com/scim/v2',
    query,
    body: { schemas: [PATCH_OP], Operations: operations },
    requestId: 'r1',
    log: silent,
  };
  const asked = () => [...reads, ...updates].some((o) => o.withMembers);
  return { response: svc.patch(registry.byName('Group')!, 'g1', req), asked, updates };
}

const addU3 = { op: 'add', path: 'members', value: [{ value: 'u3' }] };

describe('ScimService: a membership PATCH', () => {
  it('answers 204 with the new ETag and never reads the member list', async () => {
    const { response, asked, updates } = patch([addU3]);
    const res = await response;
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(res.headers?.ETag).toBe('W/"2"');
    expect(updates[0]?.members?.add).toEqual(['u3']);
    expect(asked()).toBe(false);
  });

  it("answers 204 to Okta's rename sent with a member add", async () => {
    const rename = { op: 'replace', value: { id: 'g1', displayName: 'Platform' } };
    const { response, asked } = patch([rename, addU3]);
    expect((await response).status).toBe(204);
    expect(asked()).toBe(false);
  });

  it('returns the group with every member when ?attributes=members asks for it', async () => {
    const { response, asked } = patch([addU3], { attributes: 'members' });
    const res = await response;
    expect(res.status).toBe(200);
    expect((res.body as { members: { value: string }[] }).members.map((m) => m.value)).toEqual(['u1', 'u2', 'u3']);
    expect(asked()).toBe(true);
  });

  it('returns the group without reading members when ?attributes names others', async () => {
    const { response, asked } = patch([addU3], { attributes: 'displayName' });
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Engineering' });
    expect(res.body).not.toHaveProperty('members');
    expect(asked()).toBe(false);
  });

  it('keeps 200 with the group for a PATCH of attributes only', async () => {
    const { response } = patch([{ op: 'replace', path: 'displayName', value: 'Platform' }]);
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Platform', members: [{ value: 'u1' }, { value: 'u2' }] });
  });
});
