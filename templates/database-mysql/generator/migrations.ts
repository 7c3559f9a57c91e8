// MySQL 8 / MariaDB migrations from the storage plan: a pure function of the plan, so the
// generated project's tables always match the columns its store queries (store-mysql/dialect.ts
// spells the queries). SQL both servers accept: InnoDB, utf8mb4, the JSON column type (native on
// MySQL, LONGTEXT checked by JSON_VALID on MariaDB), CHECK constraints (enforced since MySQL
// 8.0.16 and MariaDB 10.2).

import {
  CREDENTIALS_TABLE,
  DELETED_TABLE,
  EVENT_DELIVERIES_TABLE,
  EVENTS_TABLE,
  MEMBERSHIP_COLUMNS,
  STATE_TABLE,
  TENANT_COLUMN,
  TENANTS_TABLE,
  type ElementIndex,
  type IndexedColumn,
  type StoragePlan,
  type TablePlan,
} from '../../scim/storage.js';
import { MEMBERSHIP_SEQUENCE, mysqlDialect } from '../dialect.js';
import { ELEMENT_COLUMNS, elementTable } from '../../database-sql/element-tables.js';
import type { Migration } from '../../../src/adapters/types.js';
import { countsTable } from './migrations-counts.js';

/**
 * Longest value of an indexed attribute, in characters: InnoDB keys hold at most 3072 bytes,
 * four per utf8mb4 character, and every key leads with the tenant (TENANT_TYPE, 4 bytes):
 * 4 + 4 x 767 = 3072. A longer value is refused with 400 invalidValue. Databases created before
 * tenancy had 768 (PRE_TENANCY_KEY_LENGTH); the migration that adds tenants shortens them.
 */
export const MYSQL_KEY_LENGTH = 767;
export const PRE_TENANCY_KEY_LENGTH = 768;
/** The tenant column: 4 bytes of every key, so that a key column still holds 767 characters. */
export const TENANT_TYPE = 'INT UNSIGNED';
const keyLength = (tenants: boolean) => (tenants ? MYSQL_KEY_LENGTH : PRE_TENANCY_KEY_LENGTH);
/** The indexed columns, after the tenant column when the tables have one. */
const keyColumns = (tenants: boolean, ...columns: string[]) =>
  (tenants ? [TENANT_COLUMN, ...columns] : columns).map(id).join(', ');
/** Server-assigned ids (UUIDs) and resource type names. */
const ID = 'VARCHAR(64)';
/** ISO 8601 timestamps as Date.toISOString() writes them: compared as text, index-friendly. */
const TIMESTAMP = 'VARCHAR(32)';
/**
 * Every text column compares by code point: case matters unless a query folds. Each table
 * says so itself rather than relying on the database default.
 */
const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin';

const id = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Definitions joined with commas, each followed by its comment (if any). */
function definitionList(lines: Array<[definition: string, comment?: string]>): string {
  return lines
    .map(([definition, comment], i) => {
      const line = `  ${definition}${i < lines.length - 1 ? ',' : ''}`;
      return comment ? `${line} -- ${comment}` : line;
    })
    .join('\n');
}

/** A key column's KEY or UNIQUE KEY, as a line of CREATE TABLE (named as keyIndexName names it). */
export function keyDefinition(table: TablePlan, c: IndexedColumn, tenants = true): string {
  const key = c.foldColumn ?? c.column;
  // A unique attribute: the database decides, so concurrent creates cannot both win.
  const kind = c.unique ? 'UNIQUE KEY' : 'KEY';
  return `${kind} ${id(`${table.table}_${key}_${c.unique ? 'key' : 'idx'}`)} (${keyColumns(tenants, key)})`;
}

export const createdKey = (table: TablePlan, tenants = true) =>
  `KEY ${id(`${table.table}_created_idx`)} (${keyColumns(tenants, 'created', 'id')})`;

export function resourceTable(table: TablePlan, tenants = true): string {
  const without = table.membership ? `, without ${table.membership.attribute} (own table)` : '';
  const length = keyLength(tenants);
  const lines: Array<[string, string?]> = [
    [`${id('id')} ${ID} NOT NULL`, 'server-assigned UUID, never reused'],
    ...(tenants ? [[`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`, `its tenant (${TENANTS_TABLE}.id); every key leads with it`] as [string, string]] : []),
    [`${id('version')} INT UNSIGNED NOT NULL`, 'incremented by every write; the ETag'],
    [`${id('created')} ${TIMESTAMP} NOT NULL`, 'ISO 8601 UTC, as Date.toISOString() writes it'],
    [`${id('last_modified')} ${TIMESTAMP} NOT NULL`, 'ISO 8601 UTC'],
    [`${id('document')} JSON NOT NULL`, `the attributes${without}`],
  ];
  for (const c of table.columns) {
    const from = c.extension ? `${c.extension}:${c.attribute}` : c.attribute;
    if (c.foldColumn) {
      // Only the folded column is a key; the value as sent may be longer than a key allows.
      lines.push([`${id(c.column)} TEXT NULL`, `${from} as stored (case preserved)`]);
      lines.push([
        `${id(c.foldColumn)} VARCHAR(${length}) NULL`,
        `${from} case-folded: equality, ordering and uniqueness ignore case`,
      ]);
    } else {
      lines.push([`${id(c.column)} VARCHAR(${length}) NULL`, `${from} (case-exact)`]);
    }
  }
  lines.push([`PRIMARY KEY (${id('id')})`]);
  for (const c of table.columns) lines.push([keyDefinition(table, c, tenants)]);
  lines.push([createdKey(table, tenants), 'default list order and the tie-breaker of every sort']);
  const unique = table.columns.filter((c) => c.unique).map((c) => c.attribute);
  const uniqueNote = unique.length > 0
    ? `\n-- Unique (${unique.join(', ')})${tenants ? ' in each tenant' : ''}: a UNIQUE KEY on the folded column, so the database refuses a\n` +
      '-- second value differing only in case, whichever instance of the server writes it.'
    : '';
  return `-- ${table.resourceType} resources.${uniqueNote}\nCREATE TABLE ${id(table.table)} (\n${definitionList(lines)}\n) ${TABLE_OPTIONS};`;
}

export const memberKey = (table: TablePlan, tenants = true) =>
  `KEY ${id(`${table.membership!.table}_${MEMBERSHIP_COLUMNS.member}_idx`)} (${keyColumns(tenants, MEMBERSHIP_COLUMNS.member)})`;

export function membershipTable(table: TablePlan, tenants = true): string {
  const m = table.membership;
  if (!m) return '';
  const { owner, member, type } = MEMBERSHIP_COLUMNS;
  const lines: Array<[string, string?]> = [
    ...(tenants ? [[`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`, "the owner's tenant, which is the member's"] as [string, string]] : []),
    [`${id(owner)} ${ID} NOT NULL`],
    [`${id(member)} ${ID} NOT NULL`, 'any member type, so no foreign key: the store checks it and deletes the rows'],
    [`${id(type)} ${ID} NOT NULL`],
    [`${id(MEMBERSHIP_SEQUENCE)} BIGINT UNSIGNED NOT NULL AUTO_INCREMENT`, 'the order members were added in'],
    [`PRIMARY KEY (${id(owner)}, ${id(member)})`],
    [`KEY ${id(`${m.table}_${MEMBERSHIP_SEQUENCE}_idx`)} (${id(MEMBERSHIP_SEQUENCE)})`, 'InnoDB keys every AUTO_INCREMENT column'],
    [memberKey(table, tenants), "a member's rows: its groups, and deleting it"],
    [
      `CONSTRAINT ${id(`${m.table}_${type}_check`)} CHECK (${id(type)} IN (${m.memberTypes.map(text).join(', ')}))`,
    ],
    [
      `CONSTRAINT ${id(`${m.table}_${owner}_fk`)} FOREIGN KEY (${id(owner)}) ` +
        `REFERENCES ${id(table.table)} (${id('id')}) ON DELETE CASCADE`,
    ],
  ];
  return [
    `-- ${table.resourceType}.${m.attribute}: one row per member, so adding or removing one member`,
    `-- costs the same for any group size, and reading a group without members never touches it.`,
    `CREATE TABLE ${id(m.table)} (\n${definitionList(lines)}\n) ${TABLE_OPTIONS};`,
  ].join('\n');
}

/**
 * The tables indexing values inside a multi-valued attribute (emails.value), one per index
 * (database-sql/element-tables.ts): what `emails.value eq "x"` and `emails[type eq "work" and
 * value eq "x"]` look up instead of reading every document.
 */
export function elementIndexTables(table: TablePlan, tenants = true): string {
  return table.elementIndexes.map((index) => elementIndexTable(table, index, tenants)).join('\n\n');
}

export const elementValueKey = (table: TablePlan, index: ElementIndex, tenants = true) =>
  `KEY ${id(`${elementTable(table, index)}_${ELEMENT_COLUMNS.value}_idx`)} (${keyColumns(tenants, ELEMENT_COLUMNS.value)})`;

/** CREATE TABLE for one element index; its resource table must exist first (foreign key). */
export function elementIndexTable(table: TablePlan, index: ElementIndex, tenants = true): string {
  const { resource, position, value } = ELEMENT_COLUMNS;
  const length = tenants ? mysqlDialect.elementTables!.keyLength : PRE_TENANCY_KEY_LENGTH;
  const name = elementTable(table, index);
  const lines: Array<[string, string?]> = [
    ...(tenants ? [[`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`] as [string]] : []),
    [`${id(resource)} ${ID} NOT NULL`],
    [`${id(position)} INT UNSIGNED NOT NULL`, `the element's place in ${index.attribute}`],
    [
      `${id(value)} VARCHAR(${length}) NOT NULL`,
      `${index.sub} case-folded (its first ${length} characters)`,
    ],
    [`PRIMARY KEY (${id(resource)}, ${id(position)})`],
    [elementValueKey(table, index, tenants)],
    [
      `CONSTRAINT ${id(`${name}_${resource}_fk`)} FOREIGN KEY (${id(resource)}) ` +
        `REFERENCES ${id(table.table)} (${id('id')}) ON DELETE CASCADE`,
    ],
  ];
  return [
    `-- ${table.resourceType}.${index.attribute}.${index.sub}, one row per element, written by the server with`,
    `-- every write: ${index.attribute}.${index.sub} eq "x" and ${index.attribute}[... and ${index.sub} eq "x"] start here.`,
    `CREATE TABLE ${id(name)} (\n${definitionList(lines)}\n) ${TABLE_OPTIONS};`,
  ].join('\n');
}

/**
 * The tenants and their credentials (templates/scim/tenancy.ts), with tenant 1, `default`: the
 * tenant of a single-tenant project, and of every row a database had before tenancy.
 */
export function tenancyTables(): string {
  const tenants: Array<[string, string?]> = [
    [`${id('id')} ${TENANT_TYPE} NOT NULL AUTO_INCREMENT`, "the tenant column's value; AUTO_INCREMENT never gives one twice"],
    [`${id('slug')} VARCHAR(63) NOT NULL`, 'its URL segment'],
    [`${id('name')} VARCHAR(255) NOT NULL`],
    [`${id('idp')} VARCHAR(16) NOT NULL`],
    [`${id('disabled')} BOOLEAN NOT NULL DEFAULT FALSE`],
    [`${id('created')} ${TIMESTAMP} NOT NULL`, 'ISO 8601 UTC'],
    [`PRIMARY KEY (${id('id')})`],
    [`UNIQUE KEY ${id(`${TENANTS_TABLE}_slug_key`)} (${id('slug')})`],
    [`CONSTRAINT ${id(`${TENANTS_TABLE}_idp_check`)} CHECK (${id('idp')} IN ('okta', 'entra', 'other'))`],
  ];
  const credentials: Array<[string, string?]> = [
    [`${id('id')} ${ID} NOT NULL`, 'public: "cred_..."'],
    [`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`],
    [`${id('kind')} VARCHAR(16) NOT NULL`],
    [`${id('label')} VARCHAR(255) NOT NULL`],
    [`${id('principal')} VARCHAR(255) NULL`, 'the username or client id; not secret'],
    [`${id('secret_hash')} CHAR(64) NOT NULL`, 'hex SHA-256 of the secret material, never the secret'],
    [`${id('created')} ${TIMESTAMP} NOT NULL`],
    [`${id('expires')} ${TIMESTAMP} NULL`],
    [`${id('last_used')} ${TIMESTAMP} NULL`],
    [`${id('revoked')} ${TIMESTAMP} NULL`],
    [`PRIMARY KEY (${id('id')})`],
    [`UNIQUE KEY ${id(`${CREDENTIALS_TABLE}_secret_hash_key`)} (${id('secret_hash')})`],
    [`KEY ${id(`${CREDENTIALS_TABLE}_${TENANT_COLUMN}_idx`)} (${id(TENANT_COLUMN)}, ${id('created')})`],
    [`CONSTRAINT ${id(`${CREDENTIALS_TABLE}_kind_check`)} CHECK (${id('kind')} IN ('token', 'basic', 'oauth-client'))`],
    [
      `CONSTRAINT ${id(`${CREDENTIALS_TABLE}_${TENANT_COLUMN}_fk`)} FOREIGN KEY (${id(TENANT_COLUMN)}) ` +
        `REFERENCES ${id(TENANTS_TABLE)} (${id('id')}) ON DELETE CASCADE`,
    ],
  ];
  return [
    `-- The tenants. A single-tenant project has exactly one: 1, "default", served at the base path.`,
    `CREATE TABLE ${id(TENANTS_TABLE)} (\n${definitionList(tenants)}\n) ${TABLE_OPTIONS};`,
    `INSERT INTO ${id(TENANTS_TABLE)} (${['id', 'slug', 'name', 'idp', 'created'].map(id).join(', ')})`,
    // As Date.toISOString() writes it: milliseconds, then Z.
    `  VALUES (1, 'default', 'default', 'other', CONCAT(LEFT(DATE_FORMAT(UTC_TIMESTAMP(3), '%Y-%m-%dT%H:%i:%s.%f'), 23), 'Z'));`,
    ``,
    `-- Credentials: never the secret, only its SHA-256, by which a request's secret is looked up.`,
    `CREATE TABLE ${id(CREDENTIALS_TABLE)} (\n${definitionList(credentials)}\n) ${TABLE_OPTIONS};`,
  ].join('\n');
}

/** The outbox (templates/scim/events.ts), its deliveries, and soft-deleted resources. */
export function eventsTables(): string {
  const key = (table: string, name: string, ...columns: string[]): [string] =>
    [`KEY ${id(`${table}_${name}_idx`)} (${columns.map(id).join(', ')})`];
  const events: Array<[string, string?]> = [
    [`${id('seq')} BIGINT NOT NULL AUTO_INCREMENT`, 'insertion order; in commit order per resource (its row is locked)'],
    [`${id('id')} ${ID} NOT NULL`, "UUID: the webhook-id and the SET's jti"],
    [`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`],
    [`${id('time')} ${TIMESTAMP} NOT NULL`, 'ISO 8601 UTC'],
    [`${id('resource_type')} ${ID} NOT NULL`],
    [`${id('resource_id')} ${ID} NOT NULL`],
    [`${id('kind')} VARCHAR(32) NOT NULL`],
    [`${id('attributes')} TEXT NOT NULL`, 'JSON array of names'],
    [`${id('version')} INT NULL`, "the resource's version after the change; NULL after a delete"],
    [`${id('members')} MEDIUMTEXT NULL`, 'JSON membership deltas, or NULL'],
    [`${id('request_id')} VARCHAR(255) NOT NULL`],
    [`${id('actor_credential')} ${ID} NULL`, "the credential's id (never its secret); NULL for the CLI"],
    [`${id('actor_via')} VARCHAR(8) NOT NULL`],
    [`${id('dispatched')} SMALLINT NOT NULL DEFAULT 0`, '1 once the delivery worker has fanned it out'],
    [`PRIMARY KEY (${id('seq')})`],
    [`UNIQUE KEY ${id(`${EVENTS_TABLE}_id_key`)} (${id('id')})`],
    key(EVENTS_TABLE, 'dispatched', 'dispatched', 'seq'),
    key(EVENTS_TABLE, 'resource', TENANT_COLUMN, 'resource_id', 'seq'),
    key(EVENTS_TABLE, TENANT_COLUMN, TENANT_COLUMN, 'seq'),
    key(EVENTS_TABLE, 'time', 'time'),
    [`CONSTRAINT ${id(`${EVENTS_TABLE}_actor_via_check`)} CHECK (${id('actor_via')} IN ('scim', 'admin', 'cli'))`],
  ];
  const deliveries: Array<[string, string?]> = [
    [`${id('destination')} VARCHAR(255) NOT NULL`],
    [`${id('event_seq')} BIGINT NOT NULL`],
    [`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`],
    [`${id('resource_id')} ${ID} NOT NULL`, 'copied from the event: delivery is in order per resource'],
    [`${id('status')} VARCHAR(16) NOT NULL DEFAULT 'pending'`],
    [`${id('attempts')} INT NOT NULL DEFAULT 0`],
    [`${id('next_attempt')} BIGINT NOT NULL`, 'milliseconds since the epoch'],
    [`${id('claimed_until')} BIGINT NULL`, 'milliseconds since the epoch'],
    [`${id('last_error')} VARCHAR(1024) NULL`, 'short, never a secret'],
    [`${id('delivered_at')} BIGINT NULL`, 'milliseconds since the epoch'],
    [`PRIMARY KEY (${id('destination')}, ${id('event_seq')})`],
    key(EVENT_DELIVERIES_TABLE, 'due', 'destination', 'status', 'next_attempt'),
    key(EVENT_DELIVERIES_TABLE, 'resource', 'destination', TENANT_COLUMN, 'resource_id', 'event_seq'),
    [`CONSTRAINT ${id(`${EVENT_DELIVERIES_TABLE}_status_check`)} CHECK (${id('status')} IN ('pending', 'delivered', 'dead'))`],
  ];
  const deleted: Array<[string, string?]> = [
    [`${id(TENANT_COLUMN)} ${TENANT_TYPE} NOT NULL`],
    [`${id('resource_type')} ${ID} NOT NULL`],
    [`${id('id')} ${ID} NOT NULL`],
    [`${id('version')} INT NOT NULL`],
    [`${id('created')} ${TIMESTAMP} NOT NULL`],
    [`${id('deleted')} ${TIMESTAMP} NOT NULL`, 'ISO 8601 UTC; purged after SCIM_DELETE_RETENTION_DAYS'],
    [`${id('document')} JSON NOT NULL`],
    [`PRIMARY KEY (${id('id')})`],
    key(DELETED_TABLE, 'deleted', 'deleted'),
  ];
  return [
    `-- The outbox: one row per committed change (create, replace, patch, activate, deactivate,`,
    `-- delete, tenant and credential changes), written in the change's transaction, so a row`,
    `-- exists exactly when its change committed. Names of attributes only, never their values.`,
    `CREATE TABLE ${id(EVENTS_TABLE)} (\n${definitionList(events)}\n) ${TABLE_OPTIONS};`,
    ``,
    `-- One row per destination and event, kept by the delivery worker.`,
    `CREATE TABLE ${id(EVENT_DELIVERIES_TABLE)} (\n${definitionList(deliveries)}\n) ${TABLE_OPTIONS};`,
    ``,
    `-- Soft-deleted resources (SCIM_DELETE=soft): moved out of their table, so no read, filter or`,
    `-- unique index sees them any more, and kept until the retention period ends.`,
    `CREATE TABLE ${id(DELETED_TABLE)} (\n${definitionList(deleted)}\n) ${TABLE_OPTIONS};`,
  ].join('\n');
}

function stateTable(): string {
  const lines: Array<[string, string?]> = [
    [`${id('key')} VARCHAR(255) NOT NULL`],
    [`${id('value')} MEDIUMTEXT NOT NULL`],
    [`${id('expires_at')} BIGINT NOT NULL`, 'milliseconds since the epoch'],
    [`PRIMARY KEY (${id('key')})`],
    [`KEY ${id(`${STATE_TABLE}_expires_at_idx`)} (${id('expires_at')})`],
  ];
  return [
    `-- Server-side state that is not a SCIM resource, such as OAuth 2.0 codes and tokens,`,
    `-- stored under a hash of the secret. Expired rows are ignored and purged now and then.`,
    `CREATE TABLE ${id(STATE_TABLE)} (\n${definitionList(lines)}\n) ${TABLE_OPTIONS};`,
  ].join('\n');
}

export function mysqlMigrations(plan: StoragePlan): Migration[] {
  const header =
    '-- Generated by create-scim-server from the SCIM schemas. MySQL and MariaDB commit each\n' +
    '-- CREATE TABLE at once, so a migration that fails halfway leaves its first tables behind:\n' +
    '-- drop them before starting again. Never edit an applied migration (the server refuses to\n' +
    '-- start when its checksum changes).';
  const tenants = plan.tenants === true;
  const parts = [
    tenants ? tenancyTables() : '',
    ...plan.tables.flatMap((table) => [
      resourceTable(table, tenants),
      membershipTable(table, tenants),
      elementIndexTables(table, tenants),
    ]),
    plan.counts ? countsTable() : '',
    stateTable(),
    plan.events ? eventsTables() : '',
  ];
  const sql = [header, ...parts.filter((p) => p !== '')].join('\n\n') + '\n';
  return [{ name: '0001_init.sql', sql }];
}
