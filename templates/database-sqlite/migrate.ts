// Applies numbered migrations (NNNN_name.sql) in order, each in its own transaction, and
// records them in schema_migrations. An applied migration is never re-run; if its file has
// changed since, the database and the code disagree and starting anyway would hide it.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

const MIGRATION_FILE = /^(\d{4})_[A-Za-z0-9_-]+\.sql$/;

interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string): MigrationFile[] {
  const names = readdirSync(dir).filter((n) => MIGRATION_FILE.test(n)).sort();
  const numbers = names.map((n) => n.slice(0, 4));
  const duplicate = numbers.find((n, i) => numbers.indexOf(n) !== i);
  if (duplicate) throw new Error(`Two migrations in ${dir} are numbered ${duplicate}`);
  return names.map((name) => {
    const sql = readFileSync(join(dir, name), 'utf8');
    return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Returns the names of the migrations it applied. */
export function migrate(db: Database.Database, dir: string): string[] {
  const files = readMigrations(dir);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name TEXT PRIMARY KEY NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const appliedRow = db.prepare<[string], { checksum: string }>(
    'SELECT checksum FROM schema_migrations WHERE name = ?',
  );
  const record = db.prepare('INSERT INTO schema_migrations (name, checksum, applied_at) VALUES (?, ?, ?)');

  const known = new Set(files.map((f) => f.name));
  const applied = db.prepare<[], { name: string }>('SELECT name FROM schema_migrations').all();
  const missing = applied.find((row) => !known.has(row.name));
  if (missing) {
    throw new Error(
      `Migration ${missing.name} was applied to this database but is not in ${dir}; ` +
        'the database is newer than this code.',
    );
  }

  const ran: string[] = [];
  for (const file of files) {
    // IMMEDIATE takes the write lock first, so two servers starting together apply it once.
    db.transaction(() => {
      const row = appliedRow.get(file.name);
      if (row) {
        if (row.checksum !== file.checksum) {
          throw new Error(
            `Migration ${file.name} changed after it was applied (checksum ${row.checksum} in the ` +
              `database, ${file.checksum} on disk). Restore the file and add a new migration instead.`,
          );
        }
        return;
      }
      try {
        db.exec(file.sql);
      } catch (error) {
        // The transaction rolls back: the database is as it was before this migration.
        throw new Error(`Migration ${file.name} failed, and changed nothing: ${(error as Error).message}`, { cause: error });
      }
      record.run(file.name, file.checksum, new Date().toISOString());
      ran.push(file.name);
    }).immediate();
  }
  return ran;
}
