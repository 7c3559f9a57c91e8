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

/**
 * A projection compiled for one resource type: the selectors parsed once, and the decision for
 * each attribute name made once and remembered, so a page of resources costs a lookup per
 * attribute rather than a parse of the request's attribute lists per resource.
 */
class Plan {
  readonly include: Selector[];
  readonly exclude: Selector[];
  private readonly topLevel = new Map<string, TopLevelStep>();
  private readonly nested = new Map<string, NestedStep>();

  constructor(
    private readonly model: ResourceTypeModel,
    projection: Projection,
  ) {
    this.include = selectors(model, projection.attributes);
    this.exclude = selectors(model, projection.excludedAttributes);
  }

  /** What to do with a top-level key of a resource. */
  step(key: string): TopLevelStep {
    let step = this.topLevel.get(key);
    if (!step) {
      step = this.topLevelStep(key);
      remember(this.topLevel, key, step);
    }
    return step;
  }

  /** What to do with attribute `name` inside the extension object under `urn`. */
  nestedStep(ext: ExtensionStep, name: string): NestedStep {
    const key = `${ext.urn}:${name}`;
    let step = this.nested.get(key);
    if (!step) {
      step = this.nestedStepOf(ext, name);
      remember(this.nested, key, step);
    }
    return step;
  }

  private topLevelStep(key: string): TopLevelStep {
    if (key === 'schemas') return { kind: 'keep' };
    const ext = this.model.extension(key);
    if (ext) {
      const urn = ext.id.toLowerCase();
      return {
        kind: 'extension',
        attributes: ext.attributes,
        urn,
        wholeIncluded: this.include.some((s) => s.key === urn),
        wholeExcluded: this.exclude.some((s) => s.key === urn),
      };
    }
    const resolved = this.model.resolve({ attr: key });
    if (!resolved) return { kind: 'drop' };
    const decision = decide(resolved.attr, keyOf(undefined, resolved.attr.name), this.include, this.exclude);
    return { kind: 'attribute', attr: resolved.attr, decision };
  }

  private nestedStepOf(ext: ExtensionStep, name: string): NestedStep {
    const attr = findAttribute(ext.attributes, name);
    if (!attr) return { decision: 'drop' };
    const key = `${ext.urn}:${attr.name.toLowerCase()}`;
    let decision: Decision;
    if (attr.returned === 'never') decision = 'drop';
    else if (ext.wholeIncluded && attr.returned !== 'request') decision = 'keep';
    else if (ext.wholeExcluded && attr.returned !== 'always') decision = 'drop';
    else decision = decide(attr, key, this.include, this.exclude);
    return { attr, decision };
  }
}

interface ExtensionStep {
  kind: 'extension';
  attributes: readonly AttributeDef[];
  urn: string;
  wholeIncluded: boolean;
  wholeExcluded: boolean;
}
type TopLevelStep =
  | { kind: 'keep' }
  | { kind: 'drop' }
  | ExtensionStep
  | { kind: 'attribute'; attr: AttributeDef; decision: Decision };
type NestedStep = { attr?: AttributeDef; decision: Decision };

/** Names seen per plan are the schemas' (stored documents hold nothing else); the cap is a guard. */
const MAX_REMEMBERED = 500;
function remember<T>(map: Map<string, T>, key: string, value: T): void {
  if (map.size < MAX_REMEMBERED) map.set(key, value);
}

/** Plans for the projection objects of requests in flight, and one per type for "no parameters". */
const plansByProjection = new WeakMap<Projection, Map<ResourceTypeModel, Plan>>();
const defaultPlans = new WeakMap<ResourceTypeModel, Plan>();

function planFor(model: ResourceTypeModel, projection: Projection): Plan {
  if (!projection.attributes?.length && !projection.excludedAttributes?.length) {
    let plan = defaultPlans.get(model);
    if (!plan) defaultPlans.set(model, (plan = new Plan(model, {})));
    return plan;
  }
  let byModel = plansByProjection.get(projection);
  if (!byModel) plansByProjection.set(projection, (byModel = new Map()));
  let plan = byModel.get(model);
  if (!plan) byModel.set(model, (plan = new Plan(model, projection)));
  return plan;
}

/** Whether a top-level attribute (e.g. Group `members`) will appear in the response. */
export function includesAttribute(
  model: ResourceTypeModel,
  projection: Projection,
  name: string,
): boolean {
  const attr = model.resolve({ attr: name });
  if (!attr) return false;
  const plan = planFor(model, projection);
  return decide(attr.attr, keyOf(undefined, attr.attr.name), plan.include, plan.exclude) !== 'drop';
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
  const plan = planFor(model, projection);
  const out: Json = {};
  for (const [key, value] of Object.entries(resource)) {
    const step = plan.step(key);
    if (step.kind === 'keep') {
      out[key] = value;
    } else if (step.kind === 'extension') {
      const projected = projectObject(plan, step, value);
      if (projected && (Object.keys(projected).length > 0 || step.wholeIncluded)) out[key] = projected;
    } else if (step.kind === 'attribute') {
      const kept = apply(step.attr, value, step.decision);
      if (kept !== undefined) out[key] = kept;
    }
  }
  return out;
}

function projectObject(plan: Plan, ext: ExtensionStep, value: unknown): Json | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Json = {};
  for (const [name, v] of Object.entries(value as Json)) {
    const { attr, decision } = plan.nestedStep(ext, name);
    if (!attr) continue;
    const kept = apply(attr, v, decision);
    if (kept !== undefined) out[attr.name] = kept;
  }
  return out;
}

function apply(attr: AttributeDef, value: unknown, decision: Decision): unknown {
  if (decision === 'drop') return undefined;
  if (decision === 'keep') {
    if (!hasNeverSubAttribute(attr)) return value;
    return mapValues(value, (element) => pick(attr, element, undefined));
  }
  const picked = mapValues(value, (element) => pick(attr, element, decision.subs));
  if (Array.isArray(picked)) return picked.filter((e) => Object.keys(e as Json).length > 0);
  return picked && Object.keys(picked as Json).length > 0 ? picked : undefined;
}

const neverSubAttributes = new WeakMap<AttributeDef, boolean>();

/** Whether a sub-attribute is returned:never, so a kept value must still be filtered (rarely). */
function hasNeverSubAttribute(attr: AttributeDef): boolean {
  let never = neverSubAttributes.get(attr);
  if (never === undefined) {
    never = attr.subAttributes?.some((s) => s.returned === 'never') ?? false;
    neverSubAttributes.set(attr, never);
  }
  return never;
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
