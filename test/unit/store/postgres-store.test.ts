// The real PostgreSQL store on a real server (TEST_DATABASE_URL, default the local one as user
// postgres), with the migrations the generator emits: the shared contract, then what is
// PostgreSQL's own (migrations under an advisory lock, lost connections, start-up errors).
// Every database it uses is created for this run and dropped after it.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { postgresMigrations } from '../../../templates/database-postgres/generator/migrations.js';
import { parseFilter } from '../../../templates/scim/filter/parse.js';
import type { Registry } from '../../../templates/scim/registry.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ResourceStore } from '../../../templates/scim/store.js';
import { createStore, openPostgresStore } from '../../../templates/database-postgres/index.js';
import { testDatabase } from '../../../templates/database-postgres/testing.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { describeStoreContract, inTenant, query, registry, rejection, User, user, type StoreHarness, type TenantStore } from './contract.js';

let dir: string;
let migrations: string;

function writeMigrations(target: string, reg: Registry = registry): void {
  mkdirSync(target, { recursive: true });
  for (const m of postgresMigrations(storagePlan(reg))) writeFileSync(join(target, m.name), m.sql);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scim-pg-store-'));
  migrations = join(dir, 'migrations');
  writeMigrations(migrations);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (url: string, migrationsDir = migrations, logger?: { info: (...args: unknown[]) => void }) =>
  openPostgresStore({ url: new URL(url), poolSize: 5, registry, migrationsDir, logger });

/** A client of its own on the database, past the store. */
async function sql<T extends pg.QueryResultRow>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/**
 * The role the stores of the contract connect as: no superuser and no BYPASSRLS, so row-level
 * security applies to it (superusers bypass it), and it owns the tables it migrates, as a
 * server's own role does. Every contract case then runs under the policies too.
 */
const SERVER = process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres';
const role = `scim_rls_${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  await sql(SERVER, `CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS`);
});
afterAll(async () => {
  await sql(SERVER, `DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
});

/** A new database the role may create tables in; `url` connects as the superuser, `asRole` as the role. */
async function roleDatabase() {
  const database = await testDatabase();
  const url = database.env.DATABASE_URL!;
  await sql(url, `GRANT CREATE, USAGE ON SCHEMA public TO ${role}`);
  const asRole = new URL(url);
  asRole.username = role;
  asRole.password = '';
  return { url, asRole: asRole.href, cleanup: database.cleanup };
}

const harness: StoreHarness = {
  async database() {
    const database = await roleDatabase();
    const url = database.url;
    return {
      open: () => open(database.asRole),
      reopens: true,
      async countRows(table, column, values) {
        const rows = await sql<{ n: number }>(
          url,
          `SELECT COUNT(*)::int AS n FROM "${table}" WHERE "${column}" = ANY($1)`,
          [values],
        );
        return rows[0]!.n;
      },
      drop: () => database.cleanup(),
    };
  },
  countQueries() {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    return {
      get count() {
        // Transaction control, and pointing a connection at another tenant (driver.ts), are no reads.
        return spy.mock.calls.filter(
          ([text]) => typeof text === 'string' && !/^(BEGIN|COMMIT|ROLLBACK|SET\b|SELECT set_config\()/.test(text),
        ).length;
      },
    };
  },
};

describeStoreContract('PostgresStore', harness);

describe('PostgresStore on its own', () => {
  let url: string;
  let cleanup: () => Promise<void>;
  let store: TenantStore;
  beforeAll(async () => {
    const database = await testDatabase();
    url = database.env.DATABASE_URL!;
    cleanup = database.cleanup;
    store = inTenant(await open(url), DEFAULT_TENANT);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });
  afterEach(() => vi.restoreAllMocks());

  it('answers the email filters identity providers send from the email index', async () => {
    await store.create(User, user('indexed', { emails: [{ value: 'Indexed@Example.com', type: 'work' }] }), []);
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    for (const filter of ['emails.value eq "indexed@example.com"', 'emails[type eq "work"].value eq "INDEXED@example.com"']) {
      expect((await store.list(User, query({ filter: parseFilter(filter) }))).totalResults).toBe(1);
    }
    // One page each (a short page tells its total: no COUNT).
    const pages = spy.mock.calls.flatMap(([text]) => (typeof text === 'string' && text.includes('FROM "users" r') ? [text] : []));
    spy.mockRestore();
    // Spelled exactly as the GIN index's expression, which PostgreSQL can then use:
    const lookup = `scim_folded_values(r."document" -> 'emails', 'value') @> ARRAY[`;
    expect(pages).toEqual([expect.stringContaining(lookup), expect.stringContaining(lookup)]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off'); // a few rows: make the planner show it can
      const plan = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM users r WHERE scim_folded_values(r."document" -> 'emails', 'value') @> ARRAY[$1]::text[]`,
        ['indexed@example.com'],
      );
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('users_emails_value_idx');
    } finally {
      await client.end();
    }
  });

  it('refuses values PostgreSQL cannot store with 400, not 500', async () => {
    const nul = await rejection(store.create(User, user('a\u0000b'), []));
    expect(nul).toMatchObject({ status: 400, scimType: 'invalidValue' });
    const filtered = await rejection(store.list(User, query({ filter: parseFilter('title eq "a\\u0000b"') })));
    expect(filtered).toMatchObject({ status: 400 });
    // Too long for a B-tree index entry even compressed (random text does not compress).
    const huge = await rejection(store.create(User, user(randomBytes(6000).toString('base64')), []));
    expect(huge).toMatchObject({ status: 400, scimType: 'invalidValue' });
  });

  it('turns a connection lost mid-operation into 503, then serves again', async () => {
    const { id } = await store.create(User, user('held'), []);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Hold the row, so the update waits inside its transaction until its connection is cut.
      await admin.query('BEGIN');
      await admin.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
      const update = rejection(store.update(User, id, { attributes: user('held', { title: 'x' }), withMembers: false, withGroups: false }));
      await waitFor(async () => {
        const rows = await admin.query(
          `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows.rowCount! > 0;
      });
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      expect(await update).toMatchObject({ status: 503 });
      await admin.query('ROLLBACK');
    } finally {
      await admin.end();
    }
    await store.ping();
    expect((await store.get(User, id, { withMembers: false, withGroups: false }))?.version).toBe(1);
    expect((await store.update(User, id, { attributes: user('held', { title: 'y' }), withMembers: false, withGroups: false })).version).toBe(2);
  });
});

describe('PostgresStore start-up errors name DATABASE_URL, never its password', () => {
  let server: URL;
  beforeAll(() => {
    server = new URL(process.env.TEST_DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres');
  });

  const start = (env: Record<string, string>) => rejection(createStore({ env, registry }));

  it.each([
    [{}, /DATABASE_URL is not set/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'mysql://root:s3cret@127.0.0.1/scim' }, /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/, not mysql:\/\//],
    [{ DATABASE_URL: 'postgres://scim:s3cret@127.0.0.1:1/scim' }, /Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL\).*Is it running/],
    [{ DATABASE_URL: 'postgres://scim:s3cret@no-such-host.invalid/scim' }, /Cannot reach PostgreSQL at no-such-host\.invalid:5432/],
    [{ DATABASE_URL: 'postgres://127.0.0.1/scim', DATABASE_POOL_SIZE: 'lots' }, /DATABASE_POOL_SIZE must be a whole number/],
  ])('%j', async (env, message) => {
    const error = (await start(env)) as Error;
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cret');
  });

  it('names a database that does not exist', async () => {
    const missing = new URL(server.href);
    missing.pathname = '/scim_no_such_database';
    const error = (await start({ DATABASE_URL: missing.href })) as Error;
    expect(error.message).toMatch(/Database "scim_no_such_database" does not exist on .* DATABASE_URL/);
  });
});

describe('PostgresStore migrations', () => {
  const databases: Array<() => Promise<void>> = [];
  const fresh = async () => {
    const database = await testDatabase();
    databases.push(database.cleanup);
    return database.env.DATABASE_URL!;
  };
  afterAll(() => Promise.all(databases.map((cleanup) => cleanup())), 30_000);

  it('applies once, records them, and does not re-apply on reopen', async () => {
    const url = await fresh();
    const logged: unknown[][] = [];
    const logger = { info: (...args: unknown[]) => logged.push(args) };
    await (await open(url, migrations, logger)).close();
    await (await open(url, migrations, logger)).close();
    expect(logged).toEqual([[{ migrations: ['0001_init.sql'] }, 'applied database migrations']]);
    expect(await sql(url, 'SELECT name FROM schema_migrations')).toEqual([{ name: '0001_init.sql' }]);
  });

  it('applies them once when several instances start together', async () => {
    const url = await fresh();
    const logged: unknown[][] = [];
    const logger = { info: (...args: unknown[]) => logged.push(args) };
    const stores = await Promise.all(Array.from({ length: 4 }, () => open(url, migrations, logger)));
    for (const s of stores) await s.close();
    expect(logged).toEqual([[{ migrations: ['0001_init.sql'] }, 'applied database migrations']]);
  });

  it('refuses to start when an applied migration changed', async () => {
    const url = await fresh();
    const changed = join(dir, 'changed');
    writeMigrations(changed);
    await (await open(url, changed)).close();
    writeFileSync(join(changed, '0001_init.sql'), '-- edited\n', { flag: 'a' });
    await expect(open(url, changed)).rejects.toThrow(/0001_init\.sql changed after it was applied/);
  });

  it('refuses to start when an applied migration is missing', async () => {
    const url = await fresh();
    const gone = join(dir, 'gone');
    writeMigrations(gone);
    writeFileSync(join(gone, '0002_extra.sql'), 'CREATE TABLE extra (x integer);\n');
    await (await open(url, gone)).close();
    rmSync(join(gone, '0002_extra.sql'));
    await expect(open(url, gone)).rejects.toThrow(/0002_extra\.sql was applied .* not in/);
  });

  it('rolls back a failing migration whole, naming it', async () => {
    const url = await fresh();
    const broken = join(dir, 'broken');
    writeMigrations(broken);
    writeFileSync(join(broken, '0002_broken.sql'), 'CREATE TABLE half (x integer);\nSELECT no_such_function();\n');
    await expect(open(url, broken)).rejects.toThrow(/Migration 0002_broken\.sql failed: function no_such_function/);
    expect(await sql(url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
    expect(await sql(url, 'SELECT name FROM schema_migrations')).toEqual([{ name: '0001_init.sql' }]);
  });

  it('refuses to start when the tables lack a column the schemas need', async () => {
    const url = await fresh();
    const empty = join(dir, 'empty');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, '0001_init.sql'), 'CREATE TABLE users (id text PRIMARY KEY);\n');
    await expect(open(url, empty)).rejects.toThrow(/Table users has no column version/);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('PostgreSQL row-level security: a second line behind the tenant in every statement', () => {
  it("shows a role that is no superuser only its tenant's rows, even in a query without the tenant", async () => {
    const database = await roleDatabase();
    const store = await open(database.asRole);
    const client = new pg.Client({ connectionString: database.asRole });
    await client.connect();
    try {
      const acme = await store.tenants.createTenant({ slug: 'acme', name: 'Acme', idp: 'okta' });
      const mine = await store.create(DEFAULT_TENANT, User, user('same-name'), []);
      const theirs = await store.create(acme.key, User, user('same-name'), []);
      // Five connections, two tenants taking turns: each transaction finds its tenant set.
      for (let i = 0; i < 10; i++) {
        const tenant = i % 2 === 0 ? DEFAULT_TENANT : acme.key;
        const page = await store.list(tenant, User, query());
        expect(page.resources.map((r) => r.id)).toEqual([tenant === DEFAULT_TENANT ? mine.id : theirs.id]);
      }

      const ids = async () => (await client.query<{ id: string }>('SELECT id FROM users ORDER BY id')).rows.map((r) => r.id);
      // No tenant set on this connection: no rows at all.
      expect(await ids()).toEqual([]);
      await client.query("SELECT set_config('scim.tenant', $1, false)", [String(DEFAULT_TENANT)]);
      expect(await ids()).toEqual([mine.id]);
      await client.query("SELECT set_config('scim.tenant', $1, false)", [String(acme.key)]);
      expect(await ids()).toEqual([theirs.id]);
      // Writes are held to it as well: an UPDATE without WHERE changes its own row only, and a
      // row of another tenant cannot be written.
      expect((await client.query('UPDATE users SET version = version + 1')).rowCount).toBe(1);
      const insert = client.query(
        `INSERT INTO users (id, tenant, version, created, last_modified, document) VALUES ('x', 1, 1, 'a', 'a', '{}')`,
      );
      await expect(insert).rejects.toThrow(/row-level security/);
      // The superuser bypasses the policies: why this test connects as a role of its own.
      expect((await sql<{ n: number }>(database.url, 'SELECT COUNT(*)::int AS n FROM users'))[0]!.n).toBe(2);

      // Removing a tenant, under the policies, removes its rows and nothing of another.
      await store.tenants.removeTenant(acme.key);
      expect(await ids()).toEqual([]);
      expect((await store.get(DEFAULT_TENANT, User, mine.id, { withMembers: false, withGroups: false }))?.version).toBe(1);
    } finally {
      await client.end();
      await store.close();
      await database.cleanup();
    }
  });
});
