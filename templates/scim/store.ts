// The persistence contract between the SCIM engine and a database adapter. The engine does all
// SCIM semantics (validation, PATCH, projection); a store only persists documents, enforces
// uniqueness in the database, applies membership deltas and compiles filters to its own SQL.

import type { EventDraft, EventLog } from './events.js';
import type { AttrPath, Filter } from './filter/ast.js';
import type { KeyValueStore } from './key-value.js';
import type { Outbox } from './outbox.js';
import type { Registry, ResourceTypeModel } from './registry.js';
import type { TenantDirectory, TenantKey } from './tenancy.js';

/** A resource's attributes in SCIM JSON form: canonical names, extensions under their URN. */
export type ScimObject = Record<string, unknown>;

/** A group member as stored; `display` is looked up from the member resource when read. */
export interface Member {
  value: string;
  /** "User" or "Group": the resource type of the member. */
  type: string;
  display?: string;
}

/**
 * A resource that lists another among its members, seen from the member: one of a user's
 * groups (RFC 7643 §4.1.2 `groups`). Read from the membership tables, never from a document.
 */
export interface MemberOf {
  /** Id of the owning resource (the group). */
  value: string;
  /** Resource type name of the owner ("Group"), from which its `$ref` is built. */
  type: string;
  /** The owner's display name, looked up when read. */
  display?: string;
}

export interface StoredResource {
  id: string;
  /**
   * Every attribute except `id`, `meta` and, for types with a membership table, `members`
   * (which lives in its own table). Includes `schemas`.
   */
  attributes: ScimObject;
  /**
   * Incremented by every change to the representation; the ETag is derived from it. That
   * includes memberships shown in it (User.groups): adding, removing or renaming a group bumps
   * its members' versions.
   */
  version: number;
  /** ISO 8601 timestamps. */
  created: string;
  lastModified: string;
  /** Present only when asked for (`withMembers`) and the type has a membership table. */
  members?: Member[];
  /**
   * Its direct memberships: the resources (of every type whose membership table accepts this
   * type) listing it as a member, owner type by owner type, each in the order the memberships
   * were made. Present only when asked for (`withGroups`) and the type shows them (User.groups);
   * read together with the resource, so they and its version describe the same moment.
   */
  groups?: MemberOf[];
}

/** What a read brings along besides the document; each costs a lookup, so only when shown. */
export interface ReadOptions {
  withMembers: boolean;
  withGroups: boolean;
}

/** Membership changes of one PATCH or PUT, applied as deltas in one transaction. */
export interface MemberChange {
  /** Remove every member first (PUT, `replace members`, `remove members` without value). */
  removeAll?: boolean;
  /** Member ids to remove. Removing a non-member is not an error. */
  remove?: string[];
  /** Member ids to add; adding an existing member is not an error. Unknown ids are a 400. */
  add?: string[];
}

export interface ListQuery extends ReadOptions {
  filter?: Filter;
  sortBy?: AttrPath;
  sortOrder: 'ascending' | 'descending';
  /** 1-based, already clamped to >= 1. */
  startIndex: number;
  /** Already capped; 0 means only totalResults is wanted. */
  count: number;
  /**
   * Present for cursor pagination (RFC 9865): the page is the `count` resources following
   * `after` in the order (sortBy, created, id), or the first ones when `after` is null, and
   * `startIndex` is ignored. A keyset, never an offset: resources inserted or deleted between
   * pages move no other resource in or out of the walk.
   */
  keyset?: { after: KeysetPosition | null };
}

/**
 * Where a keyset walk stands: the sort value (null when absent) and tie-breakers of the last
 * resource of a page, in a form the store chose and reads back. JSON values only; the engine
 * seals it in a tamper-evident cursor, so a store gets back only positions it issued.
 */
export type KeysetPosition = ReadonlyArray<string | number | boolean | null>;

export interface ListResult {
  totalResults: number;
  resources: StoredResource[];
  /** With `keyset`: the position after this page's last resource, absent when no resource follows. */
  next?: KeysetPosition;
}

export interface UpdateRequest extends ReadOptions {
  /** The new attribute document (whole); omitted when only members change. */
  attributes?: ScimObject;
  members?: MemberChange;
  /** Optimistic concurrency: fail with 412 unless the stored version is this one. */
  ifVersion?: number;
}

/** How a delete is done: `soft` keeps the document aside (DELETED_TABLE) until purged. */
export interface DeleteOptions {
  ifVersion?: number;
  /**
   * Moves the resource out of every read, filter, count and uniqueness check at once (a SCIM
   * client sees a 404 and may create the same userName again) but keeps its document until
   * purgeDeleted removes it. Memberships go as with a hard delete.
   */
  soft?: boolean;
}

/**
 * Implemented once per database adapter. Methods throw ScimError for the SCIM outcomes:
 * 404 (no such id), 409 `uniqueness` (a unique attribute is taken, decided by the database),
 * 412 (ifVersion mismatch), 400 `invalidValue` (a member id that does not exist),
 * 400 `invalidFilter` (a filter naming an unknown attribute or comparing the wrong type).
 *
 * Every method takes the tenant first and sees that tenant's rows only: uniqueness is per
 * tenant, and an id of another tenant's resource is an unknown id (404, or 400 `invalidValue`
 * as a member), exactly as an id that names nothing. The engine resolves the tenant before it
 * calls a store; a store never reads one from anywhere else.
 *
 * The outbox (events.ts): every write takes an optional `event`, the change as the engine
 * describes it. A store writes it, completed with what only it knows (its commit sequence
 * number, the resource's new version, for a create the new id, the tenant), in the SAME
 * transaction as the change: both commit or neither does. A write that fails (404, 409, 412,
 * an unknown member, a lost connection) leaves no event. A store of your own must keep that
 * promise too, or the app misses changes (nothing retries them) or hears of changes that never
 * happened; the in-memory store (database-custom/memory-store.ts) shows the smallest way.
 */
export interface ResourceStore {
  create(
    tenant: TenantKey,
    type: ResourceTypeModel,
    attributes: ScimObject,
    members: string[],
    event?: EventDraft,
  ): Promise<StoredResource>;
  get(tenant: TenantKey, type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined>;
  list(tenant: TenantKey, type: ResourceTypeModel, query: ListQuery): Promise<ListResult>;
  update(tenant: TenantKey, type: ResourceTypeModel, id: string, request: UpdateRequest, event?: EventDraft): Promise<StoredResource>;
  delete(tenant: TenantKey, type: ResourceTypeModel, id: string, options: DeleteOptions, event?: EventDraft): Promise<void>;
  /** Removes soft-deleted resources deleted before `before` (ISO 8601); returns how many. */
  purgeDeleted(before: string): Promise<number>;
  /** The committed changes (the outbox): the audit log reads it, the delivery worker fans it out. */
  readonly events: EventLog;
  /** The tenants and their credentials, in the same database. */
  readonly tenants: TenantDirectory;
  /** Server-side state that is not a SCIM resource (OAuth grants), in the same database. */
  readonly state: KeyValueStore;
  /** Delivery state of the events (outbox.ts); without it, events are never sent anywhere. */
  readonly outbox?: Outbox;
  /** Cheap liveness probe for /health; rejects with a 503 ScimError when the database is down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What a database adapter's createStore is given (src/generated/database/index.ts exports it). */
export interface StoreOptions {
  env: NodeJS.ProcessEnv;
  registry: Registry;
  logger?: { info(obj: object, msg?: string): void };
}
