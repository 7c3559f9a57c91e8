// Applies numbered migrations (NNNN_name.sql) in order and records them in schema_migrations.
// All of it runs under a named lock (GET_LOCK), so when several instances start together one
// applies them and the others wait, then find nothing left to do.
//
// MySQL and MariaDB commit every CREATE, ALTER and DROP as it runs, so a migration is atomic
// only when it changes data alone. One that fails halfway leaves its earlier statements applied
// and is not recorded: the error says so, and the fix is by hand before the next start.

import { createHash } from 'node:crypto';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { pendingMigrations, readMigrations } from '../database-sql/migration-files.js';

/** How long an instance waits for another that is applying migrations. */
const LOCK_TIMEOUT_SECONDS = 120;

type Rows<T> = Array<T & RowDataPacket>;

/** Only comments and whitespace: the server would refuse it as an empty query. */
const isEmpty = (sql: string) => sql.replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';

/**
 * Returns the names of the migrations it applied. `connection` is the instance's own, opened
 * with multipleStatements (a migration file holds several statements); the lock is held by it.
 */
export async function migrate(connection: Connection, dir: string): Promise<string[]> {
  const files = readMigrations(dir);
  const [named] = await connection.query<Rows<{ database: string | null }>>('SELECT DATABASE() AS `database`');
  const database = named[0]?.database;
  if (!database) throw new Error('DATABASE_URL names no database: add it as the path, e.g. mysql://host:3306/scim');
  // Lock names are server-wide (and at most 64 characters): one per database.
  const lock = `scim_migrations_${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
  const [granted] = await connection.query<Rows<{ locked: number | null }>>('SELECT GET_LOCK(?, ?) AS locked', [
    lock,
    LOCK_TIMEOUT_SECONDS,
  ]);
  if (granted[0]?.locked !== 1) {
    throw new Error(`Another instance has been applying database migrations for ${LOCK_TIMEOUT_SECONDS}s; try again later`);
  }
  try {
    await connection.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (' +
        'name VARCHAR(255) NOT NULL PRIMARY KEY, checksum CHAR(64) NOT NULL, applied_at VARCHAR(32) NOT NULL' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin',
    );
    const [applied] = await connection.query<Rows<{ name: string; checksum: string }>>('SELECT name, checksum FROM schema_migrations');
    const ran: string[] = [];
    for (const file of pendingMigrations(files, applied, dir)) {
      await connection.query('START TRANSACTION');
      try {
        if (!isEmpty(file.sql)) await connection.query(file.sql);
        await connection.query('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)', [
          file.name,
          file.checksum,
          new Date().toISOString(),
        ]);
        await connection.query('COMMIT');
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw new Error(
          `Migration ${file.name} failed: ${(error as Error).message}. MySQL and MariaDB commit schema changes ` +
            'as they run, so the statements before the failing one stay applied: undo them (or finish the ' +
            'migration by hand and record it in schema_migrations) before starting again.',
          { cause: error },
        );
      }
      ran.push(file.name);
    }
    return ran;
  } finally {
    await connection.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined); // a lost session lost its lock too
  }
}
