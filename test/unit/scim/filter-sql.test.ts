import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import type { Filter } from '../../../templates/scim/filter/ast.js';
import { parseAttrPath, parseFilter } from '../../../templates/scim/filter/parse.js';
import { SqlParams, type SqlScope } from '../../../templates/scim/filter/sql-dialect.js';
import { compileOrderBy, filterToSql } from '../../../templates/scim/filter/sql.js';
import { storagePlan, tableFor } from '../../../templates/scim/storage.js';
import { sqliteDialect } from '../../../templates/database-sqlite/dialect.js';
import { storeTestRegistry } from '../store/test-schema.js';

const registry = storeTestRegistry();
const plan = storagePlan(registry);
const scope = (type: string): SqlScope => ({
  type: registry.byName(type)!,
  plan,
  table: tableFor(plan, type),
  dialect: sqliteDialect,
  alias: 'r',
});
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const TEST = 'urn:example:params:scim:schemas:extension:test:2.0:User';

const doc = 'r."document"';
const field = (e: string) => `CASE WHEN ${e}.type = 'object' THEN json_extract(${e}.value, ?) END`;
const emails = (where: string) => `EXISTS (SELECT 1 FROM json_each(${doc}, ?) e1 WHERE ${where})`;
const members = (e: string, where: string) =>
  `EXISTS (SELECT 1 FROM "group_members" ${e} WHERE ${e}."owner_id" = r."id" AND ${where})`;

describe('filterToSql (SQLite)', () => {
  const cases: Array<{ type?: string; filter: string; sql: string; params: unknown[] }> = [
    // Indexed columns: case-insensitive attributes use the folded column, so the index applies.
    { filter: 'userName eq "BJensen"', sql: 'r."user_name_fold" = ?', params: ['bjensen'] },
    { filter: 'USERNAME Eq "x"', sql: 'r."user_name_fold" = ?', params: ['x'] },
    { filter: 'userName ne "x"', sql: 'r."user_name_fold" <> ?', params: ['x'] },
    { filter: 'userName gt "m"', sql: 'r."user_name_fold" > ?', params: ['m'] },
    { filter: 'userName le "M"', sql: 'r."user_name_fold" <= ?', params: ['m'] },
    { filter: 'userName sw "Bj"', sql: 'substr(r."user_name_fold", 1, length(?)) = ?', params: ['bj', 'bj'] },
    {
      filter: 'userName ew "%_"',
      sql: `substr(r."user_name_fold" || char(1), -(length(?) + 1)) = ? || char(1)`,
      params: ['%_', '%_'],
    },
    { filter: 'userName co "a"', sql: 'instr(r."user_name_fold", ?) > 0', params: ['a'] },
    { filter: 'externalId eq "AbC"', sql: 'r."external_id" = ?', params: ['AbC'] },
    { filter: 'displayName co "Jen"', sql: 'instr(r."display_name_fold", ?) > 0', params: ['jen'] },
    { filter: 'id eq "ID-1"', sql: 'r."id" = ?', params: ['ID-1'] },
    { filter: 'userName pr', sql: `coalesce(r."user_name_fold", '') <> ''`, params: [] },
    // Document attributes: the JSON path is a parameter; folding happens in SQL and in JS.
    { filter: 'title eq "Boss"', sql: `scim_fold(json_extract(${doc}, ?)) = ?`, params: ['$."title"', 'boss'] },
    {
      filter: 'name.givenName sw "B"',
      sql: `substr(scim_fold(json_extract(${doc}, ?)), 1, length(?)) = ?`,
      params: ['$."name"."givenName"', 'b', 'b'],
    },
    { filter: 'code eq "AbC"', sql: `json_extract(${doc}, ?) = ?`, params: [`$."${TEST}"."code"`, 'AbC'] },
    {
      filter: `${ENT}:employeeNumber eq "701"`,
      sql: `scim_fold(json_extract(${doc}, ?)) = ?`,
      params: [`$."${ENT}"."employeeNumber"`, '701'],
    },
    { filter: 'active eq true', sql: `json_extract(${doc}, ?) = ?`, params: ['$."active"', 1] },
    { filter: 'active ne false', sql: `json_extract(${doc}, ?) <> ?`, params: ['$."active"', 0] },
    { filter: 'level ge 3', sql: `json_extract(${doc}, ?) >= ?`, params: [`$."${TEST}"."level"`, 3] },
    { filter: 'score lt 4.5', sql: `json_extract(${doc}, ?) < ?`, params: [`$."${TEST}"."score"`, 4.5] },
    {
      filter: 'hiredAt gt "2020-01-15T10:00:00+01:00"',
      sql: `julianday(json_extract(${doc}, ?)) > julianday(?)`,
      params: [`$."${TEST}"."hiredAt"`, '2020-01-15T10:00:00+01:00'],
    },
    { filter: 'hiredAt sw "2020"', sql: `substr(json_extract(${doc}, ?), 1, length(?)) = ?`, params: [`$."${TEST}"."hiredAt"`, '2020', '2020'] },
    // meta timestamps are columns we write in one ISO format: the literal is normalised to it.
    { filter: 'meta.created ge "2024-01-01T02:00:00+02:00"', sql: 'r."created" >= ?', params: ['2024-01-01T00:00:00.000Z'] },
    { filter: 'meta.lastModified lt "2024-01-01T00:00:00Z"', sql: 'r."last_modified" < ?', params: ['2024-01-01T00:00:00.000Z'] },
    { filter: 'meta.resourceType eq "User"', sql: '? = ?', params: ['User', 'User'] },
    // Presence: "" is absent; eq null / ne null are absence and presence.
    { filter: 'title pr', sql: `coalesce(json_extract(${doc}, ?), '') <> ''`, params: ['$."title"'] },
    { filter: 'level pr', sql: `json_extract(${doc}, ?) IS NOT NULL`, params: [`$."${TEST}"."level"`] },
    {
      filter: 'title eq null',
      sql: `(NOT coalesce(coalesce(json_extract(${doc}, ?), '') <> '', FALSE))`,
      params: ['$."title"'],
    },
    { filter: 'title ne null', sql: `coalesce(json_extract(${doc}, ?), '') <> ''`, params: ['$."title"'] },
    { filter: 'emails pr', sql: `json_array_length(${doc}, ?) > 0`, params: ['$."emails"'] },
    {
      filter: 'name pr',
      sql: `EXISTS (SELECT 1 FROM json_each(${doc}, ?) e1 WHERE coalesce(e1.value, '') <> '')`,
      params: ['$."name"'],
    },
    // Multi-valued complex attributes: EXISTS over the JSON array.
    {
      filter: 'emails[type eq "work" and value co "@X"]',
      sql: emails(`(scim_fold(${field('e1')}) = ? AND instr(scim_fold(${field('e1')}), ?) > 0)`),
      params: ['$."emails"', '$."type"', 'work', '$."value"', '@x'],
    },
    {
      filter: 'emails.value eq "a@b.c"',
      sql: emails(`scim_fold(${field('e1')}) = ?`),
      params: ['$."emails"', '$."value"', 'a@b.c'],
    },
    {
      filter: 'emails co "@b"',
      sql: emails(`instr(scim_fold(${field('e1')}), ?) > 0`),
      params: ['$."emails"', '$."value"', '@b'],
    },
    {
      filter: 'emails.primary eq true',
      sql: emails(`${field('e1')} = ?`),
      params: ['$."emails"', '$."primary"', 1],
    },
    {
      filter: 'emails[not (type eq "work")]',
      sql: emails(`(NOT coalesce(scim_fold(${field('e1')}) = ?, FALSE))`),
      params: ['$."emails"', '$."type"', 'work'],
    },
    {
      filter: 'tags eq "Blue"',
      sql: `EXISTS (SELECT 1 FROM json_each(${doc}, ?) e1 WHERE scim_fold(e1.value) = ?)`,
      params: [`$."${TEST}"."tags"`, 'blue'],
    },
    {
      filter: 'name[givenName eq "B"]',
      sql: `scim_fold(json_extract(${doc}, ?)) = ?`,
      params: ['$."name"."givenName"', 'b'],
    },
    // Logic: parentheses, precedence, and NOT over NULL-able comparisons.
    {
      filter: 'not (userName eq "a" or title pr) and active eq true',
      sql:
        `((NOT coalesce((r."user_name_fold" = ? OR coalesce(json_extract(${doc}, ?), '') <> ''), FALSE))` +
        ` AND json_extract(${doc}, ?) = ?)`,
      params: ['a', '$."title"', '$."active"', 1],
    },
    // Group membership lives in its own table.
    { type: 'Group', filter: 'members[value eq "ABC"]', sql: members('e1', 'e1."member_id" = ?'), params: ['abc'] },
    { type: 'Group', filter: 'members.value eq "abc"', sql: members('e1', 'e1."member_id" = ?'), params: ['abc'] },
    { type: 'Group', filter: 'members eq "abc"', sql: members('e1', 'e1."member_id" = ?'), params: ['abc'] },
    { type: 'Group', filter: 'members[type eq "user"]', sql: members('e1', 'scim_fold(e1."member_type") = ?'), params: ['user'] },
    { type: 'Group', filter: 'members pr', sql: members('e1', 'TRUE'), params: [] },
    {
      type: 'Group',
      filter: 'displayName eq "Admins" and not (members pr)',
      sql: `(r."display_name_fold" = ? AND (NOT coalesce(${members('e1', 'TRUE')}, FALSE)))`,
      params: ['admins'],
    },
  ];

  it.each(cases)('$filter', ({ type = 'User', filter, sql, params }) => {
    expect(filterToSql(parseFilter(filter), scope(type))).toEqual({ sql, params });
  });

  it('never puts a literal into the SQL text', () => {
    const hostile = `x' OR 1=1; DROP TABLE users; --"`;
    const filter: Filter = { kind: 'compare', op: 'eq', path: { attr: 'title' }, value: hostile };
    const { sql, params } = filterToSql(filter, scope('User'));
    expect(sql).not.toContain('DROP');
    expect(params).toContain(hostile.toLowerCase());
  });

  it('continues numbering after parameters already bound', () => {
    const params = new SqlParams(sqliteDialect);
    params.bind('before');
    const order = compileOrderBy(parseAttrPath('title'), false, scope('User'), params);
    expect(order).toBe(`scim_fold(json_extract(${doc}, ?)) ASC NULLS LAST, r."created", r."id"`);
    expect(params.values).toEqual(['before', '$."title"']);
  });
});

describe('compileOrderBy (SQLite)', () => {
  const tie = 'r."created", r."id"';
  const cases: Array<{ sortBy?: string; descending?: boolean; sql: string; params: unknown[] }> = [
    { sql: tie, params: [] },
    { sortBy: 'userName', sql: `r."user_name_fold" ASC NULLS LAST, ${tie}`, params: [] },
    { sortBy: 'externalId', descending: true, sql: `r."external_id" DESC NULLS FIRST, ${tie}`, params: [] },
    { sortBy: 'meta.lastModified', sql: `r."last_modified" ASC NULLS LAST, ${tie}`, params: [] },
    { sortBy: 'level', sql: `json_extract(${doc}, ?) ASC NULLS LAST, ${tie}`, params: [`$."${TEST}"."level"`] },
    {
      sortBy: 'emails',
      sql:
        `scim_fold(coalesce((SELECT ${field('s1')} FROM json_each(${doc}, ?) s1 WHERE ${field('s1')} = ? LIMIT 1),` +
        ` json_extract(${doc}, ?))) ASC NULLS LAST, ${tie}`,
      params: ['$."value"', '$."emails"', '$."primary"', 1, '$."emails"[0]."value"'],
    },
    {
      sortBy: 'tags',
      sql: `scim_fold(json_extract(${doc}, ?)) ASC NULLS LAST, ${tie}`,
      params: [`$."${TEST}"."tags"[0]`],
    },
  ];
  it.each(cases)('$sortBy', ({ sortBy, descending = false, sql, params }) => {
    const bound = new SqlParams(sqliteDialect);
    const path = sortBy === undefined ? undefined : parseAttrPath(sortBy);
    expect(compileOrderBy(path, descending, scope('User'), bound)).toBe(sql);
    expect(bound.values).toEqual(params);
  });

  it.each([
    { type: 'User', sortBy: 'nope' },
    { type: 'User', sortBy: 'name' },
    { type: 'User', sortBy: 'meta.location' },
    { type: 'Group', sortBy: 'members' },
  ])('rejects sortBy=$sortBy with 400 invalidValue', ({ type, sortBy }) => {
    const run = () => compileOrderBy(parseAttrPath(sortBy), false, scope(type), new SqlParams(sqliteDialect));
    expect(run).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidValue' }));
  });
});

describe('filter errors are 400 invalidFilter', () => {
  const nested: Filter = {
    kind: 'valuePath',
    path: { attr: 'emails' },
    filter: { kind: 'valuePath', path: { attr: 'emails' }, filter: { kind: 'present', path: { attr: 'value' } } },
  };
  const cases: Array<{ type?: string; filter: string | Filter; detail: RegExp }> = [
    { filter: 'nope eq "x"', detail: /Unknown attribute.*nope/ },
    { filter: 'name.nope eq "x"', detail: /Unknown attribute.*name\.nope/ },
    { filter: 'urn:example:unknown:User:title eq "x"', detail: /Unknown attribute/ },
    { filter: { kind: 'present', path: { attr: 'userName" OR 1=1 --' } }, detail: /Unknown attribute/ },
    { filter: 'emails[nope eq "x"]', detail: /Unknown attribute.*emails\[nope\]/ },
    { filter: nested, detail: /cannot nest/ },
    { filter: 'title[value eq "x"]', detail: /not complex/ },
    { filter: 'tags[value eq "x"]', detail: /not complex/ },
    { filter: 'name eq "x"', detail: /complex/ },
    { filter: 'meta eq "x"', detail: /complex/ },
    { filter: 'meta.location eq "x"', detail: /cannot be filtered/ },
    { filter: 'userName eq 5', detail: /needs a string/ },
    { filter: 'userName eq true', detail: /needs a string/ },
    { filter: 'userName gt null', detail: /non-null/ },
    { filter: 'active eq "true"', detail: /true or false/ },
    { filter: 'active gt true', detail: /only eq and ne/ },
    { filter: 'level eq "3"', detail: /a number/ },
    { filter: 'level eq 1.5', detail: /an integer/ },
    { filter: 'score co 1', detail: /applies to strings/ },
    { filter: 'hiredAt gt "yesterday"', detail: /ISO 8601/ },
    { filter: 'hiredAt gt 5', detail: /dateTime string/ },
    { filter: 'meta.created gt "2024-13-45T00:00:00Z"', detail: /ISO 8601/ },
    { filter: 'badge gt "AAAA"', detail: /binary/ },
    { type: 'Group', filter: 'members.display eq "x"', detail: /members\.display is not supported/ },
    { type: 'Group', filter: 'members[display co "x"]', detail: /members\.display is not supported/ },
    { type: 'Group', filter: 'members[nope eq "x"]', detail: /Unknown attribute/ },
    { type: 'Group', filter: 'userName eq "x"', detail: /Unknown attribute/ },
  ];
  it.each(cases)('$filter', ({ type = 'User', filter, detail }) => {
    const ast = typeof filter === 'string' ? parseFilter(filter) : filter;
    let caught: unknown;
    try {
      filterToSql(ast, scope(type));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScimError);
    expect(caught).toMatchObject({ status: 400, scimType: 'invalidFilter', message: expect.stringMatching(detail) });
  });
});
