// SQLite: the row counts table (database-sqlite/counts.ts), in the first migration and in the one
// that adds it to a database from before it, which counts the rows there once.

import { COUNTS_TABLE, TENANT_COLUMN, TENANTS_TABLE, type TablePlan } from '../../scim/storage.js';
import { COUNT_COLUMNS } from '../counts.js';

const id = (name: string) => `"${name.replaceAll('"', '""')}"`;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function countsTable(): string {
  const { table, rows } = COUNT_COLUMNS;
  return [
    `-- Rows per tenant and resource table, kept by every create and delete in its transaction:`,
    `-- an unfiltered list reads one row here instead of counting the table.`,
    `CREATE TABLE ${id(COUNTS_TABLE)} (`,
    `  ${id(TENANT_COLUMN)} INTEGER NOT NULL REFERENCES ${id(TENANTS_TABLE)} (${id('id')}) ON DELETE CASCADE,`,
    `  ${id(table)} TEXT NOT NULL, -- the resource table's name`,
    `  ${id(rows)} INTEGER NOT NULL,`,
    `  PRIMARY KEY (${id(TENANT_COLUMN)}, ${id(table)})`,
    `) STRICT;`,
  ].join('\n');
}

/** The counts of rows already there, for the migration that adds the table. */
export function countExistingRows(tables: readonly TablePlan[]): string {
  const { table: name, rows } = COUNT_COLUMNS;
  const columns = [TENANT_COLUMN, name, rows].map(id).join(', ');
  return tables
    .map(
      (table) =>
        `INSERT INTO ${id(COUNTS_TABLE)} (${columns})\n` +
        `  SELECT ${id(TENANT_COLUMN)}, ${text(table.table)}, COUNT(*) FROM ${id(table.table)} GROUP BY ${id(TENANT_COLUMN)};`,
    )
    .join('\n');
}
