// The in-memory reference ResourceStore: the whole persistence contract (../scim/store.ts) over
// plain maps, for development, tests and as the model of a store of your own. No method awaits
// anything, so each call runs to the end before another starts: atomic without locks. The data
// lives in this process only: it is gone after a restart and not shared between instances.
//
// The outbox (../scim/events.ts): a write appends its event after its last check passed and in
// the same synchronous step as the change, so the change and its event happen together or not at
// all. A store of your own must give the same promise with its database's transaction: write the
// event row in the transaction of the change, never after the commit.

import { randomUUID } from 'node:crypto';
import { badRequest, conflict, notFound, preconditionFailed } from '../scim/errors.js';
import {
  completeEvent,
  directoryEvent,
  type EventDraft,
  type EventLog,
  type EventOrigin,
  type EventQuery,
  type ProvisioningEvent,
} from '../scim/events.js';
import type { AttrPath, Filter } from '../scim/filter/ast.js';
import { matchesFilter } from '../scim/filter/evaluate.js';
import type { KeyValueStore } from '../scim/key-value.js';
import { MemoryOutbox } from './memory-outbox.js';
import { findAttribute, type Registry, type ResourceTypeModel } from '../scim/registry.js';
import type { AttributeDef } from '../scim/schema.js';
import {
  foldCase,
  groupsAttribute,
  indexedValues,
  membershipAttribute,
  membershipOwners,
  storagePlan,
  type StoragePlan,
  type TablePlan,
} from '../scim/storage.js';
import type {
  DeleteOptions,
  KeysetPosition,
  ListQuery,
  ListResult,
  Member,
  MemberOf,
  ReadOptions,
  ResourceStore,
  ScimObject,
  StoredResource,
  UpdateRequest,
} from '../scim/store.js';
import {
  checkSlug,
  DEFAULT_TENANT,
  DEFAULT_TENANT_SLUG,
  newCredentialId,
  type Credential,
  type NewCredential,
  type Tenant,
  type TenantDirectory,
  type TenantKey,
} from '../scim/tenancy.js';

interface Entry {
  id: string;
  /** Creation order: the order of a list without sortBy, and of equal sort keys. */
  order: number;
  /** Never shared with callers: copied in and out, so nobody edits the store by accident. */
  attributes: ScimObject;
  /** What the document puts in the table's indexes, kept so a rewrite can take it out again. */
  keys: IndexKey[];
  /** How members and groups show it (`members[].display`, `groups[].display`). */
  display?: string;
  version: number;
  created: string;
  lastModified: string;
  /** Member id -> membership, in the order the members were added (Map keeps insertion order). */
  members?: Map<string, Membership>;
}

interface Membership {
  /** The member's resource type name ("User", "Group"). */
  type: string;
  /** Global sequence number: a member's groups sort by it, in the order the memberships were made. */
  seq: number;
}

interface Table {
  plan: TablePlan;
  /** By id, in creation order. */
  rows: Map<string, Entry>;
  /**
   * The storage plan's columns as indexes: column -> value -> ids. Not-caseExact attributes are
   * indexed by their folded value, so `userName eq` finds "BJensen" as "bjensen" and uniqueness
   * is case-insensitive; equality filters on these attributes read the index, not every row.
   */
  index: Map<string, Map<string, Set<string>>>;
}

/** [column, value]: one entry of a table index. */
type IndexKey = [string, string];

/** A sort key: absent values are undefined and sort last in both directions. */
type SortKey = string | number | undefined;

const copy = <T>(value: T): T => structuredClone(value);
const show = (p: AttrPath) => `${p.uri ? `${p.uri}:` : ''}${p.attr}${p.sub ? `.${p.sub}` : ''}`;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sub-attributes of the computed member lists a filter may test (as the SQL stores allow). */
const FILTERABLE = { members: new Set(['value', 'type']), groups: new Set(['value', 'type', 'display']) };
/** The meta sub-attributes a store keeps; location and version are derived when rendering. */
const STORED_META = new Set(['created', 'lastModified', 'resourceType']);

/**
 * Named stores of this process (SCIM_MEMORY_STORE): every createMemoryStore with the same name
 * gets the same data, as every server on one database does. Tests use it to restart a server or
 * run the tenant CLI beside it; without a name each call starts empty.
 */
const named = new Map<string, MemoryStore>();

export function createMemoryStore(options: { registry: Registry; env?: NodeJS.ProcessEnv }): ResourceStore {
  const name = options.env?.SCIM_MEMORY_STORE?.trim();
  const existing = name ? named.get(name) : undefined;
  if (existing) return existing;
  if (!isTestRun(options.env ?? {})) {
    console.warn(
      'Warning: the in-memory store keeps every resource in this process only: they are lost on restart and not ' +
        'shared between instances. Return your own store from src/store/index.ts (docs/custom-store.md).',
    );
  }
  const store = new MemoryStore(storagePlan(options.registry));
  if (name) named.set(name, store);
  return store;
}

/** Forgets a named store (a test database's cleanup). */
export function dropMemoryStore(name: string): void {
  named.delete(name);
}

/** Tests use the in-memory store on purpose; a server anywhere else deserves the warning. */
function isTestRun(env: NodeJS.ProcessEnv): boolean {
  return env.NODE_ENV === 'test' || process.env.NODE_ENV === 'test' || Boolean(process.env.VITEST);
}

/**
 * The store: one TenantData per tenant, so no lookup of one tenant can reach another's rows,
 * and removing a tenant drops its data whole.
 */
class MemoryStore implements ResourceStore {
  readonly state: KeyValueStore = memoryKeyValue();
  readonly tenants: TenantDirectory;
  readonly events = new MemoryEventLog();
  readonly outbox = new MemoryOutbox(this.events);
  private readonly data = new Map<TenantKey, TenantData>();
  /** Soft-deleted resources (DeleteOptions.soft), kept until purgeDeleted. */
  private readonly deleted: Array<{ tenant: TenantKey; resourceType: string; id: string; deleted: string; attributes: ScimObject }> = [];

  constructor(private readonly plan: StoragePlan) {
    this.tenants = memoryTenantDirectory(
      (key) => this.data.delete(key),
      (event) => this.events.append(event),
    );
  }

  private of(tenant: TenantKey): TenantData {
    let data = this.data.get(tenant);
    if (!data) this.data.set(tenant, (data = new TenantData(this.plan)));
    return data;
  }

  async create(
    tenant: TenantKey,
    type: ResourceTypeModel,
    attributes: ScimObject,
    members: string[],
    event?: EventDraft,
  ): Promise<StoredResource> {
    const created = this.of(tenant).create(type, attributes, members);
    // Reached only when the change was made; nothing awaited in between, so nothing else ran.
    if (event) this.events.append(completeEvent(event, tenant, created.id, created.version));
    return created;
  }

  async get(tenant: TenantKey, type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined> {
    return this.of(tenant).get(type, id, options);
  }

  async list(tenant: TenantKey, type: ResourceTypeModel, query: ListQuery): Promise<ListResult> {
    return this.of(tenant).list(type, query);
  }

  async update(
    tenant: TenantKey,
    type: ResourceTypeModel,
    id: string,
    request: UpdateRequest,
    event?: EventDraft,
  ): Promise<StoredResource> {
    const updated = this.of(tenant).update(type, id, request);
    if (event) this.events.append(completeEvent(event, tenant, id, updated.version));
    return updated;
  }

  async delete(tenant: TenantKey, type: ResourceTypeModel, id: string, options: DeleteOptions, event?: EventDraft): Promise<void> {
    const attributes = this.of(tenant).delete(type, id, options);
    if (options.soft) this.deleted.push({ tenant, resourceType: type.def.name, id, deleted: new Date().toISOString(), attributes });
    if (event) this.events.append(completeEvent(event, tenant, id, null));
  }

  async purgeDeleted(before: string): Promise<number> {
    const kept = this.deleted.filter((d) => d.deleted >= before);
    const purged = this.deleted.length - kept.length;
    this.deleted.splice(0, this.deleted.length, ...kept);
    return purged;
  }

  async ping(): Promise<void> {
    // Always up: the data is in this process.
  }

  async close(): Promise<void> {
    // Nothing to release: the data goes with the process.
  }
}

/** One tenant's resources and memberships. Synchronous throughout: each call is atomic. */
class TenantData {
  private readonly tables = new Map<string, Table>();
  /** Member id -> ids of the resources listing it as a member: a member's groups without a scan. */
  private readonly ownersOf = new Map<string, Set<string>>();
  private seq = 0;
  private order = 0;

  constructor(private readonly plan: StoragePlan) {
    for (const table of plan.tables) {
      const index = new Map(table.columns.map((c) => [c.foldColumn ?? c.column, new Map<string, Set<string>>()]));
      this.tables.set(table.resourceType.toLowerCase(), { plan: table, rows: new Map(), index });
    }
  }

  create(type: ResourceTypeModel, attributes: ScimObject, members: string[]): StoredResource {
    const table = this.table(type.def.name);
    const id = randomUUID();
    const document = documentOf(table.plan, attributes);
    const { keys, display } = indexed(table.plan, document);
    // Every check before the first change, so a refused request leaves nothing behind.
    this.checkUnique(table, id, keys);
    const added = table.plan.membership ? this.memberTypes(table, members) : [];
    const now = new Date().toISOString();
    const entry: Entry = {
      id,
      order: ++this.order,
      attributes: document,
      keys,
      display,
      version: 1,
      created: now,
      lastModified: now,
    };
    if (table.plan.membership) entry.members = new Map();
    table.rows.set(id, entry);
    this.index(table, entry);
    this.touch(table, this.addMembers(entry, added));
    // Nothing can list a resource created just now among its members: no groups to read.
    return this.toResource(table, entry, { withMembers: true, withGroups: false });
  }

  get(type: ResourceTypeModel, id: string, options: ReadOptions): StoredResource | undefined {
    const table = this.table(type.def.name);
    const entry = table.rows.get(id);
    return entry && this.toResource(table, entry, options);
  }

  list(type: ResourceTypeModel, query: ListQuery): ListResult {
    const table = this.table(type.def.name);
    const sortKey = query.sortBy ? this.sortKey(type, table, query.sortBy) : undefined;
    const start = query.startIndex - 1;
    const page = (entries: Iterable<Entry>) =>
      Array.from(take(entries, start, query.count), (entry) => this.toResource(table, entry, query));
    if (!query.filter && !sortKey && !query.keyset) {
      // Creation order as it is: no copy of the whole table for one page.
      return { totalResults: table.rows.size, resources: query.count === 0 ? [] : page(table.rows.values()) };
    }
    let rows: Entry[];
    if (query.filter) {
      const filter = query.filter;
      const computed = this.computedIn(type, filter);
      // Evaluated once against nothing, so a bad filter is a 400 even when there are no rows.
      matchesFilter(filter, {}, type);
      const ids = this.candidates(type, table, filter);
      rows = ids ? this.entries(table, ids) : [...table.rows.values()];
      rows = rows.filter((entry) => matchesFilter(filter, this.filterDocument(type, table, entry, computed), type));
    } else {
      rows = [...table.rows.values()];
    }
    if (query.count === 0) return { totalResults: rows.length, resources: [] };
    if (sortKey) rows = sorted(rows, sortKey, query.sortOrder === 'descending');
    if (query.keyset) return this.keysetPage(table, rows, sortKey, query, query.keyset.after);
    return { totalResults: rows.length, resources: page(rows) };
  }

  update(type: ResourceTypeModel, id: string, request: UpdateRequest): StoredResource {
    const table = this.table(type.def.name);
    const entry = this.existing(table, id, request.ifVersion);
    const document = request.attributes && documentOf(table.plan, request.attributes);
    const change = table.plan.membership ? request.members : undefined;
    const next = document && indexed(table.plan, document);
    if (next) this.checkUnique(table, id, next.keys);
    const added = change?.add ? this.memberTypes(table, change.add) : [];

    if (document && next) {
      const displayBefore = entry.display;
      this.unindex(table, entry);
      Object.assign(entry, { attributes: document, ...next });
      this.index(table, entry);
      // A rename shows in every member's `groups[].display`.
      if (entry.members && entry.display !== displayBefore) this.touch(table, [...entry.members.keys()]);
    }
    entry.version += 1;
    entry.lastModified = new Date().toISOString();
    if (change && entry.members) {
      if (change.removeAll) this.touch(table, this.removeMembers(entry, [...entry.members.keys()]));
      this.touch(table, this.removeMembers(entry, change.remove ?? []));
      this.touch(table, this.addMembers(entry, added));
    }
    return this.toResource(table, entry, request);
  }

  /** Returns the deleted document (a soft delete keeps it). */
  delete(type: ResourceTypeModel, id: string, options: DeleteOptions): ScimObject {
    const table = this.table(type.def.name);
    const entry = this.existing(table, id, options.ifVersion);
    if (entry.members) this.touch(table, this.removeMembers(entry, [...entry.members.keys()]));
    // Out of every group that lists it; their member lists changed, so their versions do too.
    for (const ownerId of this.ownersOf.get(id) ?? []) {
      const owner = this.findEntry(ownerId);
      if (owner?.members?.delete(id)) owner.version += 1;
    }
    this.ownersOf.delete(id);
    this.unindex(table, entry);
    table.rows.delete(id);
    return entry.attributes;
  }

  // ---- rows ------------------------------------------------------------------------------

  private table(resourceType: string): Table {
    const table = this.tables.get(resourceType.toLowerCase());
    if (!table) throw new Error(`The storage plan has no table for resource type ${resourceType}`);
    return table;
  }

  /** Entries by id, in creation order; ids with no entry are skipped. */
  private entries(table: Table, ids: Iterable<string>): Entry[] {
    const found: Entry[] = [];
    for (const id of ids) {
      const entry = table.rows.get(id);
      if (entry) found.push(entry);
    }
    return found.sort((a, b) => a.order - b.order);
  }

  private findEntry(id: string): Entry | undefined {
    for (const table of this.tables.values()) {
      const entry = table.rows.get(id);
      if (entry) return entry;
    }
    return undefined;
  }

  /** The entry; 404 when absent, 412 when the caller expected another version. */
  private existing(table: Table, id: string, ifVersion: number | undefined): Entry {
    const entry = table.rows.get(id);
    if (!entry) throw notFound(`${table.plan.resourceType} ${id} not found`);
    if (ifVersion !== undefined && entry.version !== ifVersion) {
      const { resourceType } = table.plan;
      throw preconditionFailed(`${resourceType} ${id} has changed (version ${entry.version}, expected ${ifVersion})`);
    }
    return entry;
  }

  private toResource(table: Table, entry: Entry, options: ReadOptions): StoredResource {
    const resource: StoredResource = {
      id: entry.id,
      attributes: copy(entry.attributes),
      version: entry.version,
      created: entry.created,
      lastModified: entry.lastModified,
    };
    if (options.withMembers && entry.members) resource.members = this.membersOf(entry);
    const { resourceType } = table.plan;
    if (options.withGroups && table.plan.showsGroups) {
      resource.groups = this.memberships(resourceType, entry.id);
    }
    return resource;
  }

  /** Members in the order they were added, each with the display of the resource it names. */
  private membersOf(entry: Entry): Member[] {
    return [...(entry.members ?? [])].map(([value, { type }]) => {
      const display = this.table(type).rows.get(value)?.display;
      return display === undefined ? { value, type } : { value, type, display };
    });
  }

  // ---- uniqueness ------------------------------------------------------------------------

  /** 409 when another resource holds a value of a unique column the document would take. */
  private checkUnique(table: Table, id: string, keys: readonly IndexKey[]): void {
    for (const column of table.plan.columns) {
      if (!column.unique) continue;
      const name = column.foldColumn ?? column.column;
      const value = keys.find(([key]) => key === name)?.[1];
      const holders = value === undefined ? undefined : table.index.get(name)?.get(value);
      if ([...(holders ?? [])].some((holder) => holder !== id)) {
        throw conflict(`A ${table.plan.resourceType} with this ${column.attribute} already exists`);
      }
    }
  }

  private index(table: Table, entry: Entry): void {
    for (const [column, value] of entry.keys) {
      const byValue = table.index.get(column)!;
      let ids = byValue.get(value);
      if (!ids) byValue.set(value, (ids = new Set()));
      ids.add(entry.id);
    }
  }

  private unindex(table: Table, entry: Entry): void {
    for (const [column, value] of entry.keys) {
      const byValue = table.index.get(column)!;
      const ids = byValue.get(value);
      ids?.delete(entry.id);
      if (ids?.size === 0) byValue.delete(value);
    }
  }

  // ---- membership ------------------------------------------------------------------------

  /** The type of each id to add; 400 for an id that names no resource a member may be. */
  private memberTypes(table: Table, ids: readonly string[]): Array<[string, string]> {
    const membership = table.plan.membership!;
    const found: Array<[string, string]> = [];
    for (const id of new Set(ids)) {
      const type = membership.memberTypes.find((name) => typeof id === 'string' && this.table(name).rows.has(id));
      if (!type) throw badRequest('invalidValue', `Member "${String(id)}" is not a ${membership.memberTypes.join(' or ')}`);
      found.push([id, type]);
    }
    return found;
  }

  /** Adds members (idempotent); returns the ids newly added. */
  private addMembers(entry: Entry, members: ReadonlyArray<[string, string]>): string[] {
    const added: string[] = [];
    for (const [id, type] of members) {
      if (entry.members!.has(id)) continue;
      entry.members!.set(id, { type, seq: ++this.seq });
      let owners = this.ownersOf.get(id);
      if (!owners) this.ownersOf.set(id, (owners = new Set()));
      owners.add(entry.id);
      added.push(id);
    }
    return added;
  }

  /**
   * The resources listing this one as a member of type `memberType`: owner types in the storage
   * plan's order, then in the order the memberships were made.
   */
  private memberships(memberType: string, id: string): MemberOf[] {
    const wanted = memberType.toLowerCase();
    const found: Array<{ memberOf: MemberOf; rank: number; seq: number }> = [];
    const owners = membershipOwners(this.plan, memberType).map((plan) => this.table(plan.resourceType));
    for (const ownerId of this.ownersOf.get(id) ?? []) {
      owners.forEach((owner, rank) => {
        const entry = owner.rows.get(ownerId);
        const membership = entry?.members?.get(id);
        if (!entry || !membership || membership.type.toLowerCase() !== wanted) return;
        const { display } = entry;
        const memberOf = { value: entry.id, type: owner.plan.resourceType, ...(display !== undefined ? { display } : {}) };
        found.push({ memberOf, rank, seq: membership.seq });
      });
    }
    return found.sort((a, b) => a.rank - b.rank || a.seq - b.seq).map((f) => f.memberOf);
  }

  /** Removes members (removing a non-member is no error); returns the ids that were members. */
  private removeMembers(entry: Entry, ids: readonly string[]): string[] {
    const removed = ids.filter((id) => entry.members!.delete(id));
    for (const id of removed) this.ownersOf.get(id)?.delete(entry.id);
    return removed;
  }

  /**
   * A member's representation may list its groups (User.groups), so its version (its ETag)
   * changes when they do: bumps the members given whose type shows its groups.
   */
  private touch(owner: Table, memberIds: readonly string[]): void {
    for (const typeName of owner.plan.membership?.memberTypes ?? []) {
      const members = this.table(typeName);
      if (!members.plan.showsGroups) continue;
      for (const id of memberIds) {
        const member = members.rows.get(id);
        if (member) member.version += 1;
      }
    }
  }

  // ---- filtering and sorting -------------------------------------------------------------

  /**
   * Which computed attributes the filter reads (so documents carry them only when needed), and
   * a 400 for what a store cannot answer: `$ref`s and `meta.location`/`meta.version` are derived
   * from the request's URL when rendering, so no store keeps them.
   */
  private computedIn(type: ResourceTypeModel, filter: Filter): { members: boolean; groups: boolean } {
    const members = membershipAttribute(type);
    const groups = groupsAttribute(type);
    const seen = { members: false, groups: false };
    const refuse = (path: string): never => {
      throw badRequest('invalidFilter', `Invalid filter: ${path} cannot be filtered on`);
    };
    const check = (path: AttrPath, inner?: Filter) => {
      const found = type.resolve(path);
      if (!found || found.extension) return; // unknown attributes: the evaluator's 400
      if (found.attr.name === 'meta' && !found.schema && found.sub && !STORED_META.has(found.sub.name)) refuse(show(path));
      const which = found.attr === members ? 'members' : found.attr === groups ? 'groups' : undefined;
      if (!which) return;
      seen[which] = true;
      const subs = inner ? pathsOf(inner).map((p) => p.attr) : found.sub ? [found.sub.name] : [];
      for (const sub of subs) {
        const def = findAttribute(found.attr.subAttributes, sub);
        if (def && !FILTERABLE[which].has(def.name)) refuse(`${found.attr.name}.${def.name}`);
      }
    };
    const walk = (f: Filter): void => {
      if ('left' in f) {
        walk(f.left);
        walk(f.right);
      } else if (f.kind === 'not') walk(f.filter);
      else if (f.kind === 'valuePath') check(f.path, f.filter);
      else check(f.path);
    };
    walk(filter);
    return seen;
  }

  /**
   * The ids that can match, read from the indexes when the filter pins `id` or an indexed
   * attribute with `eq` (`userName eq "..."`, as identity providers look users up); undefined
   * means every row must be tested. A superset is fine: the whole filter is evaluated on them.
   */
  private candidates(type: ResourceTypeModel, table: Table, filter: Filter): Set<string> | undefined {
    if (filter.kind === 'and') {
      const [left, right] = [this.candidates(type, table, filter.left), this.candidates(type, table, filter.right)];
      return left && right ? (left.size <= right.size ? left : right) : (left ?? right);
    }
    if (filter.kind === 'or') {
      const [left, right] = [this.candidates(type, table, filter.left), this.candidates(type, table, filter.right)];
      return left && right ? new Set([...left, ...right]) : undefined;
    }
    if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
    const found = type.resolve(filter.path);
    if (!found || found.sub) return undefined;
    if (!found.schema && !found.extension && found.attr.name === 'id') return new Set([filter.value]);
    const column = table.plan.columns.find(
      (c) => c.attribute === found.attr.name && c.extension === (found.extension ? found.schema : undefined),
    );
    if (!column) return undefined;
    const value = column.foldColumn ? foldCase(filter.value) : filter.value;
    return table.index.get(column.foldColumn ?? column.column)?.get(value) ?? new Set();
  }

  /** The resource as a filter sees it: its document plus id, meta and, if asked, members and groups. */
  private filterDocument(
    type: ResourceTypeModel,
    table: Table,
    entry: Entry,
    computed: { members: boolean; groups: boolean },
  ): ScimObject {
    const document: ScimObject = {
      ...entry.attributes,
      id: entry.id,
      meta: { resourceType: table.plan.resourceType, created: entry.created, lastModified: entry.lastModified },
    };
    if (computed.members && table.plan.membership) document[table.plan.membership.attribute] = this.membersOf(entry);
    if (computed.groups) {
      // Memberships are direct only (nested groups are not expanded), as the representation says.
      const groups = this.memberships(type.def.name, entry.id).map((g) => ({ ...g, type: 'direct' }));
      document[groupsAttribute(type)!.name] = groups;
    }
    return document;
  }

  /**
   * The value a resource sorts by (RFC 7644 §3.4.2.3): multi-valued attributes by their primary
   * element, else the first; text folded unless caseExact. 400 invalidValue for what cannot sort.
   */
  /**
   * The page after `after` in rows in walk order (rows come in creation order, and `sorted` is
   * stable): sort key, then creation order. The
   * position is [sort key or null, creation order], so a row deleted meanwhile moves nothing.
   */
  private keysetPage(table: Table, rows: Entry[], sortKey: ((entry: Entry) => SortKey) | undefined, query: ListQuery, after: KeysetPosition | null): ListResult {
    const descending = query.sortOrder === 'descending';
    let start = 0;
    if (after) {
      const key = after[0] === null ? undefined : (after[0] as SortKey);
      const order = Number(after[1]);
      start = rows.findIndex((entry) => {
        const byKey = sortKey ? compareKeys(sortKey(entry), key, descending) : 0;
        return byKey > 0 || (byKey === 0 && entry.order > order);
      });
      if (start < 0) start = rows.length;
    }
    const chosen = rows.slice(start, start + query.count);
    const last = chosen[chosen.length - 1];
    const more = last !== undefined && start + chosen.length < rows.length;
    return {
      totalResults: rows.length,
      resources: chosen.map((entry) => this.toResource(table, entry, query)),
      ...(more ? { next: [sortKey ? (sortKey(last) ?? null) : null, last.order] } : {}),
    };
  }

  private sortKey(type: ResourceTypeModel, table: Table, sortBy: AttrPath): (entry: Entry) => SortKey {
    const invalid = (detail: string) => badRequest('invalidValue', detail);
    const found = type.resolve(sortBy);
    if (!found) throw invalid(`sortBy names an unknown attribute: ${show(sortBy)}`);
    const { attr, sub } = found;
    if (attr === membershipAttribute(type) || attr === groupsAttribute(type)) {
      throw invalid(`Cannot sort by ${show(sortBy)}`);
    }
    if (!found.schema && !found.extension && (attr.name === 'id' || attr.name === 'meta')) {
      if (attr.name === 'id') return (entry) => entry.id;
      if (sub?.name === 'created') return (entry) => entry.created;
      if (sub?.name === 'lastModified') return (entry) => entry.lastModified;
      if (sub?.name === 'resourceType') return () => table.plan.resourceType;
      throw invalid(`Cannot sort by ${show(sortBy)}`);
    }
    const holder = (entry: Entry) => (found.extension && found.schema ? entry.attributes[found.schema] : entry.attributes);
    if (attr.multiValued) {
      if (attr.type !== 'complex') return (entry) => keyOf(attr, elementsOf(holder(entry), attr)[0]);
      const field = sub ?? findAttribute(attr.subAttributes, 'value');
      if (!field) throw invalid(`Cannot sort by complex ${show(sortBy)}`);
      return (entry) => {
        const elements = elementsOf(holder(entry), attr).filter(isRecord);
        const primary = elements.find((e) => e.primary === true)?.[field.name];
        return keyOf(field, primary ?? elements[0]?.[field.name]);
      };
    }
    if (attr.type === 'complex' && !sub) throw invalid(`Cannot sort by complex ${show(sortBy)}`);
    return (entry) => {
      const value = valueAt(holder(entry), attr.name);
      return keyOf(sub ?? attr, sub ? valueAt(value, sub.name) : value);
    };
  }
}

/** What a document puts in its table's indexes (storage.ts's columns), and its display value. */
function indexed(plan: TablePlan, document: ScimObject): { keys: IndexKey[]; display?: string } {
  const values = indexedValues(plan, document);
  const keys: IndexKey[] = [];
  for (const column of plan.columns) {
    const name = column.foldColumn ?? column.column;
    const value = values[name];
    if (typeof value === 'string') keys.push([name, value]);
  }
  // The first non-empty of the preferred display columns (displayName, then userName).
  const display = plan.displayColumns.map((c) => values[c]).find((v): v is string => typeof v === 'string' && v !== '');
  return { keys, display };
}

/** The document a resource keeps: its attributes minus members, which the store holds apart. */
function documentOf(table: TablePlan, attributes: ScimObject): ScimObject {
  const document = copy(attributes);
  if (table.membership) delete document[table.membership.attribute];
  return document;
}

/** The attribute paths a filter names (inside brackets: sub-attributes of the bracketed one). */
function pathsOf(filter: Filter): AttrPath[] {
  if ('left' in filter) return [...pathsOf(filter.left), ...pathsOf(filter.right)];
  if (filter.kind === 'not') return pathsOf(filter.filter);
  return [filter.path];
}

const valueAt = (holder: unknown, name: string): unknown => (isRecord(holder) ? holder[name] : undefined);

function elementsOf(holder: unknown, attr: AttributeDef): unknown[] {
  const value = valueAt(holder, attr.name);
  return Array.isArray(value) ? value : [];
}

/** A comparable key for a stored value of this attribute; undefined when absent or unreadable. */
function keyOf(attr: AttributeDef, value: unknown): SortKey {
  if (value === undefined || value === null) return undefined;
  switch (attr.type) {
    case 'boolean':
      return typeof value === 'boolean' ? Number(value) : undefined;
    case 'integer':
    case 'decimal':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'dateTime': {
      const time = typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isNaN(time) ? undefined : time;
    }
    case 'complex':
      return undefined;
    default:
      if (typeof value !== 'string') return undefined;
      return attr.caseExact ? value : value.toLowerCase();
  }
}

/** Up to `count` items of `items` after skipping `skip`. */
function* take<T>(items: Iterable<T>, skip: number, count: number): Generator<T> {
  if (count <= 0) return;
  let index = 0;
  for (const item of items) {
    if (index++ < skip) continue;
    yield item;
    if (index - skip >= count) return;
  }
}

/**
 * Stable, so resources with equal keys stay in creation order: pages never overlap. Absent
 * values come last when ascending and first when descending (RFC 7644 §3.4.2.3).
 */
function sorted(rows: Entry[], key: (entry: Entry) => SortKey, descending: boolean): Entry[] {
  const keyed = rows.map((entry) => ({ entry, key: key(entry) }));
  keyed.sort((a, b) => compareKeys(a.key, b.key, descending));
  return keyed.map((k) => k.entry);
}

/** Sort order of two keys: absent last when ascending, first when descending (RFC 7644 §3.4.2.3). */
function compareKeys(a: SortKey, b: SortKey, descending: boolean): number {
  if (a === undefined || b === undefined) {
    const absentLast = (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0);
    return descending ? -absentLast : absentLast;
  }
  const order = a < b ? -1 : a > b ? 1 : 0;
  return descending ? -order : order;
}

/**
 * KeyValueStore in a Map. take() reads and deletes in one synchronous step, so of two
 * concurrent takes exactly one gets the value. Expired entries read as absent.
 */
export function memoryKeyValue(): KeyValueStore {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    return entry && entry.expiresAt > Date.now() ? entry : undefined;
  };
  return {
    async get(key) {
      return live(key)?.value;
    },
    async set(key, value, expiresAt) {
      entries.set(key, { value, expiresAt: expiresAt.getTime() });
    },
    async take(key) {
      const entry = live(key);
      entries.delete(key);
      return entry?.value;
    },
    async delete(key) {
      entries.delete(key);
    },
    async purgeExpired() {
      const now = Date.now();
      let purged = 0;
      for (const [key, entry] of entries) {
        if (entry.expiresAt <= now && entries.delete(key)) purged += 1;
      }
      return purged;
    },
  };
}

/**
 * TenantDirectory in maps, for the memory store and for custom stores that keep tenants in this
 * process. `onRemove` drops a removed tenant's resources. Tenant 1 (`default`) exists from the
 * start, as the first migration of a SQL database creates it.
 */
export function memoryTenantDirectory(
  onRemove: (key: TenantKey) => void = () => undefined,
  /** Records a tenant or credential change's event, in the same synchronous step as the change. */
  onEvent: (event: Omit<ProvisioningEvent, 'seq'>) => void = () => undefined,
): TenantDirectory {
  const tenants = new Map<TenantKey, Tenant>();
  const credentials = new Map<string, { credential: Credential; secretHash: string }>();
  const byHash = new Map<string, string>();
  let lastKey = DEFAULT_TENANT;
  tenants.set(DEFAULT_TENANT, {
    key: DEFAULT_TENANT,
    slug: DEFAULT_TENANT_SLUG,
    name: DEFAULT_TENANT_SLUG,
    idp: 'other',
    disabled: false,
    created: new Date().toISOString(),
  });
  const bySlug = (slug: string) => [...tenants.values()].find((t) => t.slug === slug);
  const known = (key: TenantKey) => {
    const tenant = tenants.get(key);
    if (!tenant) throw notFound(`Tenant ${key} not found`);
    return tenant;
  };
  return {
    async createTenant({ slug, name, idp }, origin?: EventOrigin) {
      checkSlug(slug);
      if (bySlug(slug)) throw conflict(`A tenant with the slug ${slug} already exists`);
      const tenant: Tenant = { key: ++lastKey, slug, name: name || slug, idp, disabled: false, created: new Date().toISOString() };
      tenants.set(tenant.key, tenant);
      onEvent(directoryEvent('tenant.create', tenant.key, String(tenant.key), ['slug', 'name', 'idp'], origin));
      return { ...tenant };
    },
    async findTenant(slug) {
      const tenant = bySlug(slug);
      return tenant && { ...tenant };
    },
    async getTenant(key) {
      const tenant = tenants.get(key);
      return tenant && { ...tenant };
    },
    async listTenants() {
      return [...tenants.values()].sort((a, b) => a.key - b.key).map((t) => ({ ...t }));
    },
    async updateTenant(key, change, origin?: EventOrigin) {
      const tenant = known(key);
      if (change.slug !== undefined && change.slug !== tenant.slug) {
        checkSlug(change.slug);
        if (bySlug(change.slug)) throw conflict(`A tenant with the slug ${change.slug} already exists`);
      }
      for (const field of ['disabled', 'name', 'slug', 'idp'] as const) {
        if (change[field] !== undefined) Object.assign(tenant, { [field]: change[field] });
      }
      const changed = Object.keys(change).filter((k) => change[k as keyof typeof change] !== undefined);
      onEvent(directoryEvent('tenant.update', key, String(key), changed, origin));
      return { ...tenant };
    },
    async removeTenant(key, origin?: EventOrigin) {
      known(key);
      tenants.delete(key);
      for (const [id, { credential, secretHash }] of credentials) {
        if (credential.tenant !== key) continue;
        credentials.delete(id);
        byHash.delete(secretHash);
      }
      onRemove(key);
      onEvent(directoryEvent('tenant.remove', key, String(key), [], origin));
    },
    async addCredential(input: NewCredential, origin?: EventOrigin) {
      known(input.tenant);
      if (byHash.has(input.secretHash)) throw conflict('A credential with this secret already exists');
      const credential: Credential = {
        id: newCredentialId(),
        tenant: input.tenant,
        kind: input.kind,
        label: input.label,
        ...(input.principal !== undefined ? { principal: input.principal } : {}),
        created: new Date().toISOString(),
        ...(input.expires !== undefined ? { expires: input.expires } : {}),
      };
      credentials.set(credential.id, { credential, secretHash: input.secretHash });
      byHash.set(input.secretHash, credential.id);
      const named = ['kind', 'label', ...(input.principal !== undefined ? ['principal'] : []), ...(input.expires !== undefined ? ['expires'] : [])];
      onEvent(directoryEvent('credential.create', input.tenant, credential.id, named, origin));
      return { ...credential };
    },
    async findCredential(secretHash) {
      const id = byHash.get(secretHash);
      const found = id === undefined ? undefined : credentials.get(id);
      const tenant = found && tenants.get(found.credential.tenant);
      return found && tenant ? { credential: { ...found.credential }, tenant: { ...tenant } } : undefined;
    },
    async listCredentials(tenant) {
      return [...credentials.values()]
        .filter(({ credential }) => credential.tenant === tenant)
        .map(({ credential }) => ({ ...credential }));
    },
    async revokeCredential(tenant, id, origin?: EventOrigin) {
      const found = credentials.get(id);
      if (!found || found.credential.tenant !== tenant) return false;
      // Revoking twice changes nothing, so it is no second event.
      if (found.credential.revoked !== undefined) return true;
      found.credential.revoked = new Date().toISOString();
      onEvent(directoryEvent('credential.revoke', tenant, id, ['revoked'], origin));
      return true;
    },
    async touchCredential(id, at) {
      const found = credentials.get(id);
      if (found) found.credential.lastUsed = at.toISOString();
    },
  };
}

/**
 * The outbox in memory: events in commit order. `seq` is assigned on append, which every write
 * does in the synchronous step of its change. Nothing is delivered from here across processes.
 */
export class MemoryEventLog implements EventLog {
  private readonly rows: ProvisioningEvent[] = [];
  private seq = 0;

  append(event: Omit<ProvisioningEvent, 'seq'>): void {
    this.rows.push(copy({ ...event, seq: ++this.seq }));
  }

  /** Events after sequence number `seq`, oldest first (what the outbox fans out). */
  after(seq: number, limit: number): ProvisioningEvent[] {
    // Rows are in sequence order; pruning only removes the oldest.
    const start = this.rows.findIndex((e) => e.seq > seq);
    return start < 0 ? [] : this.rows.slice(start, start + limit).map(copy);
  }

  byId(id: string): ProvisioningEvent | undefined {
    const found = this.rows.find((e) => e.id === id);
    return found && copy(found);
  }

  async list(query: EventQuery): Promise<ProvisioningEvent[]> {
    const found: ProvisioningEvent[] = [];
    for (let i = this.rows.length - 1; i >= 0 && found.length < query.limit; i--) {
      const e = this.rows[i]!;
      if (query.tenant !== undefined && e.tenant !== query.tenant) continue;
      if (query.resourceId !== undefined && e.resourceId !== query.resourceId) continue;
      if (query.actor !== undefined && e.actor.credentialId !== query.actor) continue;
      if (query.since !== undefined && e.time < query.since) continue;
      if (query.before !== undefined && e.seq >= query.before) continue;
      found.push(copy(e));
    }
    return found;
  }

  async get(id: string): Promise<ProvisioningEvent | undefined> {
    const found = this.rows.find((e) => e.id === id);
    return found && copy(found);
  }

  /** No deliveries are kept in memory: every old event is settled. */
  async prune(before: string): Promise<number> {
    const kept = this.rows.filter((e) => e.time >= before);
    const pruned = this.rows.length - kept.length;
    this.rows.splice(0, this.rows.length, ...kept);
    return pruned;
  }
}
