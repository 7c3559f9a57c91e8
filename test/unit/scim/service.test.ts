// ScimService against a store that loses a race on purpose: a concurrent write (such as a group
// membership change, which bumps a user's version) lands between the service's read and write.

import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import { ScimService, type ScimRequest } from '../../../templates/scim/service.js';
import type { ResourceStore, StoredResource, UpdateRequest } from '../../../templates/scim/store.js';
import { testRegistry } from './fixtures.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const silent = { info() {}, warn() {}, error() {} };

/** One stored user; `update` answers 412 the first `conflicts` times, as if another write won. */
function racingStore(conflicts: number) {
  let stored: StoredResource = {
    id: 'u1',
    attributes: { schemas: [USER], userName: 'ada', active: true },
    version: 1,
    created: '2026-01-01T00:00:00.000Z',
    lastModified: '2026-01-01T00:00:00.000Z',
  };
  const updates: UpdateRequest[] = [];
  const store: Partial<ResourceStore> = {
    get: async () => stored,
    update: async (_tenant, _type, _id, request) => {
      updates.push(request);
      if (updates.length <= conflicts) {
        stored = { ...stored, version: stored.version + 1 }; // the concurrent writer's bump
        throw new ScimError(412, 'version changed');
      }
      stored = { ...stored, attributes: request.attributes ?? stored.attributes, version: stored.version + 1 };
      return stored;
    },
  };
  return { store: store as ResourceStore, updates };
}

function service(store: ResourceStore, writeRetryTimeoutMs?: number) {
  const registry = testRegistry();
  const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
  return { registry, svc: new ScimService({ registry, store, authenticator: { scheme }, writeRetryTimeoutMs }) };
}

const request = (body: unknown, ifMatch?: string): ScimRequest => ({
  tenant: 1,
  baseUrl: 'https://scim.example.com/scim/v2',
  query: {},
  body,
  ifMatch,
  requestId: 'r1',
  log: silent,
});

const put = { schemas: [USER], userName: 'ada', title: 'Engineer' };
const patch = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [{ op: 'replace', path: 'title', value: 'Engineer' }],
};

describe('ScimService writes that lose a race', () => {
  it.each([
    ['PUT', (svc: ScimService, m: any, req: ScimRequest) => svc.replace(m, 'u1', req), put],
    ['PATCH', (svc: ScimService, m: any, req: ScimRequest) => svc.patch(m, 'u1', req), patch],
  ])('%s re-reads and re-applies when the client sent no If-Match', async (_name, write, body) => {
    const { store, updates } = racingStore(2);
    const { registry, svc } = service(store);
    const res = await write(svc, registry.byName('User')!, request(body));
    expect(res.status).toBe(200);
    expect(updates).toHaveLength(3);
    expect(updates.map((u) => u.ifVersion)).toEqual([1, 2, 3]);
    expect((res.body as { title: string }).title).toBe('Engineer');
  });

  it.each([
    ['PUT', (svc: ScimService, m: any, req: ScimRequest) => svc.replace(m, 'u1', req), put],
    ['PATCH', (svc: ScimService, m: any, req: ScimRequest) => svc.patch(m, 'u1', req), patch],
  ])('%s answers 412 when the client pinned the version with If-Match', async (_name, write, body) => {
    const { store, updates } = racingStore(1);
    const { registry, svc } = service(store);
    await expect(write(svc, registry.byName('User')!, request(body, 'W/"1"'))).rejects.toMatchObject({ status: 412 });
    expect(updates).toHaveLength(1);
  });

  it.each([
    ['PUT', (svc: ScimService, m: any, req: ScimRequest) => svc.replace(m, 'u1', req), put],
    ['PATCH', (svc: ScimService, m: any, req: ScimRequest) => svc.patch(m, 'u1', req), patch],
  ])('%s without If-Match never answers 412, however many races it loses', async (_name, write, body) => {
    const { store, updates } = racingStore(12);
    const { registry, svc } = service(store);
    const res = await write(svc, registry.byName('User')!, request(body));
    expect(res.status).toBe(200);
    expect(updates).toHaveLength(13);
  });

  it('answers 503 (retry), not 412, when the resource keeps changing past the time budget', async () => {
    const { store, updates } = racingStore(10_000);
    const { registry, svc } = service(store, 50);
    await expect(svc.replace(registry.byName('User')!, 'u1', request(put))).rejects.toMatchObject({ status: 503 });
    expect(updates.length).toBeGreaterThan(1);
  });
});

describe('ScimService: "unknownAttributes": "ignore"', () => {
  it('stores what the schemas declare and logs the names (never the values) of what it dropped', async () => {
    const { store, updates } = racingStore(0);
    const registry = testRegistry();
    const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
    const svc = new ScimService({ registry, store, authenticator: { scheme }, unknownAttributes: 'ignore' });
    const warnings: Array<{ obj: object; msg?: string }> = [];
    const log = { ...silent, warn: (obj: object, msg?: string) => void warnings.push({ obj, msg }) };
    const body = { schemas: [USER], userName: 'ada', title: 'Engineer', shoeSize: 'forty-four' };
    const res = await svc.replace(registry.byName('User')!, 'u1', { ...request(body), log });
    expect(res.status).toBe(200);
    expect(updates[0]!.attributes).not.toHaveProperty('shoeSize');
    expect(warnings).toEqual([{ obj: { resourceType: 'User', attributes: ['shoeSize'] }, msg: 'dropped attributes no schema declares' }]);
    expect(JSON.stringify(warnings)).not.toContain('forty-four');
  });

  it('is off by default: the same request is refused with 400 invalidSyntax', async () => {
    const { store } = racingStore(0);
    const { registry, svc } = service(store);
    const body = { schemas: [USER], userName: 'ada', shoeSize: 'forty-four' };
    await expect(svc.replace(registry.byName('User')!, 'u1', request(body))).rejects.toMatchObject({ status: 400, scimType: 'invalidSyntax' });
  });
});
