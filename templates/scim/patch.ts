// The attribute PATCH engine (RFC 7644 §3.5.2): applies normalised operations to a copy of the
// stored document. Operations on the membership attribute go to patch-members.ts instead, which
// turns them into one MemberChange delta. Deliberate deviations from the RFC, each because Okta
// or Entra ID need it:
// - a filtered add/replace that matches no element creates one from the filter's `eq` terms
//   (Entra and its validator expect this; the RFC says 400 noTarget for replace);
// - remove with a filter that matches nothing is a no-op, so IdP retries are safe;
// - `remove` of a multi-valued attribute with a `value` removes only those values
//   (Entra removes members this way; dropping the whole list is the bug peers shipped);
// - readOnly keys in a path-less value (`id` in Okta's group rename) are ignored.

import { badRequest } from './errors.js';
import { Unknowns } from './unknown.js';
import type { Filter } from './filter/ast.js';
import { matchesElement } from './filter/evaluate.js';
import { parsePatchPath } from './filter/parse.js';
import type { PatchOperation } from './normalise.js';
import { MemberDelta } from './patch-members.js';
import { findAttribute, type ResourceTypeModel } from './registry.js';
import type { AttributeDef } from './schema.js';
import type { MemberChange } from './store.js';
import { checkAttributeValue, isObject, isUnassigned, sameValue } from './validate.js';

type Json = Record<string, unknown>;

export interface PatchResult {
  /** The whole new document (`schemas` included, members excluded). */
  attributes: Record<string, unknown>;
  /** Present when the operations touched the membership attribute. */
  members?: MemberChange;
  /** writeOnly values set by the operations (password), in document shape; never stored. */
  writeOnly: Record<string, unknown>;
  /** Whether `attributes` differs from the current document (the service may skip the write). */
  changed: boolean;
}

/** One attribute an operation addresses, resolved against the schema. */
interface Target {
  /** Extension URN holding the attribute, or undefined for a core attribute. */
  extension?: string;
  attr: AttributeDef;
  filter?: Filter;
  sub?: AttributeDef;
  /** As written, for error details. */
  path: string;
  /** Named by an operation's `path` (not a key of a path-less value). */
  explicit?: boolean;
}

interface Context {
  model: ResourceTypeModel;
  doc: Json;
  writeOnly: Json;
  members: MemberDelta;
  membersAttribute?: string;
  /** Attributes an operation wrote or removed: checked for `required` at the end. */
  touched: Target[];
  /** Where attributes no schema declares go: refused, or dropped and named. */
  unknowns: Unknowns;
}

const mutability = (path: string, why: string) => badRequest('mutability', `Attribute "${path}" ${why}`);

/** The object holding a target's attribute: the document or its extension object. */
function holder(ctx: Context, t: Target, create: boolean): Json | undefined {
  if (!t.extension) return ctx.doc;
  const existing = ctx.doc[t.extension];
  if (isObject(existing)) return existing;
  if (!create) return undefined;
  const made: Json = {};
  ctx.doc[t.extension] = made;
  return made;
}

/** Sets or, for an unassigned value, deletes `key`. */
function put(object: Json, key: string, value: unknown): void {
  if (isUnassigned(value)) delete object[key];
  else object[key] = value;
}

function assertImmutable(def: AttributeDef, before: unknown, after: unknown, path: string): void {
  if (def.mutability === 'immutable' && before !== undefined && !sameValue(before, after)) {
    throw mutability(path, 'is immutable and cannot be changed once set');
  }
}

/** What identifies a multi-valued element: its `value` when it has one, else the whole element. */
const identity = (element: unknown) => (isObject(element) && 'value' in element ? element['value'] : element);
const sameElement = (a: unknown, b: unknown) => sameValue(identity(a), identity(b));

/** At most one primary (RFC 7643 §2.4): the elements in `winners` keep theirs. */
function keepOnePrimary(list: unknown[], winners: unknown[]): void {
  const winner = winners.find((w) => isObject(w) && w['primary'] === true);
  if (!winner) return;
  for (const element of list) {
    if (element !== winner && isObject(element) && element['primary'] === true) delete element['primary'];
  }
}

/** The `eq` terms of an `and`-only filter as an element seed, or undefined when there are others. */
function seedFromFilter(filter: Filter, attr: AttributeDef): Json | undefined {
  if (filter.kind === 'and') {
    const left = seedFromFilter(filter.left, attr);
    const right = seedFromFilter(filter.right, attr);
    return left && right ? { ...left, ...right } : undefined;
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.path.sub || filter.path.uri) return undefined;
  const sub = findAttribute(attr.subAttributes, filter.path.attr);
  return sub ? { [sub.name]: filter.value } : undefined;
}

function checkedObject(ctx: Context, def: AttributeDef, value: unknown, path: string): Json {
  if (!isObject(value)) throw badRequest('invalidValue', `Attribute "${path}" must be an object`);
  return (checkAttributeValue(def, value, path, true, ctx.unknowns) as Json | undefined) ?? {};
}

/** Sub-attributes set to null in a complex value: a replace clears them. */
function nulledSubs(def: AttributeDef, value: unknown): string[] {
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((k) => value[k] === null)
    .map((k) => findAttribute(def.subAttributes, k)?.name ?? k);
}

function writeFiltered(ctx: Context, op: 'add' | 'replace', t: Target, filter: Filter, value: unknown): void {
  const { attr, sub } = t;
  const obj = holder(ctx, t, true) as Json;
  const current = obj[attr.name];
  const list: unknown[] = Array.isArray(current) ? [...current] : current === undefined ? [] : [current];
  const matched = list.filter((el) => matchesElement(filter, el, attr.subAttributes ?? [], attr));
  const changed: unknown[] = [];
  if (matched.length === 0) {
    const seed = seedFromFilter(filter, attr);
    if (!seed) throw badRequest('noTarget', `No value of "${attr.name}" matches "${t.path}"`);
    const raw = sub ? { ...seed, [sub.name]: value } : { ...seed, ...checkedObject(ctx, attr, value, t.path) };
    const element = checkedObject(ctx, attr, raw, t.path);
    list.push(element);
    changed.push(element);
  }
  for (const element of matched) {
    const index = list.indexOf(element);
    const before = element as Json;
    let next: Json;
    if (sub) {
      const v = checkAttributeValue(sub, value, t.path, false, ctx.unknowns);
      assertImmutable(sub, before[sub.name], v, t.path);
      next = { ...before };
      put(next, sub.name, v);
    } else {
      const v = checkedObject(ctx, attr, value, t.path);
      // replace swaps the element but keeps what the filter selected it by.
      next = op === 'replace' ? { ...seedFromFilter(filter, attr), ...v } : { ...before, ...v };
    }
    list[index] = next;
    changed.push(next);
  }
  keepOnePrimary(list, changed);
  put(obj, attr.name, attr.multiValued ? list : list[0]);
}

function write(ctx: Context, op: 'add' | 'replace', t: Target, value: unknown): void {
  if (value === null) return remove(ctx, t, undefined);
  const { attr, sub } = t;
  if (attr.mutability === 'writeOnly') {
    const target = t.extension ? ((ctx.writeOnly[t.extension] ??= {}) as Json) : ctx.writeOnly;
    target[attr.name] = checkAttributeValue(attr, value, t.path, false, ctx.unknowns);
    return;
  }
  if (t.filter) return writeFiltered(ctx, op, t, t.filter, value);
  const obj = holder(ctx, t, true) as Json;
  const current = obj[attr.name];

  if (sub) {
    const v = checkAttributeValue(sub, value, t.path, false, ctx.unknowns);
    // `emails.type` without a filter addresses every element (creating one if there are none).
    const elements = attr.multiValued ? (Array.isArray(current) ? current : [{}]) : [isObject(current) ? current : {}];
    const next = elements.map((el) => {
      const copy = isObject(el) ? { ...el } : {};
      assertImmutable(sub, copy[sub.name], v, t.path);
      put(copy, sub.name, v);
      return copy;
    });
    if (attr.multiValued) keepOnePrimary(next, next.slice(0, 1));
    put(obj, attr.name, attr.multiValued ? next : next[0]);
    return;
  }

  let next: unknown;
  if (attr.multiValued) {
    const values = (checkAttributeValue(attr, value, t.path, false, ctx.unknowns) as unknown[] | undefined) ?? [];
    if (op === 'replace') next = values;
    else {
      const list = Array.isArray(current) ? current.map((el) => (isObject(el) ? { ...el } : el)) : [];
      for (const v of values) {
        const same = list.findIndex((el) => sameElement(el, v));
        if (same < 0) list.push(v);
        else list[same] = isObject(list[same]) && isObject(v) ? { ...list[same], ...v } : v;
      }
      keepOnePrimary(list, list.filter((el) => values.some((v) => sameElement(el, v))));
      next = list;
    }
  } else if (attr.type === 'complex' && op === 'replace' && t.explicit) {
    // The interoperability profile (§6.5.2.1): `replace` with `"path": "name"` replaces the whole
    // complex value; sub-attributes not given are cleared. Path-less values still merge below.
    next = checkedObject(ctx, attr, value, t.path);
  } else if (attr.type === 'complex') {
    // RFC 7644 §3.5.2.3 (and `add` in the profile): sub-attributes not given are left unchanged.
    const merged: Json = { ...(isObject(current) ? current : {}), ...checkedObject(ctx, attr, value, t.path) };
    for (const name of nulledSubs(attr, value)) delete merged[name];
    next = merged;
  } else {
    next = checkAttributeValue(attr, value, t.path, false, ctx.unknowns);
  }
  assertImmutable(attr, current, next, t.path);
  put(obj, attr.name, next);
}

function remove(ctx: Context, t: Target, value: unknown): void {
  const { attr, sub, filter } = t;
  if (attr.mutability === 'writeOnly') return; // never stored, so nothing to remove
  const obj = holder(ctx, t, false);
  const current = obj?.[attr.name];
  if (!obj || current === undefined) return;
  const list = Array.isArray(current) ? current : [current];
  const hit = (el: unknown) => !filter || matchesElement(filter, el, attr.subAttributes ?? [], attr);

  let next: unknown[];
  if (sub) {
    next = list.map((el) => {
      if (!hit(el) || !isObject(el)) return el;
      assertImmutable(sub, el[sub.name], undefined, t.path);
      const copy = { ...el };
      delete copy[sub.name];
      return copy;
    });
  } else if (filter) {
    next = list.filter((el) => !hit(el));
  } else if (attr.multiValued && value !== undefined && value !== null) {
    // Entra: {"op":"remove","path":"emails","value":[{"value":"x"}]} removes just those values.
    const doomed = (checkAttributeValue(attr, value, t.path, false, ctx.unknowns) as unknown[] | undefined) ?? [];
    next = list.filter((el) => !doomed.some((d) => sameElement(el, d)));
  } else {
    assertImmutable(attr, current, undefined, t.path);
    next = [];
  }
  put(obj, attr.name, attr.multiValued ? next.filter((el) => !isUnassigned(el)) : next[0]);
}

// ---- dispatch ----

function isMembers(ctx: Context, t: Target): boolean {
  return !t.extension && ctx.membersAttribute !== undefined && t.attr.name === ctx.membersAttribute;
}

function apply(ctx: Context, op: PatchOperation['op'], t: Target, value: unknown): void {
  if (isMembers(ctx, t)) return ctx.members.apply(op, t, value);
  ctx.touched.push(t);
  if (op === 'remove') remove(ctx, t, value);
  else write(ctx, op, t, value);
}

/**
 * Resolves an operation's path; readOnly -> 400 mutability; undefined when no schema declares it
 * and the project drops such attributes (else 400 invalidSyntax, naming it).
 */
function resolvePath(ctx: Context, path: string): Target | undefined {
  const parsed = parsePatchPath(path);
  const found = ctx.model.resolve({ uri: parsed.uri, attr: parsed.attr, sub: parsed.sub });
  if (!found) {
    // The profile (§5.3): an attribute no schema declares is invalidSyntax, in a path as in a body.
    ctx.unknowns.attribute(path);
    return undefined;
  }
  if (parsed.filter && found.attr.type !== 'complex') {
    throw badRequest('invalidPath', `"${path}": only complex attributes can be filtered`);
  }
  if (found.attr.mutability === 'readOnly' || found.sub?.mutability === 'readOnly') {
    throw mutability(path, 'is readOnly');
  }
  const target: Target = { attr: found.attr, path, explicit: true };
  if (found.extension) target.extension = found.schema;
  if (found.sub) target.sub = found.sub;
  if (parsed.filter) target.filter = parsed.filter;
  return target;
}

/** A path-less add/replace: each key of `value` is an attribute or an extension object. */
function applyPathless(ctx: Context, op: 'add' | 'replace', value: unknown): void {
  if (!isObject(value)) throw badRequest('invalidValue', `"${op}" without a path needs an object value`);
  const each = (source: Json, uri?: string) => {
    for (const [key, v] of Object.entries(source)) {
      const path = uri ? `${uri}:${key}` : key;
      const found = ctx.model.resolve({ uri, attr: key });
      if (!found) {
        ctx.unknowns.attribute(path);
        continue;
      }
      if (found.attr.mutability === 'readOnly') continue; // Okta sends the group's `id` here
      const target: Target = { attr: found.attr, path };
      if (found.extension) target.extension = found.schema;
      apply(ctx, op, target, v);
    }
  };
  for (const [key, v] of Object.entries(value)) {
    const ext = ctx.model.extension(key);
    if (key.toLowerCase() === 'schemas') continue;
    if (!ext) each({ [key]: v });
    else if (isObject(v)) each(v, ext.id);
    else if (v === null && op === 'replace') delete ctx.doc[ext.id];
    else throw badRequest('invalidValue', `"${key}" must be an object of extension attributes`);
  }
}

function applyOperation(ctx: Context, operation: PatchOperation): void {
  const { op, path, value } = operation;
  if (path === undefined) {
    if (op === 'remove') throw badRequest('noTarget', '"remove" needs a "path"');
    return applyPathless(ctx, op, value);
  }
  const ext = ctx.model.extension(path);
  if (ext) {
    // The whole extension object: `remove` drops it, add/replace merge into it.
    if (op === 'remove') delete ctx.doc[ext.id];
    else applyPathless(ctx, op, { [ext.id]: value });
    return;
  }
  const target = resolvePath(ctx, path);
  if (target) apply(ctx, op, target, value);
}

/** Drops emptied extension objects and their URNs; lists the URN of each extension present. */
function syncSchemas(model: ResourceTypeModel, before: Json, doc: Json): void {
  for (const { schema } of model.extensions) {
    if (schema.id in doc && isUnassigned(doc[schema.id])) delete doc[schema.id];
  }
  const listed = Array.isArray(doc['schemas']) ? (doc['schemas'] as unknown[]) : undefined;
  const schemas = (listed ?? [model.core.id]).filter((urn) => {
    const ext = typeof urn === 'string' ? model.extension(urn) : undefined;
    return !ext || ext.id in doc || !(ext.id in before);
  });
  for (const { schema } of model.extensions) {
    if (schema.id in doc && !schemas.includes(schema.id)) schemas.push(schema.id);
  }
  if (listed || schemas.length > 1) doc['schemas'] = schemas;
}

/**
 * Applies PATCH operations (from normalisePatchRequest) to `current`, the stored document.
 * Either every operation applies or a ScimError is thrown and nothing changes.
 * `membersAttribute` names the attribute kept in a membership table (Group: "members").
 */
export function applyPatch(
  model: ResourceTypeModel,
  current: Record<string, unknown>,
  operations: PatchOperation[],
  options: { membersAttribute?: string; unknowns?: Unknowns },
): PatchResult {
  const membersAttribute = findAttribute(model.core.attributes, options.membersAttribute ?? '')?.name;
  const ctx: Context = {
    model,
    doc: structuredClone(current),
    writeOnly: {},
    members: new MemberDelta(),
    membersAttribute,
    touched: [],
    unknowns: options.unknowns ?? new Unknowns('reject', model.def.name),
  };
  for (const operation of operations) applyOperation(ctx, operation);

  for (const t of ctx.touched) {
    const value = holder(ctx, t, false)?.[t.attr.name];
    if (t.attr.required && isUnassigned(value)) {
      throw badRequest('invalidValue', `Attribute "${t.attr.name}" is required and cannot be removed`);
    }
  }
  syncSchemas(model, current, ctx.doc);

  const result: PatchResult = {
    attributes: ctx.doc,
    writeOnly: ctx.writeOnly,
    changed: !sameValue(current, ctx.doc),
  };
  const members = ctx.members.change();
  if (members) result.members = members;
  return result;
}
