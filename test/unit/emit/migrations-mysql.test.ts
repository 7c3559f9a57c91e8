import { describe, expect, it } from 'vitest';
import { MYSQL_KEY_LENGTH, mysqlMigrations } from '../../../templates/database-mysql/generator/migrations.js';
import { buildRegistry } from '../../../templates/scim/registry.js';
import type { SchemaDef } from '../../../templates/scim/schema.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import { mysqlDialect } from '../../../templates/database-mysql/dialect.js';
import { attr, groupSchema, groupType, userSchema, userType } from '../scim/fixtures.js';
import { storeTestRegistry } from '../store/test-schema.js';

const plan = storagePlan(storeTestRegistry());
const [init] = mysqlMigrations(plan);
const sql = init!.sql;

/** The CREATE TABLE statement of one table, comments stripped. */
function createTable(name: string): string {
  const start = sql.indexOf(`CREATE TABLE \`${name}\` (`);
  expect(start, `CREATE TABLE ${name}`).toBeGreaterThanOrEqual(0);
  const statement = sql.slice(start, sql.indexOf(';\n', start) + 1);
  return statement.replace(/ -- [^\n]*/g, '');
}

describe('mysqlMigrations', () => {
  it('emits one migration, 0001_init.sql, that starts with a comment', () => {
    expect(mysqlMigrations(plan).map((m) => m.name)).toEqual(['0001_init.sql']);
    expect(sql.startsWith('-- ')).toBe(true);
    expect(sql.endsWith(';\n')).toBe(true);
  });

  it('creates a table per resource type with the base columns and a JSON document', () => {
    const users = createTable('users');
    expect(users).toContain('`id` VARCHAR(64) NOT NULL');
    expect(users).toContain('`version` INT UNSIGNED NOT NULL');
    expect(users).toContain('`created` VARCHAR(32) NOT NULL');
    expect(users).toContain('`last_modified` VARCHAR(32) NOT NULL');
    expect(users).toContain('`document` JSON NOT NULL');
    expect(users).toContain('PRIMARY KEY (`id`)');
    expect(users).toMatch(/\) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;$/);
    expect(createTable('groups')).toContain('`document` JSON NOT NULL');
  });

  it('keeps case-insensitive attributes twice: as sent, and folded under a key', () => {
    const users = createTable('users');
    expect(users).toContain('`user_name` TEXT NULL');
    expect(users).toContain(`\`user_name_fold\` VARCHAR(${MYSQL_KEY_LENGTH}) NULL`);
    // userName is unique: the database enforces it on the folded value, so case is ignored.
    expect(users).toContain('UNIQUE KEY `users_user_name_fold_key` (`tenant`, `user_name_fold`)');
    expect(users).toContain('KEY `users_display_name_fold_idx` (`tenant`, `display_name_fold`)');
    expect(users).not.toMatch(/KEY `users_user_name_(key|idx)`/);
  });

  it('keys a case-exact attribute on its only column', () => {
    const users = createTable('users');
    expect(users).toContain(`\`external_id\` VARCHAR(${MYSQL_KEY_LENGTH}) NULL`);
    expect(users).not.toContain('external_id_fold');
    expect(users).toContain('KEY `users_external_id_idx` (`tenant`, `external_id`)');
  });

  it('indexes created and id for the default order', () => {
    expect(createTable('users')).toContain('KEY `users_created_idx` (`tenant`, `created`, `id`)');
    expect(createTable('groups')).toContain('KEY `groups_created_idx` (`tenant`, `created`, `id`)');
  });

  it('stores memberships in their own table, ordered by an AUTO_INCREMENT the dialect names', () => {
    const members = createTable('group_members');
    expect(mysqlDialect.membershipSequence).toBe('seq');
    expect(members).toContain('`seq` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT');
    expect(members).toContain('PRIMARY KEY (`owner_id`, `member_id`)');
    expect(members).toContain('KEY `group_members_seq_idx` (`seq`)');
    expect(members).toContain('KEY `group_members_member_id_idx` (`tenant`, `member_id`)');
    expect(members).toContain("CHECK (`member_type` IN ('User', 'Group'))");
    expect(members).toContain(
      'FOREIGN KEY (`owner_id`) REFERENCES `groups` (`id`) ON DELETE CASCADE',
    );
  });

  it('indexes emails.value folded, in a table of its own that goes with its user', () => {
    const emails = createTable('users_emails_value');
    expect(emails).toContain('`resource_id` VARCHAR(64) NOT NULL');
    expect(emails).toContain('`position` INT UNSIGNED NOT NULL');
    expect(emails).toContain(`\`value_fold\` VARCHAR(${mysqlDialect.elementTables!.keyLength}) NOT NULL`);
    expect(emails).toContain('PRIMARY KEY (`resource_id`, `position`)');
    expect(emails).toContain('KEY `users_emails_value_value_fold_idx` (`tenant`, `value_fold`)');
    expect(emails).toContain('FOREIGN KEY (`resource_id`) REFERENCES `users` (`id`) ON DELETE CASCADE');
    // Created after the table it refers to; groups have no emails.
    expect(sql.indexOf('CREATE TABLE `users_emails_value`')).toBeGreaterThan(sql.indexOf('CREATE TABLE `users`'));
    expect(sql).not.toContain('CREATE TABLE `groups_emails');
  });

  it('creates the key-value state table', () => {
    const state = createTable('scim_state');
    expect(state).toContain('`key` VARCHAR(255) NOT NULL');
    expect(state).toContain('`value` MEDIUMTEXT NOT NULL');
    expect(state).toContain('`expires_at` BIGINT NOT NULL');
    expect(state).toContain('PRIMARY KEY (`key`)');
    expect(state).toContain('KEY `scim_state_expires_at_idx` (`expires_at`)');
  });

  it('names extension columns after the extension when a core column has the name', () => {
    const extension: SchemaDef = {
      id: 'urn:example:params:scim:schemas:extension:badge:2.0:User',
      name: 'BadgeUser',
      attributes: [attr('userName', 'string', { uniqueness: 'server', caseExact: true })],
    };
    const user = { ...userType, schemaExtensions: [{ schema: extension.id, required: false }] };
    const registry = buildRegistry([user, groupType], [userSchema, groupSchema, extension]);
    const [migration] = mysqlMigrations(storagePlan(registry));
    expect(migration!.sql).toContain('UNIQUE KEY `users_badge_user_user_name_key` (`tenant`, `badge_user_user_name`)');
  });

  it('omits the membership table when no type has members', () => {
    const registry = buildRegistry([{ ...userType, schemaExtensions: [] }], [userSchema]);
    const [migration] = mysqlMigrations(storagePlan(registry));
    expect(migration!.sql).not.toContain('_members');
    expect(migration!.sql).toContain('CREATE TABLE `scim_state`');
  });

  it('is deterministic', () => {
    expect(mysqlMigrations(storagePlan(storeTestRegistry()))).toEqual(mysqlMigrations(plan));
  });
});
