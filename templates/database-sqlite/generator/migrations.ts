// SQLite migrations from the storage plan: a pure function of the plan, so the generated
// project's tables always match the columns its store queries. 0001 creates everything; later
// schema changes add numbered migrations from the difference of two plans
// (migrations-sqlite-change.ts).

import {
  GROUPS_COLUMN,
  MEMBERSHIP_COLUMNS,
  type IndexedColumn,
  CREDENTIALS_TABLE,
  DELETED_TABLE,
  EVENT_DELIVERIES_TABLE,
  EVENTS_TABLE,
  STATE_TABLE,
  TENANT_COLUMN,
  TENANTS_TABLE,
  type StoragePlan,
  type TablePlan,
} from '../../scim/storage.js';
import type { Migration } from '../../../src/adapters/types.js';
import { countsTable } from './migrations-counts.js';


const id = (name: string) => `"${name.replaceAll('"', '""')}"`;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Column definitions joined with commas, each followed by its comment. */
function columnList(columns: Array<[definition: string, comment: string]>): string {
  return columns
    .map(([definition, comment], i) => `  ${definition}${i < columns.length - 1 ? ',' : ''} -- ${comment}`)
    .join('\n');
}

/**
 * The indexed columns, after the tenant column when the tables have one (`tenants`: plans
 * recorded before tenancy have none; the generator still builds their first migration for
 * projects that are upgraded).
 */
const indexColumns = (tenants: boolean, ...columns: string[]) =>
  (tenants ? [TENANT_COLUMN, ...columns] : columns).map(id).join(', ');

export function resourceTable(table: TablePlan, tenants = true): string {
  const t = id(table.table);
  const without = table.membership ? `, without ${table.membership.attribute} (own table)` : '';
  const columns: Array<[string, string]> = [
    [`${id('id')} TEXT PRIMARY KEY NOT NULL`, 'server-assigned UUID, never reused'],
    ...(tenants
      ? [[`${id(TENANT_COLUMN)} INTEGER NOT NULL`, `its tenant (${TENANTS_TABLE}.id); every index leads with it`] as [string, string]]
      : []),
    [`${id('version')} INTEGER NOT NULL`, 'incremented by every write; the ETag'],
    [`${id('created')} TEXT NOT NULL`, 'ISO 8601 UTC, as Date.toISOString() writes it'],
    [`${id('last_modified')} TEXT NOT NULL`, 'ISO 8601 UTC'],
    [`${id('document')} TEXT NOT NULL CHECK (json_valid(${id('document')}))`, `the attributes as JSON${without}`],
  ];
  for (const c of table.columns) {
    const from = c.extension ? `${c.extension}:${c.attribute}` : c.attribute;
    columns.push([`${id(c.column)} TEXT`, `${from} as stored (case preserved)`]);
    if (c.foldColumn) {
      columns.push([`${id(c.foldColumn)} TEXT`, `${from} case-folded: equality and uniqueness ignore case`]);
    }
  }
  if (table.showsGroups) columns.push(groupsColumn());

  const statements = [`CREATE TABLE ${t} (\n${columnList(columns)}\n) STRICT;`];
  for (const c of table.columns) statements.push(keyIndex(table, c, tenants));
  statements.push(createdIndex(table, tenants));
  return statements.join('\n');
}

/** The index of a key column, named as keyIndexName names it (storage-diff.ts). */
export function keyIndex(table: TablePlan, c: IndexedColumn, tenants = true): string {
  const key = c.foldColumn ?? c.column;
  const columns = indexColumns(tenants, key);
  if (!c.unique) return `CREATE INDEX ${id(`${table.table}_${key}_idx`)} ON ${id(table.table)} (${columns});`;
  return (
    `-- ${c.attribute} is unique${tenants ? ' in its tenant' : ''}: the database decides, so concurrent creates cannot both win.\n` +
    `CREATE UNIQUE INDEX ${id(`${table.table}_${key}_key`)} ON ${id(table.table)} (${columns});`
  );
}

/** Default list order and the tie-breaker of every sort (in each tenant). */
export function createdIndex(table: TablePlan, tenants = true): string {
  return (
    `-- Default list order and the tie-breaker of every sort.\n` +
    `CREATE INDEX ${id(`${table.table}_created_idx`)} ON ${id(table.table)} (${indexColumns(tenants, 'created', 'id')});`
  );
}

/** A member's `groups`, kept in its row by the server (store-sqlite/member-of.ts). */
export function groupsColumn(): [definition: string, comment: string] {
  return [`${id(GROUPS_COLUMN)} TEXT NOT NULL DEFAULT '[]'`, 'its groups as JSON, kept by the server from the membership tables'];
}

export function membershipTable(table: TablePlan, tenants = true): string {
  const m = table.membership;
  if (!m) return '';
  const t = id(m.table);
  const { owner, member, type } = MEMBERSHIP_COLUMNS;
  return [
    `-- ${table.resourceType}.${m.attribute}: one row per member, so adding or removing one member`,
    `-- costs the same for any group size, and reading a group without members never touches it.`,
    `CREATE TABLE ${t} (`,
    ...(tenants ? [`  ${id(TENANT_COLUMN)} INTEGER NOT NULL, -- the owner's tenant, which is the member's`] : []),
    `  ${id(owner)} TEXT NOT NULL REFERENCES ${id(table.table)} (${id('id')}) ON DELETE CASCADE,`,
    `  -- A member may be any of several resource types, so no foreign key: the store checks`,
    `  -- the id on insert and deletes the rows when the member is deleted.`,
    `  ${id(member)} TEXT NOT NULL,`,
    `  ${id(type)} TEXT NOT NULL CHECK (${id(type)} IN (${m.memberTypes.map(text).join(', ')})),`,
    `  PRIMARY KEY (${id(owner)}, ${id(member)})`,
    `) STRICT;`,
    memberIndex(table, tenants),
  ].join('\n');
}

/** Finds a member's rows when it is deleted, and serves members.value filters. */
export function memberIndex(table: TablePlan, tenants = true): string {
  const m = table.membership!;
  const { member } = MEMBERSHIP_COLUMNS;
  return (
    `-- Finds a member's rows when it is deleted, and serves members.value filters.\n` +
    `CREATE INDEX ${id(`${m.table}_${member}_idx`)} ON ${id(m.table)} (${indexColumns(tenants, member)});`
  );
}

/**
 * The tenants and their credentials (templates/scim/tenancy.ts), with tenant 1, `default`: the
 * tenant of a single-tenant project, and of every row a database had before tenancy.
 */
export function tenancyTables(): string {
  const tenants = id(TENANTS_TABLE);
  const credentials = id(CREDENTIALS_TABLE);
  return [
    `-- The tenants. A single-tenant project has exactly one: 1, "default", served at the base path.`,
    `-- AUTOINCREMENT: a removed tenant's key is never given to another.`,
    `CREATE TABLE ${tenants} (`,
    `  ${id('id')} INTEGER PRIMARY KEY AUTOINCREMENT, -- the value of the tenant column in every table`,
    `  ${id('slug')} TEXT NOT NULL UNIQUE, -- its URL segment`,
    `  ${id('name')} TEXT NOT NULL,`,
    `  ${id('idp')} TEXT NOT NULL CHECK (${id('idp')} IN ('okta', 'entra', 'other')),`,
    `  ${id('disabled')} INTEGER NOT NULL DEFAULT 0 CHECK (${id('disabled')} IN (0, 1)),`,
    `  ${id('created')} TEXT NOT NULL -- ISO 8601 UTC`,
    `) STRICT;`,
    `INSERT INTO ${tenants} (${['id', 'slug', 'name', 'idp', 'created'].map(id).join(', ')})`,
    `  VALUES (1, 'default', 'default', 'other', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`,
    ``,
    `-- Credentials: never the secret, only its SHA-256, by which a request's secret is looked up.`,
    `CREATE TABLE ${credentials} (`,
    `  ${id('id')} TEXT PRIMARY KEY NOT NULL, -- public: "cred_..."`,
    `  ${id(TENANT_COLUMN)} INTEGER NOT NULL REFERENCES ${tenants} (${id('id')}) ON DELETE CASCADE,`,
    `  ${id('kind')} TEXT NOT NULL CHECK (${id('kind')} IN ('token', 'basic', 'oauth-client')),`,
    `  ${id('label')} TEXT NOT NULL,`,
    `  ${id('principal')} TEXT, -- the username or client id; not secret`,
    `  ${id('secret_hash')} TEXT NOT NULL UNIQUE, -- hex SHA-256 of the secret material`,
    `  ${id('created')} TEXT NOT NULL,`,
    `  ${id('expires')} TEXT,`,
    `  ${id('last_used')} TEXT,`,
    `  ${id('revoked')} TEXT`,
    `) STRICT;`,
    `CREATE INDEX ${id(`${CREDENTIALS_TABLE}_${TENANT_COLUMN}_idx`)} ON ${credentials} (${id(TENANT_COLUMN)}, ${id('created')});`,
  ].join('\n');
}

/**
 * The outbox (templates/scim/events.ts), its deliveries, and soft-deleted resources. Written
 * in the transaction of the change they describe; read by the audit log and the delivery worker.
 */
export function eventsTables(): string {
  const events = id(EVENTS_TABLE);
  const deliveries = id(EVENT_DELIVERIES_TABLE);
  const deleted = id(DELETED_TABLE);
  const index = (table: string, name: string, ...columns: string[]) =>
    `CREATE INDEX ${id(`${table}_${name}_idx`)} ON ${id(table)} (${columns.map(id).join(', ')});`;
  return [
    `-- The outbox: one row per committed change (create, replace, patch, activate, deactivate,`,
    `-- delete, tenant and credential changes), written in the change's transaction, so a row`,
    `-- exists exactly when its change committed. Names of attributes only, never their values.`,
    `CREATE TABLE ${events} (`,
    `  ${id('seq')} INTEGER PRIMARY KEY AUTOINCREMENT, -- commit order (one writer at a time)`,
    `  ${id('id')} TEXT NOT NULL UNIQUE, -- UUID: the webhook-id and the SET's jti`,
    `  ${id(TENANT_COLUMN)} INTEGER NOT NULL,`,
    `  ${id('time')} TEXT NOT NULL, -- ISO 8601 UTC`,
    `  ${id('resource_type')} TEXT NOT NULL,`,
    `  ${id('resource_id')} TEXT NOT NULL,`,
    `  ${id('kind')} TEXT NOT NULL,`,
    `  ${id('attributes')} TEXT NOT NULL CHECK (json_valid(${id('attributes')})), -- JSON array of names`,
    `  ${id('version')} INTEGER, -- the resource's version after the change; NULL after a delete`,
    `  ${id('members')} TEXT, -- JSON membership deltas, or NULL`,
    `  ${id('request_id')} TEXT NOT NULL,`,
    `  ${id('actor_credential')} TEXT, -- the credential's id (never its secret); NULL for the CLI`,
    `  ${id('actor_via')} TEXT NOT NULL CHECK (${id('actor_via')} IN ('scim', 'admin', 'cli')),`,
    `  ${id('dispatched')} INTEGER NOT NULL DEFAULT 0 -- 1 once the delivery worker has fanned it out`,
    `) STRICT;`,
    index(EVENTS_TABLE, 'dispatched', 'dispatched', 'seq'),
    index(EVENTS_TABLE, 'resource', TENANT_COLUMN, 'resource_id', 'seq'),
    index(EVENTS_TABLE, TENANT_COLUMN, TENANT_COLUMN, 'seq'),
    index(EVENTS_TABLE, 'time', 'time'),
    ``,
    `-- One row per destination and event, kept by the delivery worker.`,
    `CREATE TABLE ${deliveries} (`,
    `  ${id('destination')} TEXT NOT NULL,`,
    `  ${id('event_seq')} INTEGER NOT NULL,`,
    `  ${id(TENANT_COLUMN)} INTEGER NOT NULL,`,
    `  ${id('resource_id')} TEXT NOT NULL, -- copied from the event: delivery is in order per resource`,
    `  ${id('status')} TEXT NOT NULL DEFAULT 'pending' CHECK (${id('status')} IN ('pending', 'delivered', 'dead')),`,
    `  ${id('attempts')} INTEGER NOT NULL DEFAULT 0,`,
    `  ${id('next_attempt')} INTEGER NOT NULL, -- milliseconds since the epoch`,
    `  ${id('claimed_until')} INTEGER, -- milliseconds since the epoch`,
    `  ${id('last_error')} TEXT, -- short, never a secret`,
    `  ${id('delivered_at')} INTEGER, -- milliseconds since the epoch`,
    `  PRIMARY KEY (${id('destination')}, ${id('event_seq')})`,
    `) STRICT;`,
    index(EVENT_DELIVERIES_TABLE, 'due', 'destination', 'status', 'next_attempt'),
    index(EVENT_DELIVERIES_TABLE, 'resource', 'destination', TENANT_COLUMN, 'resource_id', 'event_seq'),
    ``,
    `-- Soft-deleted resources (SCIM_DELETE=soft): moved out of their table, so no read, filter or`,
    `-- unique index sees them any more, and kept until the retention period ends.`,
    `CREATE TABLE ${deleted} (`,
    `  ${id(TENANT_COLUMN)} INTEGER NOT NULL,`,
    `  ${id('resource_type')} TEXT NOT NULL,`,
    `  ${id('id')} TEXT PRIMARY KEY NOT NULL,`,
    `  ${id('version')} INTEGER NOT NULL,`,
    `  ${id('created')} TEXT NOT NULL,`,
    `  ${id('deleted')} TEXT NOT NULL, -- ISO 8601 UTC; purged after SCIM_DELETE_RETENTION_DAYS`,
    `  ${id('document')} TEXT NOT NULL`,
    `) STRICT;`,
    index(DELETED_TABLE, 'deleted', 'deleted'),
  ].join('\n');
}

function stateTable(): string {
  const t = id(STATE_TABLE);
  return [
    `-- Server-side state that is not a SCIM resource, such as OAuth 2.0 codes and tokens,`,
    `-- stored under a hash of the secret. Expired rows are ignored and purged now and then.`,
    `CREATE TABLE ${t} (`,
    `  ${id('key')} TEXT PRIMARY KEY NOT NULL,`,
    `  ${id('value')} TEXT NOT NULL,`,
    `  ${id('expires_at')} INTEGER NOT NULL -- milliseconds since the epoch`,
    `) STRICT;`,
    `CREATE INDEX ${id(`${STATE_TABLE}_expires_at_idx`)} ON ${t} (${id('expires_at')});`,
  ].join('\n');
}

export function sqliteMigrations(plan: StoragePlan): Migration[] {
  const header =
    '-- Generated by create-scim-server from the SCIM schemas. Applied once, in a transaction;\n' +
    '-- never edit an applied migration (the server refuses to start when its checksum changes).';
  const tenants = plan.tenants === true;
  const parts = [
    tenants ? tenancyTables() : '',
    ...plan.tables.flatMap((table) => [resourceTable(table, tenants), membershipTable(table, tenants)]),
    plan.counts ? countsTable() : '',
    stateTable(),
    plan.events ? eventsTables() : '',
  ];
  const sql = [header, ...parts.filter((p) => p !== '')].join('\n\n') + '\n';
  return [{ name: '0001_init.sql', sql }];
}
