// Schema-driven validation of POST and PUT bodies (RFC 7643 §2, RFC 7644 §3.3 and §3.5.1).
// The output is the document the store keeps: canonical attribute names, extensions under their
// URN, no readOnly attributes sent by the client, no write-only secrets. The per-value checks are
// exported because the PATCH engine validates the values of each operation with the same rules.

import { Unknowns } from './unknown.js';
import { badRequest } from './errors.js';
import { findAttribute, type ResourceTypeModel } from './registry.js';
import { COMMON_ATTRIBUTES, type AttributeDef } from './schema.js';

type Json = Record<string, unknown>;

export interface ValidatedResource {
  /** The document to store, `schemas` included. For a Group, `members` (if sent) is still here. */
  attributes: Json;
  /** writeOnly attributes (password) in document shape: handed to hooks, never stored or returned. */
  writeOnly: Json;
}

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Deep equality of JSON values, used for immutability checks and duplicate detection. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]));
  }
  return false;
}

/** Unassigned in SCIM terms: undefined, null, "", [] or {} (RFC 7643 §2.5). */
export const isUnassigned = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isObject(value) && Object.keys(value).length === 0);

const invalid = (path: string, what: string) => badRequest('invalidValue', `Attribute "${path}" ${what}`);

// xsd:dateTime as RFC 7643 §2.3.5 asks; Date.parse alone accepts far too much ("1", "May 5").
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/i;

function checkScalar(def: AttributeDef, value: unknown, path: string): unknown {
  switch (def.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(path, 'must be a boolean');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalid(path, 'must be an integer');
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(path, 'must be a number');
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
        throw invalid(path, 'must be an ISO 8601 date-time such as "2024-05-01T12:00:00Z"');
      }
      return value;
    default: {
      // string, reference and binary all travel as JSON strings.
      if (typeof value !== 'string') throw invalid(path, 'must be a string');
      const canonical = def.canonicalValues;
      if (canonical?.length && !canonical.some((c) => c.toLowerCase() === value.toLowerCase())) {
        throw invalid(path, `must be one of ${canonical.map((c) => `"${c}"`).join(', ')}`);
      }
      return value; // stored as sent, even when it differs in case from the canonical value
    }
  }
}

function checkComplex(def: AttributeDef, value: unknown, path: string, unknowns: Unknowns | undefined): Json | undefined {
  if (!isObject(value)) throw invalid(path, 'must be an object');
  const out: Json = {};
  for (const [key, raw] of Object.entries(value)) {
    const sub = findAttribute(def.subAttributes, key);
    if (!sub) {
      (unknowns ?? new Unknowns('reject')).attribute(`${path}.${key}`);
      continue;
    }
    if (sub.mutability === 'readOnly') continue; // e.g. manager.displayName: the server's to set
    if (sub.name in out) throw badRequest('invalidSyntax', `Attribute "${path}.${sub.name}" is given twice`);
    const checked = checkAttributeValue(sub, raw, `${path}.${sub.name}`, false, unknowns);
    if (checked !== undefined) out[sub.name] = checked;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function assertOnePrimary(def: AttributeDef, values: unknown[], path: string): void {
  if (!findAttribute(def.subAttributes, 'primary')) return;
  const primaries = values.filter((v) => isObject(v) && v['primary'] === true).length;
  if (primaries > 1) throw invalid(path, 'may have at most one value with "primary": true');
}

/**
 * Checks one attribute value against its definition and returns it in stored form: canonical
 * sub-attribute names, readOnly sub-attributes and nulls dropped, a lone complex object for a
 * multi-valued attribute wrapped in an array. Returns undefined when the value is unassigned.
 * `element` checks a single element of a multi-valued attribute. Throws 400 invalidValue (wrong
 * type, naming `path`); an unknown sub-attribute goes to `unknowns` (400 invalidSyntax unless the
 * project ignores unknown attributes).
 */
export function checkAttributeValue(
  def: AttributeDef,
  value: unknown,
  path: string,
  element = false,
  unknowns?: Unknowns,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued && !element) {
    let list: unknown[];
    if (Array.isArray(value)) list = value;
    else if (def.type === 'complex' && isObject(value)) list = [value];
    else throw invalid(path, 'is multi-valued and must be an array');
    const out: unknown[] = [];
    list.forEach((item, i) => {
      const checked = checkAttributeValue(def, item, `${path}[${i}]`, true, unknowns);
      if (checked !== undefined) out.push(checked);
    });
    assertOnePrimary(def, out, path);
    return out.length > 0 ? out : undefined;
  }
  return def.type === 'complex' ? checkComplex(def, value, path, unknowns) : checkScalar(def, value, path);
}

/** Fails when a required sub-attribute of a (checked) complex value is missing. */
function assertRequiredSubs(def: AttributeDef, value: unknown, path: string): void {
  if (def.type !== 'complex' || value === undefined) return;
  const elements = Array.isArray(value) ? value : [value];
  elements.forEach((element, i) => {
    const at = Array.isArray(value) ? `${path}[${i}]` : path;
    for (const sub of def.subAttributes ?? []) {
      if (sub.required && sub.mutability !== 'readOnly' && isUnassigned((element as Json)[sub.name])) {
        throw invalid(`${at}.${sub.name}`, 'is required');
      }
    }
  });
}

/** The member list of a Group body: each an object with a string `value`; kept for the service. */
function checkMembers(value: unknown, path: string): Json[] {
  if (value === null || value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    const id = isObject(item) ? item['value'] : undefined;
    if (typeof id !== 'string' || id === '') throw invalid(`${path}[${i}].value`, 'must be a non-empty string');
    const type = (item as Json)['type'];
    return typeof type === 'string' ? { value: id, type } : { value: id };
  });
}

interface Section {
  attributes: Json;
  writeOnly: Json;
}

/** Validates the attributes of one schema (core or one extension) from `source`. */
function validateSection(
  defs: readonly AttributeDef[],
  source: Json,
  prefix: string,
  membersAttribute: string | undefined,
  unknowns: Unknowns,
): Section {
  const section: Section = { attributes: {}, writeOnly: {} };
  for (const [key, raw] of Object.entries(source)) {
    const def = findAttribute(defs, key);
    if (!def) {
      unknowns.attribute(`${prefix}${key}`);
      continue;
    }
    // readOnly values sent by a client (id, meta, groups: [] from Okta) are ignored, not errors.
    if (def.mutability === 'readOnly') continue;
    if (def.name in section.attributes || def.name in section.writeOnly) {
      throw badRequest('invalidSyntax', `Attribute "${prefix}${def.name}" is given twice`);
    }
    const path = `${prefix}${def.name}`;
    if (def.name === membersAttribute) {
      section.attributes[def.name] = checkMembers(raw, path);
      continue;
    }
    const value = checkAttributeValue(def, raw, path, false, unknowns);
    if (value === undefined) continue;
    assertRequiredSubs(def, value, path);
    // Write-only secrets (Okta always sends a placeholder password) must never be stored.
    if (def.mutability === 'writeOnly') section.writeOnly[def.name] = value;
    else section.attributes[def.name] = value;
  }
  return section;
}

function assertRequired(defs: readonly AttributeDef[], section: Section, prefix: string): void {
  for (const def of defs) {
    if (!def.required || def.mutability === 'readOnly') continue;
    if (isUnassigned(section.attributes[def.name]) && isUnassigned(section.writeOnly[def.name])) {
      throw invalid(`${prefix}${def.name}`, 'is required');
    }
  }
}

/** Carries over what a PUT cannot change: readOnly values, and immutable ones it leaves out. */
function mergeExisting(
  defs: readonly AttributeDef[],
  section: Json,
  existing: Json | undefined,
  prefix: string,
): void {
  if (!existing) return;
  for (const def of defs) {
    const before = existing[def.name];
    if (before === undefined) continue;
    if (def.mutability === 'readOnly') section[def.name] = before;
    if (def.mutability !== 'immutable') continue;
    const after = section[def.name];
    // Leaving an immutable attribute out of a PUT keeps it: removing it would be a change too.
    if (after === undefined) section[def.name] = before;
    else if (!sameValue(before, after)) {
      throw badRequest('mutability', `Attribute "${prefix}${def.name}" is immutable and cannot be changed`);
    }
  }
}

const looksLikeUrn = (key: string) => key.toLowerCase().startsWith('urn:');

function checkSchemas(model: ResourceTypeModel, body: Json, unknowns: Unknowns): string[] {
  const key = Object.keys(body).find((k) => k.toLowerCase() === 'schemas');
  const schemas = key === undefined ? undefined : body[key];
  if (!Array.isArray(schemas) || schemas.length === 0) {
    throw badRequest('invalidSyntax', `The body must have a "schemas" array listing "${model.core.id}"`);
  }
  const out: string[] = [];
  for (const urn of schemas) {
    if (typeof urn !== 'string') throw badRequest('invalidSyntax', '"schemas" must be an array of strings');
    const known = model.schemaUrns.find((u) => u.toLowerCase() === urn.toLowerCase());
    if (!known) {
      unknowns.schema(urn);
      continue;
    }
    if (!out.includes(known)) out.push(known);
  }
  if (!out.includes(model.core.id)) {
    throw badRequest('invalidValue', `"schemas" must include "${model.core.id}"`);
  }
  return out;
}

/**
 * Validates a POST ('create') or PUT ('replace') body, already normalised (normalise.ts).
 * With 'replace', `existing` is the stored document: immutable attributes must not change,
 * readOnly ones are kept, and everything else absent from the body is removed. What no schema
 * declares goes to `unknowns` (refused by default).
 */
export function validateResource(
  model: ResourceTypeModel,
  body: Record<string, unknown>,
  mode: 'create' | 'replace',
  existing?: Record<string, unknown>,
  unknowns: Unknowns = new Unknowns('reject', model.def.name),
): ValidatedResource {
  const schemas = checkSchemas(model, body, unknowns);
  const core: Json = {};
  const extensionBodies = new Map<string, Json>();
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const ext = model.extension(key);
    if (ext) {
      if (value === null) continue;
      if (!isObject(value)) throw invalid(ext.id, 'must be an object');
      extensionBodies.set(ext.id, value);
    } else if (looksLikeUrn(key)) {
      unknowns.schema(key);
    } else {
      core[key] = value;
    }
  }

  const membersAttribute = findAttribute(model.core.attributes, 'members')?.name;
  const coreDefs = [...COMMON_ATTRIBUTES, ...model.core.attributes];
  const result = validateSection(coreDefs, core, '', membersAttribute, unknowns);
  const prior = mode === 'replace' ? existing : undefined;
  mergeExisting(coreDefs, result.attributes, prior, '');
  assertRequired(coreDefs, result, '');
  const attributes: Json = { schemas, ...result.attributes };
  const writeOnly: Json = { ...result.writeOnly };

  for (const { schema, required } of model.extensions) {
    const source = extensionBodies.get(schema.id);
    if (!source && required) throw invalid(schema.id, 'is a required extension and must be present');
    const prefix = `${schema.id}:`;
    const section = validateSection(schema.attributes, source ?? {}, prefix, undefined, unknowns);
    const before = prior?.[schema.id];
    mergeExisting(schema.attributes, section.attributes, isObject(before) ? before : undefined, prefix);
    if (source) assertRequired(schema.attributes, section, prefix);
    if (Object.keys(section.attributes).length > 0) {
      attributes[schema.id] = section.attributes;
      // IdPs send the extension object without listing its URN; listing it is our job.
      if (!schemas.includes(schema.id)) schemas.push(schema.id);
    }
    if (Object.keys(section.writeOnly).length > 0) writeOnly[schema.id] = section.writeOnly;
  }
  return { attributes, writeOnly };
}
