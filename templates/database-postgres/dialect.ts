// PostgreSQL's spelling of what the SQL store needs: jsonb operators for the document, `$n`
// placeholders, ON CONFLICT for idempotent inserts.
//
// Text compares by code point (COLLATE "C"), as on every other database the server supports,
// whatever locale the database was created with. Case folding for attributes without a key
// column is lower() under ICU's root locale ("und-x-icu"), which folds exactly like the
// server's String.prototype.toLowerCase (storage.ts foldCase), final sigma and dotted I included;
// the database's own locale may not (C.UTF-8 folds neither). Key columns are folded by the
// server before they are written, so their indexes need nothing of the database.

import type { AttributeType } from '../scim/schema.js';
import type { ElementIndex } from '../scim/storage.js';
import type { SqlStoreDialect } from '../database-sql/driver.js';

export const FOLD_COLLATION = 'und-x-icu';

const quoteId = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** A text[] literal for #> and #>>: `{"emails","0","value"}` (URN keys with ":" and "." stay one key). */
function pathLiteral(keys: ReadonlyArray<string | number>): string {
  const element = (key: string | number) => `"${String(key).replace(/["\\]/g, (c) => `\\${c}`)}"`;
  return `{${keys.map(element).join(',')}}`;
}

/**
 * A jsonb value as SQL of the attribute's type: numbers and booleans only when the JSON holds
 * one (NULL otherwise, never a cast error), everything else as its text.
 */
function typed(json: string, type: AttributeType): string {
  switch (type) {
    case 'boolean':
      return `CASE WHEN jsonb_typeof(${json}) = 'boolean' THEN (${json})::boolean END`;
    case 'integer':
    case 'decimal':
      return `CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${json})::numeric END`;
    default:
      return `(${json} #>> '{}') COLLATE "C"`;
  }
}

const at = (doc: string, path: string) => `(${doc} #> ${path}::text[])`;

/**
 * The folded values of `index.sub` in the elements of `index.attribute`, as the GIN index of
 * the migrations (src/emit/migrations-postgres.ts) is built on: the expression must match it
 * exactly for PostgreSQL to use the index. scim_folded_values is created by the migrations.
 */
export function foldedElementValues(doc: string, index: ElementIndex): string {
  return `scim_folded_values(${doc} -> ${literal(index.attribute)}, ${literal(index.sub)})`;
}

export const postgresDialect: SqlStoreDialect = {
  quoteId,
  placeholder: (position) => `$${position}`,
  bindValue: (value) => value,
  jsonPath: pathLiteral,
  jsonValue: (doc, path, type) => typed(at(doc, path), type),
  jsonArrayLength: (doc, path) =>
    `jsonb_array_length(CASE WHEN jsonb_typeof(${at(doc, path)}) = 'array' THEN ${at(doc, path)} END)`,
  // The values of an object too (`name pr` asks whether any of its fields has a value).
  jsonElements: (doc, path, alias) => {
    const value = at(doc, path);
    return (
      `jsonb_array_elements(CASE jsonb_typeof(${value}) WHEN 'array' THEN ${value} ` +
      `WHEN 'object' THEN jsonb_path_query_array(${value}, '$.*') END) AS ${alias}`
    );
  },
  elementValue: (alias, type) => typed(alias, type),
  elementField: (alias, path, type) => typed(at(alias, path), type),
  fold: (expr) => `lower((${expr})::text COLLATE "${FOLD_COLLATION}") COLLATE "C"`,
  startsWith: (expr, needle) => `starts_with(${expr}, ${needle()})`,
  endsWith: (expr, needle) => `right(${expr}, length(${needle()})) = ${needle()}`,
  // strpos instead of LIKE: "%" and "_" in the value are ordinary characters.
  contains: (expr, needle) => `strpos(${expr}, ${needle()}) > 0`,
  // The session runs in UTC (driver.ts), so a dateTime without an offset is read as UTC.
  dateTime: (expr) => `(${expr})::timestamptz`,
  // RFC 7644 §3.4.2.3: resources without a value come last when ascending, first when descending.
  orderBy: (expr, descending) => `${expr} ${descending ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`,

  insertIgnoring: (table, columns) =>
    `INSERT INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')}) ` +
    `VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`,
  upsert: (table, key, columns) =>
    `INSERT INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')}) ` +
    `VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT (${quoteId(key)}) DO UPDATE SET ` +
    columns.filter((c) => c !== key).map((c) => `${quoteId(c)} = EXCLUDED.${quoteId(c)}`).join(', '),
  membershipSequence: 'seq',
  currentSchema: 'current_schema()',
  elementIndexLookup: (doc, index, value) => `${foldedElementValues(doc, index)} @> ARRAY[${value}]::text[]`,
  // json, not jsonb, which would cost a conversion; JSON_ARRAYAGG only came with PostgreSQL 16.
  jsonArrayAgg: (values) => `json_agg(json_build_array(${values.join(', ')}))`,
};
