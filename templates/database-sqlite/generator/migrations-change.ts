// The SQLite migration that moves a database from one storage plan to the next (storage-diff.ts).
// Key columns are dropped and added with ALTER TABLE (SQLite 3.35+) and filled from the
// documents. Folded columns are filled with scim_fold, the function the server registers on its
// connection before it migrates (database-sqlite/dialect.ts): the very foldCase the server writes
// with, which SQLite's lower() is not (it folds ASCII only).

import {
  GROUPS_COLUMN,
  MEMBERSHIP_COLUMNS,
  TENANT_COLUMN,
  type IndexedColumn,
  type StoragePlan,
  type TablePlan,
} from '../../scim/storage.js';
import { FOLD_FUNCTION, sqliteDialect } from '../dialect.js';
import { memberOfSql } from '../member-of.js';
import { createdIndex, eventsTables, groupsColumn, keyIndex, memberIndex, membershipTable, resourceTable, tenancyTables } from './migrations.js';
import { countExistingRows, countsTable } from './migrations-counts.js';
import { changeMigration, columnSteps, keyIndexName, type StorageDiff, type TableDiff } from '../../../src/model/storage-diff.js';

const id = sqliteDialect.quoteId;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The attribute's value in the document when it is a string, else NULL (as the server writes it). */
function documentValue(c: IndexedColumn): string {
  const path = text(sqliteDialect.jsonPath(c.extension ? [c.extension, c.attribute] : [c.attribute]));
  return `CASE WHEN json_type(${id('document')}, ${path}) = 'text' THEN json_extract(${id('document')}, ${path}) END`;
}

/**
 * A database from before tenancy: every table gets the tenant column, 1 for each row (the
 * default only fills the existing rows: the server always writes the tenant), and every index
 * is rebuilt to lead with it, under its name. Then the tenants and credentials tables.
 */
function addTenants(before: StoragePlan): string[] {
  const column = `${id(TENANT_COLUMN)} INTEGER NOT NULL DEFAULT 1`;
  const statements = [tenancyTables()];
  for (const table of before.tables) {
    const t = id(table.table);
    statements.push(`ALTER TABLE ${t} ADD COLUMN ${column};`);
    for (const c of table.columns) {
      statements.push(`DROP INDEX ${id(keyIndexName(table, c))};`, keyIndex(table, c));
    }
    statements.push(`DROP INDEX ${id(`${table.table}_created_idx`)};`, createdIndex(table));
    if (table.membership) {
      const m = table.membership;
      statements.push(
        `ALTER TABLE ${id(m.table)} ADD COLUMN ${column};`,
        `DROP INDEX ${id(`${m.table}_${MEMBERSHIP_COLUMNS.member}_idx`)};`,
        memberIndex(table),
      );
    }
  }
  return [statements.join('\n')];
}

function tableChange(change: TableDiff): string[] {
  const { table } = change;
  const t = id(table.table);
  const steps = columnSteps(change);
  const statements: string[] = [];
  for (const c of steps.dropIndexes) statements.push(`DROP INDEX ${id(keyIndexName(table, c))};`);
  for (const name of steps.dropColumns) statements.push(`ALTER TABLE ${t} DROP COLUMN ${id(name)};`);
  for (const { name } of steps.addColumns) statements.push(`ALTER TABLE ${t} ADD COLUMN ${id(name)} TEXT;`);
  const values = [
    ...steps.fillValues.map((c) => `  ${id(c.column)} = ${documentValue(c)}`),
    ...steps.fillFolds.map((c) => {
      const value = steps.fillValues.includes(c) ? documentValue(c) : id(c.column);
      return `  ${id(c.foldColumn!)} = ${FOLD_FUNCTION}(${value})`;
    }),
  ];
  if (values.length > 0) statements.push(`UPDATE ${t} SET\n${values.join(',\n')};`);
  if (steps.addIndexes.some((c) => c.unique)) {
    statements.push('-- Fails, changing nothing, if stored resources already share a value that must be unique.');
  }
  for (const c of steps.addIndexes) statements.push(keyIndex(table, c));
  if (change.addedMembership) statements.push(membershipTable(table));
  if (change.memberTypesBefore) statements.push(...rebuildMembership(table));
  if (change.groupsShown === false) statements.push(`ALTER TABLE ${t} DROP COLUMN ${id(GROUPS_COLUMN)};`);
  return statements;
}

/**
 * The row copy of each member's groups, added and filled once every membership table exists
 * in its new shape (a type that newly shows groups may also have gained owners).
 */
function groupsCopy(change: TableDiff, plan: StoragePlan): string[] {
  if (change.groupsShown !== true) return [];
  const t = id(change.table.table);
  return [
    `ALTER TABLE ${t} ADD COLUMN ${groupsColumn()[0]};`,
    `UPDATE ${t} SET ${id(GROUPS_COLUMN)} = ${memberOfSql(plan, change.table, t)};`,
  ];
}

/** SQLite cannot change a CHECK constraint: the membership table is copied into a new one. */
function rebuildMembership(table: TablePlan): string[] {
  const m = table.membership!;
  const old = `${m.table}_before`;
  const columns = [TENANT_COLUMN, ...Object.values(MEMBERSHIP_COLUMNS)].map(id).join(', ');
  return [
    `DROP INDEX ${id(`${m.table}_${MEMBERSHIP_COLUMNS.member}_idx`)};`,
    `ALTER TABLE ${id(m.table)} RENAME TO ${id(old)};`,
    membershipTable(table),
    `INSERT INTO ${id(m.table)} (${columns}) SELECT ${columns} FROM ${id(old)} ORDER BY rowid;`,
    `DROP TABLE ${id(old)};`,
  ];
}

export function sqliteChange(diff: StorageDiff): string | undefined {
  const plan = diff.recorded;
  const applied = [
    '-- storage plan to the current one. Applied once, in a transaction, by the server, which',
    `-- provides ${FOLD_FUNCTION}() (the sqlite3 shell does not); never edit an applied migration.`,
  ];
  const parts = [
    ...(diff.addTenants ? addTenants(diff.before) : []),
    ...(diff.addEvents ? [eventsTables()] : []),
    ...(diff.addCounts ? [countsTable(), countExistingRows(diff.before.tables)] : []),
    ...diff.created.flatMap((table) => [resourceTable(table), membershipTable(table)]),
    ...diff.changed.map((change) => tableChange(change).join('\n')),
    ...diff.changed.map((change) => groupsCopy(change, plan).join('\n')),
  ];
  return changeMigration(diff, applied, parts);
}
