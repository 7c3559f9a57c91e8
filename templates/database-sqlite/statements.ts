// Prepared statements kept by their SQL text. Compiling SQL costs more than running a lookup by
// key, and the store's SQL comes in few shapes (values are always bound parameters), so each
// shape is compiled once. Bounded, because IN lists of every length are shapes too.

import type Database from 'better-sqlite3';

const CAPACITY = 200;

/**
 * How a statement returns rows: objects keyed by column name; only the first column (`pluck`);
 * or arrays in column order (`raw`), which better-sqlite3 builds for less than objects.
 */
export type RowShape = 'object' | 'pluck' | 'raw';

export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** The statement for this SQL, returning rows in the shape given. */
  get(sql: string, shape: RowShape = 'object'): Database.Statement {
    // The shape is a mode of the statement, so two uses of one SQL text are two entries.
    const key = shape === 'object' ? sql : `${shape} ${sql}`;
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
    if (shape === 'pluck') statement.pluck();
    if (shape === 'raw') statement.raw();
    if (this.statements.size >= CAPACITY) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(key, statement);
    return statement;
  }
}
