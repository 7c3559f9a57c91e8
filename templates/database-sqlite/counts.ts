// Exact row counts per (tenant, resource table) without counting rows: an unfiltered page's
// `totalResults` reads one row of COUNTS_TABLE instead of a COUNT(*) over the table's index
// (tens of milliseconds at a million users). Every create adds 1 and every delete subtracts 1
// in the same transaction as the row. SQLite has one writer at a time, so one row per table
// (no shards, unlike the SQL servers' counts). Deleting a tenant deletes its counts (ON DELETE CASCADE).

import { COUNTS_TABLE, TENANT_COLUMN } from '../scim/storage.js';

export const COUNT_COLUMNS = { table: 'resource_table', rows: 'row_count' } as const;

const q = (name: string) => `"${name}"`;
const { table: TABLE, rows: ROWS } = COUNT_COLUMNS;

/** The statement adding a delta (bound third) to the count of (tenant, table name). */
export const BUMP_COUNT =
  `INSERT INTO ${q(COUNTS_TABLE)} (${q(TENANT_COLUMN)}, ${q(TABLE)}, ${q(ROWS)}) VALUES (?, ?, ?) ` +
  `ON CONFLICT (${q(TENANT_COLUMN)}, ${q(TABLE)}) DO UPDATE SET ${q(ROWS)} = ${q(ROWS)} + excluded.${q(ROWS)}`;

/** A scalar subquery: the count of (tenant, table name), both bound in that order. */
export const COUNT_OF = `(SELECT COALESCE(SUM(${q(ROWS)}), 0) FROM ${q(COUNTS_TABLE)} WHERE ${q(TENANT_COLUMN)} = ? AND ${q(TABLE)} = ?)`;
