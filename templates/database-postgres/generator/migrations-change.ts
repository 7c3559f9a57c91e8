// The PostgreSQL migration that moves a database from one storage plan to the next
// (storage-diff.ts). Key columns are dropped and added, and filled from the documents in one
// UPDATE per table; folded columns with lower() under ICU's root locale, which folds exactly like
// the server's foldCase (store-postgres/dialect.ts). DDL is transactional here: a unique index
// that stored values violate fails the migration and leaves the database as it was.

import { MEMBERSHIP_COLUMNS, TENANT_COLUMN, type IndexedColumn, type StoragePlan, type TablePlan } from '../../scim/storage.js';
import { foldedElementValues, postgresDialect } from '../dialect.js';
import {
  createdIndex,
  eventsTables,
  functions,
  keyIndex,
  memberIndex,
  membershipTable,
  resourceTable,
  rowSecurity,
  tenancyTables,
} from './migrations.js';
import { countExistingRows, countsTable } from './migrations-counts.js';
import { changeMigration, columnSteps, keyIndexName, type StorageDiff, type TableDiff } from '../../../src/model/storage-diff.js';

const id = postgresDialect.quoteId;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The attribute's value in the document when it is a string, else NULL (as the server writes it). */
function documentValue(c: IndexedColumn): string {
  const path = `${text(postgresDialect.jsonPath(c.extension ? [c.extension, c.attribute] : [c.attribute]))}::text[]`;
  const doc = id('document');
  return `CASE WHEN jsonb_typeof(${doc} #> ${path}) = 'string' THEN ${doc} #>> ${path} END`;
}

const elementIndexName = (table: TablePlan, index: { attribute: string; sub: string }) =>
  `${table.table}_${index.attribute.toLowerCase()}_${index.sub.toLowerCase()}_idx`;

function tableChange(change: TableDiff): string[] {
  const { table } = change;
  const t = id(table.table);
  const steps = columnSteps(change);
  const statements: string[] = [];
  for (const c of steps.dropIndexes) statements.push(`DROP INDEX ${id(keyIndexName(table, c))};`);
  for (const index of change.removedElementIndexes) statements.push(`DROP INDEX ${id(elementIndexName(table, index))};`);
  if (steps.dropColumns.length > 0) {
    statements.push(`ALTER TABLE ${t}\n${steps.dropColumns.map((name) => `  DROP COLUMN ${id(name)}`).join(',\n')};`);
  }
  if (steps.addColumns.length > 0) {
    const adds = steps.addColumns.map(({ name }) => `  ADD COLUMN ${id(name)} text COLLATE "C"`);
    statements.push(`ALTER TABLE ${t}\n${adds.join(',\n')};`);
  }
  // One UPDATE, so every row is rewritten once; SET reads the row as it was, hence a folded
  // column filled along with its value folds the document's value, not the new column.
  const values = [
    ...steps.fillValues.map((c) => `  ${id(c.column)} = ${documentValue(c)}`),
    ...steps.fillFolds.map((c) => {
      const value = steps.fillValues.includes(c) ? documentValue(c) : id(c.column);
      return `  ${id(c.foldColumn!)} = ${postgresDialect.fold(value)}`;
    }),
  ];
  if (values.length > 0) statements.push(`UPDATE ${t} SET\n${values.join(',\n')};`);
  for (const c of steps.addIndexes) statements.push(keyIndex(table, c));
  for (const index of change.addedElementIndexes) {
    statements.push(
      `CREATE INDEX ${id(elementIndexName(table, index))} ON ${t} USING gin (${foldedElementValues(id('document'), index)});`,
    );
  }
  if (change.addedMembership) statements.push(membershipTable(table));
  if (change.memberTypesBefore) {
    const m = table.membership!;
    const type = MEMBERSHIP_COLUMNS.type;
    // The name PostgreSQL gave the column's CHECK constraint in the first migration.
    const check = id(`${m.table}_${type}_check`);
    statements.push(
      `ALTER TABLE ${id(m.table)}\n  DROP CONSTRAINT ${check},\n` +
        `  ADD CONSTRAINT ${check} CHECK (${id(type)} IN (${m.memberTypes.map(text).join(', ')}));`,
    );
  }
  return statements;
}

/**
 * A database from before tenancy: the tenants and credentials tables, then every table gets the
 * tenant column, 1 for each row (the default fills the existing rows and is dropped again: the
 * server always writes the tenant), and its indexes are rebuilt to lead with it, under their names.
 */
function addTenants(before: StoragePlan): string {
  const statements = [tenancyTables()];
  const addColumn = (table: string) =>
    `ALTER TABLE ${id(table)} ADD COLUMN ${id(TENANT_COLUMN)} bigint NOT NULL DEFAULT 1;\n` +
    `ALTER TABLE ${id(table)} ALTER COLUMN ${id(TENANT_COLUMN)} DROP DEFAULT;`;
  for (const table of before.tables) {
    statements.push(addColumn(table.table), rowSecurity(table.table));
    for (const c of table.columns) statements.push(`DROP INDEX ${id(keyIndexName(table, c))};`, keyIndex(table, c));
    statements.push(`DROP INDEX ${id(`${table.table}_created_idx`)};`, createdIndex(table));
    if (table.membership) {
      statements.push(
        addColumn(table.membership.table),
        rowSecurity(table.membership.table),
        `DROP INDEX ${id(`${table.membership.table}_${MEMBERSHIP_COLUMNS.member}_idx`)};`,
        memberIndex(table),
      );
    }
  }
  return statements.join('\n');
}

export function postgresChange(diff: StorageDiff): string | undefined {
  const applied = [
    '-- storage plan to the current one. Applied once, in a transaction; never edit an applied',
    '-- migration (the server refuses to start when its checksum changes).',
  ];
  const hadFunction = diff.before.tables.some((t) => t.elementIndexes.length > 0);
  const needsFunction =
    diff.created.some((t) => t.elementIndexes.length > 0) || diff.changed.some((t) => t.addedElementIndexes.length > 0);
  const parts = [
    diff.addTenants ? addTenants(diff.before) : '',
    diff.addEvents ? eventsTables() : '',
    diff.addCounts ? [countsTable(), countExistingRows(diff.before.tables)].join('\n') : '',
    hadFunction || !needsFunction ? '' : functions({ tables: [...diff.created, ...diff.changed.map((c) => c.table)] }),
    ...diff.created.flatMap((table) => [resourceTable(table), membershipTable(table)]),
    ...diff.changed.map((change) => tableChange(change).join('\n')),
  ];
  return changeMigration(diff, applied, parts);
}
