// The PostgreSQL migration emitted from the storage plan. That it runs, and that the store's
// queries fit it, is tested on a real server by test/unit/store/postgres-store.test.ts.

import { describe, expect, it } from 'vitest';
import { postgresMigrations } from '../../../templates/database-postgres/generator/migrations.js';
import { buildRegistry } from '../../../templates/scim/registry.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import { foldedElementValues, postgresDialect } from '../../../templates/database-postgres/dialect.js';
import { groupSchema, groupType, userSchema, userType } from '../scim/fixtures.js';
import { storeTestRegistry } from '../store/test-schema.js';

const plan = storagePlan(storeTestRegistry());
const [init] = postgresMigrations(plan);
const sql = init!.sql;

/** One statement (up to its semicolon), comments stripped. */
function statement(start: string): string {
  const at = sql.indexOf(start);
  expect(at, start).toBeGreaterThanOrEqual(0);
  return sql.slice(at, sql.indexOf(';\n', at) + 1).replace(/ -- [^\n]*/g, '');
}

describe('postgresMigrations', () => {
  it('emits one migration, 0001_init.sql, that starts with a comment', () => {
    expect(postgresMigrations(plan).map((m) => m.name)).toEqual(['0001_init.sql']);
    expect(sql.startsWith('-- ')).toBe(true);
    expect(sql.endsWith(';\n')).toBe(true);
  });

  it('is a pure function of the plan', () => {
    expect(postgresMigrations(storagePlan(storeTestRegistry()))).toEqual(postgresMigrations(plan));
  });

  it('creates a table per resource type with the base columns and a jsonb document', () => {
    for (const table of ['users', 'groups']) {
      const create = statement(`CREATE TABLE "${table}" (`);
      expect(create).toContain('"id" text COLLATE "C" PRIMARY KEY');
      expect(create).toContain('"version" integer NOT NULL');
      expect(create).toContain('"created" text COLLATE "C" NOT NULL');
      expect(create).toContain('"last_modified" text COLLATE "C" NOT NULL');
      expect(create).toContain(`"document" jsonb NOT NULL CHECK (jsonb_typeof("document") = 'object')`);
    }
  });

  it('keeps case-insensitive attributes twice, and lets the database enforce uniqueness on the folded one', () => {
    const users = statement('CREATE TABLE "users" (');
    expect(users).toContain('"user_name" text COLLATE "C"');
    expect(users).toContain('"user_name_fold" text COLLATE "C"');
    expect(sql).toContain('CREATE UNIQUE INDEX "users_user_name_fold_key" ON "users" ("tenant", "user_name_fold");');
    expect(sql).not.toMatch(/INDEX "users_user_name_(key|idx)"/);
  });

  it('indexes what identity providers filter on: userName, externalId, displayName', () => {
    expect(sql).toContain('CREATE INDEX "users_external_id_idx" ON "users" ("tenant", "external_id");');
    expect(sql).not.toContain('external_id_fold');
    expect(sql).toContain('CREATE INDEX "users_display_name_fold_idx" ON "users" ("tenant", "display_name_fold");');
    expect(sql).toContain('CREATE INDEX "groups_display_name_fold_idx" ON "groups" ("tenant", "display_name_fold");');
    expect(sql).toContain('CREATE INDEX "users_created_idx" ON "users" ("tenant", "created", "id");');
    expect(sql).toContain('CREATE INDEX "groups_created_idx" ON "groups" ("tenant", "created", "id");');
  });

  it('indexes email values with the very expression the store adds to email filters', () => {
    const [index] = plan.tables.find((t) => t.table === 'users')!.elementIndexes;
    expect(index).toEqual({ attribute: 'emails', sub: 'value' });
    const expression = foldedElementValues('"document"', index!);
    expect(sql).toContain(`CREATE INDEX "users_emails_value_idx" ON "users" USING gin (${expression});`);
    expect(postgresDialect.elementIndexLookup!('r."document"', index!, '$1')).toBe(
      `${foldedElementValues('r."document"', index!)} @> ARRAY[$1]::text[]`,
    );
    // Created before the tables whose indexes use it; groups have no emails.
    expect(sql.indexOf('CREATE FUNCTION scim_folded_values')).toBeLessThan(sql.indexOf('CREATE TABLE'));
    expect(statement('CREATE FUNCTION scim_folded_values')).toContain('IMMUTABLE');
    expect(sql).not.toContain('"groups_emails');
  });

  it('stores memberships in their own table, in insertion order, cascading from the owner', () => {
    const members = statement('CREATE TABLE "group_members" (');
    expect(postgresDialect.membershipSequence).toBe('seq');
    expect(members).toContain('"seq" bigserial NOT NULL');
    expect(members).toContain('"owner_id" text COLLATE "C" NOT NULL REFERENCES "groups" ("id") ON DELETE CASCADE');
    expect(members).toContain('"member_id" text COLLATE "C" NOT NULL');
    expect(members).toContain(`CHECK ("member_type" IN ('User', 'Group'))`);
    expect(members).toContain('PRIMARY KEY ("owner_id", "member_id")');
    expect(sql).toContain('CREATE INDEX "group_members_member_id_idx" ON "group_members" ("tenant", "member_id");');
  });

  it('creates the key-value state table', () => {
    const state = statement('CREATE TABLE "scim_state" (');
    expect(state).toContain('"key" text COLLATE "C" PRIMARY KEY');
    expect(state).toContain('"value" text NOT NULL');
    expect(state).toContain('"expires_at" bigint NOT NULL');
    expect(sql).toContain('CREATE INDEX "scim_state_expires_at_idx" ON "scim_state" ("expires_at");');
  });

  it('has no email index or helper function when no type has emails', () => {
    const bare = (schema: typeof userSchema) => ({ ...schema, attributes: schema.attributes.filter((a) => a.name !== 'emails') });
    const registry = buildRegistry([{ ...userType, schemaExtensions: [] }, groupType], [bare(userSchema), groupSchema]);
    const [only] = postgresMigrations(storagePlan(registry));
    expect(only!.sql).not.toContain('scim_folded_values');
    expect(only!.sql).toContain('CREATE TABLE "users" (');
  });
});
