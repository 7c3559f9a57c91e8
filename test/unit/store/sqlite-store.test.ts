// The real SQLite store on a real temporary file, with the migrations the generator emits.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapter as sqliteAdapter } from '../../../templates/database-sqlite/adapter.js';
import { projectMigrations } from '../../../src/emit/migration-history.js';
import { sqliteMigrations } from '../../../templates/database-sqlite/generator/migrations.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ScimObject } from '../../../templates/scim/store.js';
import { registerFunctions } from '../../../templates/database-sqlite/dialect.js';
import { migrate } from '../../../templates/database-sqlite/migrate.js';
import { openSqliteStore } from '../../../templates/database-sqlite/store.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { inTenant } from './contract.js';
import { storeTestRegistry } from './test-schema.js';

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

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

// What every store promises (CRUD, filters, paging, membership, groups, versions) runs on SQLite
// in contract.test.ts; these are what only SQLite has: its busy lock and its migrations.

describe('SqliteStore locking', () => {
  it('turns a lock held by another connection into 503 once the busy timeout passes', async () => {
    const file = newFile();
    const impatient = await openSqliteStore({ file, registry, migrationsDir: migrations, busyTimeoutMs: 20 });
    const holder = new Database(file);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const error = await rejection(impatient.create(DEFAULT_TENANT, User, user('blocked'), []));
      expect(error).toMatchObject({ status: 503, message: expect.stringContaining('SQLITE_BUSY') });
      holder.exec('ROLLBACK');
      expect((await impatient.create(DEFAULT_TENANT, User, user('unblocked'), [])).version).toBe(1);
    } finally {
      holder.close();
      await impatient.close();
    }
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
    // And before tenancy: no tenant columns, no tenants table (the migration adds those too).
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

    const store = inTenant(await open(file, migrationsDir), DEFAULT_TENANT);
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
