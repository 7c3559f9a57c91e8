// PostgreSQL migrations from the storage plan, like migrations.ts for SQLite: a pure function of
// the plan, so the tables always match the columns the store queries (templates/store-sql).
//
// Text columns are COLLATE "C": compared and sorted by code point, as the store expects and
// as on SQLite, whatever locale the database was created with; and their indexes stay plain
// byte-wise B-trees. Case-insensitive keys are folded by the server into *_fold columns.

import {
  CREDENTIALS_TABLE,
  DELETED_TABLE,
  EVENT_DELIVERIES_TABLE,
  EVENTS_TABLE,
  MEMBERSHIP_COLUMNS,
  STATE_TABLE,
  TENANT_COLUMN,
  TENANTS_TABLE,
  type IndexedColumn,
  type StoragePlan,
  type TablePlan,
} from '../../scim/storage.js';
import { FOLD_COLLATION, foldedElementValues, postgresDialect } from '../dialect.js';
import { countsTable } from './migrations-counts.js';
import type { Migration } from '../../../src/adapters/types.js';

const id = (name: string) => `"${name.replaceAll('"', '""')}"`;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;
const SEQUENCE = postgresDialect.membershipSequence;

/** Column definitions joined with commas, each followed by its comment. */
function columnList(columns: Array<[definition: string, comment: string]>): string {
  return columns
    .map(([definition, comment], i) => `  ${definition}${i < columns.length - 1 ? ',' : ''} -- ${comment}`)
    .join('\n');
}

/** The helper the element-value indexes are built on (dialect.ts foldedElementValues). */
export function functions(plan: StoragePlan): string {
  if (!plan.tables.some((t) => t.elementIndexes.length > 0)) return '';
  return [
    `-- The case-folded values of one field of a JSON array's objects (emails -> value), for the`,
    `-- indexes on email values below. Folded with ICU's root locale, as the server folds.`,
    `CREATE FUNCTION scim_folded_values(elements jsonb, field text) RETURNS text[]`,
    `LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$`,
    `  SELECT array_agg(lower((element ->> field) COLLATE "${FOLD_COLLATION}"))`,
    `  FROM jsonb_array_elements(CASE jsonb_typeof(elements) WHEN 'array' THEN elements END) AS element`,
    `$$;`,
  ].join('\n');
}

/**
 * The indexed columns, after the tenant column when the tables have one (`tenants`: plans
 * recorded before tenancy have none; their first migration is still built for upgrades).
 */
const indexColumns = (tenants: boolean, ...columns: string[]) =>
  (tenants ? [TENANT_COLUMN, ...columns] : columns).map(id).join(', ');

/** The index of a key column, named as keyIndexName names it (storage-diff.ts). */
export function keyIndex(table: TablePlan, c: IndexedColumn, tenants = true): string {
  const key = c.foldColumn ?? c.column;
  const columns = indexColumns(tenants, key);
  const t = id(table.table);
  if (!c.unique) return `CREATE INDEX ${id(`${table.table}_${key}_idx`)} ON ${t} (${columns});`;
  return (
    `-- ${c.attribute} is unique${tenants ? ' in its tenant' : ''}: the database decides, so concurrent creates cannot both win.\n` +
    `CREATE UNIQUE INDEX ${id(`${table.table}_${key}_key`)} ON ${t} (${columns});`
  );
}

/** Default list order and the tie-breaker of every sort (in each tenant). */
export function createdIndex(table: TablePlan, tenants = true): string {
  return (
    `-- Default list order and the tie-breaker of every sort.\n` +
    `CREATE INDEX ${id(`${table.table}_created_idx`)} ON ${id(table.table)} (${indexColumns(tenants, 'created', 'id')});`
  );
}

/**
 * Row-level security, a second line behind the `tenant = $1` of every statement: a query that
 * forgot it still sees only the rows of the tenant in the connection's `scim.tenant` setting
 * (postgres/driver.ts sets it), and none when it is not set. FORCE applies it to the tables'
 * owner too, which the server's role usually is (superusers and BYPASSRLS roles still bypass
 * it). Migrations run with `scim.migrating` on, in their transaction only, to reach every row.
 */
export function rowSecurity(table: string): string {
  const t = id(table);
  const tenant = `nullif(current_setting('scim.tenant', true), '')::bigint`;
  return [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
    `CREATE POLICY ${id(`${table}_tenant`)} ON ${t} USING (${id(TENANT_COLUMN)} = ${tenant}) WITH CHECK (${id(TENANT_COLUMN)} = ${tenant});`,
    `CREATE POLICY ${id(`${table}_migrations`)} ON ${t} USING (current_setting('scim.migrating', true) = 'on');`,
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

export function resourceTable(table: TablePlan, tenants = true): string {
  const t = id(table.table);
  const without = table.membership ? `, without ${table.membership.attribute} (own table)` : '';
  const columns: Array<[string, string]> = [
    [`${id('id')} text COLLATE "C" PRIMARY KEY`, 'server-assigned UUID, never reused'],
    ...(tenants
      ? [[`${id(TENANT_COLUMN)} bigint NOT NULL`, `its tenant (${TENANTS_TABLE}.id); every index leads with it`] as [string, string]]
      : []),
    [`${id('version')} integer NOT NULL`, 'incremented by every write; the ETag'],
    [`${id('created')} text COLLATE "C" NOT NULL`, 'ISO 8601 UTC as Date.toISOString() writes it: text order is time order'],
    [`${id('last_modified')} text COLLATE "C" NOT NULL`, 'ISO 8601 UTC'],
    [
      `${id('document')} jsonb NOT NULL CHECK (jsonb_typeof(${id('document')}) = 'object')`,
      `the attributes${without}`,
    ],
  ];
  for (const c of table.columns) {
    const from = c.extension ? `${c.extension}:${c.attribute}` : c.attribute;
    columns.push([`${id(c.column)} text COLLATE "C"`, `${from} as stored (case preserved)`]);
    if (c.foldColumn) {
      columns.push([`${id(c.foldColumn)} text COLLATE "C"`, `${from} case-folded: equality and uniqueness ignore case`]);
    }
  }

  const statements = [`CREATE TABLE ${t} (\n${columnList(columns)}\n);`];
  for (const c of table.columns) statements.push(keyIndex(table, c, tenants));
  for (const index of table.elementIndexes) {
    statements.push(
      `-- ${index.attribute}.${index.sub} eq "x" (also inside ${index.attribute}[...]): the store adds a lookup on this\n` +
        `-- expression to such filters, so they start from the index instead of reading every row.\n` +
        `CREATE INDEX ${id(`${table.table}_${index.attribute.toLowerCase()}_${index.sub.toLowerCase()}_idx`)} ON ${t} ` +
        `USING gin (${foldedElementValues(id('document'), index)});`,
    );
  }
  statements.push(createdIndex(table, tenants));
  if (tenants) statements.push(rowSecurity(table.table));
  return statements.join('\n');
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
    ...(tenants ? [`  ${id(TENANT_COLUMN)} bigint NOT NULL, -- the owner's tenant, which is the member's`] : []),
    `  ${id(owner)} text COLLATE "C" NOT NULL REFERENCES ${id(table.table)} (${id('id')}) ON DELETE CASCADE,`,
    `  -- A member may be any of several resource types, so no foreign key: the store checks`,
    `  -- the id on insert and deletes the rows when the member is deleted.`,
    `  ${id(member)} text COLLATE "C" NOT NULL,`,
    `  ${id(type)} text NOT NULL CHECK (${id(type)} IN (${m.memberTypes.map(text).join(', ')})),`,
    `  ${id(SEQUENCE)} bigserial NOT NULL, -- insertion order: members are listed in the order they were added`,
    `  PRIMARY KEY (${id(owner)}, ${id(member)})`,
    `);`,
    memberIndex(table, tenants),
    ...(tenants ? [rowSecurity(m.table)] : []),
  ].join('\n');
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
    `-- Keys come from the identity from 2 on (1 is inserted here) and are never given twice.`,
    `CREATE TABLE ${tenants} (`,
    `  ${id('id')} bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 2) PRIMARY KEY, -- the tenant column's value`,
    `  ${id('slug')} text COLLATE "C" NOT NULL UNIQUE, -- its URL segment`,
    `  ${id('name')} text NOT NULL,`,
    `  ${id('idp')} text NOT NULL CHECK (${id('idp')} IN ('okta', 'entra', 'other')),`,
    `  ${id('disabled')} boolean NOT NULL DEFAULT false,`,
    `  ${id('created')} text COLLATE "C" NOT NULL -- ISO 8601 UTC`,
    `);`,
    `INSERT INTO ${tenants} (${['id', 'slug', 'name', 'idp', 'created'].map(id).join(', ')})`,
    `  VALUES (1, 'default', 'default', 'other', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'));`,
    ``,
    `-- Credentials: never the secret, only its SHA-256, by which a request's secret is looked up.`,
    `CREATE TABLE ${credentials} (`,
    `  ${id('id')} text COLLATE "C" PRIMARY KEY, -- public: "cred_..."`,
    `  ${id(TENANT_COLUMN)} bigint NOT NULL REFERENCES ${tenants} (${id('id')}) ON DELETE CASCADE,`,
    `  ${id('kind')} text NOT NULL CHECK (${id('kind')} IN ('token', 'basic', 'oauth-client')),`,
    `  ${id('label')} text NOT NULL,`,
    `  ${id('principal')} text, -- the username or client id; not secret`,
    `  ${id('secret_hash')} text COLLATE "C" NOT NULL UNIQUE, -- hex SHA-256 of the secret material`,
    `  ${id('created')} text COLLATE "C" NOT NULL,`,
    `  ${id('expires')} text COLLATE "C",`,
    `  ${id('last_used')} text COLLATE "C",`,
    `  ${id('revoked')} text COLLATE "C"`,
    `);`,
    `CREATE INDEX ${id(`${CREDENTIALS_TABLE}_${TENANT_COLUMN}_idx`)} ON ${credentials} (${id(TENANT_COLUMN)}, ${id('created')});`,
  ].join('\n');
}

/**
 * The outbox (templates/scim/events.ts), its deliveries, and soft-deleted resources. No
 * row-level security on them: the delivery worker and the retention pruner read across every
 * tenant (no `scim.tenant` is set for them), and no SCIM request reads them; every statement of
 * the audit log still names its tenant.
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
    `  ${id('seq')} bigserial PRIMARY KEY, -- insertion order; in commit order per resource (its row is locked)`,
    `  ${id('id')} text COLLATE "C" NOT NULL UNIQUE, -- UUID: the webhook-id and the SET's jti`,
    `  ${id(TENANT_COLUMN)} bigint NOT NULL,`,
    `  ${id('time')} text COLLATE "C" NOT NULL, -- ISO 8601 UTC`,
    `  ${id('resource_type')} text NOT NULL,`,
    `  ${id('resource_id')} text COLLATE "C" NOT NULL,`,
    `  ${id('kind')} text NOT NULL,`,
    `  ${id('attributes')} text NOT NULL, -- JSON array of names`,
    `  ${id('version')} integer, -- the resource's version after the change; NULL after a delete`,
    `  ${id('members')} text, -- JSON membership deltas, or NULL`,
    `  ${id('request_id')} text NOT NULL,`,
    `  ${id('actor_credential')} text COLLATE "C", -- the credential's id (never its secret); NULL for the CLI`,
    `  ${id('actor_via')} text NOT NULL CHECK (${id('actor_via')} IN ('scim', 'admin', 'cli')),`,
    `  ${id('dispatched')} smallint NOT NULL DEFAULT 0 -- 1 once the delivery worker has fanned it out`,
    `);`,
    index(EVENTS_TABLE, 'dispatched', 'dispatched', 'seq'),
    index(EVENTS_TABLE, 'resource', TENANT_COLUMN, 'resource_id', 'seq'),
    index(EVENTS_TABLE, TENANT_COLUMN, TENANT_COLUMN, 'seq'),
    index(EVENTS_TABLE, 'time', 'time'),
    ``,
    `-- One row per destination and event, kept by the delivery worker.`,
    `CREATE TABLE ${deliveries} (`,
    `  ${id('destination')} text COLLATE "C" NOT NULL,`,
    `  ${id('event_seq')} bigint NOT NULL,`,
    `  ${id(TENANT_COLUMN)} bigint NOT NULL,`,
    `  ${id('resource_id')} text COLLATE "C" NOT NULL, -- copied from the event: delivery is in order per resource`,
    `  ${id('status')} text NOT NULL DEFAULT 'pending' CHECK (${id('status')} IN ('pending', 'delivered', 'dead')),`,
    `  ${id('attempts')} integer NOT NULL DEFAULT 0,`,
    `  ${id('next_attempt')} bigint NOT NULL, -- milliseconds since the epoch`,
    `  ${id('claimed_until')} bigint, -- milliseconds since the epoch`,
    `  ${id('last_error')} text, -- short, never a secret`,
    `  ${id('delivered_at')} bigint, -- milliseconds since the epoch`,
    `  PRIMARY KEY (${id('destination')}, ${id('event_seq')})`,
    `);`,
    index(EVENT_DELIVERIES_TABLE, 'due', 'destination', 'status', 'next_attempt'),
    index(EVENT_DELIVERIES_TABLE, 'resource', 'destination', TENANT_COLUMN, 'resource_id', 'event_seq'),
    ``,
    `-- Soft-deleted resources (SCIM_DELETE=soft): moved out of their table, so no read, filter or`,
    `-- unique index sees them any more, and kept until the retention period ends.`,
    `CREATE TABLE ${deleted} (`,
    `  ${id(TENANT_COLUMN)} bigint NOT NULL,`,
    `  ${id('resource_type')} text NOT NULL,`,
    `  ${id('id')} text COLLATE "C" PRIMARY KEY,`,
    `  ${id('version')} integer NOT NULL,`,
    `  ${id('created')} text COLLATE "C" NOT NULL,`,
    `  ${id('deleted')} text COLLATE "C" NOT NULL, -- ISO 8601 UTC; purged after SCIM_DELETE_RETENTION_DAYS`,
    `  ${id('document')} jsonb NOT NULL`,
    `);`,
    index(DELETED_TABLE, 'deleted', 'deleted'),
  ].join('\n');
}

function stateTable(): string {
  const t = id(STATE_TABLE);
  return [
    `-- Server-side state that is not a SCIM resource, such as OAuth 2.0 codes and tokens,`,
    `-- stored under a hash of the secret. Expired rows are ignored and purged now and then.`,
    `CREATE TABLE ${t} (`,
    `  ${id('key')} text COLLATE "C" PRIMARY KEY,`,
    `  ${id('value')} text NOT NULL,`,
    `  ${id('expires_at')} bigint NOT NULL -- milliseconds since the epoch`,
    `);`,
    `CREATE INDEX ${id(`${STATE_TABLE}_expires_at_idx`)} ON ${t} (${id('expires_at')});`,
  ].join('\n');
}

export function postgresMigrations(plan: StoragePlan): Migration[] {
  const header =
    '-- Generated by create-scim-server from the SCIM schemas. Applied once, in a transaction;\n' +
    '-- never edit an applied migration (the server refuses to start when its checksum changes).';
  const tenants = plan.tenants === true;
  const parts = [
    functions(plan),
    tenants ? tenancyTables() : '',
    ...plan.tables.flatMap((table) => [resourceTable(table, tenants), membershipTable(table, tenants)]),
    plan.counts ? countsTable() : '',
    stateTable(),
    plan.events ? eventsTables() : '',
  ];
  const sql = [header, ...parts.filter((p) => p !== '')].join('\n\n') + '\n';
  return [{ name: '0001_init.sql', sql }];
}
