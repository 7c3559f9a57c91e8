// The ResourceStore contract (templates/scim/store.ts) as tests every database adapter passes
// on a real database: CRUD and versions, database-enforced uniqueness, every filter rule,
// paging and sorting, membership deltas, groups read with their members and the key-value state.
//
// Tenancy: every case runs twice on one database, first in tenant 1 and then in a second tenant,
// whose userNames and displayNames are the very same as the first's. Each case expects an empty
// tenant when it starts, so any row, count, page, cursor or membership crossing over fails it;
// then every id of each tenant is tried from the other (reads, filters, writes, deletes, member
// adds), which must answer exactly as for an id that names nothing. The TenantDirectory cases
// are at the end.

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { EventDraft, EventKind, ProvisioningEvent } from '../../../templates/scim/events.js';
import { parseAttrPath, parseFilter } from '../../../templates/scim/filter/parse.js';
import type { ResourceTypeModel } from '../../../templates/scim/registry.js';
import type {
  DeleteOptions,
  ListQuery,
  ListResult,
  ReadOptions,
  ResourceStore,
  ScimObject,
  StoredResource,
  UpdateRequest,
} from '../../../templates/scim/store.js';
import { DEFAULT_TENANT, type TenantKey } from '../../../templates/scim/tenancy.js';
import { ENTERPRISE_URN, storeTestRegistry, TEST_URN } from './test-schema.js';

/**
 * How the contract reaches a database adapter. A bare `() => Promise<ResourceStore>` (a new,
 * empty store per call) is enough; a harness also lets the cases that need a second store on
 * one database, a look past the store, or a count of its queries run.
 */
export interface StoreHarness {
  /** A new, empty database. */
  database(): Promise<HarnessDatabase>;
  /**
   * The database folds attributes without a key column itself, with case tables older than
   * JavaScript's (MySQL/MariaDB: store-mysql/dialect.ts lists where they differ), so the
   * case that shows those differences is skipped.
   */
  foldsWithOlderCaseTables?: boolean;
  /** Counts the queries stores run from now on (transaction control excluded). */
  countQueries?(): { readonly count: number };
}

export interface HarnessDatabase {
  /** Opens a store on it; every call opens another one, with connections of its own. */
  open(): Promise<ResourceStore>;
  /** Whether open() may be called more than once (false: in-memory stores). */
  reopens: boolean;
  /** How many rows of `table` have `column` in `values`, read past the store. */
  countRows?(table: string, column: string, values: readonly string[]): Promise<number>;
  /** Removes the database, after its stores are closed. */
  drop?(): Promise<void>;
}

export type StoreOpener = () => Promise<ResourceStore>;

const harnessOf = (opener: StoreOpener | StoreHarness): StoreHarness =>
  typeof opener === 'function' ? { database: async () => ({ open: opener, reopens: false }) } : opener;

export const registry = storeTestRegistry();
export const User = registry.byName('User')!;
export const Group = registry.byName('Group')!;
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export const user = (userName: string, rest: ScimObject = {}): ScimObject => ({ schemas: [USER], userName, ...rest });
export const group = (displayName: string): ScimObject => ({ schemas: [GROUP], displayName });
export const query = (rest: Partial<ListQuery> = {}): ListQuery => ({
  sortOrder: 'ascending',
  startIndex: 1,
  count: 100,
  withMembers: false,
  withGroups: false,
  ...rest,
});

export async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * A store seen from one tenant: ResourceStore's methods without their first argument, as the
 * engine calls them for one request. The cases are written against it, so each runs in any tenant.
 */
export interface TenantStore extends Pick<ResourceStore, 'state' | 'tenants' | 'events' | 'purgeDeleted' | 'ping' | 'close'> {
  readonly tenant: TenantKey;
  create(type: ResourceTypeModel, attributes: ScimObject, members: string[], event?: EventDraft): Promise<StoredResource>;
  get(type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined>;
  list(type: ResourceTypeModel, query: ListQuery): Promise<ListResult>;
  update(type: ResourceTypeModel, id: string, request: UpdateRequest, event?: EventDraft): Promise<StoredResource>;
  delete(type: ResourceTypeModel, id: string, options: DeleteOptions, event?: EventDraft): Promise<void>;
}

/** The resources each tenant created, by type: what the other tenant must never reach. */
type Created = Map<TenantKey, Array<{ type: ResourceTypeModel; id: string }>>;

export function inTenant(store: ResourceStore, tenant: TenantKey, created?: Created): TenantStore {
  const record = (type: ResourceTypeModel, resource: StoredResource) => {
    if (!created) return;
    const list = created.get(tenant) ?? [];
    list.push({ type, id: resource.id });
    created.set(tenant, list);
  };
  return {
    tenant,
    state: store.state,
    tenants: store.tenants,
    events: store.events,
    purgeDeleted: (before) => store.purgeDeleted(before),
    ping: () => store.ping(),
    close: () => store.close(),
    create: async (type, attributes, members, event) => {
      const resource = await store.create(tenant, type, attributes, members, event);
      record(type, resource);
      return resource;
    },
    get: (type, id, options) => store.get(tenant, type, id, options),
    list: (type, q) => store.list(tenant, type, q),
    update: (type, id, request, event) => store.update(tenant, type, id, request, event),
    delete: (type, id, options, event) => store.delete(tenant, type, id, options, event),
  };
}

const userNames = async (store: TenantStore, rest: Partial<ListQuery>) =>
  (await store.list(User, query(rest))).resources.map((r) => r.attributes.userName);

/** A keyset walk from the first page to the last, the position passed on as JSON (as a cursor carries it). */
async function walk(store: TenantStore, rest: Partial<ListQuery>, count: number): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  let after: ListQuery['keyset'] = { after: null };
  while (after) {
    const page = await store.list(User, query({ ...rest, count, keyset: after }));
    pages.push(page.resources.map((r) => r.attributes.userName));
    after = page.next ? { after: JSON.parse(JSON.stringify(page.next)) } : undefined;
    if (pages.length > 100) throw new Error('the walk does not end');
  }
  return pages;
}

interface Env {
  db: { open(): Promise<TenantStore>; reopens: boolean; countRows?: HarnessDatabase['countRows'] };
  store: TenantStore;
  /** Another store on the same database where the adapter can, else the same store. */
  another(): Promise<TenantStore>;
  /** The store, in another tenant. */
  inTenant(tenant: TenantKey): TenantStore;
}

/** A database, one store on it and the second tenant, for a describe block; closed and dropped after it. */
function sharedDatabase(harness: StoreHarness) {
  const opened: ResourceStore[] = [];
  const shared = {} as { db: HarnessDatabase; store: ResourceStore; second: TenantKey; created: Created };
  beforeAll(async () => {
    shared.db = await harness.database();
    shared.store = await shared.db.open();
    opened.push(shared.store);
    shared.created = new Map();
    const second = await shared.store.tenants.createTenant({ slug: 'second', name: 'Second', idp: 'okta' });
    shared.second = second.key;
  });
  afterAll(async () => {
    for (const store of opened) await store.close().catch(() => undefined);
    await shared.db?.drop?.();
  });
  const envIn = (which: 'first' | 'second'): Env => {
    const tenant = () => (which === 'first' ? DEFAULT_TENANT : shared.second);
    const open = async () => {
      const store = await shared.db.open();
      opened.push(store);
      return inTenant(store, tenant(), shared.created);
    };
    return {
      get db() {
        return { open, reopens: shared.db.reopens, countRows: shared.db.countRows?.bind(shared.db) };
      },
      get store() {
        return inTenant(shared.store, tenant(), shared.created);
      },
      another: async () => (shared.db.reopens ? open() : inTenant(shared.store, tenant(), shared.created)),
      inTenant: (key) => inTenant(shared.store, key),
    };
  };
  return { shared, envIn };
}

/**
 * A describe block run in tenant 1 and then, on the same database, in a second tenant; then each
 * tenant's resources are tried from the other.
 */
function inBothTenants(title: string, harness: StoreHarness, body: (env: Env) => void): void {
  describe(title, () => {
    const { shared, envIn } = sharedDatabase(harness);
    describe('in tenant 1', () => body(envIn('first')));
    describe('in a second tenant, with the same names', () => body(envIn('second')));
    it("reaches none of the other tenant's resources", async () => {
      const noMore = { withMembers: true, withGroups: true };
      const tenants: Array<[TenantKey, TenantKey]> = [
        [DEFAULT_TENANT, shared.second],
        [shared.second, DEFAULT_TENANT],
      ];
      for (const [owner, other] of tenants) {
        const store = inTenant(shared.store, other);
        const mine = inTenant(shared.store, owner);
        const live: Array<{ type: ResourceTypeModel; id: string }> = [];
        for (const entry of shared.created.get(owner) ?? []) {
          if (await mine.get(entry.type, entry.id, noMore)) live.push(entry);
        }
        for (const { type, id } of live.slice(0, 25)) {
          const before = await mine.get(type, id, noMore);
          expect(await store.get(type, id, noMore), `${type.def.name} ${id}`).toBeUndefined();
          const byId = await store.list(type, query({ filter: parseFilter(`id eq "${id}"`) }));
          expect(byId.totalResults).toBe(0);
          expect(await rejection(store.update(type, id, { attributes: before!.attributes, withMembers: false, withGroups: false })))
            .toMatchObject({ status: 404 });
          expect(await rejection(store.update(type, id, { withMembers: false, withGroups: false }))).toMatchObject({ status: 404 });
          expect(await rejection(store.delete(type, id, {}))).toMatchObject({ status: 404 });
          if (type === User || type === Group) {
            expect(await rejection(store.create(Group, group(`steal-${id}`), [id]))).toMatchObject({
              status: 400,
              scimType: 'invalidValue',
            });
            const members = await store.list(Group, query({ filter: parseFilter(`members.value eq "${id}"`) }));
            expect(members.totalResults).toBe(0);
          }
          // Untouched, in its own tenant.
          expect(await mine.get(type, id, noMore)).toEqual(before);
        }
      }
    });
  });
}

export function describeStoreContract(name: string, opener: StoreOpener | StoreHarness): void {
  const harness = harnessOf(opener);

  inBothTenants(`${name} CRUD`, harness, (env) => {

    it('creates with a UUID, version 1 and created = lastModified, and reads it back', async () => {
      const created = await env.store.create(User, user('alice', { displayName: 'Alice' }), []);
      expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(created.version).toBe(1);
      expect(created.created).toBe(created.lastModified);
      expect(new Date(created.created).toISOString()).toBe(created.created);
      expect(created.attributes).toEqual(user('alice', { displayName: 'Alice' }));
      expect(await env.store.get(User, created.id, { withMembers: false, withGroups: false })).toEqual(created);
    });

    it('updates: version + 1, new lastModified, created kept', async () => {
      const { store } = env;
      const created = await store.create(User, user('bob'), []);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const updated = await store.update(User, created.id, { attributes: user('Bob', { title: 'x' }), withMembers: false, withGroups: false });
      expect(updated).toMatchObject({ id: created.id, version: 2, created: created.created });
      expect(updated.lastModified > created.lastModified).toBe(true);
      expect(updated.attributes).toEqual(user('Bob', { title: 'x' }));
      const again = await store.update(User, created.id, { withMembers: false, withGroups: false });
      expect(again.version).toBe(3);
      expect(again.attributes).toEqual(updated.attributes);
    });

    it('deletes, then 404s on get, update and delete', async () => {
      const { store } = env;
      const { id } = await store.create(User, user('carol'), []);
      await store.delete(User, id, {});
      expect(await store.get(User, id, { withMembers: false, withGroups: false })).toBeUndefined();
      // Both caught at once: the second may reject while the first is awaited.
      const works = [store.update(User, id, { withMembers: false, withGroups: false }), store.delete(User, id, {})].map(rejection);
      for (const work of works) expect(await work).toMatchObject({ status: 404 });
    });

    it('checks ifVersion: 412 on mismatch for update and delete, success on match', async () => {
      const { store } = env;
      const { id } = await store.create(User, user('dave'), []);
      const stale = store.update(User, id, { attributes: user('dave2'), ifVersion: 7, withMembers: false, withGroups: false });
      expect(await rejection(stale)).toMatchObject({ status: 412 });
      expect(await rejection(store.delete(User, id, { ifVersion: 2 }))).toMatchObject({ status: 412 });
      expect((await store.get(User, id, { withMembers: false, withGroups: false }))?.attributes.userName).toBe('dave');
      await store.update(User, id, { attributes: user('dave2'), ifVersion: 1, withMembers: false, withGroups: false });
      await store.delete(User, id, { ifVersion: 2 });
      expect(await store.get(User, id, { withMembers: false, withGroups: false })).toBeUndefined();
    });

    it('enforces case-insensitive userName uniqueness in the database, preserving case', async () => {
      const { store } = env;
      const first = await store.create(User, user('Erin.Example'), []);
      const clash = await rejection(store.create(User, user('erin.EXAMPLE'), []));
      expect(clash).toMatchObject({ status: 409, scimType: 'uniqueness', message: expect.stringMatching(/userName/) });
      const other = await store.create(User, user('frank'), []);
      const renamed = store.update(User, other.id, { attributes: user('ERIN.example'), withMembers: false, withGroups: false });
      expect(await rejection(renamed)).toMatchObject({ status: 409, scimType: 'uniqueness' });
      // A user may change the case of its own userName; the stored case is what was sent.
      await store.update(User, first.id, { attributes: user('ERIN.Example'), withMembers: false, withGroups: false });
      expect((await store.get(User, first.id, { withMembers: false, withGroups: false }))?.attributes.userName).toBe('ERIN.Example');
      expect(await userNames(store, { filter: parseFilter('userName eq "erin.example"') })).toEqual(['ERIN.Example']);
    });

    it('lets exactly one of concurrent creates of one userName win', async () => {
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => env.store.create(User, user(i % 2 ? 'Racer' : 'racer'), [])),
      );
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      for (const lost of attempts.filter((a) => a.status === 'rejected')) {
        expect(lost.reason).toMatchObject({ status: 409, scimType: 'uniqueness' });
      }
    });

    it.skipIf(harness.foldsWithOlderCaseTables)('folds case as the server does, for attributes without a key column too', async () => {
      const { store } = env;
      // JavaScript lowercases a final capital sigma to ς and İ to i + U+0307; so must the database.
      await store.create(User, user('unicode', { title: 'ΣΊΣΥΦΟΣ', name: { givenName: 'İlker' } }), []);
      for (const filter of ['title eq "σίσυφος"', 'title eq "ΣΊΣΥΦΟΣ"', 'title ew "ΦΟΣ"', 'name.givenName eq "i̇lker"']) {
        expect(await userNames(store, { filter: parseFilter(filter) }), filter).toEqual(['unicode']);
      }
    });

    it('answers ping and keeps data across close and reopen', async () => {
      await env.store.ping();
      if (!env.db.reopens) return;
      const first = await env.db.open();
      const { id } = await first.create(User, user('persisted'), []);
      await first.close();
      const second = await env.another();
      expect((await second.get(User, id, { withMembers: false, withGroups: false }))?.attributes.userName).toBe('persisted');
    });
  });

  inBothTenants(`${name} filters against real rows`, harness, (env) => {
    beforeAll(async () => {
      const { store } = env;
      await store.create(User, user('BJensen', {
        schemas: [USER, ENTERPRISE_URN, TEST_URN],
        externalId: 'ext-1',
        displayName: 'Barbara Jensen',
        name: { givenName: 'Barbara', familyName: 'Jensen' },
        title: 'Boss',
        active: true,
        emails: [
          { value: 'bjensen@example.com', type: 'work', primary: true },
          { value: 'babs@home.org', type: 'home' },
        ],
        [ENTERPRISE_URN]: { employeeNumber: '701', department: 'Tour Operations' },
        [TEST_URN]: { level: 3, score: 4.5, hiredAt: '2020-01-15T10:00:00+01:00', code: 'AbC', tags: ['red', 'Blue'] },
      }), []);
      await store.create(User, user('jsmith', {
        schemas: [USER, ENTERPRISE_URN, TEST_URN],
        externalId: 'EXT-2',
        displayName: 'John Smith',
        active: false,
        emails: [{ value: 'JSmith@Example.com', type: 'work' }],
        [ENTERPRISE_URN]: { employeeNumber: '702' },
        [TEST_URN]: { level: 7, score: 1.25, hiredAt: '2022-06-01T00:00:00Z', code: 'abc', tags: ['green'] },
      }), []);
      await store.create(User, user('50%_off', {
        schemas: [USER, TEST_URN],
        title: '',
        emails: [],
        [TEST_URN]: { level: 0 },
      }), []);
    });

    const B = 'BJensen';
    const J = 'jsmith';
    const P = '50%_off';
    const cases: Array<[filter: string, want: string[]]> = [
      ['userName eq "bjensen"', [B]],
      ['USERNAME eq "BJENSEN"', [B]],
      ['userName ne "bjensen"', [J, P]],
      ['userName co "SMI"', [J]],
      ['userName sw "b"', [B]],
      ['userName ew "OFF"', [P]],
      ['userName co "%"', [P]],
      ['userName co "_"', [P]],
      ['userName sw "%"', []],
      ['userName ew ""', [B, J, P]],
      ['userName co "bjensenx"', []],
      ['userName ew "xbjensen"', []],
      ['userName gt "c"', [J]],
      ['userName ge "jsmith"', [J]],
      ['userName lt "bjensen"', [P]],
      ['userName le "bjensen"', [B, P]],
      ['externalId eq "ext-2"', []],
      ['externalId eq "EXT-2"', [J]],
      ['externalId sw "ext"', [B]],
      ['code eq "abc"', [J]],
      ['code eq "ABC"', []],
      ['title eq "boss"', [B]],
      ['displayName co "JENS"', [B]],
      ['name.givenName eq "barbara"', [B]],
      ['name pr', [B]],
      ['title pr', [B]],
      ['not (title pr)', [J, P]],
      ['title eq null', [J, P]],
      ['title ne null', [B]],
      ['title ne "boss"', [P]], // "" is a value that differs; absence would not match
      ['not (title eq "boss")', [J, P]],
      ['emails pr', [B, J]],
      ['emails[type eq "work" and value co "@example.com"]', [B, J]],
      ['emails[type eq "home" and value co "@example.com"]', []],
      ['emails[type eq "work"] and emails[value ew ".org"]', [B]],
      ['emails.value eq "BABS@home.org"', [B]],
      ['emails eq "jsmith@example.COM"', [J]],
      ['emails[type eq "work" and value eq "JSMITH@example.com"]', [J]],
      ['emails[type eq "home" and value eq "JSMITH@example.com"]', []],
      ['emails[type eq "work"].value eq "bjensen@EXAMPLE.com"', [B]],
      ['emails.value eq "bjensen@example.com" and active eq false', []],
      ['emails.value eq "nobody@example.com" or userName eq "jsmith"', [J]],
      ['emails co "EXAMPLE"', [B, J]],
      ['emails.type eq "home"', [B]],
      ['emails[primary eq true]', [B]],
      [`${ENTERPRISE_URN}:employeeNumber eq "702"`, [J]],
      ['employeeNumber sw "70"', [B, J]],
      [`${ENTERPRISE_URN}:department co "tour"`, [B]],
      ['active eq true', [B]],
      ['active eq false', [J]],
      ['active ne true', [J]],
      ['level gt 2', [B, J]],
      ['level eq 0', [P]],
      ['score le 1.25', [J]],
      ['score lt 4.5 or level eq 0', [J, P]],
      ['hiredAt gt "2020-01-15T08:59:59Z"', [B, J]],
      ['hiredAt eq "2020-01-15T09:00:00Z"', [B]],
      ['hiredAt lt "2020-01-15T09:00:01Z"', [B]],
      ['tags eq "blue"', [B]],
      ['tags pr', [B, J]],
      ['meta.resourceType eq "User"', [B, J, P]],
      ['meta.created gt "2000-01-01T00:00:00Z"', [B, J, P]],
      ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
      ['meta.created pr', [B, J, P]],
      ['(userName eq "jsmith" or userName eq "bjensen") and not (active eq false)', [B]],
      ['userName eq "x\' OR \'1\'=\'1"', []],
    ];
    it.each(cases)('%s', async (filter, want) => {
      const got = await userNames(env.store, { filter: parseFilter(filter), sortBy: parseAttrPath('userName') });
      expect(got.sort()).toEqual([...want].sort());
    });

    it('filters by id', async () => {
      const all = await env.store.list(User, query());
      const target = all.resources[1]!;
      const found = await env.store.list(User, query({ filter: parseFilter(`id eq "${target.id}"`) }));
      expect(found.resources.map((r) => r.id)).toEqual([target.id]);
    });

    it('rejects an unknown attribute with 400 invalidFilter', async () => {
      const error = await rejection(env.store.list(User, query({ filter: parseFilter('nope eq "x"') })));
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });
  });

  inBothTenants(`${name} key lookups (userName eq, externalId eq): what identity providers send most`, harness, (env) => {
    const names = async (rest: Partial<ListQuery>) => {
      const result = await env.store.list(User, query(rest));
      return { total: result.totalResults, found: result.resources.map((r) => r.attributes.userName) };
    };
    beforeAll(async () => {
      for (const [userName, externalId] of [['k1', 'EXT-K'], ['k2', 'EXT-K'], ['k3', 'ext-k']] as const) {
        await env.store.create(User, user(userName, { externalId }), []);
      }
    });

    it('pages and counts them like any filter', async () => {
      const filter = parseFilter('externalId eq "EXT-K"');
      // Two pages of one: each user once (created in the same millisecond, their order is the ids').
      const [first, second] = [await names({ filter, count: 1 }), await names({ filter, count: 1, startIndex: 2 })];
      expect([first.total, second.total]).toEqual([2, 2]);
      expect([...first.found, ...second.found].sort()).toEqual(['k1', 'k2']);
      expect(await names({ filter, startIndex: 3 })).toEqual({ total: 2, found: [] });
      expect(await names({ filter, count: 0 })).toEqual({ total: 2, found: [] });
      expect(await names({ filter, sortBy: parseAttrPath('userName'), sortOrder: 'descending' })).toEqual({
        total: 2,
        found: ['k2', 'k1'],
      });
    });

    it("honours each attribute's caseExact", async () => {
      expect(await names({ filter: parseFilter('USERNAME eq "K3"') })).toEqual({ total: 1, found: ['k3'] });
      expect(await names({ filter: parseFilter('externalId eq "ext-k"') })).toEqual({ total: 1, found: ['k3'] });
      expect(await names({ filter: parseFilter('externalId eq "Ext-K"') })).toEqual({ total: 0, found: [] });
    });
  });

  inBothTenants(`${name} paging, sorting and totals`, harness, (env) => {
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo'];
    beforeAll(async () => {
      for (const [i, userName] of names.entries()) {
        const title = i % 2 === 0 ? { title: `t${i}` } : {};
        const emails = [{ value: `${5 - i}@x.org` }, { value: `${i}@p.org`, primary: i === 2 }];
        await env.store.create(User, user(userName, { ...title, emails, [TEST_URN]: { level: i } }), []);
        // Distinct creation times, so the created-then-id tie-breaker gives insertion order.
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    });

    it('sorts case-insensitively, pages with startIndex/count, and totals the whole match', async () => {
      const { store } = env;
      const sortBy = parseAttrPath('userName');
      const page1 = await store.list(User, query({ sortBy, count: 2 }));
      expect(page1.totalResults).toBe(5);
      expect(page1.resources.map((r) => r.attributes.userName)).toEqual(['Alpha', 'Bravo']);
      expect(await userNames(store, { sortBy, startIndex: 3, count: 2 })).toEqual(['charlie', 'delta']);
      expect(await userNames(store, { sortBy, startIndex: 5, count: 2 })).toEqual(['echo']);
      expect(await userNames(store, { sortBy, startIndex: 9, count: 2 })).toEqual([]);
      expect(await userNames(store, { sortBy, sortOrder: 'descending', count: 2 })).toEqual(['echo', 'delta']);
    });

    it('reads a full page and its total in one query, filtered or not', async () => {
      for (const filter of [undefined, parseFilter('level ge 1')]) {
        const queries = harness.countQueries?.();
        const page = await env.store.list(User, query({ ...(filter ? { filter } : {}), count: 2 }));
        if (queries) expect(queries.count).toBe(1);
        expect(page.resources).toHaveLength(2);
        expect(page.totalResults).toBe(filter ? 4 : 5);
        vi.restoreAllMocks();
      }
    });

    it('totals the filter, not the page', async () => {
      const filter = parseFilter('level ge 1');
      const result = await env.store.list(User, query({ filter, count: 1 }));
      expect(result).toMatchObject({ totalResults: 4 });
      expect(result.resources).toHaveLength(1);
    });

    it('count=0 returns only the total', async () => {
      expect(await env.store.list(User, query({ count: 0 }))).toEqual({ totalResults: 5, resources: [] });
    });

    it('sorts absent values last ascending and first descending (RFC 7644 §3.4.2.3), ties by creation', async () => {
      const sortBy = parseAttrPath('title');
      expect(await userNames(env.store, { sortBy })).toEqual(['delta', 'charlie', 'echo', 'Alpha', 'Bravo']);
      expect(await userNames(env.store, { sortBy, sortOrder: 'descending' })).toEqual(
        ['Alpha', 'Bravo', 'echo', 'charlie', 'delta'],
      );
    });

    it('sorts numbers numerically and multi-valued attributes by primary, else first, value', async () => {
      const { store } = env;
      expect(await userNames(store, { sortBy: parseAttrPath('level'), sortOrder: 'descending' })).toEqual(
        ['echo', 'Bravo', 'charlie', 'Alpha', 'delta'],
      );
      // emails: charlie's primary is "2@p.org"; the others sort by their first, "<5-i>@x.org".
      expect(await userNames(store, { sortBy: parseAttrPath('emails.value') })).toEqual(
        ['echo', 'charlie', 'Bravo', 'Alpha', 'delta'],
      );
      expect(await userNames(store, { sortBy: parseAttrPath('emails') })).toEqual(
        ['echo', 'charlie', 'Bravo', 'Alpha', 'delta'],
      );
    });

    it('pages through everything exactly once with the default order', async () => {
      const seen: unknown[] = [];
      for (let start = 1; start <= 5; start++) seen.push(...(await userNames(env.store, { startIndex: start, count: 1 })));
      expect(seen).toEqual(names);
    });
  });

  describe(`${name} totals stay exact under concurrent creates and deletes in two tenants`, () => {
    const { envIn } = sharedDatabase(harness);
    const totals = async (store: TenantStore) => ({
      unfiltered: (await store.list(User, query({ count: 0 }))).totalResults,
      page: (await store.list(User, query({ count: 100 }))).totalResults,
      pastTheEnd: (await store.list(User, query({ startIndex: 1000, count: 10 }))).totalResults,
      filtered: (await store.list(User, query({ filter: parseFilter('userName sw "keep"'), count: 1 }))).totalResults,
    });

    it('counts every committed create and delete, and nothing that failed, per tenant', async () => {
      const first = envIn('first');
      const second = envIn('second');
      // Two stores on the database where the adapter can: two server processes.
      const stores = [first.store, await first.another(), second.store, await second.another()];
      // 40 creates per tenant across its two stores, 6 of them clashing on userName (409, not counted).
      const creates = stores.flatMap((store, s) =>
        Array.from({ length: 20 }, (_, i) => store.create(User, user(i < 3 ? `clash-${i}` : `${i % 2 ? 'keep' : 'drop'}-${s % 2}-${i}`), [])),
      );
      const created = await Promise.allSettled(creates);
      expect(created.filter((c) => c.status === 'rejected')).toHaveLength(6);
      const ids = created.map((c, i) => ({ c, tenant: Math.floor(i / 40) }));
      // Every "drop" user deleted, each from the other store of its tenant, alongside more
      // creates; a second delete of each answers 404 and changes no count.
      const doomed = ids.flatMap(({ c, tenant }) =>
        c.status === 'fulfilled' && String(c.value.attributes.userName).startsWith('drop') ? [{ id: c.value.id, tenant }] : [],
      );
      const work = await Promise.allSettled([
        ...doomed.flatMap(({ id, tenant }, i) => {
          const store = stores[tenant * 2 + (i % 2)]!;
          return [store.delete(User, id, {}), store.delete(User, id, {})];
        }),
        ...stores.map((store, s) => store.create(User, user(`keep-late-${s}`), [])),
      ]);
      expect(work.filter((w) => w.status === 'rejected').every((w) => (w as PromiseRejectedResult).reason?.status === 404)).toBe(true);
      expect(work.filter((w) => w.status === 'rejected')).toHaveLength(doomed.length);
      // Per tenant: 3 clash winners + 34 unique creates - 16 deleted + 2 late = 23, 20 of them "keep-".
      for (const store of [first.store, second.store]) {
        expect(await totals(store)).toEqual({ unfiltered: 23, page: 23, pastTheEnd: 23, filtered: 20 });
      }
    });
  });

  inBothTenants(`${name} cursor pagination: keyset pages (RFC 9865)`, harness, (env) => {
    const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo', 'foxtrot', 'Golf'];
    beforeAll(async () => {
      for (const [i, userName] of names.entries()) {
        const title = i % 3 === 0 ? {} : { title: `t${i % 2}` };
        // Some hire times share an instant written in different offsets; one has none.
        const hiredAt = i === 6 ? {} : { hiredAt: i % 2 === 0 ? `2024-01-0${1 + (i % 3)}T10:00:00Z` : `2024-01-0${1 + (i % 3)}T12:00:00+02:00` };
        const emails = [{ value: `${(i * 3) % 7}@x.org` }, { value: `${i}@p.org`, primary: i === 2 }];
        await env.store.create(User, user(userName, { ...title, emails, [TEST_URN]: { level: i % 4, ...hiredAt } }), []);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    });

    const orders: Array<Partial<ListQuery>> = [
      {},
      { sortBy: parseAttrPath('userName') },
      { sortBy: parseAttrPath('userName'), sortOrder: 'descending' },
      { sortBy: parseAttrPath('title') },
      { sortBy: parseAttrPath('title'), sortOrder: 'descending' },
      { sortBy: parseAttrPath('level'), sortOrder: 'descending' },
      { sortBy: parseAttrPath('level'), filter: parseFilter('level ge 1') },
      { sortBy: parseAttrPath('hiredAt') },
      { sortBy: parseAttrPath('hiredAt'), sortOrder: 'descending' },
      { sortBy: parseAttrPath('emails.value') },
      { sortBy: parseAttrPath('meta.lastModified'), sortOrder: 'descending' },
      { sortBy: parseAttrPath('id') },
      // An `or` at the top of the filter: the keyset condition must not bind to one side of it.
      { sortBy: parseAttrPath('userName'), filter: parseFilter('level eq 1 or level eq 3') },
    ];
    for (const order of orders) {
      const label = `${order.sortBy?.attr ?? 'created'}${order.sortBy?.sub ? `.${order.sortBy.sub}` : ''} ${order.sortOrder ?? 'ascending'}${order.filter ? ` filtered (${order.filter.kind})` : ''}`;
      it(`walks in the order index paging gives, 2 at a time: ${label}`, async () => {
        const all = await userNames(env.store, order);
        for (const count of [1, 2, 3]) {
          const pages = await walk(env.store, order, count);
          expect(pages.flat()).toEqual(all);
          expect(pages.every((page) => page.length === count || page === pages[pages.length - 1])).toBe(true);
        }
      });
    }

    it('totals the whole match on every page and gives no next position after the last', async () => {
      const first = await env.store.list(User, query({ count: 3, keyset: { after: null } }));
      expect(first.totalResults).toBe(7);
      expect(first.next).toBeDefined();
      const last = await env.store.list(User, query({ count: 7, keyset: { after: null } }));
      expect(last.resources).toHaveLength(7);
      expect(last.next).toBeUndefined();
    });
  });

  inBothTenants(`${name} cursor pagination over a table that changes between pages`, harness, (env) => {

    for (const order of [{}, { sortBy: parseAttrPath('userName') }, { sortBy: parseAttrPath('title'), sortOrder: 'descending' as const }]) {
      it(`returns every resource present throughout exactly once: ${order.sortBy?.attr ?? 'created'}`, async () => {
        const { store } = env;
        for (const r of (await store.list(User, query({ count: 1000 }))).resources) await store.delete(User, r.id, {});
        const stable = new Set<string>();
        const doomed: string[] = [];
        for (let i = 0; i < 30; i++) {
          const created = await store.create(User, user(`u${String(i).padStart(2, '0')}`, i % 4 === 0 ? {} : { title: `t${i % 3}` }), []);
          if (i % 5 === 2) doomed.push(created.id);
          else stable.add(created.id);
        }
        const seen: string[] = [];
        let after: ListQuery['keyset'] = { after: null };
        let added = 0;
        for (let pages = 0; after && pages < 100; pages++) {
          const page = await store.list(User, query({ ...order, count: 4, keyset: after }));
          seen.push(...page.resources.map((r) => r.id));
          // Between pages: one resource goes, two come (names before and after the walk's position).
          const gone = doomed.shift();
          if (gone) await store.delete(User, gone, {});
          await store.create(User, user(`a${added}`, { title: 't9' }), []);
          await store.create(User, user(`z${added++}`), []);
          after = page.next ? { after: JSON.parse(JSON.stringify(page.next)) } : undefined;
        }
        expect(new Set(seen).size).toBe(seen.length);
        for (const id of stable) expect(seen).toContain(id);
      });
    }
  });

  inBothTenants(`${name} group membership`, harness, (env) => {
    let users: string[];
    beforeAll(async () => {
      users = [];
      for (let i = 0; i < 22; i++) {
        const display = i === 0 ? { displayName: 'User Zero' } : {};
        users.push((await env.store.create(User, user(`member${i}`, display), [])).id);
      }
    });

    const memberIds = async (type: ResourceTypeModel, id: string) =>
      ((await env.store.get(type, id, { withMembers: true, withGroups: false }))?.members ?? []).map((m) => m.value);

    it('creates with members, returning type and display; reads members only when asked', async () => {
      const { store } = env;
      const inner = await store.create(Group, group('Inner'), []);
      const created = await store.create(Group, group('Outer'), [users[0]!, users[1]!, inner.id]);
      expect(created.members).toEqual([
        { value: users[0], type: 'User', display: 'User Zero' },
        { value: users[1], type: 'User', display: 'member1' },
        { value: inner.id, type: 'Group', display: 'Inner' },
      ]);
      expect(created.attributes).toEqual(group('Outer'));
      expect((await store.get(Group, created.id, { withMembers: false, withGroups: false }))?.members).toBeUndefined();
      const listed = await store.list(Group, query({ withMembers: true, filter: parseFilter('displayName eq "outer"') }));
      expect(listed.resources[0]?.members).toHaveLength(3);
      const bare = await store.list(Group, query({ filter: parseFilter('displayName eq "outer"') }));
      expect(bare.resources[0]?.members).toBeUndefined();
    });

    it('does not store members in the document', async () => {
      const created = await env.store.create(Group, { ...group('Doc'), members: [{ value: users[0] }] }, [users[0]!]);
      expect(created.attributes).toEqual(group('Doc'));
    });

    it('applies add, remove and removeAll as idempotent deltas, bumping the version', async () => {
      const { store } = env;
      const g = await store.create(Group, group('Deltas'), [users[0]!]);
      let updated = await store.update(Group, g.id, { members: { add: [users[0]!, users[1]!, users[1]!] }, withMembers: true, withGroups: false });
      expect(updated.members?.map((m) => m.value)).toEqual([users[0], users[1]]);
      expect(updated.version).toBe(2);
      updated = await store.update(Group, g.id, { members: { remove: [users[0]!, users[5]!] }, withMembers: true, withGroups: false });
      expect(updated.members?.map((m) => m.value)).toEqual([users[1]]);
      updated = await store.update(Group, g.id, { members: { removeAll: true, add: [users[2]!] }, withMembers: true, withGroups: false });
      expect(updated.members?.map((m) => m.value)).toEqual([users[2]]);
      updated = await store.update(Group, g.id, { members: { removeAll: true }, withMembers: false, withGroups: false });
      expect(updated.members).toBeUndefined();
      expect(await memberIds(Group, g.id)).toEqual([]);
      expect(updated.version).toBe(5);
    });

    it('rejects an unknown member with 400 invalidValue naming it, changing nothing', async () => {
      const { store } = env;
      const g = await store.create(Group, group('Strict'), [users[0]!]);
      const error = await rejection(
        store.update(Group, g.id, { members: { removeAll: true, add: [users[1]!, 'no-such-id'] }, withMembers: false, withGroups: false }),
      );
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue', message: expect.stringContaining('no-such-id') });
      const after = await store.get(Group, g.id, { withMembers: true, withGroups: false });
      expect(after?.version).toBe(1);
      expect(after?.members?.map((m) => m.value)).toEqual([users[0]]);
      expect(await rejection(store.create(Group, group('Never'), ['ghost']))).toMatchObject({ status: 400 });
      const never = await store.list(Group, query({ filter: parseFilter('displayName eq "Never"') }));
      expect(never.totalResults).toBe(0);
    });

    it('loses none of 20 concurrent member adds (two stores on one database where it can)', async () => {
      const { store } = env;
      const other = await env.another();
      const g = await store.create(Group, group('Concurrent'), []);
      const adds = users.slice(0, 20).map((id, i) =>
        (i % 2 === 0 ? store : other).update(Group, g.id, { members: { add: [id] }, withMembers: false, withGroups: false }),
      );
      await Promise.all(adds);
      expect((await memberIds(Group, g.id)).sort()).toEqual(users.slice(0, 20).sort());
      expect((await store.get(Group, g.id, { withMembers: false, withGroups: false }))?.version).toBe(21);
    });

    it('filters groups by member', async () => {
      const { store } = env;
      const g = await store.create(Group, group('Filtered'), [users[20]!]);
      for (const filter of [`members[value eq "${users[20]}"]`, `members.value eq "${users[20]}"`, `members eq "${users[20]}"`]) {
        const result = await store.list(Group, query({ filter: parseFilter(filter) }));
        expect(result.resources.map((r) => r.id)).toEqual([g.id]);
      }
      const empty = await store.create(Group, group('Empty'), []);
      const absent = await store.list(Group, query({ filter: parseFilter('not (members pr)') }));
      expect(absent.resources.map((r) => r.id)).toContain(empty.id);
      expect(absent.resources.map((r) => r.id)).not.toContain(g.id);
    });

    it('deleting a user removes its memberships; deleting a group removes its rows', async () => {
      const { store } = env;
      const sub = await store.create(Group, group('Sub'), [users[21]!]);
      const g = await store.create(Group, group('Parent'), [users[21]!, sub.id]);
      await store.delete(User, users[21]!, {});
      expect(await memberIds(Group, g.id)).toEqual([sub.id]);
      await store.delete(Group, sub.id, {});
      expect(await memberIds(Group, g.id)).toEqual([]);
      await store.delete(Group, g.id, {});
      if (env.db.countRows) expect(await env.db.countRows('group_members', 'owner_id', [sub.id, g.id])).toBe(0);
    });
  });

  inBothTenants(`${name} groups: a member's direct memberships, read with it`, harness, (env) => {
    const withGroups = { withMembers: false, withGroups: true } as const;
    let ada: string;
    let bob: string;
    let cy: string;
    let admins: string;
    let staff: string;
    let inner: string;
    beforeAll(async () => {
      const { store } = env;
      ada = (await store.create(User, user('ada'), [])).id;
      bob = (await store.create(User, user('bob'), [])).id;
      cy = (await store.create(User, user('cy'), [])).id;
      admins = (await store.create(Group, group('Admins'), [ada, bob])).id;
      staff = (await store.create(Group, group('Staff'), [ada])).id;
      inner = (await store.create(Group, group('Inner'), [])).id;
      await store.create(Group, group('Outer'), [inner]);
    });
    afterEach(() => vi.restoreAllMocks());
    const adas = () => [
      { value: admins, type: 'Group', display: 'Admins' },
      { value: staff, type: 'Group', display: 'Staff' },
    ];

    it('reads them in the same query as the resource, in membership order, with type and display', async () => {
      const queries = harness.countQueries?.();
      const found = await env.store.get(User, ada, withGroups);
      if (queries) expect(queries.count).toBe(1);
      expect(found?.groups).toEqual(adas());
      expect((await env.store.get(User, cy, withGroups))?.groups).toEqual([]);
    });

    it('reads them for a whole page in the page query', async () => {
      const queries = harness.countQueries?.();
      const page = await env.store.list(User, query({ withGroups: true, sortBy: parseAttrPath('userName') }));
      if (queries) expect(queries.count).toBe(1);
      expect(page.resources.map((r) => [r.attributes.userName, r.groups])).toEqual([
        ['ada', adas()],
        ['bob', [{ value: admins, type: 'Group', display: 'Admins' }]],
        ['cy', []],
      ]);
    });

    it('reads none unless asked, and none for a type that shows no groups', async () => {
      const { store } = env;
      expect((await store.get(User, ada, { withMembers: false, withGroups: false }))?.groups).toBeUndefined();
      expect((await store.list(User, query())).resources.every((r) => r.groups === undefined)).toBe(true);
      // A group may be a member too, but Group has no `groups` attribute to show it in.
      expect((await store.get(Group, inner, withGroups))?.groups).toBeUndefined();
    });

    it('follows membership changes, renames and a deleted group; an update returns them', async () => {
      const { store } = env;
      const temp = await store.create(Group, group('Temp'), [cy]);
      expect((await store.get(User, cy, withGroups))?.groups).toEqual([{ value: temp.id, type: 'Group', display: 'Temp' }]);
      await store.update(Group, temp.id, { attributes: group('Temp renamed'), withMembers: false, withGroups: false });
      expect((await store.get(User, cy, withGroups))?.groups?.map((g) => g.display)).toEqual(['Temp renamed']);
      await store.update(Group, temp.id, { members: { remove: [cy] }, withMembers: false, withGroups: false });
      expect((await store.get(User, cy, withGroups))?.groups).toEqual([]);
      await store.update(Group, temp.id, { members: { add: [cy] }, withMembers: false, withGroups: false });
      const updated = await store.update(User, cy, { attributes: user('cy', { title: 'x' }), ...withGroups });
      expect(updated.groups?.map((g) => g.value)).toEqual([temp.id]);
      await store.delete(Group, temp.id, {});
      expect((await store.get(User, cy, withGroups))?.groups).toEqual([]);
    });

    it('follows a replace of all members (PUT, replace members)', async () => {
      const { store } = env;
      const crew = await store.create(Group, group('Crew'), [ada, cy]);
      await store.update(Group, crew.id, { members: { removeAll: true, add: [bob] }, withMembers: false, withGroups: false });
      expect((await store.get(User, ada, withGroups))?.groups).toEqual(adas());
      expect((await store.get(User, cy, withGroups))?.groups).toEqual([]);
      expect((await store.get(User, bob, withGroups))?.groups?.map((g) => g.display)).toEqual(['Admins', 'Crew']);
      await store.delete(Group, crew.id, {});
      expect((await store.get(User, bob, withGroups))?.groups?.map((g) => g.display)).toEqual(['Admins']);
    });

    it.each([
      { filter: 'groups.value eq "ADMINS_ID"', want: ['ada', 'bob'] },
      { filter: 'groups eq "STAFF_ID"', want: ['ada'] },
      { filter: 'groups[display eq "staff"]', want: ['ada'] },
      { filter: 'groups[display sw "Adm" and value eq "ADMINS_ID"]', want: ['ada', 'bob'] },
      { filter: 'groups.type eq "direct"', want: ['ada', 'bob'] },
      { filter: 'groups.type eq "indirect"', want: [] },
      { filter: 'groups pr', want: ['ada', 'bob'] },
      { filter: 'not (groups pr)', want: ['cy'] },
    ])('filters users by $filter', async ({ filter, want }) => {
      const text = filter.replace('ADMINS_ID', admins.toUpperCase()).replace('STAFF_ID', staff);
      const sortBy = parseAttrPath('userName');
      expect(await userNames(env.store, { filter: parseFilter(text), sortBy })).toEqual(want);
    });

    it.each(['groups.$ref eq "x"', 'groups[$ref eq "x"]'])('refuses %s with 400 invalidFilter', async (filter) => {
      const error = await rejection(env.store.list(User, query({ filter: parseFilter(filter) })));
      expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
    });

    it('refuses to sort by groups with 400', async () => {
      const error = await rejection(env.store.list(User, query({ sortBy: parseAttrPath('groups.value') })));
      expect(error).toMatchObject({ status: 400 });
    });
  });

  inBothTenants(`${name} versions follow a member's groups (User.groups is in its representation)`, harness, (env) => {
    const versionOf = async (id: string) => (await env.store.get(User, id, { withMembers: false, withGroups: false }))!.version;
    const noMembers = { withMembers: false, withGroups: false } as const;

    it('bumps a user added to or removed from a group, and only when something changed', async () => {
      const { store } = env;
      const ada = (await store.create(User, user('v-ada'), [])).id;
      const team = (await store.create(Group, group('V-Team'), [])).id;
      const v0 = await versionOf(ada);
      await store.update(Group, team, { members: { add: [ada] }, ...noMembers });
      expect(await versionOf(ada)).toBe(v0 + 1);
      await store.update(Group, team, { members: { add: [ada] }, ...noMembers });
      expect(await versionOf(ada)).toBe(v0 + 1); // already a member: nothing changed
      await store.update(Group, team, { members: { remove: [ada] }, ...noMembers });
      expect(await versionOf(ada)).toBe(v0 + 2);
      await store.update(Group, team, { members: { remove: [ada] }, ...noMembers });
      expect(await versionOf(ada)).toBe(v0 + 2);
    });

    it('bumps every member on remove-all, on a rename and when the group is deleted', async () => {
      const { store } = env;
      const bob = (await store.create(User, user('v-bob'), [])).id;
      const cy = (await store.create(User, user('v-cy'), [])).id;
      const team = (await store.create(Group, group('V-Crew'), [bob, cy])).id;
      const before = [await versionOf(bob), await versionOf(cy)];
      await store.update(Group, team, { attributes: group('V-Crew renamed'), ...noMembers });
      expect([await versionOf(bob), await versionOf(cy)]).toEqual(before.map((v) => v + 1));
      await store.update(Group, team, { attributes: group('V-Crew renamed'), ...noMembers });
      expect([await versionOf(bob), await versionOf(cy)]).toEqual(before.map((v) => v + 1)); // same name
      await store.update(Group, team, { members: { removeAll: true, add: [bob] }, ...noMembers });
      expect(await versionOf(cy)).toBe(before[1]! + 2);
      await store.delete(Group, team, {});
      expect(await versionOf(bob)).toBeGreaterThan(before[0]! + 2);
    });

    it("bumps a group's version when one of its members is deleted (its members changed)", async () => {
      const { store } = env;
      const dee = (await store.create(User, user('v-dee'), [])).id;
      const team = await store.create(Group, group('V-Leavers'), [dee]);
      await store.delete(User, dee, {});
      expect(await store.get(Group, team.id, { withMembers: true, withGroups: false })).toMatchObject({ version: team.version + 1, members: [] });
    });

    it('leaves a member group alone: a Group shows no groups of its own', async () => {
      const { store } = env;
      const inner = (await store.create(Group, group('V-Inner'), [])).id;
      const outer = (await store.create(Group, group('V-Outer'), [])).id;
      const v0 = (await store.get(Group, inner, noMembers))!.version;
      await store.update(Group, outer, { members: { add: [inner] }, ...noMembers });
      expect((await store.get(Group, inner, noMembers))!.version).toBe(v0);
    });
  });

  describe(`${name} state: the key-value store`, () => {
    const env = sharedDatabase(harness).envIn('first');
    const later = () => new Date(Date.now() + 60_000);

    it('sets, replaces, gets and deletes', async () => {
      const { state } = env.store;
      expect(await state.get('k1')).toBeUndefined();
      await state.set('k1', 'one', later());
      await state.set('k1', 'uno', later());
      expect(await state.get('k1')).toBe('uno');
      await state.delete('k1');
      await state.delete('k1');
      expect(await state.get('k1')).toBeUndefined();
    });

    it('hides expired entries and purges them', async () => {
      const { state } = env.store;
      await state.set('old', 'x', new Date(Date.now() - 1000));
      await state.set('fresh', 'y', later());
      expect(await state.get('old')).toBeUndefined();
      expect(await state.take('old')).toBeUndefined();
      await state.set('old2', 'x', new Date(Date.now() - 1000));
      expect(await state.purgeExpired()).toBeGreaterThanOrEqual(1);
      expect(await state.get('fresh')).toBe('y');
    });

    it('takes an entry exactly once, even when two stores take it at once', async () => {
      const { state } = env.store;
      const other = (await env.another()).state;
      for (let round = 0; round < 5; round++) {
        await state.set(`code-${round}`, `v${round}`, later());
        const taken = await Promise.all([state.take(`code-${round}`), other.take(`code-${round}`), state.take(`code-${round}`)]);
        expect(taken.filter((v) => v !== undefined)).toEqual([`v${round}`]);
        expect(await state.get(`code-${round}`)).toBeUndefined();
      }
    });
  });

  inBothTenants(`${name} events (the outbox)`, harness, (env) => {
    const NO_MORE = { withMembers: false, withGroups: false };
    const draft = (kind: EventKind, type: ResourceTypeModel, attributes: string[], rest: Partial<EventDraft> = {}): EventDraft => ({
      id: randomUUID(),
      time: new Date().toISOString(),
      resourceType: type.def.name,
      kind,
      attributes,
      requestId: `req-${randomUUID()}`,
      actor: { credentialId: 'cred_test', via: 'scim' },
      ...rest,
    });
    /** This tenant's events about one resource, oldest first. */
    const eventsOf = async (resourceId: string): Promise<ProvisioningEvent[]> =>
      (await env.store.events.list({ tenant: env.store.tenant, resourceId, limit: 100 })).reverse();

    it('writes exactly one event per change, completed with the id, version, tenant and a sequence number', async () => {
      const { store } = env;
      const create = draft('create', User, ['userName', 'active'], { actor: { credentialId: 'cred_a', via: 'scim' } });
      const alice = await store.create(User, user('ev-alice', { active: true }), [], create);
      let events = await eventsOf(alice.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toEqual({ ...create, seq: expect.any(Number), tenant: store.tenant, resourceId: alice.id, version: 1 });
      expect(await store.events.get(create.id)).toEqual(events[0]);

      const patch = draft('deactivate', User, ['active'], { resourceId: alice.id });
      await store.update(User, alice.id, { attributes: user('ev-alice', { active: false }), ...NO_MORE }, patch);
      const team = await store.create(Group, group('ev-team'), [alice.id], draft('create', Group, ['displayName', 'members'], {
        members: { added: [alice.id], removed: [], removedAll: false },
      }));
      const members = draft('patch', Group, ['members'], { resourceId: team.id, members: { added: [], removed: [alice.id], removedAll: false } });
      const after = await store.update(Group, team.id, { members: { remove: [alice.id] }, ...NO_MORE }, members);
      const remove = draft('delete', User, [], { resourceId: alice.id });
      await store.delete(User, alice.id, {}, remove);

      events = await eventsOf(alice.id);
      expect(events.map((e) => [e.kind, e.version])).toEqual([['create', 1], ['deactivate', 2], ['delete', null]]);
      expect(events[2]).toMatchObject({ id: remove.id, requestId: remove.requestId, actor: remove.actor, attributes: [] });
      const groupEvents = await eventsOf(team.id);
      expect(groupEvents.map((e) => e.kind)).toEqual(['create', 'patch']);
      expect(groupEvents[0]!.members).toEqual({ added: [alice.id], removed: [], removedAll: false });
      expect(groupEvents[1]).toMatchObject({ version: after.version, members: members.members, attributes: ['members'] });
      // Commit order: every later change has a larger sequence number.
      const all = [...events, ...groupEvents].sort((a, b) => a.seq - b.seq).map((e) => e.kind);
      expect(all).toEqual(['create', 'deactivate', 'create', 'patch', 'delete']);
    });

    it('writes no event for a write that fails: 409, 412, 404 and an unknown member', async () => {
      const { store } = env;
      const bob = await store.create(User, user('ev-bob'), []);
      const before = await store.events.list({ tenant: store.tenant, limit: 1000 });
      const attempts = [
        () => store.create(User, user('EV-BOB'), [], draft('create', User, ['userName'])),
        () => store.update(User, bob.id, { attributes: user('ev-bob', { title: 'x' }), ifVersion: 7, ...NO_MORE }, draft('replace', User, ['title'], { resourceId: bob.id })),
        () => store.update(User, randomUUID(), { attributes: user('ev-nobody'), ...NO_MORE }, draft('replace', User, ['userName'])),
        () => store.create(Group, group('ev-lost'), [randomUUID()], draft('create', Group, ['displayName', 'members'])),
        () => store.delete(User, bob.id, { ifVersion: 9 }, draft('delete', User, [], { resourceId: bob.id })),
      ];
      const statuses = [];
      for (const attempt of attempts) statuses.push(((await rejection(attempt())) as { status: number }).status);
      expect(statuses).toEqual([409, 412, 404, 400, 412]);
      expect(await store.events.list({ tenant: store.tenant, limit: 1000 })).toEqual(before);
    });

    it('lists newest first, filtered by resource, actor and time, paged by seq, in its tenant only', async () => {
      const { store } = env;
      // After every event of the cases before (a fast store writes several within a millisecond).
      await new Promise((resolve) => setTimeout(resolve, 5));
      const start = new Date().toISOString();
      const ids: string[] = [];
      for (const n of [1, 2, 3]) {
        const created = await store.create(User, user(`ev-page-${n}`), [], draft('create', User, ['userName'], { actor: { credentialId: `cred_page_${n % 2}`, via: 'scim' } }));
        ids.push(created.id);
      }
      const page = await store.events.list({ tenant: store.tenant, since: start, limit: 2 });
      expect(page.map((e) => e.resourceId)).toEqual([ids[2], ids[1]]);
      const rest = await store.events.list({ tenant: store.tenant, since: start, limit: 2, before: page[1]!.seq });
      expect(rest.map((e) => e.resourceId)).toEqual([ids[0]]);
      const byActor = await store.events.list({ tenant: store.tenant, actor: 'cred_page_1', since: start, limit: 10 });
      expect(byActor.map((e) => e.resourceId)).toEqual([ids[2], ids[0]]);
      expect(await store.events.list({ tenant: store.tenant, since: new Date(Date.now() + 60_000).toISOString(), limit: 10 })).toEqual([]);
      // Another tenant's view of the same resource is empty.
      const other = store.tenant === DEFAULT_TENANT ? 987_654 : DEFAULT_TENANT;
      expect(await store.events.list({ tenant: other, resourceId: ids[0], limit: 10 })).toEqual([]);
    });

    it('soft delete: 404 and a free userName at once, the document kept until purged', async () => {
      const { store } = env;
      const carol = await store.create(User, user('ev-carol'), []);
      const team = await store.create(Group, group('ev-soft-team'), [carol.id]);
      await store.delete(User, carol.id, { soft: true }, draft('delete', User, [], { resourceId: carol.id }));
      expect(await store.get(User, carol.id, NO_MORE)).toBeUndefined();
      expect((await store.list(User, query({ filter: parseFilter('userName eq "ev-carol"') }))).totalResults).toBe(0);
      expect((await store.get(Group, team.id, { withMembers: true, withGroups: false }))?.members).toEqual([]);
      expect(await rejection(store.delete(User, carol.id, { soft: true }))).toMatchObject({ status: 404 });
      const again = await store.create(User, user('ev-carol'), []);
      expect(again.id).not.toBe(carol.id);
      expect((await eventsOf(carol.id)).map((e) => e.kind)).toEqual(['delete']);
      if (env.db.countRows) expect(await env.db.countRows('deleted_resources', 'id', [carol.id])).toBe(1);
      expect(await store.purgeDeleted(new Date(Date.now() - 60_000).toISOString())).toBe(0);
      expect(await store.purgeDeleted(new Date(Date.now() + 1_000).toISOString())).toBeGreaterThanOrEqual(1);
      if (env.db.countRows) expect(await env.db.countRows('deleted_resources', 'id', [carol.id])).toBe(0);
    });

    it('prunes events older than the cutoff whose deliveries are settled', async () => {
      const { store } = env;
      const dave = await store.create(User, user('ev-dave'), [], draft('create', User, ['userName']));
      expect(await store.events.prune(new Date(Date.now() - 3_600_000).toISOString())).toBe(0);
      expect(await eventsOf(dave.id)).toHaveLength(1);
      expect(await store.events.prune(new Date(Date.now() + 1_000).toISOString())).toBeGreaterThanOrEqual(1);
      expect(await eventsOf(dave.id)).toEqual([]);
    });
  });

  describe(`${name} tenant and credential changes write events`, () => {
    const env = sharedDatabase(harness).envIn('first');

    it('tenant.create, tenant.update, credential.create, credential.revoke, tenant.remove, with their origin', async () => {
      const { tenants, events } = env.store;
      const origin = { actor: { credentialId: null, via: 'admin' as const }, requestId: 'req-admin-1' };
      const acme = await tenants.createTenant({ slug: 'ev-acme', name: 'Acme', idp: 'okta' }, origin);
      await tenants.updateTenant(acme.key, { disabled: true }, origin);
      const credential = await tenants.addCredential({ tenant: acme.key, kind: 'token', label: 'x', secretHash: 'e'.repeat(64) }, origin);
      await tenants.revokeCredential(acme.key, credential.id, origin);
      expect(await tenants.revokeCredential(acme.key, credential.id, origin)).toBe(true); // again: no second event
      await tenants.removeTenant(acme.key, origin);
      const list = (await events.list({ tenant: acme.key, limit: 10 })).reverse();
      expect(list.map((e) => [e.kind, e.resourceType, e.resourceId])).toEqual([
        ['tenant.create', 'Tenant', String(acme.key)],
        ['tenant.update', 'Tenant', String(acme.key)],
        ['credential.create', 'Credential', credential.id],
        ['credential.revoke', 'Credential', credential.id],
        ['tenant.remove', 'Tenant', String(acme.key)],
      ]);
      expect(list[1]!.attributes).toEqual(['disabled']);
      for (const e of list) expect(e).toMatchObject({ requestId: 'req-admin-1', actor: { credentialId: null, via: 'admin' } });
      // Never the secret or its hash.
      expect(JSON.stringify(list)).not.toContain('e'.repeat(64));
      // A refused change writes nothing.
      expect(await rejection(tenants.createTenant({ slug: 'ev-acme-2', name: '', idp: 'okta' }).then(() => tenants.createTenant({ slug: 'ev-acme-2', name: '', idp: 'okta' })))).toMatchObject({ status: 409 });
      const dup = (await tenants.findTenant('ev-acme-2'))!;
      expect((await events.list({ tenant: dup.key, limit: 10 })).map((e) => e.kind)).toEqual(['tenant.create']);
    });
  });

  describe(`${name} tenants and credentials (TenantDirectory)`, () => {
    const env = sharedDatabase(harness).envIn('first');
    const hash = (n: number) => n.toString(16).padStart(64, '0');

    it('has tenant 1, "default", from the start', async () => {
      const tenant = await env.store.tenants.getTenant(DEFAULT_TENANT);
      expect(tenant).toMatchObject({ key: 1, slug: 'default', idp: 'other', disabled: false });
      expect(new Date(tenant!.created).toISOString()).toBe(tenant!.created);
      expect(await env.store.tenants.findTenant('default')).toEqual(tenant);
    });

    it('creates tenants with keys of their own, finds and lists them', async () => {
      const { tenants } = env.store;
      const acme = await tenants.createTenant({ slug: 'acme', name: 'Acme Corp', idp: 'okta' });
      const globex = await tenants.createTenant({ slug: 'globex', name: '', idp: 'entra' });
      expect(acme).toMatchObject({ slug: 'acme', name: 'Acme Corp', idp: 'okta', disabled: false });
      expect(new Date(acme.created).toISOString()).toBe(acme.created);
      expect(globex.name).toBe('globex');
      expect(new Set([1, acme.key, globex.key]).size).toBe(3);
      expect(await tenants.findTenant('acme')).toEqual(acme);
      expect(await tenants.getTenant(globex.key)).toEqual(globex);
      expect(await tenants.findTenant('nobody')).toBeUndefined();
      expect(await tenants.getTenant(987_654)).toBeUndefined();
      const slugs = (await tenants.listTenants()).map((t) => t.slug);
      expect(slugs).toEqual(expect.arrayContaining(['default', 'second', 'acme', 'globex']));
    });

    it('refuses a duplicate slug (409) and a malformed one (400), creating nothing', async () => {
      const { tenants } = env.store;
      await tenants.createTenant({ slug: 'initech', name: 'Initech', idp: 'other' });
      expect(await rejection(tenants.createTenant({ slug: 'initech', name: 'Again', idp: 'other' }))).toMatchObject({
        status: 409,
        scimType: 'uniqueness',
      });
      for (const slug of ['Upper', 'under_score', '-dash', 'dash-', '', 'a'.repeat(64), 'sp ace']) {
        expect(await rejection(tenants.createTenant({ slug, name: slug, idp: 'other' })), slug).toMatchObject({
          status: 400,
          scimType: 'invalidValue',
        });
      }
      const initech = (await tenants.listTenants()).filter((t) => t.slug.startsWith('initech') || t.name === 'Again');
      expect(initech).toHaveLength(1);
    });

    it('updates a tenant: disabled, name, slug; 404 for an unknown key, 409 for a taken slug', async () => {
      const { tenants } = env.store;
      const hooli = await tenants.createTenant({ slug: 'hooli', name: 'Hooli', idp: 'other' });
      const disabled = await tenants.updateTenant(hooli.key, { disabled: true, name: 'Hooli XYZ' });
      expect(disabled).toEqual({ ...hooli, disabled: true, name: 'Hooli XYZ' });
      expect(await tenants.getTenant(hooli.key)).toEqual(disabled);
      expect((await tenants.updateTenant(hooli.key, { disabled: false, idp: 'entra' })).disabled).toBe(false);
      expect(await rejection(tenants.updateTenant(987_654, { disabled: true }))).toMatchObject({ status: 404 });
      expect(await rejection(tenants.updateTenant(hooli.key, { slug: 'default' }))).toMatchObject({ status: 409 });
      expect((await tenants.getTenant(hooli.key))?.slug).toBe('hooli');
    });

    it('keeps credentials by the hash only, finds one by it with its tenant, per tenant', async () => {
      const { tenants } = env.store;
      const umbrella = await tenants.createTenant({ slug: 'umbrella', name: 'Umbrella', idp: 'okta' });
      const expires = new Date(Date.now() + 86_400_000).toISOString();
      const token = await tenants.addCredential({ tenant: umbrella.key, kind: 'token', label: 'Okta', secretHash: hash(1), expires });
      const basic = await tenants.addCredential({
        tenant: umbrella.key,
        kind: 'basic',
        label: 'Entra',
        principal: 'scim-user',
        secretHash: hash(2),
      });
      const theirs = await tenants.addCredential({ tenant: DEFAULT_TENANT, kind: 'token', label: 'Default', secretHash: hash(3) });
      expect(token).toMatchObject({ tenant: umbrella.key, kind: 'token', label: 'Okta', expires });
      expect(token.id).toMatch(/^cred_[0-9a-f]{24}$/);
      expect(token).not.toHaveProperty('secretHash');
      expect(token).not.toHaveProperty('principal');
      expect(token).not.toHaveProperty('revoked');
      expect(basic.principal).toBe('scim-user');
      expect(await tenants.findCredential(hash(2))).toEqual({ credential: basic, tenant: umbrella });
      expect((await tenants.findCredential(hash(3)))?.tenant.key).toBe(DEFAULT_TENANT);
      expect(await tenants.findCredential(hash(99))).toBeUndefined();
      expect((await tenants.listCredentials(umbrella.key)).map((c) => c.id).sort()).toEqual([token.id, basic.id].sort());
      expect((await tenants.listCredentials(DEFAULT_TENANT)).map((c) => c.id)).toContain(theirs.id);
      expect((await tenants.listCredentials(DEFAULT_TENANT)).map((c) => c.id)).not.toContain(token.id);
      expect(await rejection(tenants.addCredential({ tenant: DEFAULT_TENANT, kind: 'token', label: 'x', secretHash: hash(1) })))
        .toMatchObject({ status: 409 });
      expect(await rejection(tenants.addCredential({ tenant: 987_654, kind: 'token', label: 'x', secretHash: hash(4) })))
        .toMatchObject({ status: 404 });
    });

    it("revokes only the tenant's own credential, and records uses", async () => {
      const { tenants } = env.store;
      const wayne = await tenants.createTenant({ slug: 'wayne', name: 'Wayne', idp: 'other' });
      const credential = await tenants.addCredential({ tenant: wayne.key, kind: 'oauth-client', label: 'c', principal: 'client-1', secretHash: hash(10) });
      expect(await tenants.revokeCredential(DEFAULT_TENANT, credential.id)).toBe(false);
      expect((await tenants.findCredential(hash(10)))?.credential.revoked).toBeUndefined();
      expect(await tenants.revokeCredential(wayne.key, 'cred_000000000000000000000000')).toBe(false);
      expect(await tenants.revokeCredential(wayne.key, credential.id)).toBe(true);
      const revoked = (await tenants.findCredential(hash(10)))!.credential.revoked!;
      expect(new Date(revoked).toISOString()).toBe(revoked);
      const at = new Date('2026-01-02T03:04:05.678Z');
      await tenants.touchCredential(credential.id, at);
      expect((await tenants.listCredentials(wayne.key))[0]).toMatchObject({ lastUsed: at.toISOString(), revoked });
    });

    it('removes a tenant with all its resources, memberships and credentials, and nothing of another', async () => {
      const { tenants } = env.store;
      const doomed = await tenants.createTenant({ slug: 'doomed', name: 'Doomed', idp: 'other' });
      const raw = env.store;
      // The same names in tenant 1 and in the doomed tenant.
      const keep = await raw.create(User, user('same-name'), []);
      const keepGroup = await raw.create(Group, group('Same Group'), [keep.id]);
      const doomedStore = env.inTenant(doomed.key);
      const victim = await doomedStore.create(User, user('same-name'), []);
      const victimGroup = await doomedStore.create(Group, group('Same Group'), [victim.id]);
      await tenants.addCredential({ tenant: doomed.key, kind: 'token', label: 'x', secretHash: hash(20) });
      await tenants.removeTenant(doomed.key);
      expect(await tenants.getTenant(doomed.key)).toBeUndefined();
      expect(await tenants.findTenant('doomed')).toBeUndefined();
      expect(await tenants.findCredential(hash(20))).toBeUndefined();
      expect(await doomedStore.get(User, victim.id, { withMembers: false, withGroups: false })).toBeUndefined();
      expect(await doomedStore.get(Group, victimGroup.id, { withMembers: true, withGroups: false })).toBeUndefined();
      expect((await doomedStore.list(User, query())).totalResults).toBe(0);
      if (env.db.countRows) {
        expect(await env.db.countRows('group_members', 'owner_id', [victimGroup.id])).toBe(0);
        expect(await env.db.countRows('users', 'id', [victim.id])).toBe(0);
      }
      const kept = await raw.get(Group, keepGroup.id, { withMembers: true, withGroups: false });
      expect(kept?.members?.map((m) => m.value)).toEqual([keep.id]);
      expect((await raw.list(User, query({ filter: parseFilter('userName eq "same-name"') }))).totalResults).toBe(1);
      expect(await rejection(tenants.removeTenant(doomed.key))).toMatchObject({ status: 404 });
    });
  });
}
