// Prepared statements kept by their SQL text. Compiling SQL costs more than running a lookup by
// key, and the store's SQL comes in few shapes (values are always bound parameters), so each
// shape is compiled once. Bounded, because IN lists of every length are shapes too.

import type Database from 'better-sqlite3';

const CAPACITY = 200;

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The statement for this SQL; a `pluck` one returns only the first column of each row. */
  get(sql: string, pluck = false): Database.Statement {
    // Plucking is a mode of the statement, so the two uses of one SQL text are two entries.
    const key = pluck ? `pluck ${sql}` : sql;
    let statement = this.statements.get(key);
    if (statement) {
      // Once the cache is full, a hit moves to the end, so the least recently used goes first.
      if (this.statements.size >= CAPACITY) {
        this.statements.delete(key);
        this.statements.set(key, statement);
      }
      return statement;
    }
    statement = this.db.prepare(sql);
    if (pluck) statement.pluck();
    if (this.statements.size >= CAPACITY) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(key, statement);
    return statement;
  }
}
