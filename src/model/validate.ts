// Validates parsed schema JSON (RFC 7643 §7, the format a server serves at /Schemas) and
// turns it into the engine's SchemaDef with every §2.2 default filled in. Problems are
// collected, not thrown, so one run reports all of them; load.ts throws them together.

import type {
  AttributeDef,
  AttributeType,
  Mutability,
  ResourceTypeDef,
  Returned,
  SchemaDef,
  SchemaExtensionRef,
  Uniqueness,
} from '../../templates/scim/schema.js';
import { closest } from './did-you-mean.js';
import type { SchemaIssue } from './errors.js';

const TYPES: readonly AttributeType[] = [
  'string',
  'boolean',
  'decimal',
  'integer',
  'dateTime',
  'reference',
  'binary',
  'complex',
];
const MUTABILITIES: readonly Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED: readonly Returned[] = ['always', 'never', 'default', 'request'];
const UNIQUENESS: readonly Uniqueness[] = ['none', 'server', 'global'];

const ATTRIBUTE_KEYS = [
  'name',
  'type',
  'multiValued',
  'description',
  'required',
  'canonicalValues',
  'caseExact',
  'mutability',
  'returned',
  'uniqueness',
  'referenceTypes',
  'subAttributes',
];
const SCHEMA_KEYS = ['schemas', 'id', 'name', 'description', 'attributes', 'meta'];
const RESOURCE_TYPE_KEYS = [
  'schemas',
  'id',
  'name',
  'endpoint',
  'description',
  'schema',
  'schemaExtensions',
  'meta',
];

/** RFC 7643 §2.1 ATTRNAME = ALPHA *(nameChar); "$ref" is the RFC's own exception. */
const ATTRNAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

type Json = Record<string, unknown>;

/** Collects issues for one file; every check reports where it looked and what it wanted. */
class Checker {
  constructor(
    readonly file: string,
    readonly issues: SchemaIssue[],
  ) {}

  fail(path: string, message: string): void {
    this.issues.push({ file: this.file, path, message });
  }

  object(value: unknown, path: string): value is Json {
    if (isObject(value)) return true;
    this.fail(path, `expected an object, got ${describe(value)}`);
    return false;
  }

  onlyKeys(value: Json, allowed: readonly string[], path: string): void {
    for (const key of Object.keys(value)) {
      if (allowed.includes(key)) continue;
      const hint = closest(key, allowed, 4);
      this.fail(
        `${path}.${key}`,
        hint ? `unknown key "${key}" (did you mean "${hint}"?)` : `unknown key "${key}"; expected one of ${list(allowed)}`,
      );
    }
  }

  /** A required string; undefined (with an issue) when missing or not a string. */
  requiredString(value: Json, key: string, path: string): string | undefined {
    if (!(key in value)) {
      this.fail(path, `missing required key "${key}"`);
      return undefined;
    }
    return this.string(value, key, path);
  }

  string(value: Json, key: string, path: string): string | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    this.fail(`${path}.${key}`, `expected a string, got ${describe(v)}`);
    return undefined;
  }

  boolean(value: Json, key: string, path: string, fallback: boolean): boolean {
    const v = value[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    this.fail(`${path}.${key}`, `expected true or false, got ${describe(v)}`);
    return fallback;
  }

  oneOf<T extends string>(value: Json, key: string, path: string, allowed: readonly T[], fallback: T): T {
    const v = value[key];
    if (v === undefined) return fallback;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    this.fail(`${path}.${key}`, `expected one of ${list(allowed)}, got ${describe(v)}`);
    return fallback;
  }

  strings(value: Json, key: string, path: string): string[] | undefined {
    const v = value[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) {
      this.fail(`${path}.${key}`, `expected an array of strings, got ${describe(v)}`);
      return undefined;
    }
    const bad = v.findIndex((item) => typeof item !== 'string');
    if (bad >= 0) {
      this.fail(`${path}.${key}[${bad}]`, `expected a string, got ${describe(v[bad])}`);
      return undefined;
    }
    return v as string[];
  }

  urn(value: Json, key: string, path: string): string | undefined {
    const id = this.requiredString(value, key, path);
    if (id !== undefined && !/^urn:\S+$/i.test(id)) {
      this.fail(`${path}.${key}`, `expected a URN starting with "urn:" (no spaces), got ${describe(id)}`);
      return undefined;
    }
    return id;
  }
}

/** A validated entry and the JSON path it came from (`$`, or `$[i]` in an array file). */
export interface Located<T> {
  value: T;
  path: string;
}

/**
 * Validates one file's content: a schema object or an array of them.
 * Returns the schemas that validated cleanly; problems go to `issues`.
 */
export function validateSchemaDocument(
  document: unknown,
  file: string,
  issues: SchemaIssue[],
): Located<SchemaDef>[] {
  const check = new Checker(file, issues);
  return eachEntry(document, check, 'schema', (entry, path) => validateSchema(entry, path, check));
}

/** Validates a ResourceType file (RFC 7643 §6): one object or an array of them. */
export function validateResourceTypeDocument(
  document: unknown,
  file: string,
  issues: SchemaIssue[],
): Located<ResourceTypeDef>[] {
  const check = new Checker(file, issues);
  return eachEntry(document, check, 'resource type', (entry, path) => validateResourceType(entry, path, check));
}

function eachEntry<T>(
  document: unknown,
  check: Checker,
  what: string,
  validate: (entry: unknown, path: string) => T | undefined,
): Located<T>[] {
  const entries = Array.isArray(document) ? document : [document];
  if (entries.length === 0) check.fail('$', `expected a ${what} object or a non-empty array of them, got an empty array`);
  const results: Located<T>[] = [];
  entries.forEach((entry, i) => {
    const path = Array.isArray(document) ? `$[${i}]` : '$';
    const value = validate(entry, path);
    if (value) results.push({ value, path });
  });
  return results;
}

function validateSchema(value: unknown, path: string, check: Checker): SchemaDef | undefined {
  if (!check.object(value, path)) return undefined;
  const before = check.issues.length;
  check.onlyKeys(value, SCHEMA_KEYS, path);
  check.strings(value, 'schemas', path);
  const id = check.urn(value, 'id', path);
  const name = check.requiredString(value, 'name', path);
  const description = check.string(value, 'description', path);
  let attributes: AttributeDef[] = [];
  if (!('attributes' in value)) check.fail(path, 'missing required key "attributes"');
  else attributes = validateAttributeList(value.attributes, `${path}.attributes`, check, false);
  if (check.issues.length > before || id === undefined || name === undefined) return undefined;
  return { id, name, ...(description !== undefined && { description }), attributes };
}

function validateAttributeList(value: unknown, path: string, check: Checker, nested: boolean): AttributeDef[] {
  if (!Array.isArray(value)) {
    check.fail(path, `expected an array of attributes, got ${describe(value)}`);
    return [];
  }
  const seen = new Map<string, number>();
  const result: AttributeDef[] = [];
  value.forEach((entry, i) => {
    const attrPath = `${path}[${i}]`;
    const attribute = validateAttribute(entry, attrPath, check, nested);
    const name = isObject(entry) && typeof entry.name === 'string' ? entry.name : undefined;
    if (name !== undefined) {
      // Attribute names are case-insensitive (RFC 7643 §2.1), so "Emails" clashes with "emails".
      const first = seen.get(name.toLowerCase());
      if (first !== undefined) {
        check.fail(
          `${attrPath}.name`,
          `duplicate attribute name "${name}" (already defined at ${path}[${first}]; names are case-insensitive)`,
        );
      } else {
        seen.set(name.toLowerCase(), i);
      }
    }
    if (attribute) result.push(attribute);
  });
  return result;
}

function validateAttribute(value: unknown, path: string, check: Checker, nested: boolean): AttributeDef | undefined {
  if (!check.object(value, path)) return undefined;
  const before = check.issues.length;
  check.onlyKeys(value, ATTRIBUTE_KEYS, path);

  const name = check.requiredString(value, 'name', path);
  if (name !== undefined && name !== '$ref' && !ATTRNAME.test(name)) {
    check.fail(
      `${path}.name`,
      `expected an attribute name that starts with a letter and has only letters, digits, "-" and "_" (RFC 7643 §2.1), got ${describe(name)}`,
    );
  }
  let type: AttributeType | undefined;
  if (!('type' in value)) check.fail(path, 'missing required key "type"');
  else type = check.oneOf(value, 'type', path, TYPES, 'string');

  const attribute: AttributeDef = {
    name: name ?? '',
    type: type ?? 'string',
    multiValued: check.boolean(value, 'multiValued', path, false),
    required: check.boolean(value, 'required', path, false),
    caseExact: check.boolean(value, 'caseExact', path, false),
    mutability: check.oneOf(value, 'mutability', path, MUTABILITIES, 'readWrite'),
    returned: check.oneOf(value, 'returned', path, RETURNED, 'default'),
    uniqueness: check.oneOf(value, 'uniqueness', path, UNIQUENESS, 'none'),
  };
  const description = check.string(value, 'description', path);
  if (description !== undefined) attribute.description = description;
  const canonicalValues = check.strings(value, 'canonicalValues', path);
  if (canonicalValues) attribute.canonicalValues = canonicalValues;

  const referenceTypes = check.strings(value, 'referenceTypes', path);
  if (referenceTypes && type !== undefined && type !== 'reference') {
    check.fail(`${path}.referenceTypes`, `only allowed on attributes of type "reference", but type is "${type}"`);
  } else if (referenceTypes) {
    attribute.referenceTypes = referenceTypes;
  }

  if (type === 'complex') {
    if (nested) {
      check.fail(`${path}.type`, 'a sub-attribute cannot be complex (RFC 7643 §2.3.8: no nested complex attributes)');
    } else if (!('subAttributes' in value)) {
      check.fail(path, 'missing required key "subAttributes" (a complex attribute needs its sub-attributes)');
    } else {
      attribute.subAttributes = validateAttributeList(value.subAttributes, `${path}.subAttributes`, check, true);
    }
  } else if ('subAttributes' in value && type !== undefined) {
    check.fail(`${path}.subAttributes`, `only allowed on attributes of type "complex", but type is "${type}"`);
  }

  return check.issues.length > before ? undefined : attribute;
}

function validateResourceType(value: unknown, path: string, check: Checker): ResourceTypeDef | undefined {
  if (!check.object(value, path)) return undefined;
  const before = check.issues.length;
  check.onlyKeys(value, RESOURCE_TYPE_KEYS, path);
  check.strings(value, 'schemas', path);
  const id = check.requiredString(value, 'id', path);
  const name = check.requiredString(value, 'name', path);
  const endpoint = check.requiredString(value, 'endpoint', path);
  if (endpoint !== undefined && !/^\/[A-Za-z0-9._~-]+$/.test(endpoint)) {
    check.fail(`${path}.endpoint`, `expected a single path segment with a leading "/", like "/Users", got ${describe(endpoint)}`);
  }
  const description = check.string(value, 'description', path);
  const schema = check.urn(value, 'schema', path);
  const schemaExtensions: SchemaExtensionRef[] = [];
  const extensions = value.schemaExtensions;
  if (extensions !== undefined && !Array.isArray(extensions)) {
    check.fail(`${path}.schemaExtensions`, `expected an array, got ${describe(extensions)}`);
  } else if (extensions) {
    extensions.forEach((entry: unknown, i) => {
      const entryPath = `${path}.schemaExtensions[${i}]`;
      if (!check.object(entry, entryPath)) return;
      check.onlyKeys(entry, ['schema', 'required'], entryPath);
      const urn = check.urn(entry, 'schema', entryPath);
      const required = check.boolean(entry, 'required', entryPath, false);
      if (urn !== undefined) schemaExtensions.push({ schema: urn, required });
    });
  }
  if (check.issues.length > before || !id || !name || !endpoint || !schema) return undefined;
  return { id, name, endpoint, ...(description !== undefined && { description }), schema, schemaExtensions };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a found value reads in a message: strings quoted, containers by kind. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function list(values: readonly string[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}
