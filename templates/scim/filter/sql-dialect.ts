// The contract between the SQL compiler (sql.ts) and a database adapter: what a dialect must
// provide, where a query runs, and how parameters are bound. A new database implements
// SqlDialect (see database-sqlite/dialect.ts) and nothing else here.

import type { ResourceTypeModel } from '../registry.js';
import type { AttributeType } from '../schema.js';
import type { StoragePlan, TablePlan } from '../storage.js';

/** Pushes a value and returns its placeholder; call it once per occurrence, in text order. */
export type Bind = (value: string | number | boolean) => string;

/**
 * What differs between databases. Expressions in and out are SQL text; an expression passed in
 * may contain placeholders, so a dialect uses each one exactly once and calls `needle()` once
 * per occurrence, in text order (positional "?" placeholders depend on it).
 */
export interface SqlDialect {
  quoteId(name: string): string;
  /** Placeholder for the parameter at this 1-based position: "?" or "$3". */
  placeholder(position: number): string;
  /** The value to bind for a literal (SQLite has no boolean type: 1/0). */
  bindValue(value: string | number | boolean): unknown;
  /** A JSON path to these keys/indexes, bound as a parameter (never spliced into SQL). */
  jsonPath(keys: ReadonlyArray<string | number>): string;
  /**
   * Scalar at `path` (an SQL expression) in the JSON document `doc`; NULL when absent.
   * `type` is the attribute's, for databases whose JSON extraction needs a cast.
   */
  jsonValue(doc: string, path: string, type: AttributeType): string;
  /** Length of the array at `path`; NULL when absent. */
  jsonArrayLength(doc: string, path: string): string;
  /** A FROM item iterating the elements of the array at `path`, named `alias`. */
  jsonElements(doc: string, path: string, alias: string): string;
  /** The element itself (for arrays of scalars). */
  elementValue(alias: string, type: AttributeType): string;
  /** A field of an element; NULL when the element is not an object. */
  elementField(alias: string, path: string, type: AttributeType): string;
  /** Case folding in SQL; must agree with foldCase(). */
  fold(expr: string): string;
  startsWith(expr: string, needle: () => string): string;
  endsWith(expr: string, needle: () => string): string;
  contains(expr: string, needle: () => string): string;
  /** A comparable form of an ISO 8601 string in any offset. */
  dateTime(expr: string): string;
  /**
   * One ORDER BY term; absent values sort last when ascending and first when descending
   * (RFC 7644 §3.4.2.3). `type` is the sorted
   * value's, for databases without NULLS LAST that must spell it per type (MySQL).
   */
  orderBy(expr: string, descending: boolean, type: AttributeType): string;
}

/** Where a query runs: the type, its table plan, and the alias of the resource row. */
export interface SqlScope {
  type: ResourceTypeModel;
  plan: StoragePlan;
  table: TablePlan;
  dialect: SqlDialect;
  /** Alias of the resource table in the enclosing query. */
  alias: string;
}

/** Collects parameters in order and hands out placeholders. */
export class SqlParams {
  readonly values: unknown[] = [];
  constructor(private readonly dialect: SqlDialect) {}
  readonly bind: Bind = (value) => {
    this.values.push(this.dialect.bindValue(value));
    return this.dialect.placeholder(this.values.length);
  };
}
