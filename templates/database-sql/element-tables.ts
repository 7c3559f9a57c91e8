// Element indexes kept in tables of their own, for databases that cannot index folded values
// inside a JSON array (MySQL and MariaDB: MySQL's multi-valued indexes cannot hold folded
// values, MariaDB has none). One row per element value: the resource's id, the element's
// position and foldCase() of the value, keyed by the value. The store rewrites a resource's
// rows in the transaction of every write; the foreign key removes them with the resource.

import type { ScimObject } from '../scim/store.js';
import { foldCase, snakeCase, type ElementIndex, type TablePlan } from '../scim/storage.js';

export const ELEMENT_COLUMNS = { resource: 'resource_id', position: 'position', value: 'value_fold' } as const;

/** The table holding one index's values: `users` + emails.value -> `users_emails_value`. */
export function elementTable(table: TablePlan, index: ElementIndex): string {
  return `${table.table}_${snakeCase(index.attribute)}_${snakeCase(index.sub)}`;
}

/**
 * The key of a folded value: its first `keyLength` characters (code points, as the database
 * counts them), so a value longer than a key holds is still indexed, by its prefix. A lookup
 * cuts what it looks for the same way; the filter itself then compares whole values.
 */
export function elementKey(folded: string, keyLength: number): string {
  if (folded.length <= keyLength) return folded;
  return Array.from(folded).slice(0, keyLength).join('');
}

/**
 * The keys of a document's values for one index, in element order. Read the way the filter
 * engine reads them (evaluate.ts): keys matched ignoring case, a lone element as a list of one,
 * numbers and booleans as their text.
 */
export function elementKeys(attributes: ScimObject, index: ElementIndex, keyLength: number): string[] {
  const elements = field(attributes, index.attribute);
  if (elements === undefined || elements === null) return [];
  return (Array.isArray(elements) ? elements : [elements]).flatMap((element) => {
    const value = field(element, index.sub);
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    return text === undefined ? [] : [elementKey(foldCase(text), keyLength)];
  });
}

function field(container: unknown, name: string): unknown {
  if (typeof container !== 'object' || container === null || Array.isArray(container)) return undefined;
  const record = container as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

/** `sw`'s LIKE pattern for a key prefix: `!` escapes the pattern's own characters. */
export const likePrefix = (key: string) => `${key.replace(/[!%_]/g, '!$&')}%`;
