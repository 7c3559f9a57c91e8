// attributes / excludedAttributes (RFC 7644 §3.4.2.5) honouring each attribute's `returned`
// characteristic (RFC 7643 §2.2): "always" survives exclusion, "never" is never returned,
// "request" only when asked for by name.

import type { AttrPath } from './filter/ast.js';
import type { ResourceTypeModel } from './registry.js';
import { findAttribute } from './registry.js';
import type { AttributeDef } from './schema.js';

export interface Projection {
  attributes?: readonly AttrPath[];
  excludedAttributes?: readonly AttrPath[];
}

type Json = Record<string, unknown>;

/** Canonical key of a top-level attribute: "<schema urn>:<attr>" in lower case. */
interface Selector {
  key: string;
  sub?: string;
}

function selectors(model: ResourceTypeModel, paths: readonly AttrPath[] | undefined): Selector[] {
  const out: Selector[] = [];
  for (const path of paths ?? []) {
    // A bare extension URN ("urn:...:enterprise:2.0:User") selects the whole extension.
    const asUrn = path.uri ? `${path.uri}:${path.attr}` : path.attr;
    const ext = model.extension(asUrn);
    if (ext && path.sub === undefined) {
      out.push({ key: ext.id.toLowerCase() });
      continue;
    }
    const resolved = model.resolve(path);
    if (!resolved) continue; // RFC: unknown attributes in these lists are ignored
    const key = keyOf(resolved.extension ? resolved.schema : undefined, resolved.attr.name);
    out.push({ key, sub: resolved.sub?.name.toLowerCase() });
  }
  return out;
}

const keyOf = (extensionUrn: string | undefined, name: string) =>
  `${extensionUrn ? extensionUrn.toLowerCase() + ':' : ''}${name.toLowerCase()}`;

/** Whether a top-level attribute (e.g. Group `members`) will appear in the response. */
export function includesAttribute(
  model: ResourceTypeModel,
  projection: Projection,
  name: string,
): boolean {
  const attr = model.resolve({ attr: name });
  if (!attr) return false;
  const key = keyOf(undefined, attr.attr.name);
  return decide(attr.attr, key, selectors(model, projection.attributes), selectors(model, projection.excludedAttributes)) !== 'drop';
}

type Decision = 'keep' | 'drop' | { subs: Set<string> };

function decide(attr: AttributeDef, key: string, include: Selector[], exclude: Selector[]): Decision {
  if (attr.returned === 'never') return 'drop';
  if (attr.returned === 'always') return 'keep';
  if (include.length > 0) {
    const hits = include.filter((s) => s.key === key || key.startsWith(s.key + ':'));
    if (hits.length === 0) return 'drop';
    if (hits.some((s) => s.sub === undefined)) return 'keep';
    return { subs: new Set(hits.map((s) => s.sub!)) };
  }
  if (attr.returned === 'request') return 'drop';
  if (exclude.some((s) => s.key === key && s.sub === undefined)) return 'drop';
  const excludedSubs = exclude.filter((s) => s.key === key && s.sub !== undefined);
  if (excludedSubs.length > 0 && attr.subAttributes) {
    const keep = attr.subAttributes
      .map((s) => s.name.toLowerCase())
      .filter((n) => !excludedSubs.some((s) => s.sub === n));
    return { subs: new Set(keep) };
  }
  return 'keep';
}

/** Removes what the request and the schema say must not be returned. */
export function project(model: ResourceTypeModel, resource: Json, projection: Projection): Json {
  const include = selectors(model, projection.attributes);
  const exclude = selectors(model, projection.excludedAttributes);
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') {
      out[key] = value;
      continue;
    }
    const ext = model.extension(key);
    if (ext) {
      const projected = projectObject(ext.attributes, ext.id.toLowerCase(), value, include, exclude);
      const selectedWhole = include.some((s) => s.key === ext.id.toLowerCase());
      if (projected && (Object.keys(projected).length > 0 || selectedWhole)) out[key] = projected;
      continue;
    }
    const resolved = model.resolve({ attr: key });
    if (!resolved) continue;
    const decision = decide(resolved.attr, keyOf(undefined, resolved.attr.name), include, exclude);
    const kept = apply(resolved.attr, value, decision);
    if (kept !== undefined) out[key] = kept;
  }
  return out;
}

function projectObject(
  attributes: readonly AttributeDef[],
  urn: string,
  value: unknown,
  include: Selector[],
  exclude: Selector[],
): Json | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const wholeIncluded = include.some((s) => s.key === urn);
  const wholeExcluded = exclude.some((s) => s.key === urn);
  const out: Json = {};
  for (const [name, v] of Object.entries(value as Json)) {
    const attr = findAttribute(attributes, name);
    if (!attr) continue;
    const key = `${urn}:${attr.name.toLowerCase()}`;
    let decision: Decision;
    if (attr.returned === 'never') decision = 'drop';
    else if (wholeIncluded && attr.returned !== 'request') decision = 'keep';
    else if (wholeExcluded && attr.returned !== 'always') decision = 'drop';
    else decision = decide(attr, key, include, exclude);
    const kept = apply(attr, v, decision);
    if (kept !== undefined) out[attr.name] = kept;
  }
  return out;
}

function apply(attr: AttributeDef, value: unknown, decision: Decision): unknown {
  if (decision === 'drop') return undefined;
  const dropNever = (element: unknown) => pick(attr, element, undefined);
  if (decision === 'keep') return attr.subAttributes ? mapValues(value, dropNever) : value;
  const picked = mapValues(value, (element) => pick(attr, element, decision.subs));
  if (Array.isArray(picked)) return picked.filter((e) => Object.keys(e as Json).length > 0);
  return picked && Object.keys(picked as Json).length > 0 ? picked : undefined;
}

const mapValues = (value: unknown, fn: (v: unknown) => unknown) =>
  Array.isArray(value) ? value.map(fn) : fn(value);

/** Keeps the named sub-attributes (all when `subs` is undefined), never the returned:never ones. */
function pick(attr: AttributeDef, element: unknown, subs: Set<string> | undefined): unknown {
  if (!element || typeof element !== 'object' || Array.isArray(element)) return element;
  const out: Json = {};
  for (const [name, v] of Object.entries(element as Json)) {
    const sub = findAttribute(attr.subAttributes, name);
    if (sub?.returned === 'never') continue;
    if (subs && !(sub?.returned === 'always' || subs.has(name.toLowerCase()))) continue;
    out[name] = v;
  }
  return out;
}
