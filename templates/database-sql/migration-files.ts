// The migration files of a SQL database (migrations/<database>/NNNN_name.sql) and the checks
// every migration runner makes against what a database says it has applied.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIGRATION_FILE = /^(\d{4})_[A-Za-z0-9_-]+\.sql$/;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

/** The files in order of their numbers, each with the SHA-256 of its text. */
export function readMigrations(dir: string): MigrationFile[] {
  const names = readdirSync(dir).filter((n) => MIGRATION_FILE.test(n)).sort();
  const numbers = names.map((n) => n.slice(0, 4));
  const duplicate = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (duplicate) throw new Error(`Two migrations in ${dir} are numbered ${duplicate}`);
  return names.map((name) => {
    const sql = readFileSync(join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Refuses a database that has applied a migration this code does not have (it is newer than the
 * code), or one whose file has changed since (the database and the code disagree, and starting
 * anyway would hide it). Returns the files still to apply.
 */
export function pendingMigrations(
  files: readonly MigrationFile[],
  applied: ReadonlyArray<{ name: string; checksum: string }>,
  dir: string,
): MigrationFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied) {
    const file = byName.get(row.name);
    if (!file) {
      throw new Error(
        `Migration ${row.name} was applied to this database but is not in ${dir}; ` +
          'the database is newer than this code.',
      );
    }
    if (file.checksum !== row.checksum) {
      throw new Error(
        `Migration ${row.name} changed after it was applied (checksum ${row.checksum} in the ` +
          `database, ${file.checksum} on disk). Restore the file and add a new migration instead.`,
      );
    }
  }
  const done = new Set(applied.map((row) => row.name));
  return files.filter((f) => !done.has(f.name));
}
