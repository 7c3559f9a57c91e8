// The storage plan: which tables and columns hold each resource type, derived from the registry
// alone. The runtime store and the generator's migration emitter both read it, so the columns
// a query uses are exactly the columns a migration created. Database-neutral: adapters decide
// how to spell the plan in their SQL.

import type { AttributeDef } from './schema.js';
import { findAttribute, type Registry, type ResourceTypeModel } from './registry.js';
import type { ScimObject } from './store.js';
import type { EventKind, EventMembers, ProvisioningEvent } from './events.js';
import type { Credential, IdentityProvider, Tenant } from './tenancy.js';

/** A single-valued string attribute copied out of the document into its own column. */
export interface IndexedColumn {
  /** Canonical attribute name ("userName"). */
  attribute: string;
  /** URN of the extension that defines it; undefined for core and common attributes. */
  extension?: string;
  /** Holds the value as stored (case preserved): what sorting by a caseExact attribute uses. */
  column: string;
  /**
   * For caseExact:false attributes: holds foldCase(value). Equality, ordering and uniqueness
   * use it, so the database enforces case-insensitive uniqueness with an ordinary index while
   * the document and `column` keep the case the client sent.
   */
  foldColumn?: string;
  unique: boolean;
}

export interface MembershipPlan {
  /** The multi-valued complex attribute it stores ("members"). */
  attribute: string;
  table: string;
  /** Resource type names a member may have ("User", "Group"). */
  memberTypes: string[];
}

/**
 * Values inside a core multi-valued complex attribute that identity providers filter on
 * (`emails.value`). They stay in the document and are indexed case-folded: PostgreSQL with a GIN
 * index into the JSON, MySQL/MariaDB in a side table the store keeps in step (no portable
 * multi-valued index there); the store narrows such filters through that index.
 */
export interface ElementIndex {
  /** The multi-valued complex attribute ("emails"). */
  attribute: string;
  /** Its sub-attribute whose values are indexed ("value"). */
  sub: string;
}

export interface TablePlan {
  /** Resource type name ("User"). */
  resourceType: string;
  table: string;
  columns: IndexedColumn[];
  /** Element values worth an index in the document (emails.value), where the database can. */
  elementIndexes: ElementIndex[];
  /** Columns (in order of preference) whose first non-empty value is a member's `display`. */
  displayColumns: string[];
  membership?: MembershipPlan;
  /**
   * The type's representation lists its memberships (User.groups). SQLite keeps them, as JSON,
   * in the member's own row (GROUPS_COLUMN); the other databases read them from the membership
   * tables with the row.
   */
  showsGroups?: true;
}

export interface StoragePlan {
  tables: TablePlan[];
  /**
   * Every table carries the tenant (TENANT_COLUMN), its indexes lead with it, and the tenants
   * and credentials tables exist. Absent from plans recorded before tenancy: their databases
   * get a migration that adds all of it, every existing row in tenant 1.
   */
  tenants?: true;
  /**
   * The outbox and soft-delete tables exist (EVENTS_TABLE, EVENT_DELIVERIES_TABLE,
   * DELETED_TABLE). Absent from plans recorded before events: their databases get a migration
   * that creates them.
   */
  events?: true;
  /**
   * PostgreSQL and MySQL/MariaDB keep each table's row count per tenant in COUNTS_TABLE
   * (database-sql/counts.ts). Absent from plans recorded before: their databases get a
   * migration that creates it and counts the rows once.
   */
  counts?: true;
}

/**
 * The tenant column of every resource, membership and element table (tenancy.ts TenantKey).
 * Every index leads with it and every statement has `tenant = ?`.
 */
export const TENANT_COLUMN = 'tenant';

/** The tables of tenancy.ts's TenantDirectory, in every SQL database. */
export const TENANTS_TABLE = 'tenants';
export const CREDENTIALS_TABLE = 'credentials';

/** A row of TENANTS_TABLE as a SQL driver reads it (integers and booleans may come back as strings). */
export interface TenantRow {
  id: number | string;
  slug: string;
  name: string;
  idp: IdentityProvider;
  disabled: boolean | number | string;
  created: string;
}

/** A row of CREDENTIALS_TABLE; the secret is not in it, only its hash, which is never read back. */
export interface CredentialRow {
  id: string;
  tenant: number | string;
  kind: Credential['kind'];
  label: string;
  principal: string | null;
  created: string;
  expires: string | null;
  last_used: string | null;
  revoked: string | null;
}

export const tenantFromRow = (row: TenantRow): Tenant => ({
  key: Number(row.id),
  slug: row.slug,
  name: row.name,
  idp: row.idp,
  disabled: Boolean(Number(row.disabled)),
  created: row.created,
});

export function credentialFromRow(row: CredentialRow): Credential {
  const credential: Credential = {
    id: row.id,
    tenant: Number(row.tenant),
    kind: row.kind,
    label: row.label,
    created: row.created,
  };
  if (row.principal !== null) credential.principal = row.principal;
  if (row.expires !== null) credential.expires = row.expires;
  if (row.last_used !== null) credential.lastUsed = row.last_used;
  if (row.revoked !== null) credential.revoked = row.revoked;
  return credential;
}

/**
 * The outbox (events.ts): one row per committed change, written in the change's transaction.
 * Columns: seq (auto-increment, commit order per resource), id (UUID), tenant, time (ISO 8601
 * text, as every timestamp of these tables), resource_type, resource_id, kind, attributes (JSON
 * array of names), version, members (JSON EventMembers or NULL), request_id, actor_credential,
 * actor_via, dispatched (0, then 1 once the delivery worker has fanned the event out).
 */
export const EVENTS_TABLE = 'events';
/**
 * One row per (destination, event): destination, event_seq, tenant, resource_id, status
 * ('pending' | 'delivered' | 'dead'), attempts, next_attempt (epoch ms), claimed_until (epoch ms
 * or NULL), last_error, delivered_at (epoch ms or NULL). Written by the delivery worker.
 */
export const EVENT_DELIVERIES_TABLE = 'event_deliveries';
/**
 * Soft-deleted resources (SCIM_DELETE=soft): the document moved out of its table, so every read,
 * filter, count and unique index of the table never sees it, kept until purged after the
 * retention period. Columns: tenant, resource_type, id, version, created, deleted, document.
 */
export const DELETED_TABLE = 'deleted_resources';

/** A row of EVENTS_TABLE as a SQL driver reads it (numbers may come back as strings, JSON as text or parsed). */
export interface EventRow {
  seq: number | string;
  id: string;
  tenant: number | string;
  time: unknown;
  resource_type: string;
  resource_id: string;
  kind: string;
  attributes: unknown;
  version: number | string | null;
  members: unknown;
  request_id: string;
  actor_credential: string | null;
  actor_via: string;
}

/** The columns of EVENTS_TABLE a store writes, in this order (seq and dispatched have defaults). */
export const EVENT_COLUMNS = [
  'id',
  TENANT_COLUMN,
  'time',
  'resource_type',
  'resource_id',
  'kind',
  'attributes',
  'version',
  'members',
  'request_id',
  'actor_credential',
  'actor_via',
] as const;

/** The values of EVENT_COLUMNS for an event, in their order. */
export function eventValues(event: Omit<ProvisioningEvent, 'seq'>): unknown[] {
  return [
    event.id,
    event.tenant,
    event.time,
    event.resourceType,
    event.resourceId,
    event.kind,
    JSON.stringify(event.attributes),
    event.version,
    event.members ? JSON.stringify(event.members) : null,
    event.requestId,
    event.actor.credentialId,
    event.actor.via,
  ];
}

const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

export function eventFromRow(row: EventRow): ProvisioningEvent {
  const event: ProvisioningEvent = {
    id: row.id,
    seq: Number(row.seq),
    tenant: Number(row.tenant),
    time: row.time instanceof Date ? row.time.toISOString() : String(row.time),
    resourceType: row.resource_type,
    resourceId: row.resource_id,
    kind: row.kind as EventKind,
    attributes: (parsed(row.attributes) ?? []) as string[],
    version: row.version === null ? null : Number(row.version),
    requestId: row.request_id,
    actor: { credentialId: row.actor_credential, via: row.actor_via as ProvisioningEvent['actor']['via'] },
  };
  if (row.members !== null && row.members !== undefined) event.members = parsed(row.members) as EventMembers;
  return event;
}

/**
 * Columns every resource table has. Attribute columns never take these names.
 * `document` holds StoredResource.attributes as JSON (members excluded).
 */
export const BASE_COLUMNS = ['id', 'version', 'created', 'last_modified', 'document'] as const;

/**
 * SQLite's copy of a member's `groups` (MemberOf[] as JSON) in its own row, so that reading a
 * user is one row lookup. Reserved in every table, so an attribute column never takes it.
 */
export const GROUPS_COLUMN = 'member_of';

/** The key-value table (key-value.ts) every database has: key, value, expires_at (epoch ms). */
export const STATE_TABLE = 'scim_state';

/** Row counts per tenant and resource table, for unfiltered totalResults (StoragePlan.counts). */
export const COUNTS_TABLE = 'scim_counts';

/** Membership table columns: the owning resource, the member id and the member's type. */
export const MEMBERSHIP_COLUMNS = { owner: 'owner_id', member: 'member_id', type: 'member_type' } as const;

/**
 * Case folding shared by key columns and filter parameters. Done in the application, not in
 * SQL, so every database folds Unicode exactly the way the engine's in-memory code does.
 */
export const foldCase = (s: string): string => s.toLowerCase();

/** Attributes identity providers filter on (Okta and Entra: userName, externalId, displayName). */
const FILTERED_BY_IDPS = ['userName', 'externalId', 'displayName'];
/** Multi-valued values identity providers filter on (`emails[type eq "work"].value eq "x"`). */
const ELEMENTS_FILTERED_BY_IDPS: ReadonlyArray<[attribute: string, sub: string]> = [['emails', 'value']];
/** Preferred sources of a member's display name. */
const DISPLAY_SOURCES = ['displayName', 'userName'];

const IDENTIFIER = /^[a-z][a-z0-9_]*$/;

/** "displayName" -> "display_name", "/EnterpriseUsers" -> "enterprise_users". */
export function snakeCase(name: string): string {
  const snake = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  if (!IDENTIFIER.test(snake)) throw new Error(`Cannot derive an SQL name from "${name}"`);
  return snake;
}

const isIndexable = (a: AttributeDef) =>
  !a.multiValued && (a.type === 'string' || a.type === 'reference');

function indexedColumns(type: ResourceTypeModel): IndexedColumn[] {
  const wanted: Array<{ attr: AttributeDef; extension?: string; schemaName: string }> = [];
  const seen = new Set<AttributeDef>();
  const want = (attr: AttributeDef, schemaName: string, extension?: string) => {
    if (seen.has(attr) || !isIndexable(attr) || attr.name === 'id') return;
    seen.add(attr);
    wanted.push({ attr, extension, schemaName });
  };
  for (const name of FILTERED_BY_IDPS) {
    const found = type.resolve({ attr: name });
    if (found && !found.extension) want(found.attr, type.core.name);
  }
  // Anything a schema declares unique gets a column too, so the database can enforce it.
  for (const attr of type.core.attributes) if (attr.uniqueness !== 'none') want(attr, type.core.name);
  for (const { schema } of type.extensions) {
    for (const attr of schema.attributes) {
      if (attr.uniqueness !== 'none') want(attr, schema.name, schema.id);
    }
  }

  const taken = new Set<string>([...BASE_COLUMNS, TENANT_COLUMN, GROUPS_COLUMN]);
  const claim = (candidates: string[]) => {
    const name = candidates.find((c) => !taken.has(c) && !taken.has(`${c}_fold`));
    if (!name) throw new Error(`No free column name among ${candidates.join(', ')}`);
    taken.add(name);
    return name;
  };
  return wanted.map(({ attr, extension, schemaName }) => {
    const column = claim([snakeCase(attr.name), `${snakeCase(schemaName)}_${snakeCase(attr.name)}`]);
    const foldColumn = attr.caseExact ? undefined : `${column}_fold`;
    if (foldColumn) taken.add(foldColumn);
    return {
      attribute: attr.name,
      ...(extension ? { extension } : {}),
      column,
      ...(foldColumn ? { foldColumn } : {}),
      unique: attr.uniqueness !== 'none',
    };
  });
}

function elementIndexes(type: ResourceTypeModel): ElementIndex[] {
  return ELEMENTS_FILTERED_BY_IDPS.flatMap(([name, subName]) => {
    const attr = findAttribute(type.core.attributes, name);
    const sub = attr?.multiValued && attr.type === 'complex' ? findAttribute(attr.subAttributes, subName) : undefined;
    return attr && sub && !sub.multiValued ? [{ attribute: attr.name, sub: sub.name }] : [];
  });
}

/**
 * The attribute a type keeps in a membership table instead of its document: a multi-valued
 * complex `members` with a `value` sub-attribute (Group). The engine and every store agree on it.
 */
export function membershipAttribute(type: ResourceTypeModel): AttributeDef | undefined {
  const members = findAttribute(type.core.attributes, 'members');
  if (!members || !members.multiValued || members.type !== 'complex') return undefined;
  return findAttribute(members.subAttributes, 'value') ? members : undefined;
}

/**
 * The attribute through which a type shows the memberships others hold of it: a readOnly,
 * multi-valued complex `groups` (User, RFC 7643 §4.1.2). It is computed from the membership
 * tables of its owners (membershipOwners) and never stored in the type's document.
 */
export function groupsAttribute(type: ResourceTypeModel): AttributeDef | undefined {
  const groups = findAttribute(type.core.attributes, 'groups');
  if (!groups || !groups.multiValued || groups.type !== 'complex' || groups.mutability !== 'readOnly') {
    return undefined;
  }
  return groups;
}

/** The tables whose membership may list resources of `memberType` ("Group" for "User"). */
export function membershipOwners(plan: StoragePlan, memberType: string): TablePlan[] {
  const wanted = memberType.toLowerCase();
  return plan.tables.filter((t) => t.membership?.memberTypes.some((n) => n.toLowerCase() === wanted));
}

function membership(
  type: ResourceTypeModel,
  registry: Registry,
): MembershipPlan | undefined {
  const members = membershipAttribute(type);
  if (!members) return undefined;
  const sub = (name: string) => findAttribute(members.subAttributes, name);
  const value = sub('value')!;
  const named = new Set(
    [...(value.referenceTypes ?? []), ...(sub('type')?.canonicalValues ?? [])].map((n) => n.toLowerCase()),
  );
  const all = registry.resourceTypes.map((t) => t.def.name);
  const memberTypes = all.filter((n) => named.has(n.toLowerCase()));
  return {
    attribute: members.name,
    table: `${snakeCase(type.def.name)}_${snakeCase(members.name)}`,
    memberTypes: memberTypes.length > 0 ? memberTypes : all,
  };
}

export function storagePlan(registry: Registry): StoragePlan {
  const tables = registry.resourceTypes.map((type): TablePlan => {
    const columns = indexedColumns(type);
    const displayColumns = DISPLAY_SOURCES.flatMap((name) => {
      const col = columns.find((c) => !c.extension && c.attribute === name);
      return col ? [col.column] : [];
    });
    const members = membership(type, registry);
    return {
      resourceType: type.def.name,
      table: snakeCase(type.def.endpoint),
      columns,
      elementIndexes: elementIndexes(type),
      displayColumns,
      ...(members ? { membership: members } : {}),
      ...(groupsAttribute(type) ? { showsGroups: true as const } : {}),
    };
  });
  const names = tables.flatMap((t) => [t.table, ...(t.membership ? [t.membership.table] : [])]);
  const clash = names.find((n, i) => names.indexOf(n) !== i);
  if (clash) throw new Error(`Two resource types would share the table "${clash}"`);
  const own = [TENANTS_TABLE, CREDENTIALS_TABLE, STATE_TABLE, EVENTS_TABLE, EVENT_DELIVERIES_TABLE, DELETED_TABLE, COUNTS_TABLE];
  const reserved = names.find((n) => own.includes(n));
  if (reserved) throw new Error(`The table "${reserved}" is the server's own: give the resource type another endpoint`);
  return { tables, tenants: true, events: true, counts: true };
}

/** The table plan of a resource type; a missing one is a wiring bug, not a client error. */
export function tableFor(plan: StoragePlan, resourceType: string): TablePlan {
  const table = plan.tables.find((t) => t.resourceType.toLowerCase() === resourceType.toLowerCase());
  if (!table) throw new Error(`The storage plan has no table for resource type ${resourceType}`);
  return table;
}

/** The values of a table's indexed columns for a document, keyed by column name. */
export function indexedValues(table: TablePlan, attributes: ScimObject): Record<string, string | null> {
  const values: Record<string, string | null> = {};
  for (const col of table.columns) {
    const holder = col.extension ? attributes[col.extension] : attributes;
    const raw =
      holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[col.attribute] : undefined;
    const value = typeof raw === 'string' ? raw : null;
    values[col.column] = value;
    if (col.foldColumn) values[col.foldColumn] = value === null ? null : foldCase(value);
  }
  return values;
}
