// The real MySQL / MariaDB store on a real server (TEST_DATABASE_URL, default the local one as
// root), with the migrations the generator emits: the shared contract, then the email-value
// index, which MySQL and MariaDB keep in a table of their own that the store writes with every
// write. Every database it uses is created for this run and dropped after it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlMigrations } from '../../../templates/database-mysql/generator/migrations.js';
import { matchesFilter } from '../../../templates/scim/filter/evaluate.js';
import { parseFilter } from '../../../templates/scim/filter/parse.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ResourceStore, ScimObject } from '../../../templates/scim/store.js';
import { mysqlDialect } from '../../../templates/database-mysql/dialect.js';
import { MysqlDriver } from '../../../templates/database-mysql/driver.js';
import { openMysqlStore } from '../../../templates/database-mysql/index.js';
import { testDatabase } from '../../../templates/database-mysql/testing.js';
import type { SqlConnection, SqlDriver } from '../../../templates/database-sql/driver.js';
import { openSqlStore } from '../../../templates/database-sql/store.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { describeStoreContract, inTenant, query, registry, User, user, type StoreHarness, type TenantStore } from './contract.js';

let dir: string;
let migrations: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scim-mysql-store-'));
  migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  for (const m of mysqlMigrations(storagePlan(registry))) writeFileSync(join(migrations, m.name), m.sql);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const open = (url: string) => openMysqlStore({ url: new URL(url), poolSize: 5, registry, migrationsDir: migrations });

/** A connection of its own on the database, past the store. */
async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const connection = await mysql.createConnection({ uri: url, charset: 'UTF8MB4_BIN' });
  try {
    const [rows] = await connection.query(text, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

const harness: StoreHarness = {
  foldsWithOlderCaseTables: true,
  async database() {
    const database = await testDatabase();
    const url = database.env.DATABASE_URL!;
    return {
      open: () => open(url),
      reopens: true,
      async countRows(table, column, values) {
        const rows = await sql<{ n: number }>(url, `SELECT COUNT(*) AS n FROM \`${table}\` WHERE \`${column}\` IN (?)`, [values]);
        return Number(rows[0]!.n);
      },
      drop: () => database.cleanup(),
    };
  },
};

describeStoreContract('MysqlStore', harness);

/** A driver that records the statements its transactions run. */
function recording(driver: SqlDriver, statements: Array<{ sql: string; params: readonly unknown[] }>): SqlDriver {
  const wrap = (db: SqlConnection): SqlConnection => ({
    query: (text, params = []) => (statements.push({ sql: text, params }), db.query(text, params)),
    execute: (text, params = []) => (statements.push({ sql: text, params }), db.execute(text, params)),
  });
  return Object.assign(Object.create(driver) as SqlDriver, {
    transaction: ((work, options) => driver.transaction((db) => work(wrap(db)), options)) as SqlDriver['transaction'],
  });
}

describe('MysqlStore: the emails.value index', () => {
  let url: string;
  let cleanup: () => Promise<void>;
  let store: TenantStore;
  /** The same database read through the filter alone, as before the index existed. */
  let unindexed: TenantStore;
  let pool: mysql.Pool;
  const statements: Array<{ sql: string; params: readonly unknown[] }> = [];

  const emails = (...list: Array<[value: string, type?: string]>) => ({
    emails: list.map(([value, type]) => (type ? { value, type } : { value })),
  });
  const long = 'x'.repeat(800);

  beforeAll(async () => {
    const database = await testDatabase();
    url = database.env.DATABASE_URL!;
    cleanup = database.cleanup;
    store = inTenant(await open(url), DEFAULT_TENANT);
    pool = mysql.createPool({ uri: url, charset: 'UTF8MB4_BIN', jsonStrings: true, connectionLimit: 2 });
    const { elementTables: _, ...withoutTables } = mysqlDialect;
    const plain = Object.assign(Object.create(new MysqlDriver(pool)) as SqlDriver, { dialect: withoutTables });
    unindexed = inTenant(await openSqlStore({ driver: plain, registry }), DEFAULT_TENANT);
  });
  afterAll(async () => {
    await store?.close();
    await unindexed?.close();
    await cleanup?.();
  });

  it('keeps the index table in step with create, replace and delete', async () => {
    const create = (name: string, rest: ScimObject) => store.create(User, user(name, rest), []);
    const replace = (id: string, name: string, rest: ScimObject) =>
      store.update(User, id, { attributes: user(name, rest), withMembers: false, withGroups: false });

    await create('alice', emails(['Alice@Example.COM', 'work'], ['alice@home.org', 'home']));
    await create('alice2', emails(['ALICE@example.com', 'home']));
    const bob = await create('bob', emails(['bob@example.com', 'work']));
    await replace(bob.id, 'bob', emails(['robert@example.com', 'work']));
    const carol = await create('carol', emails(['c1@x.org'], ['c2@x.org'], ['c3@x.org']));
    await replace(carol.id, 'carol', emails(['C3@x.org']));
    const dave = await create('dave', emails(['d1@x.org']));
    await replace(dave.id, 'dave', emails(['d1@x.org', 'work'], ['Dave@Work.org', 'work'], ['d3@x.org']));
    const erin = await create('erin', emails(['erin@example.com', 'work']));
    await store.delete(User, erin.id, {});
    await create('frank', emails(['a_b%c!d@x.org']));
    await create('gina', emails([`${long}@a.org`]));
    await create('hank', emails([`${long}@b.org`]));
    await create('ivan', { emails: [] });
    await create('judy', {});

    const rows = await sql<{ user_name: string; position: number; value_fold: string }>(
      url,
      'SELECT u.user_name, e.position, e.value_fold FROM users_emails_value e JOIN users u ON u.id = e.resource_id ' +
        "WHERE u.user_name IN ('bob', 'carol', 'dave') ORDER BY u.user_name, e.position",
    );
    expect(rows.map((r) => [r.user_name, Number(r.position), r.value_fold])).toEqual([
      ['bob', 0, 'robert@example.com'],
      ['carol', 0, 'c3@x.org'],
      ['dave', 0, 'd1@x.org'],
      ['dave', 1, 'dave@work.org'],
      ['dave', 2, 'd3@x.org'],
    ]);
    // A deleted user's rows go with it (ON DELETE CASCADE).
    expect(await sql(url, 'SELECT 1 FROM users_emails_value WHERE resource_id = ?', [erin.id])).toEqual([]);
    // Values longer than a key are keyed by their first 767 characters.
    const keys = await sql<{ n: number }>(url, 'SELECT COUNT(*) AS n FROM users_emails_value WHERE value_fold = ?', [long.slice(0, 767)]);
    expect(Number(keys[0]!.n)).toBe(2);
  });

  it.each([
    ['emails.value eq "alice@example.com"', ['alice', 'alice2']],
    ['emails eq "ALICE@HOME.ORG"', ['alice']],
    ['emails[type eq "work" and value eq "alice@example.com"]', ['alice']],
    ['emails[type eq "work"].value eq "ALICE@example.com"', ['alice']],
    ['emails[type eq "home" and value eq "alice@example.com"]', ['alice2']],
    ['emails.value eq "alice@example.com" and emails.value eq "alice@home.org"', ['alice']],
    ['emails.value eq "bob@example.com"', []],
    ['emails.value eq "robert@EXAMPLE.com"', ['bob']],
    ['emails.value eq "c1@x.org"', []],
    ['emails.value eq "c3@x.org"', ['carol']],
    ['emails[type eq "work" and value eq "dave@work.org"]', ['dave']],
    ['emails.value eq "erin@example.com"', []],
    ['emails.value sw "ALICE@"', ['alice', 'alice2']],
    ['emails[value sw "a_b%c!"]', ['frank']],
    ['emails.value sw "a%b"', []],
    ['emails.value sw "a_"', ['frank']],
    [`emails.value eq "${long}@a.org"`, ['gina']],
    [`emails.value sw "${long}@b"`, ['hank']],
    ['emails.value co "example"', ['alice', 'alice2', 'bob']],
    ['emails.value eq "c3@x.org" or userName eq "judy"', ['carol', 'judy']],
    ['not (emails.value eq "alice@example.com")', ['bob', 'carol', 'dave', 'frank', 'gina', 'hank', 'ivan', 'judy']],
  ])('%s matches what the engine and the unindexed filter match', async (text, want) => {
    const filter = parseFilter(text);
    const names = async (s: TenantStore) =>
      (await s.list(User, query({ filter }))).resources.map((r) => r.attributes.userName as string).sort();
    const everyone = (await store.list(User, query())).resources;
    const engine = everyone.filter((r) => matchesFilter(filter, r.attributes, User)).map((r) => r.attributes.userName);
    expect(await names(store)).toEqual(want);
    expect(engine.sort()).toEqual(want);
    expect(await names(unindexed)).toEqual(want);
    expect((await store.list(User, query({ filter, count: 0 }))).totalResults).toBe(want.length);
  });

  it('answers emails.value eq and sw from the index (EXPLAIN)', async () => {
    // Enough users that reading them all would cost something, then fresh statistics.
    for (let i = 0; i < 150; i++) await store.create(User, user(`filler${i}`, emails([`filler${i}@example.com`, 'work'])), []);
    await sql(url, 'ANALYZE TABLE users, users_emails_value');

    const recorded = inTenant(await openSqlStore({ driver: recording(new MysqlDriver(pool), statements), registry }), DEFAULT_TENANT);
    const explained = async (filter: string) => {
      statements.length = 0;
      const { totalResults } = await recorded.list(User, query({ filter: parseFilter(filter) }));
      // The page (a short one tells its total: no COUNT).
      const page = statements.find((s) => s.sql.includes('FROM `users` r'))!;
      const plan = await sql<{ table: string; key: string | null; type: string }>(url, `EXPLAIN ${page.sql}`, [...page.params]);
      return { totalResults, sql: page.sql, plan: plan.map((row) => ({ table: row.table, key: row.key, type: row.type })) };
    };

    for (const filter of [
      'emails.value eq "FILLER7@example.com"',
      'emails[type eq "work" and value eq "filler7@example.com"]',
      'emails[type eq "work"].value eq "filler7@example.com"',
      'emails.value sw "filler7@"',
    ]) {
      const { totalResults, sql: text, plan } = await explained(filter);
      expect(totalResults, filter).toBe(1);
      expect(text).toContain('r.id IN (SELECT `resource_id` FROM `users_emails_value` WHERE `tenant` = ? AND `value_fold`');
      // The index table is read through its value key, then users by primary key: no scan. (The
      // other rows are the materialized subquery and the JSON_TABLE of each user found.)
      expect(plan, filter).toContainEqual({ table: 'users_emails_value', key: 'users_emails_value_value_fold_idx', type: expect.stringMatching(/^(ref|range)$/) });
      expect(plan, filter).toContainEqual({ table: 'r', key: 'PRIMARY', type: 'eq_ref' });
    }
    // `co` cannot use an index: it reads the users, and says so.
    const { plan } = await explained('emails.value co "filler7@"');
    expect(plan).toContainEqual(expect.objectContaining({ table: 'r', type: 'ALL' }));
    expect(plan.map((row) => row.table)).not.toContain('users_emails_value');
  });
});
