// SQLite's spelling of the filter compiler's needs (JSON1 functions, built into SQLite).
//
// Case-insensitive matching: indexed attributes have folded key columns written by the store
// (storage.ts foldCase), so `userName eq "x"` is an index lookup and uniqueness is an ordinary
// UNIQUE index. Other attributes are folded at query time by `scim_fold`, a deterministic
// function registered on each connection that runs the same JS foldCase; SQLite's own lower()
// and NOCASE only fold ASCII. No index, trigger or view uses scim_fold, so the database stays
// readable by the sqlite3 shell, which does not have it.

import type Database from 'better-sqlite3';
import type { SqlDialect } from '../scim/filter/sql-dialect.js';
import { foldCase } from '../scim/storage.js';

export const FOLD_FUNCTION = 'scim_fold';

export function registerFunctions(db: Database.Database): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldCase(value) : value,
  );
}

/** JSON path keys are always quoted, so URNs with ":" and "." stay one key. */
function pathKey(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  if (key.includes('"') || key.includes('\\')) throw new Error(`Unsupported JSON key: ${key}`);
  return `."${key}"`;
}

export const sqliteDialect: SqlDialect = {
  quoteId: (name) => `"${name.replaceAll('"', '""')}"`,
  placeholder: () => '?',
  // better-sqlite3 binds no booleans, and JSON true/false extract as 1/0.
  bindValue: (value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value),
  jsonPath: (keys) => `$${keys.map(pathKey).join('')}`,
  jsonValue: (doc, path) => `json_extract(${doc}, ${path})`,
  jsonArrayLength: (doc, path) => `json_array_length(${doc}, ${path})`,
  jsonElements: (doc, path, alias) => `json_each(${doc}, ${path}) ${alias}`,
  elementValue: (alias) => `${alias}.value`,
  // CASE guards json_extract, which fails on an element that is not JSON text.
  elementField: (alias, path) => `CASE WHEN ${alias}.type = 'object' THEN json_extract(${alias}.value, ${path}) END`,
  fold: (expr) => `${FOLD_FUNCTION}(${expr})`,
  // substr/instr instead of LIKE: "%" and "_" in the value are ordinary characters.
  startsWith: (expr, needle) => `substr(${expr}, 1, length(${needle()})) = ${needle()}`,
  // A sentinel on both sides: substr(x, -0) would be all of x, and `expr` may appear only once.
  endsWith: (expr, needle) =>
    `substr(${expr} || char(1), -(length(${needle()}) + 1)) = ${needle()} || char(1)`,
  contains: (expr, needle) => `instr(${expr}, ${needle()}) > 0`,
  dateTime: (expr) => `julianday(${expr})`,
  // RFC 7644 §3.4.2.3: resources without a value come last when ascending, first when descending.
  orderBy: (expr, descending) => `${expr} ${descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`,
};
