// IdP dialect normalisers: the places where Okta and Microsoft Entra ID send something RFC 7644
// does not, rewritten into the RFC form before validation and the PATCH engine see it. Each one
// is listed in NORMALISERS with the behaviour it absorbs, so a dialect profile can switch them
// off (`enabled`) and a strict RFC server is one option away.

import { badRequest } from './errors.js';
import { parsePatchPath } from './filter/parse.js';
import { findAttribute, type ResourceTypeModel } from './registry.js';
import { COMMON_ATTRIBUTES, SCHEMA_URNS, type AttributeDef } from './schema.js';
import { isObject } from './validate.js';

type Json = Record<string, unknown>;

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export const NORMALISERS = [
  {
    name: 'opCase',
    idp: 'Microsoft Entra ID',
    absorbs: 'PATCH "op" sent capitalised ("Add", "Replace", "Remove") by the default SCIM job.',
  },
  {
    name: 'emptyOperations',
    idp: 'Microsoft Entra ID',
    absorbs: 'The SCIM Validator sends a PatchOp with "Operations": []; accepted as a no-op.',
  },
  {
    name: 'booleanStrings',
    idp: 'Microsoft Entra ID',
    absorbs:
      'Booleans sent as "True"/"False" strings ("active" in PATCH without aadOptscim062020, ' +
      '"primary" in the validator); coerced wherever the schema says boolean.',
  },
  {
    name: 'qualifiedValueKeys',
    idp: 'Microsoft Entra ID (aadOptscim062020)',
    absorbs:
      'Path-less PATCH values keyed by paths ("name.givenName", ' +
      '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"); ' +
      'rewritten into nested objects.',
  },
  {
    name: 'bareStringComplex',
    idp: 'Microsoft Entra ID',
    absorbs:
      '"manager" sent as the bare manager id; a string given for a single-valued complex ' +
      'attribute with a "value" sub-attribute becomes {"value": id}.',
  },
  {
    name: 'nullReference',
    idp: 'Microsoft Entra ID',
    absorbs: 'Members sent as {"$ref": null, "value": id}; a null "$ref" is dropped.',
  },
  {
    name: 'legacyGroupSchema',
    idp: 'Microsoft Entra ID',
    absorbs:
      'Group bodies listing "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group" ' +
      'in "schemas"; the URN is dropped.',
  },
] as const;

export type NormaliserName = (typeof NORMALISERS)[number]['name'];

export interface NormaliseOptions {
  /** The normalisers to apply; all of them when omitted. */
  enabled?: readonly NormaliserName[];
}

const LEGACY_GROUP_URN = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

const enabledSet = (options: NormaliseOptions) =>
  new Set<NormaliserName>(options.enabled ?? NORMALISERS.map((n) => n.name));

/** Reads a property whose name SCIM treats case-insensitively ("Operations", "op"...). */
function property(object: Json, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

// ---- value fixes, applied per attribute value as the schema describes it ----

type Fix = (def: AttributeDef, value: unknown) => unknown;

const fixBooleanString: Fix = (def, value) =>
  def.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)
    ? value.toLowerCase() === 'true'
    : value;

const fixBareString: Fix = (def, value) =>
  def.type === 'complex' &&
  !def.multiValued &&
  typeof value === 'string' &&
  findAttribute(def.subAttributes, 'value')
    ? { value }
    : value;

const fixNullReference: Fix = (def, value) => {
  if (def.type !== 'complex' || !isObject(value) || !('$ref' in value) || value['$ref'] !== null) {
    return value;
  }
  const rest = { ...value };
  delete rest['$ref'];
  return rest;
};

function composeFixes(on: Set<NormaliserName>): Fix | undefined {
  const fixes: Fix[] = [];
  if (on.has('bareStringComplex')) fixes.push(fixBareString);
  if (on.has('nullReference')) fixes.push(fixNullReference);
  if (on.has('booleanStrings')) fixes.push(fixBooleanString);
  if (fixes.length === 0) return undefined;
  return (def, value) => fixes.reduce((v, fix) => fix(def, v), value);
}

/** One value of `def` (an element when multi-valued), sub-attributes included. */
function fixSingle(def: AttributeDef, value: unknown, fix: Fix): unknown {
  const fixed = fix(def, value);
  if (def.type !== 'complex' || !isObject(fixed)) return fixed;
  return fixAttributes(def.subAttributes ?? [], fixed, fix);
}

/** Fixes each key of `object` that `defs` defines. fromEntries keeps a "__proto__" key inert. */
function fixAttributes(defs: readonly AttributeDef[], object: Json, fix: Fix): Json {
  return Object.fromEntries(
    Object.entries(object).map(([key, value]) => {
      const def = findAttribute(defs, key);
      return [key, def ? fixValue(def, value, fix) : value];
    }),
  );
}

function fixValue(def: AttributeDef, value: unknown, fix: Fix): unknown {
  if (def.multiValued && Array.isArray(value)) return value.map((item) => fixSingle(def, item, fix));
  return fixSingle(def, value, fix);
}

/** Applies `fix` throughout a resource-shaped object (core keys plus extension URN keys). */
function fixDocument(doc: Json, model: ResourceTypeModel, fix: Fix): Json {
  const extensions = Object.entries(doc).flatMap(([key, value]) => {
    const ext = model.extension(key);
    return ext && isObject(value) ? [[key, fixAttributes(ext.attributes, value, fix)] as const] : [];
  });
  const core = fixAttributes([...COMMON_ATTRIBUTES, ...model.core.attributes], doc, fix);
  return { ...core, ...Object.fromEntries(extensions) };
}

/** Applies `fix` to the value of a PATCH operation whose path names one attribute. */
function fixPathValue(path: string, value: unknown, model: ResourceTypeModel, fix: Fix): unknown {
  if (model.extension(path)) return fixDocument({ [path]: value }, model, fix)[path];
  const parsed = parsePatchPath(path);
  const target = model.resolve({ uri: parsed.uri, attr: parsed.attr, sub: parsed.sub });
  if (!target) return value; // the PATCH engine reports the unknown path
  if (target.sub) return fixValue(target.sub, value, fix);
  // `emails[type eq "work"]` addresses one element, so the value is a single element.
  return parsed.filter ? fixSingle(target.attr, value, fix) : fixValue(target.attr, value, fix);
}

// ---- Entra's path-keyed path-less values ----

function mergeInto(target: Json, key: string, value: unknown): void {
  const before = Object.hasOwn(target, key) ? target[key] : undefined;
  const merged = isObject(before) && isObject(value) ? { ...before, ...value } : value;
  // defineProperty, not assignment: a "__proto__" key must stay a key (and be rejected later).
  Object.defineProperty(target, key, { value: merged, enumerable: true, writable: true, configurable: true });
}

/** Puts `value` at `attr` or `attr.sub` inside `target`. */
function placeDotted(target: Json, attrPath: string, value: unknown): void {
  const dot = attrPath.indexOf('.');
  if (dot < 0) return mergeInto(target, attrPath, value);
  mergeInto(target, attrPath.slice(0, dot), { [attrPath.slice(dot + 1)]: value });
}

/**
 * `{"name.givenName": "A", "urn:…:User:employeeNumber": "1"}` ->
 * `{"name": {"givenName": "A"}, "urn:…:User": {"employeeNumber": "1"}}`. A complex value
 * given this way is merged by the engine, which is what the dotted form means.
 */
function expandQualifiedKeys(value: Json, model: ResourceTypeModel): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    const ext = model.extension(key);
    if (ext) {
      mergeInto(out, ext.id, v);
      continue;
    }
    const colon = key.lastIndexOf(':');
    if (key.toLowerCase().startsWith('urn:') && colon > 0) {
      const uri = key.slice(0, colon).toLowerCase();
      const rest = key.slice(colon + 1);
      const qualifier = model.extension(uri)?.id;
      if (uri === model.core.id.toLowerCase()) placeDotted(out, rest, v);
      else if (qualifier) {
        const inner = isObject(out[qualifier]) ? (out[qualifier] as Json) : {};
        placeDotted(inner, rest, v);
        out[qualifier] = inner;
      } else out[key] = v; // unknown schema: left for the engine to reject by name
      continue;
    }
    placeDotted(out, key, v);
  }
  return out;
}

// ---- PATCH request ----

const OPS = ['add', 'replace', 'remove'] as const;
const isOp = (op: string): op is PatchOperation['op'] => (OPS as readonly string[]).includes(op);

function normaliseOperation(
  raw: unknown,
  index: number,
  model: ResourceTypeModel,
  on: Set<NormaliserName>,
): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isObject(raw)) throw badRequest('invalidSyntax', `${where} must be an object`);
  const rawOp = property(raw, 'op');
  if (typeof rawOp !== 'string') throw badRequest('invalidSyntax', `${where}.op must be "add", "replace" or "remove"`);
  const op = on.has('opCase') ? rawOp.toLowerCase() : rawOp;
  if (!isOp(op)) {
    throw badRequest('invalidSyntax', `${where}.op "${rawOp}" is not one of "add", "replace", "remove"`);
  }

  const rawPath = property(raw, 'path');
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== 'string') {
    throw badRequest('invalidSyntax', `${where}.path must be a string`);
  }
  const path = typeof rawPath === 'string' && rawPath.trim() !== '' ? rawPath.trim() : undefined;

  let value = property(raw, 'value');
  if (op === 'add' && (value === undefined || value === null)) {
    throw badRequest('invalidValue', `${where}: "add" needs a "value"`);
  }
  if (op === 'replace' && value === undefined) {
    throw badRequest('invalidValue', `${where}: "replace" needs a "value"`);
  }
  if (path === undefined && op !== 'remove' && !isObject(value)) {
    throw badRequest('invalidValue', `${where}: without a "path", "value" must be an object of attributes`);
  }

  const fix = composeFixes(on);
  if (path === undefined && isObject(value)) {
    if (on.has('qualifiedValueKeys')) value = expandQualifiedKeys(value, model);
    if (fix) value = fixDocument(value as Json, model, fix);
  } else if (path !== undefined && value !== undefined && fix) {
    value = fixPathValue(path, value, model, fix);
  }

  const operation: PatchOperation = { op };
  if (path !== undefined) operation.path = path;
  if (value !== undefined) operation.value = value;
  return operation;
}

/**
 * Checks the PatchOp envelope (RFC 7644 §3.5.2) and returns its operations in RFC form:
 * lower-case `op`, values coerced to the schema's types where an IdP sends strings.
 * Throws 400 invalidSyntax for a malformed envelope or op, invalidValue for a missing value.
 */
export function normalisePatchRequest(
  body: unknown,
  model: ResourceTypeModel,
  options: NormaliseOptions = {},
): PatchOperation[] {
  const on = enabledSet(options);
  if (!isObject(body)) throw badRequest('invalidSyntax', 'A PATCH body must be a JSON object');
  const schemas = property(body, 'schemas');
  const patchOp = SCHEMA_URNS.patchOp.toLowerCase();
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === patchOp)) {
    throw badRequest('invalidSyntax', `A PATCH body must list "${SCHEMA_URNS.patchOp}" in "schemas"`);
  }
  const operations = property(body, 'Operations');
  if (!Array.isArray(operations)) throw badRequest('invalidSyntax', '"Operations" must be an array');
  if (operations.length === 0 && !on.has('emptyOperations')) {
    throw badRequest('invalidValue', '"Operations" must contain at least one operation');
  }
  return operations.map((raw, i) => normaliseOperation(raw, i, model, on));
}

// ---- POST / PUT body ----

/**
 * Rewrites a POST or PUT body into RFC form before validation: drops Entra's legacy group
 * schema URN, null `$ref`s, wraps a bare manager id, coerces boolean strings at any depth.
 * Throws 400 invalidSyntax when the body is not a JSON object.
 */
export function normaliseResourceBody(
  body: unknown,
  model: ResourceTypeModel,
  options: NormaliseOptions = {},
): Record<string, unknown> {
  const on = enabledSet(options);
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The request body must be a JSON object');
  let doc: Json = { ...body };
  const schemasKey = Object.keys(doc).find((k) => k.toLowerCase() === 'schemas');
  const schemas = schemasKey === undefined ? undefined : doc[schemasKey];
  if (on.has('legacyGroupSchema') && schemasKey !== undefined && Array.isArray(schemas)) {
    doc[schemasKey] = schemas.filter(
      (s) => typeof s !== 'string' || s.toLowerCase() !== LEGACY_GROUP_URN.toLowerCase(),
    );
  }
  const fix = composeFixes(on);
  if (fix) doc = fixDocument(doc, model, fix);
  return doc;
}
