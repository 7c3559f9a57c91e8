// Lifecycle hooks, driven through ScimService over a real SQLite store: what each hook receives,
// when it runs, and that a ScimError thrown from one aborts the request.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteMigrations } from '../../../templates/database-sqlite/generator/migrations.js';
import { ScimError } from '../../../templates/scim/errors.js';
import type { HookMap } from '../../../templates/scim/hooks.js';
import { ScimService, type ScimRequest } from '../../../templates/scim/service.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ResourceStore } from '../../../templates/scim/store.js';
import { openSqliteStore } from '../../../templates/database-sqlite/store.js';
import { testRegistry } from './fixtures.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const registry = testRegistry();
const User = registry.byName('User')!;
const Group = registry.byName('Group')!;

type Call = [hook: string, ...args: unknown[]];
let dir: string;
let store: ResourceStore;
let calls: Call[];

/** Hooks that record every call; `beforeCreate` upper-cases the title it is given. */
const hooks: HookMap = {
  User: {
    beforeCreate: (user: any, ctx) => {
      calls.push(['User.beforeCreate', user.userName, ctx.writeOnly]);
      if (user.userName === 'refused') throw new ScimError(400, 'refused by policy', 'invalidValue');
      return user.title ? { ...user, title: String(user.title).toUpperCase() } : undefined;
    },
    afterCreate: (user: any) => void calls.push(['User.afterCreate', user.id, user.title]),
    afterUpdate: (user: any, previous: any) => void calls.push(['User.afterUpdate', previous.active, user.active]),
    afterDeactivate: (user: any) => void calls.push(['User.afterDeactivate', user.id]),
    afterDelete: (id) => void calls.push(['User.afterDelete', id]),
  },
  Group: {
    onMembershipChange: (groupId, change) => void calls.push(['Group.onMembershipChange', groupId, change]),
  },
};

const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
const req = (body?: unknown): ScimRequest => ({
  tenant: 1,
  baseUrl: 'https://scim.example.com/scim/v2',
  query: {},
  body,
  requestId: 'r1',
  log: { info() {}, warn() {}, error() {} },
});

let svc: ScimService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scim-hooks-'));
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations);
  for (const m of sqliteMigrations(storagePlan(registry))) writeFileSync(join(migrations, m.name), m.sql);
  store = await openSqliteStore({ file: join(dir, 'hooks.sqlite'), registry, migrationsDir: migrations });
  svc = new ScimService({ registry, store, authenticator: { scheme }, hooks });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const createUser = async (userName: string, rest: object = {}) =>
  (await svc.create(User, req({ schemas: [USER], userName, active: true, ...rest }))).body as { id: string; title?: string };

describe('ScimService hooks', () => {
  it('beforeCreate sees the password only in ctx.writeOnly and may change what is stored', async () => {
    calls = [];
    const user = await createUser('hook.ada', { title: 'engineer', password: 's3cret!' });
    expect(calls).toEqual([
      ['User.beforeCreate', 'hook.ada', { password: 's3cret!' }],
      ['User.afterCreate', user.id, 'ENGINEER'],
    ]);
    expect(user.title).toBe('ENGINEER');
    expect((await svc.get(User, user.id, req())).body).toMatchObject({ title: 'ENGINEER' });
  });

  it('a ScimError from beforeCreate aborts the request and stores nothing', async () => {
    calls = [];
    await expect(createUser('refused')).rejects.toMatchObject({ status: 400, scimType: 'invalidValue' });
    const found = await svc.list(User, { ...req(), query: { filter: 'userName eq "refused"' } });
    expect((found.body as { totalResults: number }).totalResults).toBe(0);
    expect(calls.map((c) => c[0])).toEqual(['User.beforeCreate']);
  });

  it('afterUpdate gets the previous version; afterDeactivate runs only when active goes true -> false', async () => {
    const user = await createUser('hook.bob');
    calls = [];
    const deactivate = { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] };
    await svc.patch(User, user.id, req(deactivate));
    await svc.patch(User, user.id, req(deactivate)); // already inactive: nothing changes, no hooks
    expect(calls).toEqual([
      ['User.afterUpdate', true, false],
      ['User.afterDeactivate', user.id],
    ]);
  });

  it('onMembershipChange gets the delta of each request; afterDelete the id', async () => {
    const ada = await createUser('hook.cy');
    const bob = await createUser('hook.dee');
    calls = [];
    const group = (await svc.create(Group, req({ schemas: [GROUP], displayName: 'Hooked', members: [{ value: ada.id }] })))
      .body as { id: string };
    const swap = {
      schemas: [PATCH],
      Operations: [
        { op: 'add', path: 'members', value: [{ value: bob.id }] },
        { op: 'remove', path: `members[value eq "${ada.id}"]` },
      ],
    };
    await svc.patch(Group, group.id, req(swap));
    await svc.delete(User, bob.id, req());
    expect(calls).toEqual([
      ['Group.onMembershipChange', group.id, { added: [ada.id], removed: [], removedAll: false }],
      ['Group.onMembershipChange', group.id, { added: [bob.id], removed: [ada.id], removedAll: false }],
      ['User.afterDelete', bob.id],
    ]);
  });

  it('a hook that throws after the commit never breaks the response: logged at error by name, the change and its event kept', async () => {
    const errors: Array<[object, string | undefined]> = [];
    const log = { info() {}, warn() {}, error: (obj: object, msg?: string) => void errors.push([obj, msg]) };
    const throwing: HookMap = {
      User: {
        afterCreate: () => {
          throw new Error('cannot reach hook.personal@example.com');
        },
        afterDeactivate: async () => {
          throw new TypeError('revoking sessions of hook.personal@example.com failed');
        },
        afterDelete: () => {
          throw new ScimError(500, 'boom');
        },
      },
    };
    const service = new ScimService({ registry, store, authenticator: { scheme }, hooks: throwing });
    const request = (body?: unknown): ScimRequest => ({ ...req(body), log, requestId: 'r-throw', credentialId: 'cred_hooks' });
    const created = await service.create(User, request({ schemas: [USER], userName: 'hook.personal@example.com', active: true }));
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const patched = await service.patch(User, id, request({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] }));
    expect(patched.status).toBe(200);
    expect((await service.delete(User, id, request())).status).toBe(204);

    expect(errors.map(([obj]) => obj)).toEqual([
      { hook: 'afterCreate', resourceType: 'User', requestId: 'r-throw', error: 'Error' },
      { hook: 'afterDeactivate', resourceType: 'User', requestId: 'r-throw', error: 'TypeError' },
      { hook: 'afterDelete', resourceType: 'User', requestId: 'r-throw', error: 'ScimError' },
    ]);
    expect(JSON.stringify(errors)).not.toContain('personal');
    const events = (await store.events.list({ resourceId: id, limit: 10 })).reverse();
    expect(events.map((e) => e.kind)).toEqual(['create', 'deactivate', 'delete']);
    expect(events[0]!.actor).toEqual({ credentialId: 'cred_hooks', via: 'scim' });
    expect(events.every((e) => e.requestId === 'r-throw')).toBe(true);
  });
});
