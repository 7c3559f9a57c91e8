// In-memory evaluation of a parsed filter against a resource document (RFC 7644 §3.4.2.2),
// and of a value-path filter against one element of a multi-valued attribute (PATCH
// `emails[type eq "work"]`, group member filters). Names are resolved through the registry,
// so every lookup is case-insensitive and schema-aware; values are compared by the attribute's
// type and `caseExact`. Anything the filter asks that the schema can't answer is a 400.

import { badRequest } from '../errors.js';
import { findAttribute, type ResourceTypeModel } from '../registry.js';
import type { AttributeDef } from '../schema.js';
import type { AttrPath, CompareOp, Filter, Literal } from './ast.js';

/** What a path points at: the definition that governs comparison, and the raw values found. */
interface Target {
  def: AttributeDef;
  /** Every value at the path, multi-valued attributes flattened one level; may hold null. */
  values: unknown[];
}

/** How paths are looked up: against a whole resource, or against one element. */
interface Scope {
  target(path: AttrPath): Target;
  valuePath(path: AttrPath, filter: Filter): boolean;
}

const invalid = (detail: string) => badRequest('invalidFilter', detail);

const formatPath = (path: AttrPath) =>
  `${path.uri ? `${path.uri}:` : ''}${path.attr}${path.sub ? `.${path.sub}` : ''}`;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a key the way SCIM names work: exact match first, else case-insensitively. */
function getKey(container: unknown, key: string): unknown {
  if (!isRecord(container)) return undefined;
  if (Object.hasOwn(container, key)) return container[key];
  const wanted = key.toLowerCase();
  const found = Object.keys(container).find((k) => k.toLowerCase() === wanted);
  return found === undefined ? undefined : container[found];
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** `pr` semantics (RFC 7644 §3.4.2.2): null, "", [] and {} are not present. */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isRecord(value)) return Object.values(value).some(isPresent);
  return true;
}

/** Stands in for the element of a simple multi-valued attribute when no parent is given. */
const PLAIN_VALUE: AttributeDef = {
  name: 'value',
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
};

function resourceScope(resource: Record<string, unknown>, model: ResourceTypeModel): Scope {
  const resolve = (path: AttrPath) => {
    const found = model.resolve(path);
    if (found) return found;
    throw invalid(`Invalid filter: unknown attribute "${formatPath(path)}" for ${model.def.name}`);
  };
  const rawValue = (path: AttrPath) => {
    const found = resolve(path);
    const container = found.extension ? getKey(resource, found.schema ?? '') : resource;
    return { found, raw: getKey(container, found.attr.name) };
  };
  return {
    target(path) {
      const { found, raw } = rawValue(path);
      if (!found.sub) return { def: found.attr, values: asList(raw) };
      const subName = found.sub.name;
      return { def: found.sub, values: asList(raw).flatMap((e) => asList(getKey(e, subName))) };
    },
    valuePath(path, filter) {
      const { found, raw } = rawValue(path);
      const { attr } = found;
      // As in the SQL compiler: brackets select elements of a complex attribute.
      if (attr.type !== 'complex') {
        throw invalid(`Invalid filter: "${formatPath(path)}[...]" needs a complex attribute`);
      }
      const subs = attr.subAttributes ?? [];
      const elements = asList(raw).filter((e) => e !== undefined && e !== null);
      // With no element the inner filter still runs once (against nothing) so that its
      // errors don't depend on the data.
      if (elements.length === 0) {
        matchesElement(filter, undefined, subs, attr);
        return false;
      }
      return elements.some((e) => matchesElement(filter, e, subs, attr));
    },
  };
}

function elementScope(
  element: unknown,
  subAttributes: readonly AttributeDef[],
  parent: AttributeDef | undefined,
): Scope {
  const where = parent ? ` of "${parent.name}"` : '';
  return {
    target(path) {
      if (path.uri !== undefined || path.sub !== undefined) {
        throw invalid(`Invalid filter: "${formatPath(path)}" must name a sub-attribute${where}`);
      }
      if (subAttributes.length === 0) {
        // A simple multi-valued attribute: the element itself is the value.
        if (path.attr.toLowerCase() !== 'value') {
          throw invalid(`Invalid filter: elements${where} only have "value", not "${path.attr}"`);
        }
        const def = parent ? { ...parent, multiValued: false } : PLAIN_VALUE;
        return { def, values: asList(element) };
      }
      const def = findAttribute(subAttributes, path.attr);
      if (!def) throw invalid(`Invalid filter: unknown sub-attribute "${path.attr}"${where}`);
      return { def, values: asList(getKey(element, def.name)) };
    },
    valuePath(path) {
      throw invalid(`Invalid filter: value paths cannot be nested ("${formatPath(path)}[...]")`);
    },
  };
}

// ---- comparisons ------------------------------------------------------------------------

const ORDERING: ReadonlySet<CompareOp> = new Set(['gt', 'ge', 'lt', 'le']);
const SUBSTRING: ReadonlySet<CompareOp> = new Set(['co', 'sw', 'ew']);

function ordered(op: CompareOp, diff: number): boolean {
  switch (op) {
    case 'eq': return diff === 0;
    case 'ne': return diff !== 0;
    case 'gt': return diff > 0;
    case 'ge': return diff >= 0;
    case 'lt': return diff < 0;
    default: return diff <= 0; // 'le'
  }
}

// Stored values are read leniently (a document may hold "True" or "12" from a lax client);
// filter literals must have the attribute's type, as the SQL compiler also requires.

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  return undefined;
}

function toNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Milliseconds since the epoch for an ISO 8601 date-time, else undefined. */
function toInstant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d\d-\d\d/.test(value)) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function compareText(op: CompareOp, stored: string, wanted: string): boolean {
  switch (op) {
    case 'co': return stored.includes(wanted);
    case 'sw': return stored.startsWith(wanted);
    case 'ew': return stored.endsWith(wanted);
    default: return ordered(op, stored < wanted ? -1 : stored > wanted ? 1 : 0);
  }
}

/** Tests a stored value as text, folding case unless the attribute is caseExact. */
function textTest(op: CompareOp, wanted: string, caseExact: boolean) {
  const fold = (text: string) => (caseExact ? text : text.toLowerCase());
  const folded = fold(wanted);
  return (stored: unknown) => {
    const text = toText(stored);
    return text !== undefined && compareText(op, fold(text), folded);
  };
}

/**
 * Checks the operator and literal against the attribute's type once, up front (so a bad filter
 * fails whatever the data), and returns the test for one stored value.
 */
function comparator(op: CompareOp, def: AttributeDef, literal: Exclude<Literal, null>, label: string) {
  const refuse = (why: string): never => {
    throw invalid(`Invalid filter: "${label} ${op} ${JSON.stringify(literal)}": ${label} is ${def.type}; ${why}`);
  };
  switch (def.type) {
    case 'boolean': {
      if (typeof literal !== 'boolean') refuse('compare it with true or false');
      if (op !== 'eq' && op !== 'ne') refuse('only eq and ne apply');
      return (stored: unknown) => (toBoolean(stored) === literal) === (op === 'eq');
    }
    case 'integer':
    case 'decimal': {
      if (typeof literal !== 'number') refuse('compare it with a number');
      if (def.type === 'integer' && !Number.isInteger(literal)) refuse('compare it with an integer');
      if (SUBSTRING.has(op)) refuse('co, sw and ew apply to strings');
      const wanted = literal as number;
      return (stored: unknown) => {
        const n = toNumber(stored);
        return n !== undefined && ordered(op, n - wanted);
      };
    }
    case 'dateTime': {
      if (typeof literal !== 'string') refuse('compare it with a date-time string');
      // co / sw / ew look at the text, as written; the other operators compare instants.
      if (SUBSTRING.has(op)) return textTest(op, literal as string, true);
      const wanted = toInstant(literal) ?? refuse('use an ISO 8601 date-time such as "2024-01-31T12:00:00Z"');
      return (stored: unknown) => {
        const t = toInstant(stored);
        return t !== undefined && ordered(op, t - wanted);
      };
    }
    default: {
      if (typeof literal !== 'string') refuse('compare it with a "quoted string"');
      // RFC 7644 §3.4.2.2: gt/ge/lt/le on binary attributes is invalidFilter.
      if (def.type === 'binary' && ORDERING.has(op)) refuse('gt, ge, lt and le do not apply');
      return textTest(op, literal as string, def.caseExact);
    }
  }
}

/** A complex attribute compared without a sub-attribute stands for its `value` (§3.4.2.2). */
function comparable(target: Target, label: string): Target {
  if (target.def.type !== 'complex') return target;
  const value = findAttribute(target.def.subAttributes, 'value');
  if (!target.def.multiValued || !value) {
    throw invalid(`Invalid filter: "${label}" is complex; compare one of its sub-attributes (e.g. ${label}.value)`);
  }
  return { def: value, values: target.values.map((e) => (isRecord(e) ? getKey(e, value.name) : e)) };
}

function compare(op: CompareOp, path: AttrPath, literal: Literal, scope: Scope): boolean {
  const label = formatPath(path);
  const target = comparable(scope.target(path), label);
  const present = target.values.filter((v) => v !== undefined && v !== null);
  if (literal === null) {
    // `eq null` asks "is it absent?", `ne null` "is it present?"; nothing else is meaningful.
    if (op === 'eq') return !present.some(isPresent);
    if (op === 'ne') return present.some(isPresent);
    throw invalid(`Invalid filter: "${label} ${op} null" is not meaningful; use eq null, ne null or pr`);
  }
  const test = comparator(op, target.def, literal, label);
  // Like SQL: `ne` needs a value that exists and differs; `not (x eq v)` also matches absence.
  return present.some(test);
}

const both = (left: boolean, right: boolean) => left && right;
const either = (left: boolean, right: boolean) => left || right;

function evaluate(filter: Filter, scope: Scope): boolean {
  switch (filter.kind) {
    // Both sides always run (no short-circuit): an invalid term must fail the request
    // whatever the data, not only for resources where the other side lets it be reached.
    case 'and': return both(evaluate(filter.left, scope), evaluate(filter.right, scope));
    case 'or': return either(evaluate(filter.left, scope), evaluate(filter.right, scope));
    case 'not': return !evaluate(filter.filter, scope);
    case 'present': return scope.target(filter.path).values.some(isPresent);
    case 'compare': return compare(filter.op, filter.path, filter.value, scope);
    case 'valuePath': return scope.valuePath(filter.path, filter.filter);
  }
}

/**
 * Does `resource` (a SCIM document: core attributes at top level, extension attributes under
 * their schema URN) match `filter`? Throws 400 invalidFilter for unknown attributes or
 * operators the attribute's type does not support.
 */
export function matchesFilter(
  filter: Filter,
  resource: Record<string, unknown>,
  model: ResourceTypeModel,
): boolean {
  return evaluate(filter, resourceScope(resource, model));
}

/**
 * Does one element of a multi-valued (or complex) attribute match a value-path filter, whose
 * paths name sub-attributes? For a simple multi-valued attribute pass no sub-attributes: the
 * element is then the value and `value` the only path allowed.
 */
export function matchesElement(
  filter: Filter,
  element: unknown,
  subAttributes: readonly AttributeDef[],
  parent?: AttributeDef,
): boolean {
  return evaluate(filter, elementScope(element, subAttributes, parent));
}
