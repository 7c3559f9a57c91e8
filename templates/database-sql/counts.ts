// Exact row counts per (tenant, resource table) without counting rows: an unfiltered page's
// `totalResults` is a sum over a few counter rows (COUNTS_TABLE) instead of a COUNT(*) that reads
// the whole table (29-56 ms at 100,000 users on PostgreSQL, growing with the table).
//
// Every create adds 1 and every delete subtracts 1, in the same transaction as the row itself,
// so a snapshot that sees a row sees its count. The counter of a table is split over
// COUNT_SHARDS rows, one picked at random per write: concurrent creates in one tenant then
// queue on one of several row locks instead of all on one. The bump is the last statement of its
// transaction, so the lock is held for the commit only and is never taken before another lock
// (no deadlock through it). Deleting a tenant deletes its counters (foreign key, ON DELETE CASCADE).

import { COUNTS_TABLE, TENANT_COLUMN, type TablePlan } from '../scim/storage.js';
import type { TenantKey } from '../scim/tenancy.js';
import type { SqlConnection, SqlStoreDialect } from './driver.js';

/** Counter rows per (tenant, table). */
export const COUNT_SHARDS = 8;

/** The columns of COUNTS_TABLE besides the tenant. */
export const COUNT_COLUMNS = { table: 'resource_table', shard: 'shard', rows: 'row_count' } as const;

/** Adds `delta` (1 or -1) to one of the table's counter rows, creating it when it is not there yet. */
export async function bumpCount(
  db: SqlConnection,
  dialect: SqlStoreDialect,
  tenant: TenantKey,
  table: TablePlan,
  delta: 1 | -1,
): Promise<void> {
  const q = dialect.quoteId;
  const $ = dialect.placeholder;
  const { table: name, shard, rows } = COUNT_COLUMNS;
  const key = [tenant, table.table, Math.floor(Math.random() * COUNT_SHARDS)];
  const update =
    `UPDATE ${q(COUNTS_TABLE)} SET ${q(rows)} = ${q(rows)} + ${$(1)} ` +
    `WHERE ${q(TENANT_COLUMN)} = ${$(2)} AND ${q(name)} = ${$(3)} AND ${q(shard)} = ${$(4)}`;
  if ((await db.execute(update, [delta, ...key])) > 0) return;
  // First write to this shard: insert it; a concurrent first write may win, then add to its row.
  const insert = dialect.insertIgnoring(COUNTS_TABLE, [TENANT_COLUMN, name, shard, rows]);
  if ((await db.execute(insert, [...key, delta])) > 0) return;
  await db.execute(update, [delta, ...key]);
}

/**
 * A scalar subquery giving the table's row count in the tenant bound at `tenant` (a placeholder
 * already bound): one index range of at most COUNT_SHARDS rows.
 */
export function countOf(dialect: SqlStoreDialect, table: TablePlan, tenant: string, name: string): string {
  const q = dialect.quoteId;
  const { table: column, rows } = COUNT_COLUMNS;
  return (
    `(SELECT COALESCE(SUM(${q(rows)}), 0) FROM ${q(COUNTS_TABLE)} ` +
    `WHERE ${q(TENANT_COLUMN)} = ${tenant} AND ${q(column)} = ${name})`
  );
}
