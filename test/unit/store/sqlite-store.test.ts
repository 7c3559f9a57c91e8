// The real SQLite store on a real temporary file, with the migrations the generator emits.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqlite as sqliteAdapter } from '../../../src/adapters/database-sqlite.js';
import { projectMigrations } from '../../../src/emit/migration-history.js';
import { sqliteMigrations } from '../../../src/emit/migrations.js';
import { parseAttrPath, parseFilter } from '../../../templates/scim/filter/parse.js';
import type { ResourceTypeModel } from '../../../templates/scim/registry.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ListQuery, ResourceStore, ScimObject } from '../../../templates/scim/store.js';
import { registerFunctions } from '../../../templates/store-sqlite/dialect.js';
import { migrate } from '../../../templates/store-sqlite/migrate.js';
import { openSqliteStore } from '../../../templates/store-sqlite/store.js';
import { ENTERPRISE_URN, storeTestRegistry, TEST_URN } from './test-schema.js';

const registry = storeTestRegistry();
const User = registry.byName('User')!;
const Group = registry.byName('Group')!;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

let dir: string;
let migrations: string;
let fileCount = 0;

const newFile = () => join(dir, `scim-${++fileCount}.sqlite`);
const open = (file = newFile(), migrationsDir = migrations) =>
  openSqliteStore({ file, registry, migrationsDir });

function writeMigrations(target: string, reg = registry): void {
  mkdirSync(target, { recursive: true });
  for (const m of sqliteMigrations(storagePlan(reg))) writeFileSync(join(target, m.name), m.sql);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scim-store-'));
  migrations = join(dir, 'migrations');
  writeMigrations(migrations);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const user = (userName: string, rest: ScimObject = {}): ScimObject => ({ schemas: [USER], userName, ...rest });
const group = (displayName: string): ScimObject => ({ schemas: [GROUP], displayName });
const query = (rest: Partial<ListQuery> = {}): ListQuery => ({
  sortOrder: 'ascending',
  startIndex: 1,
  count: 100,
  withMembers: false,
  withGroups: false,
  ...rest,
});

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const userNames = async (store: ResourceStore, rest: Partial<ListQuery>) =>
  (await store.list(User, query(rest))).resources.map((r) => r.attributes.userName);

describe('SqliteStore CRUD', () => {
  let store: ResourceStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store.close());

  it('creates with a UUID, version 1 and created = lastModified, and reads it back', async () => {
    const created = await store.create(User, user('alice', { displayName: 'Alice' }), []);
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.version).toBe(1);
    expect(created.created).toBe(created.lastModified);
    expect(new Date(created.created).toISOString()).toBe(created.created);
    expect(created.attributes).toEqual(user('alice', { displayName: 'Alice' }));
    expect(await store.get(User, created.id, { withMembers: false, withGroups: false })).toEqual(created);
  });

  it('updates: version + 1, new lastModified, created kept', async () => {
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
    const { id } = await store.create(User, user('carol'), []);
    await store.delete(User, id, {});
    expect(await store.get(User, id, { withMembers: false, withGroups: false })).toBeUndefined();
    for (const work of [store.update(User, id, { withMembers: false, withGroups: false }), store.delete(User, id, {})]) {
      expect(await rejection(work)).toMatchObject({ status: 404 });
    }
  });

  it('checks ifVersion: 412 on mismatch for update and delete, success on match', async () => {
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

  it('turns a lock held by another connection into 503 once the busy timeout passes', async () => {
    const file = newFile();
    const impatient = await openSqliteStore({ file, registry, migrationsDir: migrations, busyTimeoutMs: 20 });
    const holder = new Database(file);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const error = await rejection(impatient.create(User, user('blocked'), []));
      expect(error).toMatchObject({ status: 503, message: expect.stringContaining('SQLITE_BUSY') });
      holder.exec('ROLLBACK');
      expect((await impatient.create(User, user('unblocked'), [])).version).toBe(1);
    } finally {
      holder.close();
      await impatient.close();
    }
  });

  it('answers ping and keeps data across close and reopen (a real file)', async () => {
    const file = newFile();
    const first = await open(file);
    await first.ping();
    const { id } = await first.create(User, user('persisted'), []);
    await first.close();
    const second = await open(file);
    expect((await second.get(User, id, { withMembers: false, withGroups: false }))?.attributes.userName).toBe('persisted');
    await second.close();
  });
});

describe('SqliteStore filters against real rows', () => {
  let store: ResourceStore;
  beforeAll(async () => {
    store = await open();
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
  afterAll(() => store.close());

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
    ['(userName eq "jsmith" or userName eq "bjensen") and not (active eq false)', [B]],
    ['userName eq "x\' OR \'1\'=\'1"', []],
  ];
  it.each(cases)('%s', async (filter, want) => {
    const got = await userNames(store, { filter: parseFilter(filter), sortBy: parseAttrPath('userName') });
    expect(got.sort()).toEqual([...want].sort());
  });

  it('filters by id', async () => {
    const all = await store.list(User, query());
    const target = all.resources[1]!;
    const found = await store.list(User, query({ filter: parseFilter(`id eq "${target.id}"`) }));
    expect(found.resources.map((r) => r.id)).toEqual([target.id]);
  });

  it('rejects an unknown attribute with 400 invalidFilter', async () => {
    const error = await rejection(store.list(User, query({ filter: parseFilter('nope eq "x"') })));
    expect(error).toMatchObject({ status: 400, scimType: 'invalidFilter' });
  });
});

describe('SqliteStore paging, sorting and totals', () => {
  let store: ResourceStore;
  const names = ['delta', 'Alpha', 'charlie', 'Bravo', 'echo'];
  beforeAll(async () => {
    store = await open();
    for (const [i, name] of names.entries()) {
      const title = i % 2 === 0 ? { title: `t${i}` } : {};
      const emails = [{ value: `${5 - i}@x.org` }, { value: `${i}@p.org`, primary: i === 2 }];
      await store.create(User, user(name, { ...title, emails, [TEST_URN]: { level: i } }), []);
      // Distinct creation times, so the created-then-id tie-breaker gives insertion order.
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  });
  afterAll(() => store.close());

  it('sorts case-insensitively, pages with startIndex/count, and totals the whole match', async () => {
    const sortBy = parseAttrPath('userName');
    const page1 = await store.list(User, query({ sortBy, count: 2 }));
    expect(page1.totalResults).toBe(5);
    expect(page1.resources.map((r) => r.attributes.userName)).toEqual(['Alpha', 'Bravo']);
    expect(await userNames(store, { sortBy, startIndex: 3, count: 2 })).toEqual(['charlie', 'delta']);
    expect(await userNames(store, { sortBy, startIndex: 5, count: 2 })).toEqual(['echo']);
    expect(await userNames(store, { sortBy, startIndex: 9, count: 2 })).toEqual([]);
    expect(await userNames(store, { sortBy, sortOrder: 'descending', count: 2 })).toEqual(['echo', 'delta']);
  });

  it('totals the filter, not the page', async () => {
    const filter = parseFilter('level ge 1');
    const result = await store.list(User, query({ filter, count: 1 }));
    expect(result).toMatchObject({ totalResults: 4 });
    expect(result.resources).toHaveLength(1);
  });

  it('count=0 returns only the total', async () => {
    expect(await store.list(User, query({ count: 0 }))).toEqual({ totalResults: 5, resources: [] });
  });

  it('sorts absent values last in both directions, ties by creation', async () => {
    const sortBy = parseAttrPath('title');
    expect(await userNames(store, { sortBy })).toEqual(['delta', 'charlie', 'echo', 'Alpha', 'Bravo']);
    expect(await userNames(store, { sortBy, sortOrder: 'descending' })).toEqual(['echo', 'charlie', 'delta', 'Alpha', 'Bravo']);
  });

  it('sorts numbers numerically and multi-valued attributes by primary, else first, value', async () => {
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
    for (let start = 1; start <= 5; start++) seen.push(...(await userNames(store, { startIndex: start, count: 1 })));
    expect(seen).toEqual(names);
  });
});

describe('SqliteStore group membership', () => {
  let store: ResourceStore;
  let file: string;
  let users: string[];
  beforeAll(async () => {
    file = newFile();
    store = await open(file);
    users = [];
    for (let i = 0; i < 22; i++) {
      const display = i === 0 ? { displayName: 'User Zero' } : {};
      users.push((await store.create(User, user(`member${i}`, display), [])).id);
    }
  });
  afterAll(() => store.close());

  const memberIds = async (type: ResourceTypeModel, id: string) =>
    ((await store.get(type, id, { withMembers: true, withGroups: false }))?.members ?? []).map((m) => m.value);

  it('creates with members, returning type and display; reads members only when asked', async () => {
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
    const created = await store.create(Group, { ...group('Doc'), members: [{ value: users[0] }] }, [users[0]!]);
    expect(created.attributes).toEqual(group('Doc'));
  });

  it('applies add, remove and removeAll as idempotent deltas, bumping the version', async () => {
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

  it('loses none of 20 concurrent member adds (two connections to one file)', async () => {
    const other = await open(file);
    try {
      const g = await store.create(Group, group('Concurrent'), []);
      const adds = users.slice(0, 20).map((id, i) =>
        (i % 2 === 0 ? store : other).update(Group, g.id, { members: { add: [id] }, withMembers: false, withGroups: false }),
      );
      await Promise.all(adds);
      expect((await memberIds(Group, g.id)).sort()).toEqual(users.slice(0, 20).sort());
      expect((await store.get(Group, g.id, { withMembers: false, withGroups: false }))?.version).toBe(21);
    } finally {
      await other.close();
    }
  });

  it('filters groups by member', async () => {
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
    const sub = await store.create(Group, group('Sub'), [users[21]!]);
    const g = await store.create(Group, group('Parent'), [users[21]!, sub.id]);
    await store.delete(User, users[21]!, {});
    expect(await memberIds(Group, g.id)).toEqual([sub.id]);
    await store.delete(Group, sub.id, {});
    expect(await memberIds(Group, g.id)).toEqual([]);
    await store.delete(Group, g.id, {});
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare('SELECT COUNT(*) AS n FROM group_members WHERE owner_id IN (?, ?)').get(sub.id, g.id);
      expect(rows).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe("SqliteStore versions follow a member's groups (User.groups is in its representation)", () => {
  let store: ResourceStore;
  beforeAll(async () => {
    store = await open(newFile());
  });
  afterAll(() => store.close());

  const versionOf = async (id: string) => (await store.get(User, id, { withMembers: false, withGroups: false }))!.version;
  const noMembers = { withMembers: false, withGroups: false } as const;

  it('bumps a user added to or removed from a group, and only when something changed', async () => {
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

  it('leaves a member group alone: a Group shows no groups of its own', async () => {
    const inner = (await store.create(Group, group('V-Inner'), [])).id;
    const outer = (await store.create(Group, group('V-Outer'), [])).id;
    const v0 = (await store.get(Group, inner, noMembers))!.version;
    await store.update(Group, outer, { members: { add: [inner] }, ...noMembers });
    expect((await store.get(Group, inner, noMembers))!.version).toBe(v0);
  });
});

describe('SqliteStore migrations', () => {
  it('applies once, records them, and does not re-apply on reopen', async () => {
    const file = newFile();
    const logged: unknown[][] = [];
    const logger = { info: (...args: unknown[]) => logged.push(args) };
    await (await openSqliteStore({ file, registry, migrationsDir: migrations, logger })).close();
    await (await openSqliteStore({ file, registry, migrationsDir: migrations, logger })).close();
    expect(logged).toEqual([[{ migrations: ['0001_init.sql'] }, 'applied database migrations']]);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare('SELECT name FROM schema_migrations').all()).toEqual([{ name: '0001_init.sql' }]);
    } finally {
      db.close();
    }
  });

  it('refuses to start when an applied migration changed', async () => {
    const file = newFile();
    const changed = join(dir, 'changed');
    writeMigrations(changed);
    await (await open(file, changed)).close();
    writeFileSync(join(changed, '0001_init.sql'), '-- edited\n', { flag: 'a' });
    await expect(open(file, changed)).rejects.toThrow(/0001_init\.sql changed after it was applied/);
  });

  it('refuses to start when an applied migration is missing', async () => {
    const file = newFile();
    const gone = join(dir, 'gone');
    writeMigrations(gone);
    writeFileSync(join(gone, '0002_extra.sql'), 'CREATE TABLE extra (x INTEGER);\n');
    await (await open(file, gone)).close();
    rmSync(join(gone, '0002_extra.sql'));
    await expect(open(file, gone)).rejects.toThrow(/0002_extra\.sql was applied .* not in/);
  });

  it("adds each user's row copy of their groups to a database made before it, filled from the memberships", async () => {
    // The storage plan as recorded before types showed groups: 0001 without the member_of column.
    const current = storagePlan(registry);
    const older = { tables: current.tables.map(({ showsGroups: _shown, ...table }) => table) };
    const first = projectMigrations(sqliteAdapter.migrations!, older);
    const next = projectMigrations(sqliteAdapter.migrations!, current, {
      storagePlan: first.recorded,
      migrations: new Map(first.files.map((f) => [f.path, f.content])),
    });
    expect(next.files.map((f) => f.path)).toEqual(['migrations/sqlite/0001_init.sql', expect.stringMatching(/0002_\w+\.sql$/)]);
    const write = (name: string, files: typeof next.files) => {
      const target = join(dir, name);
      mkdirSync(target);
      for (const f of files) writeFileSync(join(target, f.path.split('/').pop()!), f.content);
      return target;
    };
    const migrationsDir = write('after-member-of', next.files);

    // Rows as the earlier store wrote them, on a database migrated by 0001 alone.
    const file = newFile();
    const old = new Database(file);
    registerFunctions(old);
    migrate(old, write('before-member-of', first.files));
    const insert = (table: string, id: string, document: object, extra = '') =>
      old.exec(
        `INSERT INTO ${table} (id, version, created, last_modified, document${extra ? ', display_name' : ''}) ` +
          `VALUES ('${id}', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '${JSON.stringify(document)}'${extra ? `, '${extra}'` : ''})`,
      );
    insert('users', 'u1', { schemas: [USER], userName: 'ada' });
    insert('users', 'u2', { schemas: [USER], userName: 'bob' });
    insert('groups', 'g1', { schemas: [GROUP], displayName: 'Staff' }, 'Staff');
    insert('groups', 'g2', { schemas: [GROUP], displayName: 'Admins' }, 'Admins');
    old.exec(`INSERT INTO group_members (owner_id, member_id, member_type) VALUES ('g2', 'u1', 'User'), ('g1', 'u1', 'User')`);
    old.close();

    const store = await open(file, migrationsDir);
    try {
      const groupsOf = async (id: string) => (await store.get(User, id, { withMembers: false, withGroups: true }))?.groups;
      expect(await groupsOf('u1')).toEqual([
        { value: 'g2', type: 'Group', display: 'Admins' },
        { value: 'g1', type: 'Group', display: 'Staff' },
      ]);
      expect(await groupsOf('u2')).toEqual([]);
      // And the store keeps the copy from here on.
      await store.update(Group, 'g1', { members: { add: ['u2'] }, withMembers: false, withGroups: false });
      expect(await groupsOf('u2')).toEqual([{ value: 'g1', type: 'Group', display: 'Staff' }]);
    } finally {
      await store.close();
    }
  });

  it('refuses to start when the tables lack a column the schemas need', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, '0001_init.sql'), 'CREATE TABLE users (id TEXT PRIMARY KEY);\n');
    await expect(open(newFile(), empty)).rejects.toThrow(/Table users has no column version/);
  });
});
