// The MySQL / MariaDB dialect as the filter compiler uses it. What the SQL means is tested
// against a real server by mysql-store.test.ts and the generated project's suite;
// this checks what a string can show: placeholders in text order, and how each need is spelled.

import { describe, expect, it } from 'vitest';
import { parseAttrPath, parseFilter } from '../../../templates/scim/filter/parse.js';
import { SqlParams, type SqlScope } from '../../../templates/scim/filter/sql-dialect.js';
import { compileOrderBy, filterToSql } from '../../../templates/scim/filter/sql.js';
import { storagePlan, tableFor } from '../../../templates/scim/storage.js';
import { mysqlDialect } from '../../../templates/database-mysql/dialect.js';
import { ENTERPRISE_URN, storeTestRegistry, TEST_URN } from './test-schema.js';

const registry = storeTestRegistry();
const plan = storagePlan(registry);
const scope = (type = 'User'): SqlScope => ({
  type: registry.byName(type)!,
  plan,
  table: tableFor(plan, type),
  dialect: mysqlDialect,
  alias: 'r',
});
const doc = 'r.`document`';
const placeholders = (sql: string) => sql.split('?').length - 1;

describe('filterToSql (MySQL / MariaDB)', () => {
  it.each([
    { filter: 'userName eq "BJensen"', sql: 'r.`user_name_fold` = ?', params: ['bjensen'] },
    { filter: 'externalId sw "Ab"', sql: 'INSTR(r.`external_id`, ?) = 1', params: ['Ab'] },
    {
      filter: 'title ew "%_"',
      sql: `INSTR(REVERSE(LOWER(JSON_UNQUOTE(JSON_EXTRACT(${doc}, ?)))), REVERSE(?)) = 1`,
      params: ['$."title"', '%_'],
    },
    {
      filter: 'active eq true',
      sql: `JSON_UNQUOTE(JSON_EXTRACT(${doc}, ?)) = ?`,
      params: ['$."active"', 'true'],
    },
    {
      filter: 'level gt 2',
      sql: `CAST(JSON_UNQUOTE(JSON_EXTRACT(${doc}, ?)) AS DOUBLE) > ?`,
      params: [`$."${TEST_URN}"."level"`, 2],
    },
    {
      filter: `${ENTERPRISE_URN}:employeeNumber eq "701"`,
      sql: `LOWER(JSON_UNQUOTE(JSON_EXTRACT(${doc}, ?))) = ?`,
      params: [`$."${ENTERPRISE_URN}"."employeeNumber"`, '701'],
    },
    {
      filter: 'emails[type eq "work"]',
      sql:
        `EXISTS (SELECT 1 FROM JSON_TABLE(JSON_EXTRACT(JSON_EXTRACT(${doc}, ?), '$[*]', '$.*'), '$[*]' ` +
        "COLUMNS (`value` JSON PATH '$')) e1 WHERE LOWER(JSON_UNQUOTE(JSON_EXTRACT(e1.`value`, ?))) = ?)",
      params: ['$."emails"', '$."type"', 'work'],
    },
  ])('$filter', ({ filter, sql, params }) => {
    expect(filterToSql(parseFilter(filter), scope())).toEqual({ sql, params });
  });

  it('compares dateTimes as UTC instants, binding the value once', () => {
    const { sql, params } = filterToSql(parseFilter('hiredAt gt "2020-01-15T10:00:00+01:00"'), scope());
    expect(sql).toMatch(/^\(SELECT SUBTIME\(CAST\(.* AS DATETIME\(6\)\), CAST\(.* AS TIME\)\) FROM JSON_TABLE\(JSON_ARRAY\(UPPER\(JSON_UNQUOTE\(JSON_EXTRACT\(r\.`document`, \?\)\)\)\)/);
    expect(params).toEqual([`$."${TEST_URN}"."hiredAt"`, '2020-01-15T10:00:00+01:00']);
    expect(placeholders(sql)).toBe(2);
  });

  it.each([
    'userName co "x" and not (emails[type eq "work" and value ew ".org"] or title pr)',
    'hiredAt le "2021-01-01T00:00:00Z" or tags co "b"',
    'name pr and emails.primary eq true and score ge 1.5',
  ])('binds one value per placeholder, in order: %s', (filter) => {
    const { sql, params } = filterToSql(parseFilter(filter), scope());
    expect(placeholders(sql)).toBe(params.length);
  });
});

describe('compileOrderBy (MySQL / MariaDB): absent values last ascending, first descending, without NULLS FIRST/LAST', () => {
  const order = (sortBy: string, descending = false) => {
    const params = new SqlParams(mysqlDialect);
    const sql = compileOrderBy(parseAttrPath(sortBy), descending, scope(), params);
    expect(placeholders(sql)).toBe(params.values.length);
    return sql;
  };
  const tie = 'r.`created`, r.`id`';

  it('prefixes text so NULL sorts after every value when ascending', () => {
    expect(order('userName')).toBe(`IFNULL(CONCAT('0', r.\`user_name_fold\`), '1') ASC, ${tie}`);
  });

  it('negates numbers when ascending', () => {
    expect(order('level')).toBe(`-(CAST(JSON_UNQUOTE(JSON_EXTRACT(${doc}, ?)) AS DOUBLE)) DESC, ${tie}`);
  });

  it('prefixes text so NULL sorts before every value when descending', () => {
    expect(order('externalId', true)).toBe(`IFNULL(CONCAT('0', r.\`external_id\`), '1') DESC, ${tie}`);
    expect(order('emails', true)).toMatch(/^IFNULL\(CONCAT\('0', LOWER\(coalesce\(\(SELECT .* LIMIT 1\), .*\)\)\), '1'\) DESC, /);
  });

  it('negates numbers when descending, so NULL (first in ASC) comes first', () => {
    expect(order('level', true)).toBe(`-(CAST(JSON_UNQUOTE(JSON_EXTRACT(${doc}, ?)) AS DOUBLE)) ASC, ${tie}`);
  });
});

describe('mysqlDialect statements', () => {
  it('inserts ignoring duplicates and upserts by key', () => {
    expect(mysqlDialect.insertIgnoring('group_members', ['owner_id', 'member_id'])).toBe(
      'INSERT IGNORE INTO `group_members` (`owner_id`, `member_id`) VALUES (?, ?)',
    );
    expect(mysqlDialect.upsert('scim_state', 'key', ['key', 'value', 'expires_at'])).toBe(
      'INSERT INTO `scim_state` (`key`, `value`, `expires_at`) VALUES (?, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE `value` = VALUES(`value`), `expires_at` = VALUES(`expires_at`)',
    );
  });

  it('quotes identifiers with backticks and refuses JSON keys it cannot quote', () => {
    expect(mysqlDialect.quoteId('we`ird')).toBe('`we``ird`');
    expect(mysqlDialect.jsonPath(['a:b.c', 0, 'value'])).toBe('$."a:b.c"[0]."value"');
    expect(() => mysqlDialect.jsonPath(['a"b'])).toThrow(/Unsupported JSON key/);
  });
});
