// A schema change on a database that holds data, on real SQLite, PostgreSQL and MariaDB: the
// first migration for the old schemas is applied and rows are written through the real store;
// then the migration regeneration adds (0002) is applied by the same store code at start, and
// the rows must still be there, their new key columns filled from their documents, and filters
// and uniqueness must work on them. Each run uses a database of its own and drops it.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapter as mysqlAdapter } from '../../../templates/database-mysql/adapter.js';
import { adapter as postgresAdapter } from '../../../templates/database-postgres/adapter.js';
import { adapter as sqliteAdapter } from '../../../templates/database-sqlite/adapter.js';
import type { DatabaseAdapter } from '../../../src/adapters/types.js';
import { projectMigrations } from '../../../src/emit/migration-history.js';
import { ScimError } from '../../../templates/scim/errors.js';
import { parseFilter } from '../../../templates/scim/filter/parse.js';
import type { Registry } from '../../../templates/scim/registry.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ResourceStore, ScimObject } from '../../../templates/scim/store.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { inTenant, query, type TenantStore } from './contract.js';
import { openMysqlStore } from '../../../templates/database-mysql/index.js';
import { testDatabase as mysqlDatabase } from '../../../templates/database-mysql/testing.js';
import { openPostgresStore } from '../../../templates/database-postgres/index.js';
import { testDatabase as postgresDatabase } from '../../../templates/database-postgres/testing.js';
import { openSqliteStore } from '../../../templates/database-sqlite/store.js';
import { registryA, registryB, ACME_URN, DEVICE_URN } from '../emit/schema-change-fixtures.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

interface Engine {
  name: string;
  adapter: DatabaseAdapter;
  /** A new database; `open` runs the store's own migration step on it. */
  database(): Promise<{
    open(registry: Registry, migrationsDir: string): Promise<TenantStore>;
    /** The store itself, every tenant's. */
    openStore(registry: Registry, migrationsDir: string): Promise<ResourceStore>;
    /** Runs SQL past the store (no parameters: test data only). */
    exec(sql: string): Promise<void>;
    /** The column names of a table, read past the store. */
    columns(table: string): Promise<string[]>;
    drop(): Promise<void>;
  }>;
}

const engines: Engine[] = [
  {
    name: 'SQLite',
    adapter: sqliteAdapter,
    async database() {
      const file = join(workDir, `scim-${Math.random().toString(36).slice(2)}.sqlite`);
      return {
        open: async (registry, migrationsDir) => inTenant(await openSqliteStore({ file, registry, migrationsDir }), DEFAULT_TENANT),
        openStore: (registry, migrationsDir) => openSqliteStore({ file, registry, migrationsDir }),
        async exec(sql) {
          const db = new Database(file);
          try {
            db.exec(sql);
          } finally {
            db.close();
          }
        },
        async columns(table) {
          const db = new Database(file, { readonly: true });
          try {
            return db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((r) => r.name);
          } finally {
            db.close();
          }
        },
        drop: async () => rmSync(file, { force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    adapter: postgresAdapter,
    async database() {
      const database = await postgresDatabase();
      const url = new URL(database.env.DATABASE_URL!);
      return {
        open: async (registry, migrationsDir) => inTenant(await openPostgresStore({ url, poolSize: 3, registry, migrationsDir }), DEFAULT_TENANT),
        openStore: (registry, migrationsDir) => openPostgresStore({ url, poolSize: 3, registry, migrationsDir }),
        async exec(sql) {
          const client = new pg.Client({ connectionString: url.href });
          await client.connect();
          try {
            await client.query(sql);
          } finally {
            await client.end();
          }
        },
        async columns(table) {
          const client = new pg.Client({ connectionString: url.href });
          await client.connect();
          try {
            const result = await client.query<{ name: string }>(
              'SELECT column_name AS name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()',
              [table],
            );
            return result.rows.map((r) => r.name);
          } finally {
            await client.end();
          }
        },
        drop: () => database.cleanup(),
      };
    },
  },
  {
    name: 'MariaDB',
    adapter: mysqlAdapter,
    async database() {
      const database = await mysqlDatabase();
      const url = new URL(database.env.DATABASE_URL!);
      return {
        open: async (registry, migrationsDir) => inTenant(await openMysqlStore({ url, poolSize: 3, registry, migrationsDir }), DEFAULT_TENANT),
        openStore: (registry, migrationsDir) => openMysqlStore({ url, poolSize: 3, registry, migrationsDir }),
        async exec(sql) {
          const connection = await mysql.createConnection({ uri: url.href, multipleStatements: true });
          try {
            await connection.query(sql);
          } finally {
            await connection.end();
          }
        },
        async columns(table) {
          const connection = await mysql.createConnection({ uri: url.href });
          try {
            const [rows] = await connection.query<Array<{ name: string } & mysql.RowDataPacket>>(
              'SELECT column_name AS name FROM information_schema.columns WHERE table_name = ? AND table_schema = DATABASE()',
              [table],
            );
            return rows.map((r) => r.name);
          } finally {
            await connection.end();
          }
        },
        drop: () => database.cleanup(),
      };
    },
  },
];

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'scim-schema-change-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Writes a project's migrations/<dir>/ as generation would: the first for A, then A -> B. */
function migrationDirs(adapter: DatabaseAdapter) {
  const m = adapter.migrations!;
  const first = projectMigrations(m, storagePlan(registryA()));
  const history = {
    storagePlan: first.recorded,
    migrations: new Map(first.files.map((f) => [f.path, f.content])),
  };
  const next = projectMigrations(m, storagePlan(registryB()), history);
  const root = mkdtempSync(join(workDir, `${m.dir}-`));
  const write = (name: string, files: Array<{ path: string; content: string }>) => {
    const dir = join(root, name);
    mkdirSync(dir);
    for (const f of files) writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
    return dir;
  };
  return { before: write('a', first.files), after: write('b', next.files), next };
}

const user = (userName: string, acme: ScimObject = {}): ScimObject => ({
  schemas: [USER, ACME_URN],
  userName,
  [ACME_URN]: acme,
});
const list = async (store: TenantStore, registry: Registry, type: string, filter: string) =>
  (
    await store.list(registry.byName(type)!, {
      filter: parseFilter(filter),
      sortOrder: 'ascending',
      startIndex: 1,
      count: 100,
      withMembers: false,
      withGroups: false,
    })
  ).resources.map((r) => r.attributes.userName ?? r.attributes.serialNumber);

async function rejection(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe.each(engines)('a schema change on $name', (engine) => {
  it('adds exactly one numbered migration, and keeps the first byte for byte', () => {
    const { next } = migrationDirs(engine.adapter);
    const names = next.files.map((f) => f.path.split('/').pop());
    expect(names).toEqual(['0001_init.sql', expect.stringMatching(/^0002_[a-z0-9_]+\.sql$/)]);
    expect(next.files[0]!.existing).toBe(true);
    expect(next.warnings).toEqual([]);
  });

  it('keeps stored rows, fills the new key columns from them, and enforces the new rules', async () => {
    const { before, after } = migrationDirs(engine.adapter);
    const db = await engine.database();
    try {
      const a = registryA();
      const old = await db.open(a, before);
      const alice = await old.create(a.byName('User')!, user('alice', { badge: 'B-1', legacyId: 'L-1', code: 'AbC', site: 'Oslo' }), []);
      // A word-final capital sigma: JavaScript folds it to "ς", MariaDB's LOWER() to "σ".
      const bob = await old.create(a.byName('User')!, user('bob', { badge: 'ΟΔΟΣ', code: 'abd' }), []);
      await old.create(a.byName('User')!, { schemas: [USER], userName: 'carol' }, []);
      const team = await old.create(a.byName('Group')!, { schemas: [GROUP], displayName: 'team' }, [alice.id]);
      await old.close();
      expect(await db.columns('users')).toContain('legacy_id');

      const b = registryB();
      const store = await db.open(b, after);
      try {
        const User = b.byName('User')!;
        // Every row and every attribute survived, the removed one included (in the document).
        const got = await store.get(User, alice.id, { withMembers: false, withGroups: false });
        expect(got?.attributes[ACME_URN]).toEqual({ badge: 'B-1', legacyId: 'L-1', code: 'AbC', site: 'Oslo' });
        expect((await store.get(b.byName('Group')!, team.id, { withMembers: true, withGroups: false }))?.members?.map((m) => m.value)).toEqual([
          alice.id,
        ]);
        // badge became unique: its folded column was filled from the documents.
        expect(await list(store, b, 'User', `${ACME_URN}:badge eq "b-1"`)).toEqual(['alice']);
        expect(await list(store, b, 'User', `${ACME_URN}:badge eq "οδος"`)).toEqual(['bob']);
        const taken = await rejection(store.create(User, user('dave', { badge: 'b-1' }), []));
        expect(taken).toBeInstanceOf(ScimError);
        expect((taken as ScimError).status).toBe(409);
        // code stopped being case-exact: it now matches ignoring case, and is unique that way.
        expect(await list(store, b, 'User', `${ACME_URN}:code eq "abc"`)).toEqual(['alice']);
        expect(((await rejection(store.create(User, user('erin', { code: 'ABD' }), []))) as ScimError).status).toBe(409);
        // site became case-exact: only its exact value matches, and other cases are other values.
        expect(await list(store, b, 'User', `${ACME_URN}:site eq "Oslo"`)).toEqual(['alice']);
        expect(await list(store, b, 'User', `${ACME_URN}:site eq "oslo"`)).toEqual([]);
        await store.create(User, user('gina', { site: 'OSLO' }), []);
        // The new attribute is a key column from now on.
        await store.create(User, user('frank', { tier: 'Gold' }), []);
        expect(await list(store, b, 'User', `${ACME_URN}:tier eq "gold"`)).toEqual(['frank']);
        // The removed attribute's column is gone; its values stay in the documents.
        const columns = await db.columns('users');
        expect(columns).not.toContain('legacy_id');
        expect(columns).toEqual(expect.arrayContaining(['badge_fold', 'code_fold', 'tier_fold', 'site']));
        expect(columns).not.toContain('site_fold');
        // The new resource type has its table, and groups may now hold devices.
        const Device = b.byName('Device')!;
        const device = await store.create(Device, { schemas: [DEVICE_URN], serialNumber: 'SN-1' }, []);
        expect(await list(store, b, 'Device', 'serialNumber eq "sn-1"')).toEqual(['SN-1']);
        expect(((await rejection(store.create(Device, { schemas: [DEVICE_URN], serialNumber: 'sn-1' }, []))) as ScimError).status).toBe(409);
        await store.update(b.byName('Group')!, team.id, { members: { add: [device.id] }, withMembers: false, withGroups: false });
        const members = (await store.get(b.byName('Group')!, team.id, { withMembers: true, withGroups: false }))?.members ?? [];
        expect(members.map((m) => [m.value, m.type])).toEqual([
          [alice.id, 'User'],
          [device.id, 'Device'],
        ]);
        void bob;
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('fails the migration, naming the clash, when stored values break a new unique key', async () => {
    const { before, after } = migrationDirs(engine.adapter);
    const db = await engine.database();
    try {
      const a = registryA();
      const old = await db.open(a, before);
      // Distinct while code is case-exact; the same once it ignores case.
      await old.create(a.byName('User')!, user('alice', { code: 'X1' }), []);
      await old.create(a.byName('User')!, user('bob', { code: 'x1' }), []);
      await old.close();
      const error = await rejection(db.open(registryB(), after));
      const message = (error as Error).message;
      expect(message).toMatch(/^Migration 0002_\w+\.sql failed/);
      // Per tenant: the key leads with the tenant (1, where every row of this database is).
      expect(message).toMatch(
        /UNIQUE constraint failed: users\.tenant, users\.code_fold|could not create unique index "users_code_fold_key"|Duplicate entry '1-x1' for key 'users_code_fold_key'/,
      );
      if (engine.name !== 'MariaDB') {
        // SQLite and PostgreSQL roll the whole migration back: the old store still opens, rows intact.
        const again = await db.open(a, before);
        try {
          expect((await list(again, a, 'User', 'userName pr')).sort()).toEqual(['alice', 'bob']);
        } finally {
          await again.close();
        }
        expect(await db.columns('users')).toContain('legacy_id');
      }
    } finally {
      await db.drop();
    }
  });

  it('refuses to start when an applied migration was edited', async () => {
    const { before, after } = migrationDirs(engine.adapter);
    const db = await engine.database();
    try {
      await (await db.open(registryA(), before)).close();
      const first = join(after, '0001_init.sql');
      writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- an edit\n`);
      const error = await rejection(db.open(registryB(), after));
      expect((error as Error).message).toMatch(/0001_init\.sql changed after it was applied/);
    } finally {
      await db.drop();
    }
  });

  it('upgrades a database made before events: a migration of its own adds the outbox, and writes go with events', async () => {
    const m = engine.adapter.migrations!;
    const { events: _events, ...plan } = storagePlan(registryA());
    const first = projectMigrations(m, plan);
    expect(first.files[0]!.content).not.toContain('events');
    const next = projectMigrations(m, storagePlan(registryA()), {
      storagePlan: first.recorded,
      migrations: new Map(first.files.map((f) => [f.path, f.content])),
    });
    expect(next.files.map((f) => f.path.split('/').pop())).toEqual(['0001_init.sql', '0002_events.sql']);
    expect(next.recorded?.events).toBe(true);
    const dir = mkdtempSync(join(workDir, `events-${m.dir}-`));
    for (const f of next.files) writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
    const db = await engine.database();
    try {
      const a = registryA();
      const store = await db.openStore(a, dir);
      try {
        const created = await store.create(DEFAULT_TENANT, a.byName('User')!, user('Eve'), [], {
          id: '00000000-0000-4000-8000-000000000001',
          time: new Date().toISOString(),
          resourceType: 'User',
          kind: 'create',
          attributes: ['userName'],
          requestId: 'r1',
          actor: { credentialId: null, via: 'scim' },
        });
        const [event] = await store.events.list({ resourceId: created.id, limit: 5 });
        expect(event).toMatchObject({ kind: 'create', version: 1, tenant: DEFAULT_TENANT, resourceId: created.id });
      } finally {
        await store.close();
      }
    } finally {
      await db.drop();
    }
  });

  it('upgrades a database made before tenancy: its rows become tenant 1, unique per tenant from then on', async () => {
    const m = engine.adapter.migrations!;
    // The project as an earlier generator wrote it: no tenant column, no tenants table, no events, no counts.
    const { tenants: _tenants, events: _events, counts: _counts, ...plan } = storagePlan(registryA());
    const first = projectMigrations(m, plan);
    expect(first.files[0]!.content).not.toContain('tenant');
    const next = projectMigrations(m, storagePlan(registryA()), {
      storagePlan: first.recorded,
      migrations: new Map(first.files.map((f) => [f.path, f.content])),
    });
    expect(next.files.map((f) => f.path.split('/').pop())).toEqual(['0001_init.sql', '0002_tenants_events.sql']);
    const root = mkdtempSync(join(workDir, `tenancy-${m.dir}-`));
    const write = (name: string, files: Array<{ path: string; content: string }>) => {
      const dir = join(root, name);
      mkdirSync(dir);
      for (const f of files) writeFileSync(join(dir, f.path.split('/').pop()!), f.content);
      return dir;
    };
    const db = await engine.database();
    try {
      const a = registryA();
      // Today's server refuses the old tables, after applying 0001 to the empty database.
      expect(String(await rejection(db.openStore(a, write('before', first.files))))).toMatch(/has no column tenant/);
      const at = "'2026-01-01T00:00:00.000Z'";
      const doc = (value: object) => `'${JSON.stringify(value)}'`;
      await db.exec(
        `INSERT INTO users (id, version, created, last_modified, document, user_name, user_name_fold) VALUES ` +
          `('u-alice', 1, ${at}, ${at}, ${doc(user('Alice'))}, 'Alice', 'alice'), ` +
          `('u-bob', 1, ${at}, ${at}, ${doc(user('bob'))}, 'bob', 'bob');` +
          `INSERT INTO groups (id, version, created, last_modified, document, display_name, display_name_fold) VALUES ` +
          `('g-team', 1, ${at}, ${at}, ${doc({ schemas: [GROUP], displayName: 'team' })}, 'team', 'team');` +
          `INSERT INTO group_members (owner_id, member_id, member_type) VALUES ('g-team', 'u-alice', 'User');`,
      );

      const store = await db.openStore(a, write('after', next.files));
      try {
        const User = a.byName('User')!;
        const Group = a.byName('Group')!;
        const one = inTenant(store, DEFAULT_TENANT);
        expect(await store.tenants.getTenant(DEFAULT_TENANT)).toMatchObject({ slug: 'default', idp: 'other', disabled: false });
        expect(await list(one, a, 'User', 'userName eq "ALICE"')).toEqual(['Alice']);
        expect((await one.get(Group, 'g-team', { withMembers: true, withGroups: false }))?.members?.map((x) => x.value)).toEqual(['u-alice']);
        expect(await rejection(one.create(User, user('alice'), []))).toMatchObject({ status: 409 });

        // A second tenant: the same names are free there, and it sees nothing of tenant 1.
        const acme = await store.tenants.createTenant({ slug: 'acme', name: 'Acme', idp: 'okta' });
        expect(acme.key).not.toBe(DEFAULT_TENANT);
        const other = inTenant(store, acme.key);
        expect(await list(other, a, 'User', 'userName pr')).toEqual([]);
        await other.create(User, user('alice'), []);
        expect(await list(other, a, 'User', 'userName pr')).toEqual(['alice']);
        expect(await list(one, a, 'User', 'userName pr')).toEqual(['Alice', 'bob']);
        // Unfiltered totals: the rows from before the upgrade were counted by it, per tenant.
        expect((await one.list(User, query({ count: 0 }))).totalResults).toBe(2);
        expect((await one.list(Group, query({ count: 0 }))).totalResults).toBe(1);
        expect((await other.list(User, query({ count: 0 }))).totalResults).toBe(1);
        expect(await other.get(User, 'u-alice', { withMembers: false, withGroups: false })).toBeUndefined();
        expect(await rejection(other.create(Group, { schemas: [GROUP], displayName: 'team' }, ['u-alice']))).toMatchObject({ status: 400 });
        const credential = await store.tenants.addCredential({ tenant: acme.key, kind: 'token', label: 'x', secretHash: 'ab'.repeat(32) });
        expect((await store.tenants.findCredential('ab'.repeat(32)))?.credential.id).toBe(credential.id);
      } finally {
        await store.close();
      }
      expect(await db.columns('group_members')).toContain('tenant');
    } finally {
      await db.drop();
    }
  });
});
