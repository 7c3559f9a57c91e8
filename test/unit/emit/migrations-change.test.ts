// Schema changes as migrations: the diff of two storage plans, the SQL each database gets for
// it, and how generation treats a project's history (applied migrations kept byte for byte, one
// new numbered file, the plan recorded, warnings instead of guesses). What the SQL does to
// stored rows is tested on real databases in test/unit/store/schema-change.test.ts.

import { beforeAll, describe, expect, it } from 'vitest';
import { adapter as mysql } from '../../../templates/database-mysql/adapter.js';
import { adapter as postgres } from '../../../templates/database-postgres/adapter.js';
import { adapter as sqlite } from '../../../templates/database-sqlite/adapter.js';
import type { DatabaseAdapter } from '../../../src/adapters/types.js';
import { generate, migrationWarnings } from '../../../src/emit/generate.js';
import { STORAGE_PLAN_PATH, type ProjectHistory } from '../../../src/emit/history.js';
import { projectMigrations } from '../../../src/emit/migration-history.js';
import { diffStoragePlans, isEmptyDiff, migrationName } from '../../../src/model/storage-diff.js';
import type { SchemaModel } from '../../../src/model/ir.js';
import { loadSchemaModel } from '../../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';
import { storagePlan, type StoragePlan } from '../../../templates/scim/storage.js';
import { registryA, registryB } from './schema-change-fixtures.js';

const planA = () => storagePlan(registryA());
const planB = () => storagePlan(registryB());
const history = (migrations: Record<string, string>, plan?: StoragePlan): ProjectHistory => ({
  storagePlan: plan,
  migrations: new Map(Object.entries(migrations)),
});
const clone = (plan: StoragePlan): StoragePlan => JSON.parse(JSON.stringify(plan)) as StoragePlan;

describe('diffStoragePlans', () => {
  it('finds nothing to do between equal plans', () => {
    const diff = diffStoragePlans(planA(), clone(planA()));
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.refused).toEqual([]);
    expect(diff.recorded).toEqual(planA());
  });

  it('sorts key columns into added, rebuilt and removed, and sees new tables and member types', () => {
    const diff = diffStoragePlans(planA(), planB());
    expect(diff.created.map((t) => t.table)).toEqual(['devices']);
    const users = diff.changed.find((t) => t.table.table === 'users')!;
    expect(users.added.map((c) => c.column)).toEqual(['badge', 'tier']);
    expect(users.removed.map((c) => c.column)).toEqual(['legacy_id']);
    expect(users.changed).toEqual([
      {
        before: expect.objectContaining({ column: 'code', unique: true }),
        after: expect.objectContaining({ column: 'code', foldColumn: 'code_fold', unique: true }),
      },
      {
        before: expect.objectContaining({ column: 'site', foldColumn: 'site_fold' }),
        after: expect.objectContaining({ column: 'site', unique: true }),
      },
    ]);
    expect(users.changed[1]!.after.foldColumn).toBeUndefined();
    expect(users.changed[0]!.before.foldColumn).toBeUndefined();
    const groups = diff.changed.find((t) => t.table.table === 'groups')!;
    expect(groups.memberTypesBefore).toEqual(['User', 'Group']);
    expect(diff.kept).toEqual([]);
    expect(migrationName(diff)).toMatch(/^add_devices_users_/);
  });

  it('keeps the table of a resource type that is gone, and records it', () => {
    const diff = diffStoragePlans(planB(), planA());
    expect(diff.kept).toEqual([expect.stringMatching(/Device resource type is gone.*table devices stays/)]);
    expect(diff.recorded.tables.map((t) => t.table)).toEqual(['users', 'groups', 'devices']);
    // Re-adding it later diffs against the kept table instead of creating it twice.
    const back = diffStoragePlans(diff.recorded, planB());
    expect(back.created).toEqual([]);
  });

  it('refuses to rename a table', () => {
    const renamed = clone(planA());
    renamed.tables[0]!.table = 'people';
    const diff = diffStoragePlans(planA(), renamed);
    expect(diff.refused).toEqual([expect.stringMatching(/User: its table would be renamed from users to people/)]);
  });
});

describe('the next migration of each database', () => {
  const next = (adapter: DatabaseAdapter) => {
    const first = projectMigrations(adapter.migrations!, planA());
    return projectMigrations(adapter.migrations!, planB(), history(Object.fromEntries(first.files.map((f) => [f.path, f.content])), first.recorded));
  };

  it('SQLite: fills folded keys with the server\'s own scim_fold, then adds the unique indexes', () => {
    const sql = next(sqlite).files.at(-1)!.content;
    expect(sql).toContain('ALTER TABLE "users" DROP COLUMN "legacy_id";');
    expect(sql).toMatch(/"badge" = CASE WHEN json_type\("document", '\$\."urn:[^']+"\."badge"'\) = 'text' THEN json_extract/);
    expect(sql).toMatch(/"badge_fold" = scim_fold\(CASE WHEN json_type\("document", '[^']+"\."badge"'\)/);
    // code only stopped being case-exact: its value column stays, its folded copy is filled from it.
    expect(sql).toContain('"code_fold" = scim_fold("code")');
    expect(sql).not.toContain('DROP COLUMN "code"');
    expect(sql).toContain('DROP INDEX "users_code_key";');
    expect(sql.indexOf('UPDATE "users"')).toBeLessThan(sql.indexOf('CREATE UNIQUE INDEX "users_badge_fold_key"'));
    expect(sql).toContain(`CHECK ("member_type" IN ('User', 'Group', 'Device'))`);
    expect(sql).not.toContain('lower(');
  });

  it('PostgreSQL: folds with ICU\'s root locale, like the server, and swaps the member-type check', () => {
    const sql = next(postgres).files.at(-1)!.content;
    expect(sql).toMatch(/"badge_fold" = lower\(\(CASE WHEN jsonb_typeof\("document" #> '\{"urn:[^}]+,"badge"\}'::text\[\]\) = 'string'.*COLLATE "und-x-icu"\) COLLATE "C"/);
    expect(sql).toContain('DROP CONSTRAINT "group_members_member_type_check"');
    expect(sql).toContain('CREATE UNIQUE INDEX "users_code_fold_key" ON "users" ("tenant", "code_fold");');
    expect(sql).toContain(`"code_fold" = lower(("code")::text COLLATE "und-x-icu") COLLATE "C"`);
    expect(sql).not.toContain('DROP COLUMN "code"');
  });

  it('MySQL: strict mode first, unique keys last, LOWER() that the server corrects after', () => {
    const sql = next(mysql).files.at(-1)!.content;
    expect(sql.indexOf('STRICT_ALL_TABLES')).toBeLessThan(sql.indexOf('ALTER TABLE'));
    expect(sql).toMatch(/`badge_fold` = LOWER\(CASE WHEN JSON_TYPE\(JSON_EXTRACT\(`document`, '\$\."urn:[^']+"\."badge"'\)\) = 'STRING'/);
    expect(sql.lastIndexOf('UPDATE `users`')).toBeLessThan(sql.indexOf('ADD UNIQUE KEY `users_badge_fold_key`'));
    expect(sql).toContain('DROP INDEX `users_legacy_id_fold_key`');
    // code keeps its column, which may now hold more than a key (it has a folded copy).
    expect(sql).toContain('MODIFY COLUMN `code` TEXT NULL');
    expect(sql).toContain('`code_fold` = LOWER(`code`)');
  });

  it('MySQL refuses a new element index (nothing fills its table from stored documents)', () => {
    const before = clone(planA());
    before.tables[0]!.elementIndexes = [];
    const outcome = projectMigrations(mysql.migrations!, planA(), history({ 'migrations/mysql/0001_init.sql': 'x' }, before));
    expect(outcome.files.map((f) => f.path)).toEqual(['migrations/mysql/0001_init.sql']);
    expect(outcome.recorded).toEqual(before);
    expect(outcome.warnings).toEqual([expect.stringMatching(/^No migration was added to migrations\/mysql\/: User: a new index on emails\.value/)]);
    // PostgreSQL indexes it in place.
    const pg = projectMigrations(postgres.migrations!, planA(), history({ 'migrations/postgres/0001_init.sql': 'x' }, before));
    expect(pg.files.at(-1)!.content).toMatch(/CREATE INDEX "users_emails_value_idx" ON "users" USING gin/);
  });
});

describe('projectMigrations', () => {
  const applied = {
    'migrations/sqlite/0001_init.sql': '-- applied long ago\n',
    'migrations/sqlite/0002_users_badge.sql': '-- and this\n',
    'migrations/sqlite/0007_by_hand.sql': '-- the user wrote this one\n',
    'migrations/postgres/0001_init.sql': '-- another database\n',
  };

  it('keeps every migration as it is and numbers the new one after the highest', () => {
    const outcome = projectMigrations(sqlite.migrations!, planB(), history(applied, planA()));
    expect(outcome.files.slice(0, 3)).toEqual(
      Object.entries(applied).slice(0, 3).map(([path, content]) => ({ path, content, existing: true })),
    );
    expect(outcome.files[3]!.path).toMatch(/^migrations\/sqlite\/0008_add_devices_[a-z0-9_]+\.sql$/);
    expect(outcome.files).toHaveLength(4);
    expect(outcome.recorded).toEqual(planB());
  });

  it('adds nothing when the plan has not changed', () => {
    const outcome = projectMigrations(sqlite.migrations!, planA(), history(applied, planA()));
    expect(outcome.files.map((f) => f.path)).toEqual(Object.keys(applied).slice(0, 3));
    expect(outcome.warnings).toEqual([]);
  });

  it('adds a file only for the databases a change touches (a type that now shows groups: SQLite)', () => {
    const plan = planA();
    const older: StoragePlan = { ...plan, tables: plan.tables.map(({ showsGroups: _shown, ...table }) => table) };
    for (const adapter of [postgres, mysql]) {
      const dir = adapter.migrations!.dir;
      const outcome = projectMigrations(adapter.migrations!, plan, history({ [`migrations/${dir}/0001_init.sql`]: '-- applied\n' }, older));
      expect(outcome.files.map((f) => f.path)).toEqual([`migrations/${dir}/0001_init.sql`]);
      expect(outcome.recorded).toEqual(plan);
    }
    const outcome = projectMigrations(sqlite.migrations!, plan, history({ 'migrations/sqlite/0001_init.sql': '-- applied\n' }, older));
    expect(outcome.files.map((f) => f.path)).toEqual([
      'migrations/sqlite/0001_init.sql',
      expect.stringMatching(/^migrations\/sqlite\/0002_\w+\.sql$/),
    ]);
    expect(outcome.files[1]!.content).toContain('ADD COLUMN "member_of"');
  });

  it('starts with 0001 when the project has no migrations for its database yet', () => {
    const outcome = projectMigrations(mysql.migrations!, planA(), history(applied, planA()));
    expect(outcome.files.map((f) => f.path)).toEqual(['migrations/mysql/0001_init.sql']);
    expect(outcome.files[0]!.existing).toBe(false);
  });

  it('without a recorded plan, knows it only from an untouched 0001 and otherwise warns', () => {
    const [first] = sqlite.migrations!.build(planA());
    const header = '-- Generated by create-scim-server 0.0.9. Do not edit: changes are lost when the project is regenerated.\n';
    const same = projectMigrations(sqlite.migrations!, planA(), history({ 'migrations/sqlite/0001_init.sql': header + first!.sql }));
    expect(same.recorded).toEqual(planA());
    expect(same.warnings).toEqual([]);

    const changed = projectMigrations(sqlite.migrations!, planB(), history({ 'migrations/sqlite/0001_init.sql': header + first!.sql }));
    expect(changed.files.map((f) => f.path)).toEqual(['migrations/sqlite/0001_init.sql']);
    expect(changed.recorded).toBeUndefined();
    expect(changed.warnings).toEqual([expect.stringMatching(/records no storage plan \(\.scim-server\/storage-plan\.json.*no migration was added/)]);
  });
});

describe('generate() with a history', () => {
  let model: SchemaModel;
  const options: ProjectOptions = { ...DEFAULT_PROJECT_OPTIONS, projectName: 'acme' };
  beforeAll(async () => {
    model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
  });
  const contentOf = (files: ReturnType<typeof generate>, path: string) => files.find((f) => f.path === path)?.content;

  it('records the storage plan as a generated file', () => {
    const files = generate(options, model);
    const recorded = files.find((f) => f.path === STORAGE_PLAN_PATH);
    expect(recorded?.owner).toBe('generated');
    expect((JSON.parse(recorded!.content) as StoragePlan).tables.map((t) => t.table)).toEqual(['users', 'groups']);
  });

  it('emits applied migrations byte for byte and adds the next one for a changed plan', () => {
    const fresh = generate(options, model);
    const plan = JSON.parse(contentOf(fresh, STORAGE_PLAN_PATH)!) as StoragePlan;
    const older = clone(plan);
    older.tables[0]!.columns = older.tables[0]!.columns.filter((c) => c.column !== 'external_id');
    const applied = '-- Generated by create-scim-server 0.0.1. Do not edit: changes are lost when the project is regenerated.\n-- as applied\n';
    const past = history({ 'migrations/sqlite/0001_init.sql': applied }, older);
    const files = generate(options, model, undefined, past);
    expect(contentOf(files, 'migrations/sqlite/0001_init.sql')).toBe(applied);
    const added = files.find((f) => f.path.startsWith('migrations/sqlite/0002_'));
    expect(added?.path).toBe('migrations/sqlite/0002_users_external_id.sql');
    expect(added?.content).toMatch(/^-- Generated by create-scim-server \S+\. Regenerate with/);
    expect(added?.content).toContain('ALTER TABLE "users" ADD COLUMN "external_id" TEXT;');
    expect(JSON.parse(contentOf(files, STORAGE_PLAN_PATH)!)).toEqual(plan);
    expect(migrationWarnings(options, model, past)).toEqual([]);
  });

  it('warns, and records no plan, for a project from before plans were recorded', () => {
    const past = history({ 'migrations/sqlite/0001_init.sql': '-- written by an older generator\n' });
    const files = generate(options, model, undefined, past);
    expect(files.some((f) => f.path === STORAGE_PLAN_PATH)).toBe(false);
    expect(files.filter((f) => f.path.startsWith('migrations/')).map((f) => f.path)).toEqual(['migrations/sqlite/0001_init.sql']);
    expect(migrationWarnings(options, model, past)).toEqual([expect.stringContaining('records no storage plan')]);
  });
});

describe('a recorded plan that is not one', () => {
  it('adds no migration and says which file to restore', () => {
    const broken = { tables: [{ resourceType: 'User', table: 'users' }] } as unknown as StoragePlan;
    const outcome = projectMigrations(sqlite.migrations!, planB(), history({ 'migrations/sqlite/0001_init.sql': 'x' }, broken));
    expect(outcome.files.map((f) => f.path)).toEqual(['migrations/sqlite/0001_init.sql']);
    expect(outcome.recorded).toBeUndefined();
    expect(outcome.warnings).toEqual([expect.stringMatching(/^\.scim-server\/storage-plan\.json is not a storage plan/)]);
  });

  describe('a project generated before row counts', () => {
    const { counts: _counts, ...before } = planA();
    const upgraded = (adapter: DatabaseAdapter) => {
      const dir = adapter.migrations!.dir;
      const first = adapter.migrations!.build(before)[0]!;
      expect(first.sql).not.toContain('scim_counts');
      return projectMigrations(adapter.migrations!, planA(), history({ [`migrations/${dir}/0001_init.sql`]: first.sql }, before));
    };

    it.each([
      ['SQLite', sqlite],
      ['PostgreSQL', postgres],
      ['MySQL', mysql],
    ] as Array<[string, DatabaseAdapter]>)('%s: creates the counts table and counts the rows there once, per tenant', (_name, adapter) => {
      const outcome = upgraded(adapter);
      expect(outcome.files.map((f) => f.path.split('/').pop())).toEqual(['0001_init.sql', '0002_counts.sql']);
      const sql = outcome.files[1]!.content;
      expect(sql).toMatch(/CREATE TABLE [`"]scim_counts[`"]/);
      for (const table of ['users', 'groups']) {
        expect(sql).toMatch(new RegExp(`SELECT [\`"]tenant[\`"], '${table}', (0, )?COUNT\\(\\*\\) FROM [\`"]${table}[\`"] GROUP BY [\`"]tenant[\`"]`));
      }
      expect(outcome.recorded?.counts).toBe(true);
    });

  });

  describe('a project generated before tenancy', () => {
    // Its recorded plan has no `tenants` (nor `events` or `counts`, which came later), and its first migration no tenant column.
    const { tenants: _tenants, events: _events, counts: _counts, ...before } = planA();
    const upgraded = (adapter: DatabaseAdapter) => {
      const dir = adapter.migrations!.dir;
      const first = adapter.migrations!.build(before)[0]!;
      expect(first.sql).not.toContain('tenant');
      return projectMigrations(adapter.migrations!, planA(), history({ [`migrations/${dir}/0001_init.sql`]: first.sql }, before));
    };

    it.each([
      ['SQLite', sqlite, '"users_user_name_fold_key" ON "users" ("tenant", "user_name_fold")'],
      ['PostgreSQL', postgres, '"users_user_name_fold_key" ON "users" ("tenant", "user_name_fold")'],
      ['MySQL', mysql, 'UNIQUE KEY `users_user_name_fold_key` (`tenant`, `user_name_fold`)'],
    ] as Array<[string, DatabaseAdapter, string]>)('%s: adds the tenant to every table (1 for every row), indexes per tenant, tenants and credentials', (_name, adapter, key) => {
      const outcome = upgraded(adapter);
      expect(outcome.files.map((f) => f.path)).toEqual([
        `migrations/${adapter.migrations!.dir}/0001_init.sql`,
        `migrations/${adapter.migrations!.dir}/0002_tenants_events.sql`,
      ]);
      const sql = outcome.files[1]!.content;
      expect(sql).toContain('Tenants: every table gets the tenant column, 1 for every row');
      expect(sql).toMatch(/CREATE TABLE [`"]tenants[`"]/);
      expect(sql).toMatch(/CREATE TABLE [`"]credentials[`"]/);
      expect(sql).toMatch(/VALUES \(1, 'default', 'default', 'other'/);
      for (const table of ['users', 'groups', 'group_members']) {
        expect(sql).toMatch(new RegExp(`ALTER TABLE [\`"]${table}[\`"]\\s+ADD COLUMN [\`"]tenant[\`"] [A-Za-z ]+ NOT NULL DEFAULT 1`));
      }
      expect(sql).toContain(key);
      // The outbox tables come in the same migration.
      expect(sql).toMatch(/CREATE TABLE [`"]events[`"]/);
      expect(sql).toMatch(/CREATE TABLE [`"]event_deliveries[`"]/);
      expect(sql).toMatch(/CREATE TABLE [`"]deleted_resources[`"]/);
      expect(outcome.recorded).toEqual(planA());
      expect(outcome.recorded?.tenants).toBe(true);
    });

    it('is inferred for a project that recorded no plan, from its first migration', () => {
      const first = postgres.migrations!.build(before)[0]!;
      const outcome = projectMigrations(postgres.migrations!, planA(), {
        // As written to the project: under the line naming the generator's version.
        migrations: new Map([['migrations/postgres/0001_init.sql', `-- Generated by create-scim-server 0.0.9\n${first.sql}`]]),
      });
      expect(outcome.files.map((f) => f.path)).toEqual(['migrations/postgres/0001_init.sql', 'migrations/postgres/0002_tenants_events.sql']);
    });
  });

  describe('a project generated before events', () => {
    const { events: _events, ...before } = planA();
    it.each([
      ['SQLite', sqlite, 'INTEGER PRIMARY KEY AUTOINCREMENT'],
      ['PostgreSQL', postgres, 'bigserial PRIMARY KEY'],
      ['MySQL', mysql, 'BIGINT NOT NULL AUTO_INCREMENT'],
    ] as Array<[string, DatabaseAdapter, string]>)('%s: one migration adds the events, event_deliveries and deleted_resources tables', (_name, adapter, seq) => {
      const dir = adapter.migrations!.dir;
      const first = adapter.migrations!.build(before)[0]!;
      expect(first.sql).not.toContain('events');
      const outcome = projectMigrations(adapter.migrations!, planA(), history({ [`migrations/${dir}/0001_init.sql`]: first.sql }, before));
      expect(outcome.files.map((f) => f.path)).toEqual([`migrations/${dir}/0001_init.sql`, `migrations/${dir}/0002_events.sql`]);
      const sql = outcome.files[1]!.content;
      expect(sql).toContain('Events: the outbox (events)');
      expect(sql).toContain(seq);
      for (const table of ['events', 'event_deliveries', 'deleted_resources']) expect(sql).toMatch(new RegExp(`CREATE TABLE [\`"]${table}[\`"]`));
      expect(sql).not.toMatch(/ALTER TABLE/);
      expect(outcome.recorded).toEqual(planA());
    });
  });
});
