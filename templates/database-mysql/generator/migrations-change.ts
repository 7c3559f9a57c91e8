// The MySQL / MariaDB migration that moves a database from one storage plan to the next
// (storage-diff.ts). Key columns are dropped and added, and filled from the documents.
//
// Folded columns are filled with LOWER(), which agrees with the server's foldCase except for a
// few letters (store-mysql/dialect.ts); after applying migrations the server re-folds every
// folded column with foldCase itself (store-mysql/refold.ts), so the keys end up exactly as it
// writes them. Both servers commit each ALTER as it runs: the statements most likely to fail (a
// unique key that stored values violate, a value too long for a key) come last, after which the
// file only has to be finished by hand.

import { MEMBERSHIP_COLUMNS, TENANT_COLUMN, type IndexedColumn, type StoragePlan, type TablePlan } from '../../scim/storage.js';
import { mysqlDialect } from '../dialect.js';
import { ELEMENT_COLUMNS, elementTable } from '../../database-sql/element-tables.js';
import {
  createdKey,
  elementIndexTables,
  elementValueKey,
  keyDefinition,
  memberKey,
  membershipTable,
  MYSQL_KEY_LENGTH,
  resourceTable,
  tenancyTables,
  TENANT_TYPE,
  eventsTables,
} from './migrations.js';
import { countExistingRows, countsTable } from './migrations-counts.js';
import { changeMigration, columnSteps, keyIndexName, type StorageDiff, type TableDiff } from '../../../src/model/storage-diff.js';

const id = mysqlDialect.quoteId;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** The attribute's value in the document when it is a string, else NULL (as the server writes it). */
function documentValue(c: IndexedColumn): string {
  const value = `JSON_EXTRACT(${id('document')}, ${text(mysqlDialect.jsonPath(c.extension ? [c.extension, c.attribute] : [c.attribute]))})`;
  return `CASE WHEN JSON_TYPE(${value}) = 'STRING' THEN JSON_UNQUOTE(${value}) END`;
}

/**
 * Column definitions as the first migration spells them (migrations-mysql.ts): a value with a
 * folded copy is not a key itself, so it may be longer than a key holds.
 */
const valueColumn = (c: IndexedColumn) => `${id(c.column)} ${c.foldColumn ? 'TEXT' : `VARCHAR(${MYSQL_KEY_LENGTH})`} NULL`;
const foldColumn = (c: IndexedColumn) => `${id(c.foldColumn!)} VARCHAR(${MYSQL_KEY_LENGTH}) NULL`;

function tableChange(change: TableDiff): string[] {
  const { table } = change;
  const t = id(table.table);
  const steps = columnSteps(change);
  const statements: string[] = [];
  if (change.addedElementIndexes.length > 0) {
    // The server writes these tables with every write, with foldCase; nothing fills them from
    // stored documents yet.
    throw new Error(
      `${table.resourceType}: a new index on ${change.addedElementIndexes.map((i) => `${i.attribute}.${i.sub}`).join(', ')} ` +
        'needs its table filled from every stored resource, which MySQL migrations cannot do yet',
    );
  }
  for (const index of change.removedElementIndexes) statements.push(`DROP TABLE ${id(elementTable(table, index))};`);
  const drops = [
    ...steps.dropIndexes.map((c) => `  DROP INDEX ${id(keyIndexName(table, c))}`),
    ...steps.dropColumns.map((name) => `  DROP COLUMN ${id(name)}`),
  ];
  if (drops.length > 0) statements.push(`ALTER TABLE ${t}\n${drops.join(',\n')};`);
  const adds = [
    ...steps.retyped.map((c) => `  MODIFY COLUMN ${valueColumn(c)}`),
    ...steps.addColumns.map(({ of, folded }) => `  ADD COLUMN ${folded ? foldColumn(of) : valueColumn(of)}`),
  ];
  if (adds.length > 0) statements.push(`ALTER TABLE ${t}\n${adds.join(',\n')};`);
  // Both servers let a SET see columns assigned before it, MariaDB only by default: each
  // folded column folds the document's value itself rather than rely on that.
  const values = [
    ...steps.fillValues.map((c) => `  ${id(c.column)} = ${documentValue(c)}`),
    ...steps.fillFolds.map((c) => {
      const value = steps.fillValues.includes(c) ? documentValue(c) : id(c.column);
      return `  ${id(c.foldColumn!)} = LOWER(${value})`;
    }),
  ];
  if (values.length > 0) statements.push(`UPDATE ${t} SET\n${values.join(',\n')};`);
  const keys = steps.addIndexes.map((c) => `  ADD ${keyDefinition(table, c)}`);
  if (keys.length > 0) statements.push(`ALTER TABLE ${t}\n${keys.join(',\n')};`);
  if (change.addedMembership) statements.push(membershipTable(table));
  if (change.memberTypesBefore) {
    const m = table.membership!;
    const type = MEMBERSHIP_COLUMNS.type;
    const check = id(`${m.table}_${type}_check`);
    statements.push(
      `ALTER TABLE ${id(m.table)} DROP CONSTRAINT ${check};`,
      `ALTER TABLE ${id(m.table)} ADD CONSTRAINT ${check} CHECK (${id(type)} IN (${m.memberTypes.map(text).join(', ')}));`,
    );
  }
  return statements;
}

/**
 * A database from before tenancy: the tenants and credentials tables, then every table gets the
 * tenant column, 1 for each row (the default fills the existing rows and is dropped again: the
 * server always writes the tenant), and its keys are rebuilt to lead with it, under their names.
 * Key columns shrink from 768 to 767 characters to leave the tenant room in a key; a stored
 * value of 768 characters fails the migration (strict mode) rather than being cut. Element keys
 * are prefixes anyway: those are cut to 767 first.
 */
function addTenants(before: StoragePlan): string {
  const column = `ADD COLUMN ${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL DEFAULT 1 FIRST`;
  const dropDefault = (table: string) => `ALTER TABLE ${id(table)} ALTER COLUMN ${id(TENANT_COLUMN)} DROP DEFAULT;`;
  const statements = [tenancyTables()];
  for (const table of before.tables) {
    const changes = [
      column,
      ...table.columns.flatMap((c) => {
        const shrink = c.foldColumn ? [`MODIFY COLUMN ${foldColumn(c)}`] : [`MODIFY COLUMN ${valueColumn(c)}`];
        return [`DROP INDEX ${id(keyIndexName(table, c))}`, ...shrink, `ADD ${keyDefinition(table, c)}`];
      }),
      `DROP INDEX ${id(`${table.table}_created_idx`)}`,
      `ADD ${createdKey(table)}`,
    ];
    statements.push(`ALTER TABLE ${id(table.table)}\n${changes.map((c) => `  ${c}`).join(',\n')};`, dropDefault(table.table));
    if (table.membership) {
      const m = table.membership.table;
      statements.push(
        `ALTER TABLE ${id(m)}\n  ${column},\n  DROP INDEX ${id(`${m}_${MEMBERSHIP_COLUMNS.member}_idx`)},\n  ADD ${memberKey(table)};`,
        dropDefault(m),
      );
    }
    for (const index of table.elementIndexes) {
      const name = elementTable(table, index);
      const value = id(ELEMENT_COLUMNS.value);
      statements.push(
        `UPDATE ${id(name)} SET ${value} = LEFT(${value}, ${MYSQL_KEY_LENGTH}) WHERE CHAR_LENGTH(${value}) > ${MYSQL_KEY_LENGTH};`,
        `ALTER TABLE ${id(name)}\n  ${column},\n  MODIFY COLUMN ${value} VARCHAR(${MYSQL_KEY_LENGTH}) NOT NULL,\n` +
          `  DROP INDEX ${id(`${name}_${ELEMENT_COLUMNS.value}_idx`)},\n  ADD ${elementValueKey(table, index)};`,
        dropDefault(name),
      );
    }
  }
  return statements.join('\n');
}

export function mysqlChange(diff: StorageDiff): string | undefined {
  const applied = [
    '-- storage plan to the current one. MySQL and MariaDB commit each ALTER at once, so if a',
    '-- statement fails, the ones before it stay applied: finish the file by hand (or undo them)',
    '-- before starting again. Never edit an applied migration.',
  ];
  const strict = [
    '-- A value longer than a key column holds fails the migration instead of being cut short.',
    "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES');",
  ].join('\n');
  const parts = [
    diff.addTenants ? addTenants(diff.before) : '',
    diff.addEvents ? eventsTables() : '',
    diff.addCounts ? [countsTable(), countExistingRows(diff.before.tables)].join('\n') : '',
    ...diff.created.flatMap((table: TablePlan) => [resourceTable(table), membershipTable(table), elementIndexTables(table)]),
    ...diff.changed.map((change) => tableChange(change).join('\n')),
  ];
  return changeMigration(diff, applied, parts, [strict]);
}
