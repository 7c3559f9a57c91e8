// PostgreSQL: the row counts table (database-sql/counts.ts), in the first migration and in the
// one that adds it to a database from before it, which counts the rows there once.

import { COUNTS_TABLE, TENANT_COLUMN, TENANTS_TABLE, type TablePlan } from '../../scim/storage.js';
import { COUNT_COLUMNS } from '../../database-sql/counts.js';
import { postgresDialect } from '../dialect.js';
import { rowSecurity } from './migrations.js';

const id = postgresDialect.quoteId;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

export function countsTable(): string {
  const { table, shard, rows } = COUNT_COLUMNS;
  return [
    `-- Rows per tenant and resource table, kept by every create and delete in its transaction:`,
    `-- an unfiltered list sums a few rows here instead of counting the table. Each count is split`,
    `-- over a few shards, so concurrent creates do not all wait for one row's lock.`,
    `CREATE TABLE ${id(COUNTS_TABLE)} (`,
    `  ${id(TENANT_COLUMN)} bigint NOT NULL REFERENCES ${id(TENANTS_TABLE)} (${id('id')}) ON DELETE CASCADE,`,
    `  ${id(table)} text COLLATE "C" NOT NULL, -- the resource table's name`,
    `  ${id(shard)} smallint NOT NULL,`,
    `  ${id(rows)} bigint NOT NULL, -- may be negative in one shard; the sum is the count`,
    `  PRIMARY KEY (${id(TENANT_COLUMN)}, ${id(table)}, ${id(shard)})`,
    `);`,
    rowSecurity(COUNTS_TABLE),
  ].join('\n');
}

/** The counts of rows already there (shard 0), for the migration that adds the table. */
export function countExistingRows(tables: readonly TablePlan[]): string {
  const { table: name, shard, rows } = COUNT_COLUMNS;
  const columns = [TENANT_COLUMN, name, shard, rows].map(id).join(', ');
  return tables
    .map(
      (table) =>
        `INSERT INTO ${id(COUNTS_TABLE)} (${columns})\n` +
        `  SELECT ${id(TENANT_COLUMN)}, ${text(table.table)}, 0, COUNT(*) FROM ${id(table.table)} GROUP BY ${id(TENANT_COLUMN)};`,
    )
    .join('\n');
}
