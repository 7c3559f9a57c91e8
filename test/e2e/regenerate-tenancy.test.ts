// A deployment from before tenancy, upgraded by `regenerate`: a Fastify project on SQLite,
// PostgreSQL and MariaDB as an earlier generator wrote it (its first migration without the tenant column, its
// recorded storage plan without tenants), with users and a group in its database. Regenerating
// adds one migration that puts every row in tenant 1 ("default") and creates the tenants and
// credentials tables (and the events and row-count tables, which came later); the server then boots on the same file and serves the same data, with
// the same token, at the same URLs. Then the same live project is switched to multi-tenant
// ("tenancy": "multi" in scim.config.json, regenerate): the identity provider's old URL and token
// still serve its data as tenant "default", and a tenant added over the admin API lives apart at
// its own URL. PostgreSQL and MariaDB must be running (as for the matrix); each run makes its own
// database and drops it, and the three share one install.

import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/emit/manifest.js';
import { migrate as migrateMysql } from '../../templates/database-mysql/migrate.js';
import { mysqlMigrations } from '../../templates/database-mysql/generator/migrations.js';
import { testDatabase as mysqlDatabase } from '../../templates/database-mysql/testing.js';
import { postgresMigrations } from '../../templates/database-postgres/generator/migrations.js';
import { migrate as migratePostgres } from '../../templates/database-postgres/migrate.js';
import { testDatabase as postgresDatabase } from '../../templates/database-postgres/testing.js';
import { registerFunctions } from '../../templates/database-sqlite/dialect.js';
import { sqliteMigrations } from '../../templates/database-sqlite/generator/migrations.js';
import { migrate as migrateSqlite } from '../../templates/database-sqlite/migrate.js';
import type { StoragePlan } from '../../templates/scim/storage.js';
import { boot, installDependencies, npx, requireService, runCli, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e regenerate-tenancy] ${line}\n`);
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** One database past the server: its migrations applied by the template's own runner, and SQL. */
interface Engine {
  name: 'sqlite' | 'postgres' | 'mysql';
  build(plan: StoragePlan): string;
  /** A new database; env is what the server is booted with. */
  database(workspace: string): Promise<{
    env: Record<string, string>;
    migrate(dir: string): Promise<string[]>;
    /** Runs one statement with `?` placeholders; returns its rows. */
    sql(text: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
    drop(): Promise<void>;
  }>;
}

const engines: Engine[] = [
  {
    name: 'sqlite',
    build: (plan) => sqliteMigrations(plan)[0]!.sql,
    async database(workspace) {
      const file = join(workspace, 'legacy.sqlite');
      const open = () => {
        const db = new Database(file);
        registerFunctions(db);
        return db;
      };
      return {
        env: { DATABASE_PATH: file },
        async migrate(dir) {
          const db = open();
          try {
            return migrateSqlite(db, dir);
          } finally {
            db.close();
          }
        },
        async sql(text, params = []) {
          const db = open();
          try {
            const statement = db.prepare(text);
            return statement.reader ? (statement.all(...params) as Array<Record<string, unknown>>) : (statement.run(...params), []);
          } finally {
            db.close();
          }
        },
        drop: async () => undefined,
      };
    },
  },
  {
    name: 'postgres',
    build: (plan) => postgresMigrations(plan)[0]!.sql,
    async database() {
      const database = await postgresDatabase();
      const pool = new pg.Pool({ connectionString: database.env.DATABASE_URL });
      return {
        env: { DATABASE_URL: database.env.DATABASE_URL! },
        migrate: (dir) => migratePostgres(pool, dir),
        async sql(text, params = []) {
          let n = 0;
          return (await pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as Array<Record<string, unknown>>;
        },
        async drop() {
          await pool.end();
          await database.cleanup();
        },
      };
    },
  },
  {
    name: 'mysql',
    build: (plan) => mysqlMigrations(plan)[0]!.sql,
    async database() {
      const database = await mysqlDatabase();
      const connection = await mysql.createConnection({ uri: database.env.DATABASE_URL!, multipleStatements: true, charset: 'UTF8MB4_BIN' });
      return {
        env: { DATABASE_URL: database.env.DATABASE_URL! },
        migrate: (dir) => migrateMysql(connection, dir),
        async sql(text, params = []) {
          const [rows] = await connection.query(text, params);
          return Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
        },
        async drop() {
          await connection.end();
          await database.cleanup();
        },
      };
    },
  },
];

describe.each(engines)('regenerate a project made before tenancy (Fastify + $name): its data becomes tenant 1', (engine) => {
  let workspace: string;
  let project: string;
  let database: Awaited<ReturnType<Engine['database']>>;
  let token: string;
  const dir = () => join(project, 'migrations', engine.name);

  beforeAll(async () => {
    if (engine.name === 'postgres') await requireService('PostgreSQL', 5432, 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start');
    if (engine.name === 'mysql') await requireService('MariaDB', 3306, 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd');
    workspace = await tempDir('scim-e2e-tenancy-');
    project = join(workspace, 'legacy-scim');
    const result = await runCli(['legacy-scim', '--yes', '--no-install', '--no-git', '--database', engine.name], workspace);
    expect(result.exitCode, result.all).toBe(0);
    token = /^SCIM_BEARER_TOKEN=(.+)$/m.exec(await readFile(join(project, '.env'), 'utf8'))![1]!;
    log(`${engine.name}: dependencies ${await installDependencies(project, log)}`);
    database = await engine.database(workspace);
  });

  afterAll(async () => {
    await database?.drop();
    if (!process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
  });

  const headers = () => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' });

  it('is turned into the project an earlier generator wrote, with data in its database', async () => {
    // The recorded plan and first migration as they were before tenancy (and so before events and
    // row counts, which came later); the manifest agrees.
    const planPath = join(project, '.scim-server/storage-plan.json');
    const { tenants: _tenants, events: _events, counts: _counts, ...before } = JSON.parse(await readFile(planPath, 'utf8')) as StoragePlan;
    const migrationPath = join(dir(), '0001_init.sql');
    const header = (await readFile(migrationPath, 'utf8')).split('\n', 1)[0]!;
    expect(header).toMatch(/^-- Generated by create-scim-server /);
    const first = `migrations/${engine.name}/0001_init.sql`;
    const files = {
      '.scim-server/storage-plan.json': `${JSON.stringify(before, null, 2)}\n`,
      [first]: `${header}\n${engine.build(before)}`,
    };
    expect(files[first]).not.toContain('tenant');
    const manifestPath = join(project, '.scim-server/manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: Record<string, { sha256: string }> };
    for (const [path, content] of Object.entries(files)) {
      await writeFile(join(project, path), content);
      manifest.files[path]!.sha256 = sha256(content);
    }
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);

    // The database that project's server made, holding what an identity provider sent it.
    expect(await database.migrate(dir())).toEqual(['0001_init.sql']);
    const at = '2026-01-01T00:00:00.000Z';
    const insertUser = 'INSERT INTO users (id, version, created, last_modified, document, user_name, user_name_fold) VALUES (?, 1, ?, ?, ?, ?, ?)';
    await database.sql(insertUser, ['u-ada', at, at, JSON.stringify({ schemas: [CORE], userName: 'Ada@example.com', active: true }), 'Ada@example.com', 'ada@example.com']);
    await database.sql(insertUser, ['u-bob', at, at, JSON.stringify({ schemas: [CORE], userName: 'bob@example.com', active: true }), 'bob@example.com', 'bob@example.com']);
    await database.sql(
      'INSERT INTO groups (id, version, created, last_modified, document, display_name, display_name_fold) VALUES (?, 1, ?, ?, ?, ?, ?)',
      ['g-staff', at, at, JSON.stringify({ schemas: [GROUP], displayName: 'Staff' }), 'Staff', 'staff'],
    );
    await database.sql('INSERT INTO group_members (owner_id, member_id, member_type) VALUES (?, ?, ?)', ['g-staff', 'u-ada', 'User']);
    // SQLite keeps a copy of a member's groups in its row.
    if (engine.name === 'sqlite') {
      await database.sql(`UPDATE users SET member_of = '[{"value":"g-staff","type":"Group","display":"Staff"}]' WHERE id = 'u-ada'`);
    }
  });

  it('regenerates: one new migration adds the tenants and events, the first stays byte for byte', async () => {
    const first = await readFile(join(dir(), '0001_init.sql'), 'utf8');
    const result = await runCli(['regenerate'], project);
    expect(result.exitCode, result.all).toBe(0);
    expect((await readdir(dir())).sort()).toEqual(['0001_init.sql', '0002_tenants_events.sql']);
    expect(await readFile(join(dir(), '0001_init.sql'), 'utf8')).toBe(first);
    const migration = await readFile(join(dir(), '0002_tenants_events.sql'), 'utf8');
    expect(migration).toContain('Tenants: every table gets the tenant column, 1 for every row');
    const plan = JSON.parse(await readFile(join(project, '.scim-server/storage-plan.json'), 'utf8')) as StoragePlan;
    expect(plan.tenants).toBe(true);
  });

  it('boots on the same database and token: the data is tenant 1\'s, served at the same URLs', async () => {
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);
    const server = await boot(project, { SCIM_BEARER_TOKEN: token, ...database.env, LOG_LEVEL: 'warn' });
    try {
      const base = `${server.url}/scim/v2`;
      const get = async (path: string) => {
        const response = await fetch(`${base}${path}`, { headers: headers() });
        expect(response.status, path).toBe(200);
        return (await response.json()) as Record<string, unknown>;
      };
      const found = await get(`/Users?filter=${encodeURIComponent('userName eq "ada@EXAMPLE.com"')}`);
      expect(found.totalResults).toBe(1);
      expect((found.Resources as Array<{ id: string }>)[0]!.id).toBe('u-ada');
      expect((await get('/Users/u-ada')).groups).toEqual([expect.objectContaining({ value: 'g-staff', display: 'Staff' })]);
      expect(((await get('/Groups/g-staff')).members as Array<{ value: string }>).map((m) => m.value)).toEqual(['u-ada']);
      expect((await get('/Users')).totalResults).toBe(2);
      // Uniqueness still holds for the rows it had, and new ones are written in tenant 1.
      const duplicate = await fetch(`${base}/Users`, { method: 'POST', headers: headers(), body: JSON.stringify({ schemas: [CORE], userName: 'BOB@example.com' }) });
      expect(duplicate.status).toBe(409);
      const created = await fetch(`${base}/Users`, { method: 'POST', headers: headers(), body: JSON.stringify({ schemas: [CORE], userName: 'cy@example.com' }) });
      expect(created.status).toBe(201);
    } finally {
      server.process.kill('SIGTERM');
      const exit = await server.process;
      expect(exit.exitCode, String(exit.all)).toBe(0);
    }

    const applied = await database.sql('SELECT name FROM schema_migrations ORDER BY name');
    expect(applied.map((row) => row.name)).toEqual(['0001_init.sql', '0002_tenants_events.sql']);
    expect((await database.sql('SELECT id, slug FROM tenants')).map((row) => [Number(row.id), row.slug])).toEqual([[1, 'default']]);
    expect((await database.sql('SELECT DISTINCT tenant FROM users')).map((row) => Number(row.tenant))).toEqual([1]);
    expect((await database.sql('SELECT DISTINCT tenant FROM group_members')).map((row) => Number(row.tenant))).toEqual([1]);
    expect(Number((await database.sql('SELECT COUNT(*) AS n FROM users'))[0]!.n)).toBe(3);
  });

  it('switches to multi-tenant on regenerate: the old URL and token serve tenant "default", a new tenant lives apart', async () => {
    const configPath = join(project, 'scim.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(configPath, `${JSON.stringify({ ...config, tenancy: 'multi' }, null, 2)}\n`);
    const result = await runCli(['regenerate'], project);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('tenant "default", which keeps answering at /scim/v2');
    // No data moves: the single-tenant rows were tenant 1 already.
    expect((await readdir(dir())).sort()).toEqual(['0001_init.sql', '0002_tenants_events.sql']);
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);

    const adminToken = `admin_${'x'.repeat(40)}`;
    const server = await boot(project, { SCIM_BEARER_TOKEN: token, SCIM_ADMIN_TOKEN: adminToken, ...database.env, LOG_LEVEL: 'warn' });
    try {
      const list = (base: string, bearer: string) =>
        fetch(`${server.url}${base}/Users`, { headers: { ...headers(), Authorization: `Bearer ${bearer}` } });
      // The identity provider connected before the switch changes nothing.
      for (const base of ['/scim/v2', '/scim/v2/default']) {
        const res = await list(base, token);
        expect(res.status, base).toBe(200);
        expect(((await res.json()) as { totalResults: number }).totalResults).toBe(3);
      }
      const added = await fetch(`${server.url}/admin/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ slug: 'acme', idp: 'okta' }),
      });
      expect(added.status, await added.clone().text()).toBe(201);
      const acme = ((await added.json()) as { credential: { token: string } }).credential.token;
      const own = await list('/scim/v2/acme', acme);
      expect(own.status).toBe(200);
      expect(((await own.json()) as { totalResults: number }).totalResults).toBe(0);
      // Each credential on the other's URL is the 401 of a wrong secret.
      expect((await list('/scim/v2/acme', token)).status).toBe(401);
      expect((await list('/scim/v2', acme)).status).toBe(401);
    } finally {
      server.process.kill('SIGTERM');
      const exit = await server.process;
      expect(exit.exitCode, String(exit.all)).toBe(0);
    }
    expect((await database.sql('SELECT slug FROM tenants ORDER BY id')).map((row) => row.slug)).toEqual(['default', 'acme']);
  });
});
