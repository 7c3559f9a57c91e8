// Checks a parsed config file against FIELDS and collects every problem, each naming the key
// (a JSON path) and what was expected. A small interpreter of the schema subset in fields.ts
// rather than ajv: the messages reuse the CLI's own reasons ("must not contain "_" because Okta
// ..."), which a pattern failure cannot give, and the CLI gains no runtime dependency. A unit
// test runs ajv over the published schema to prove both accept the same files.

import type { SchemaIssue } from '../model/errors.js';
import { closest } from '../model/did-you-mean.js';
import { describe } from '../model/validate.js';
import {
  CONFIG_KEYS,
  FIELDS,
  QUESTION_FIELDS,
  type AdapterConfigAnswers,
  type ConfigAnswers,
  type ConfigMeta,
  type Field,
  type JsonSchema,
} from './fields.js';

export type ConfigDocument = ConfigAnswers & ConfigMeta & AdapterConfigAnswers;

export function validateConfig(value: unknown, file: string, issues: SchemaIssue[]): ConfigDocument {
  const fail = (path: string, message: string) => issues.push({ file, path, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('$', `expected a JSON object of answers, e.g. { "framework": "fastify" }, got ${describe(value)}`);
    return {};
  }
  const record = value as Record<string, unknown>;
  const valid: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(record)) {
    const path = `$${pathKey(key)}`;
    if (!Object.hasOwn(FIELDS, key)) {
      const hint = closest(key, CONFIG_KEYS);
      fail(path, hint ? `unknown key (did you mean "${hint}"?)` : `unknown key; expected one of ${CONFIG_KEYS.join(', ')}`);
      continue;
    }
    const before = issues.length;
    checkField(FIELDS[key]!, entry, path, fail);
    if (issues.length === before) valid[key] = entry;
  }
  // The schema's dependentSchemas rule, with a message that says which way to fix it.
  for (const [key, { requires }] of Object.entries(QUESTION_FIELDS)) {
    const { layer, id } = requires;
    if (!(key in record) || record[layer] === id) continue;
    const needs = `only applies with "${layer}": "${id}"`;
    fail(
      `$.${key}`,
      record[layer] === undefined
        ? `${needs}, which this file does not set; add it or remove ${key}`
        : `${needs}, but $.${layer} is ${describe(record[layer])}; remove ${key} or change ${layer}`,
    );
    delete valid[key];
  }
  return valid as ConfigDocument;
}

function checkField(field: Field, value: unknown, path: string, fail: (path: string, message: string) => void): void {
  const { schema, expected } = field;
  const wrong = () => fail(path, `expected ${expected}, got ${describe(value)}`);
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return wrong();
      if (schema.enum && !schema.enum.includes(value)) {
        const hint = closest(value, schema.enum);
        return fail(path, `expected ${expected}, got ${describe(value)}${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
      // A field's own reason is more precise than its pattern, which only mirrors it for editors.
      const reason = field.reason ? field.reason(value) : stringProblem(schema, value) ? '' : undefined;
      if (reason !== undefined) fail(path, `expected ${expected}, got ${describe(value)}${reason ? `: ${reason}` : ''}`);
      return;
    }
    case 'integer':
      if (!Number.isInteger(value) || !inRange(schema, value as number)) wrong();
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong();
      return;
    case 'array':
      return checkArray(schema, value, path, expected, fail);
    case 'object':
      return checkMap(schema, value, path, expected, fail);
  }
}

function checkArray(schema: JsonSchema, value: unknown, path: string, expected: string, fail: (p: string, m: string) => void) {
  if (!Array.isArray(value)) {
    const wrap = typeof value === 'string' ? ` (write [${JSON.stringify(value)}] for one file)` : '';
    return fail(path, `expected ${expected}, got ${describe(value)}${wrap}`);
  }
  const seen = new Map<unknown, number>();
  value.forEach((item, i) => {
    const at = `${path}[${i}]`;
    if (schema.items && (typeof item !== 'string' || stringProblem(schema.items, item))) {
      return fail(at, `expected a file path (a non-empty string), got ${describe(item)}`);
    }
    const first = seen.get(item);
    if (schema.uniqueItems && first !== undefined) return fail(at, `${describe(item)} is already listed at ${path}[${first}]`);
    seen.set(item, i);
  });
}

function checkMap(schema: JsonSchema, value: unknown, path: string, expected: string, fail: (p: string, m: string) => void) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, `expected ${expected}, got ${describe(value)}`);
  for (const [key, entry] of Object.entries(value)) {
    const at = `${path}${pathKey(key)}`;
    if (schema.propertyNames && stringProblem(schema.propertyNames, key)) fail(at, `expected the key to be a schema URN ("urn:..."), got ${describe(key)}`);
    if (schema.additionalProperties && (typeof entry !== 'string' || stringProblem(schema.additionalProperties, entry))) {
      fail(at, `expected a resource type name like "User", got ${describe(entry)}`);
    }
  }
}

/** True when a string breaks one of the schema's string constraints. */
function stringProblem(schema: JsonSchema, value: string): boolean {
  if (schema.minLength !== undefined && value.length < schema.minLength) return true;
  if (schema.maxLength !== undefined && value.length > schema.maxLength) return true;
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return true;
  return schema.not?.enum.includes(value) ?? false;
}

const inRange = (schema: JsonSchema, n: number) =>
  (schema.minimum === undefined || n >= schema.minimum) && (schema.maximum === undefined || n <= schema.maximum);

/** `.key`, or `["odd key"]` when the key is not an identifier (a URN, a typo with spaces). */
const pathKey = (key: string) => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
