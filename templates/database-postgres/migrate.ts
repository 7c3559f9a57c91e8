// Applies numbered migrations (NNNN_name.sql) in order, each in its own transaction (PostgreSQL
// DDL is transactional), and records them in schema_migrations. All of it runs under an advisory
// lock, so when several instances start together one applies them and the others wait, then
// find nothing left to do.

import type pg from 'pg';
import { pendingMigrations, readMigrations } from '../database-sql/migration-files.js';

/** Any fixed number; advisory locks are per database, so it only has to be ours within one. */
const MIGRATION_LOCK = 7_246_519_301;

/** Returns the names of the migrations it applied. */
export async function migrate(pool: pg.Pool, dir: string): Promise<string[]> {
  const files = readMigrations(dir);
  const client = await pool.connect();
  let broken: Error | undefined;
  // A dead connection is also reported as an 'error' event, which must not go unheard.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        name text PRIMARY KEY,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const applied = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
      const ran: string[] = [];
      for (const file of pendingMigrations(files, applied.rows, dir)) {
        // scim.migrating: the row-level security policies let a migration read and change
        // every tenant's rows (filling a new column from the documents), in its transaction only.
        await client.query("BEGIN; SELECT set_config('scim.migrating', 'on', true)");
        try {
          await client.query(file.sql);
          await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`Migration ${file.name} failed: ${(error as Error).message}`, { cause: error });
        }
        ran.push(file.name);
      }
      return ran;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch((error: Error) => {
        broken = error; // the session is gone, and its lock with it
      });
    }
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
