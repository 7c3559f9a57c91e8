// ResourceStore over a SQL database server (PostgreSQL, MySQL/MariaDB), through a SqlDriver
// (driver.ts) that spells what differs. Every operation is one transaction; a write first locks
// the resource's row (SELECT ... FOR UPDATE), so concurrent writes to one resource queue up
// instead of losing updates. Uniqueness is decided by unique indexes; membership changes are
// row deltas; filtering, counting, sorting and paging all happen in SQL.

import { randomUUID } from 'node:crypto';
import { badRequest, notFound, preconditionFailed } from '../scim/errors.js';
import { completeEvent, type EventDraft } from '../scim/events.js';
import { SqlParams, type SqlDialect, type SqlScope } from '../scim/filter/sql-dialect.js';
import { compileFilter, compileKeysetAfter, compileOrderBy, compileSortKey } from '../scim/filter/sql.js';
import type { KeyValueStore } from '../scim/key-value.js';
import type { Registry, ResourceTypeModel } from '../scim/registry.js';
import {
  BASE_COLUMNS,
  DELETED_TABLE,
  indexedValues,
  MEMBERSHIP_COLUMNS,
  membershipOwners,
  STATE_TABLE,
  storagePlan,
  tableFor,
  TENANT_COLUMN,
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
import type { TenantKey } from '../scim/tenancy.js';
import type { SqlConnection, SqlDriver } from './driver.js';
import { elementLookups, type ElementLookup } from './element-lookups.js';
import { bumpCount, countOf } from './counts.js';
import { ELEMENT_COLUMNS, elementKey, elementKeys, elementTable, likePrefix } from './element-tables.js';
import { insertEvent, purgeDeleted, SqlEventLog } from './events.js';
import { sqlKeyValue } from './key-value.js';
import { SqlOutbox } from './outbox.js';
import { SqlTenantDirectory } from './tenants.js';

export interface SqlStoreOptions {
  driver: SqlDriver;
  registry: Registry;
  /**
   * Connections of the delivery loop's own (the outbox), closed with the store. Under load the
   * requests keep every pooled connection busy, and the loop's transactions would wait behind
   * them in the queue; by default the outbox shares `driver`.
   */
  outboxDriver?: SqlDriver;
}

interface Row {
  id: string;
  version: number | string;
  created: unknown;
  last_modified: unknown;
  /** JSON text, or already parsed by drivers that parse JSON columns (pg for jsonb). */
  document: unknown;
  /**
   * With groups: per owner table (groupsColumns), a JSON array of [sequence, owner id, display],
   * as text or already parsed (as `document`); NULL when there are none.
   */
  [groups: `groups_${number}`]: unknown;
  /** In a list's rows: the list's totalResults. */
  total_results?: number | string;
}

/** The `groups` a row brings along in its own statement: one column per owner table. */
interface GroupsColumns {
  sql: string;
  owners: TablePlan[];
}

const { owner: OWNER, member: MEMBER, type: MEMBER_TYPE } = MEMBERSHIP_COLUMNS;
/** The column a list's page carries its totalResults in (counts.ts). */
const TOTAL_COLUMN = 'total_results';
/** Ids bound in one IN list; longer lists take more statements. */
const IDS_PER_QUERY = 500;

/**
 * Parameters of one statement, numbered in the order they are added: the filter compiler's
 * (SqlParams.bind) and the store's own (add), which may be NULL or a JSON document.
 */
class Params extends SqlParams {
  constructor(private readonly syntax: SqlDialect) {
    super(syntax);
  }

  /** Binds a value as it is; returns its placeholder. */
  add = (value: unknown): string => {
    this.values.push(value);
    return this.syntax.placeholder(this.values.length);
  };

  list = (values: readonly unknown[]): string => values.map((v) => this.add(v)).join(', ');
}

/** Checks the tables against the schemas, then serves. Migrations have run before. */
export async function openSqlStore(options: SqlStoreOptions): Promise<ResourceStore> {
  const plan = storagePlan(options.registry);
  await checkTables(options.driver, plan);
  return new SqlStore(options.driver, plan, options.outboxDriver);
}

/** Fails at start, with the column named, when the migrations do not match the schemas. */
async function checkTables(driver: SqlDriver, plan: StoragePlan): Promise<void> {
  const { dialect } = driver;
  const rows = await driver
    .transaction(
      (db) =>
        db.query<{ table_name: string; column_name: string }>(
          'SELECT table_name AS table_name, column_name AS column_name FROM information_schema.columns ' +
            `WHERE table_schema = ${dialect.currentSchema ?? 'current_schema()'}`,
        ),
      { readOnly: true },
    )
    .catch((error: unknown) => {
      throw driver.translate(error);
    });
  const have = new Map<string, Set<string>>();
  for (const { table_name: table, column_name: column } of rows) {
    have.set(table, (have.get(table) ?? new Set()).add(column));
  }
  const wanted: Array<[string, string[]]> = [];
  for (const table of plan.tables) {
    const keys = table.columns.flatMap((c) => (c.foldColumn ? [c.column, c.foldColumn] : [c.column]));
    wanted.push([table.table, [...BASE_COLUMNS, TENANT_COLUMN, ...keys]]);
    if (table.membership) {
      wanted.push([table.membership.table, [TENANT_COLUMN, OWNER, MEMBER, MEMBER_TYPE, dialect.membershipSequence]]);
    }
    if (dialect.elementTables) {
      for (const index of table.elementIndexes) {
        wanted.push([elementTable(table, index), [TENANT_COLUMN, ...Object.values(ELEMENT_COLUMNS)]]);
      }
    }
  }
  wanted.push([STATE_TABLE, ['key', 'value', 'expires_at']]);
  for (const [table, columns] of wanted) {
    const absent = columns.find((c) => !have.get(table)?.has(c));
    if (absent) {
      throw new Error(
        `Table ${table} has no column ${absent}: the database migrations do not match the SCIM schemas. ` +
          'Run "npm run scim:generate" to add a migration.',
      );
    }
  }
}

class SqlStore implements ResourceStore {
  readonly state: KeyValueStore;
  readonly tenants: SqlTenantDirectory;
  readonly outbox: SqlOutbox;
  readonly events: SqlEventLog;
  /** The tenant column, quoted: the first condition of every statement on resource rows. */
  private readonly t: string;
  private readonly q: (name: string) => string;
  /** groupsColumns by member table name; the plan never changes, so each is built once. */
  private readonly groupsColumnsByTable = new Map<string, GroupsColumns>();

  constructor(
    private readonly driver: SqlDriver,
    private readonly plan: StoragePlan,
    private readonly outboxDriver?: SqlDriver,
  ) {
    this.state = sqlKeyValue(driver);
    this.q = driver.dialect.quoteId;
    this.t = this.q(TENANT_COLUMN);
    this.tenants = new SqlTenantDirectory(driver, plan);
    this.outbox = new SqlOutbox(outboxDriver ?? driver);
    this.events = new SqlEventLog(driver);
  }

  private get dialect() {
    return this.driver.dialect;
  }

  private params(): Params {
    return new Params(this.dialect);
  }

  /** One transaction; database errors come out as SCIM errors (409, 503, ...) where they are. */
  private async run<T>(
    tenant: TenantKey,
    type: ResourceTypeModel,
    work: (db: SqlConnection, table: TablePlan) => Promise<T>,
    access: 'read' | 'write',
  ): Promise<T> {
    const table = tableFor(this.plan, type.def.name);
    try {
      return await this.driver.transaction((db) => work(db, table), { readOnly: access === 'read', tenant });
    } catch (error) {
      throw this.driver.translate(error, table);
    }
  }

  /** A read of one statement: no transaction around it when the driver can do without. */
  private async readOne<T>(tenant: TenantKey, type: ResourceTypeModel, work: (db: SqlConnection) => Promise<T>): Promise<T> {
    const { driver } = this;
    if (!driver.read) return this.run(tenant, type, work, 'read');
    const read = driver.read.bind(driver);
    const statement: SqlConnection = {
      query: (sql, params) => read(sql, params, tenant),
      execute: () => Promise.reject(new Error('A read cannot change rows')),
    };
    try {
      return await work(statement);
    } catch (error) {
      throw driver.translate(error, tableFor(this.plan, type.def.name));
    }
  }

  create(
    tenant: TenantKey,
    type: ResourceTypeModel,
    attributes: ScimObject,
    members: string[],
    event?: EventDraft,
  ): Promise<StoredResource> {
    return this.run(tenant, type, async (db, table) => {
      const id = randomUUID();
      const now = new Date().toISOString();
      const stored = documentOf(table, attributes);
      const columns = { [TENANT_COLUMN]: tenant, id, version: 1, created: now, last_modified: now, document: JSON.stringify(stored), ...indexedValues(table, stored) };
      const p = this.params();
      const names = Object.keys(columns).map(this.q).join(', ');
      await db.execute(`INSERT INTO ${this.q(table.table)} (${names}) VALUES (${p.list(Object.values(columns))})`, p.values);
      await this.writeElementKeys(db, tenant, table, id, stored, false);
      if (table.membership) await this.touchMembers(db, tenant, table, id, await this.addMembers(db, tenant, table, id, members));
      if (event) await insertEvent(db, this.driver, completeEvent(event, tenant, id, 1));
      // Nothing can list a resource created just now among its members: no groups to read.
      const created = (await this.read(db, tenant, table, id, { withMembers: true, withGroups: false }))!;
      await bumpCount(db, this.dialect, tenant, table, 1);
      return created;
    }, 'write');
  }

  get(tenant: TenantKey, type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined> {
    const table = tableFor(this.plan, type.def.name);
    // Groups come in the row's own statement; members take a second one, so a transaction.
    if (options.withMembers && table.membership) {
      return this.run(tenant, type, (db) => this.read(db, tenant, table, id, options), 'read');
    }
    return this.readOne(tenant, type, (db) => this.read(db, tenant, table, id, options));
  }

  list(tenant: TenantKey, type: ResourceTypeModel, query: ListQuery): Promise<ListResult> {
    return this.run(tenant, type, async (db, table) => {
      const { dialect, q } = this;
      const scope: SqlScope = { type, plan: this.plan, table, dialect, alias: 'r' };
      const conditions = (p: Params) => this.listConditions(tenant, table, scope, query, p);
      // totalResults, as a scalar subquery: the counter rows when unfiltered (counts.ts), else a
      // COUNT through the filter's indexes. Bound before the rows' conditions, as it comes first.
      const total = (p: Params) =>
        query.filter
          ? `(SELECT COUNT(*) FROM ${q(table.table)} r WHERE ${conditions(p).join(' AND ')})`
          : countOf(dialect, table, p.add(tenant), p.add(table.table));
      const count = async () => {
        const p = this.params();
        const [counted] = await db.query<{ total: number | string }>(`SELECT ${total(p)} AS total`, p.values);
        return Number(counted?.total ?? 0);
      };
      if (query.count === 0) return { totalResults: await count(), resources: [] };

      const groups = query.withGroups ? this.groupsColumns(table) : undefined;
      if (query.keyset) {
        const p = this.params();
        return await this.keysetPage(db, tenant, scope, query, conditions(p), p, groups, count);
      }
      // One statement per page: the rows and, in each of them, the total.
      const p = this.params();
      const totalColumn = `${total(p)} AS ${q(TOTAL_COLUMN)}`;
      const from = `FROM ${q(table.table)} r WHERE ${conditions(p).join(' AND ')}`;
      const order = compileOrderBy(query.sortBy, query.sortOrder === 'descending', scope, p);
      const page = `LIMIT ${p.add(query.count)} OFFSET ${p.add(query.startIndex - 1)}`;
      const rows = await db.query<Row>(`SELECT ${this.rowColumns(groups)}, ${totalColumn} ${from} ORDER BY ${order} ${page}`, p.values);
      // No row to carry the total: none at all, or a page past the end (asked for again).
      const first = rows[0];
      const totalResults = first ? Number(first[TOTAL_COLUMN]) : query.startIndex === 1 ? 0 : await count();
      const members =
        query.withMembers && table.membership ? await this.membersOf(db, tenant, table, rows.map((r) => r.id)) : undefined;
      return {
        totalResults,
        resources: rows.map((row) => toResource(row, members && (members.get(row.id) ?? []), groups)),
      };
    }, 'read');
  }

  /** A list's conditions on its rows, bound into `p`: the tenant first, as every index leads with it. */
  private listConditions(tenant: TenantKey, table: TablePlan, scope: SqlScope, query: ListQuery, p: Params): string[] {
    const conditions: string[] = [`r.${this.t} = ${p.add(tenant)}`];
    if (query.filter) {
      conditions.push(`(${compileFilter(query.filter, scope, p)})`);
      // Redundant with the filter, but answerable from an index (element-lookups.ts).
      for (const lookup of elementLookups(query.filter, scope.type, table.elementIndexes)) {
        const condition = this.elementLookup(tenant, table, lookup, p);
        if (condition) conditions.push(condition);
      }
    }
    return conditions;
  }

  /**
   * A cursor page (RFC 9865): `count` rows after the keyset position, one more to learn whether
   * another page follows, and the sort value of the last row for the next position.
   */
  private async keysetPage(
    db: SqlConnection,
    tenant: TenantKey,
    scope: SqlScope,
    query: ListQuery,
    conditions: string[],
    p: Params,
    groups: GroupsColumns | undefined,
    count: () => Promise<number>,
  ): Promise<ListResult> {
    const { table } = scope;
    const descending = query.sortOrder === 'descending';
    const after = query.keyset?.after;
    const where = after ? [...conditions, compileKeysetAfter(query.sortBy, descending, after, scope, p)] : conditions;
    const order = compileOrderBy(query.sortBy, descending, scope, p);
    const rows = await db.query<Row>(
      `SELECT ${this.rowColumns(groups)} FROM ${this.q(table.table)} r` +
        ` WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p.add(query.count + 1)}`,
      p.values,
    );
    const more = rows.length > query.count;
    if (more) rows.length = query.count;
    const last = rows[rows.length - 1];
    let next: KeysetPosition | undefined;
    if (more && last) {
      next = [await this.sortValue(db, tenant, scope, query, last.id), isoString(last.created), last.id];
    }
    const members =
      query.withMembers && table.membership ? await this.membersOf(db, tenant, table, rows.map((r) => r.id)) : undefined;
    return {
      totalResults: await count(),
      resources: rows.map((row) => toResource(row, members && (members.get(row.id) ?? []), groups)),
      ...(next ? { next } : {}),
    };
  }

  /** The value a row sorts by, as the database compares it; null when absent or unsorted. */
  private async sortValue(
    db: SqlConnection,
    tenant: TenantKey,
    scope: SqlScope,
    query: ListQuery,
    id: string,
  ): Promise<string | number | boolean | null> {
    if (!query.sortBy) return null;
    const p = this.params();
    const key = compileSortKey(query.sortBy, scope, p).expr;
    const [row] = await db.query<{ k: unknown }>(
      `SELECT ${key} AS k FROM ${this.q(scope.table.table)} r WHERE r.${this.t} = ${p.add(tenant)} AND r.id = ${p.add(id)}`,
      p.values,
    );
    const value = row?.k;
    if (value === null || value === undefined) return null;
    if (value instanceof Date) return value.toISOString();
    return typeof value === 'number' || typeof value === 'boolean' ? value : String(value);
  }

  update(tenant: TenantKey, type: ResourceTypeModel, id: string, request: UpdateRequest, event?: EventDraft): Promise<StoredResource> {
    return this.run(tenant, type, async (db, table) => {
      const { q, t } = this;
      const current = await this.lock(db, tenant, table, id, request.ifVersion);
      const now = new Date().toISOString();
      const p = this.params();
      if (request.attributes) {
        const stored = documentOf(table, request.attributes);
        const indexed = indexedValues(table, stored);
        const columns = { version: current.version + 1, last_modified: now, document: JSON.stringify(stored), ...indexed };
        const sets = Object.entries(columns).map(([name, value]) => `${q(name)} = ${p.add(value)}`);
        await db.execute(
          `UPDATE ${q(table.table)} SET ${sets.join(', ')} WHERE ${t} = ${p.add(tenant)} AND id = ${p.add(id)}`,
          p.values,
        );
        await this.writeElementKeys(db, tenant, table, id, stored, true);
        // A rename shows in every member's `groups[].display`.
        if (table.membership && displayOf(table, indexed) !== current.display) await this.touchMembers(db, tenant, table, id, 'all');
      } else {
        await db.execute(
          `UPDATE ${q(table.table)} SET version = ${p.add(current.version + 1)}, last_modified = ${p.add(now)} ` +
            `WHERE ${t} = ${p.add(tenant)} AND id = ${p.add(id)}`,
          p.values,
        );
      }
      const change = request.members;
      if (change && table.membership) {
        const rows = q(table.membership.table);
        const $ = this.dialect.placeholder;
        if (change.removeAll) {
          await this.touchMembers(db, tenant, table, id, 'all');
          await db.execute(`DELETE FROM ${rows} WHERE ${t} = ${$(1)} AND ${q(OWNER)} = ${$(2)}`, [tenant, id]);
        }
        const removed: string[] = [];
        for (const member of new Set(change.remove ?? [])) {
          const sql = `DELETE FROM ${rows} WHERE ${t} = ${$(1)} AND ${q(OWNER)} = ${$(2)} AND ${q(MEMBER)} = ${$(3)}`;
          if ((await db.execute(sql, [tenant, id, member])) > 0) removed.push(member);
        }
        await this.touchMembers(db, tenant, table, id, removed);
        await this.touchMembers(db, tenant, table, id, await this.addMembers(db, tenant, table, id, change.add ?? []));
      }
      if (event) await insertEvent(db, this.driver, completeEvent(event, tenant, id, current.version + 1));
      return (await this.read(db, tenant, table, id, request))!;
    }, 'write');
  }

  delete(tenant: TenantKey, type: ResourceTypeModel, id: string, options: DeleteOptions, event?: EventDraft): Promise<void> {
    return this.run(tenant, type, async (db, table) => {
      const { q, t } = this;
      const $ = this.dialect.placeholder;
      await this.lock(db, tenant, table, id, options.ifVersion);
      if (options.soft) {
        // Kept aside, out of the table: no read, filter, count or unique index sees it any more.
        const columns = [TENANT_COLUMN, 'resource_type', 'id', 'version', 'created', 'deleted', 'document'].map(q).join(', ');
        await db.execute(
          `INSERT INTO ${q(DELETED_TABLE)} (${columns}) SELECT ${t}, ${$(1)}, id, version, created, ${$(2)}, ${q('document')} ` +
            `FROM ${q(table.table)} WHERE ${t} = ${$(3)} AND id = ${$(4)}`,
          [table.resourceType, new Date().toISOString(), tenant, id],
        );
      }
      if (table.membership) await this.touchMembers(db, tenant, table, id, 'all');
      // Its rows as a member of any group; its own membership rows go by ON DELETE CASCADE.
      // Those groups lose a member, so their representation, and version, change too.
      for (const other of membershipOwners(this.plan, table.resourceType)) {
        const rows = q(other.membership!.table);
        await db.execute(
          `UPDATE ${q(other.table)} SET version = version + 1 ` +
            `WHERE ${t} = ${$(1)} AND id IN (SELECT ${q(OWNER)} FROM ${rows} WHERE ${t} = ${$(2)} AND ${q(MEMBER)} = ${$(3)})`,
          [tenant, tenant, id],
        );
        await db.execute(`DELETE FROM ${rows} WHERE ${t} = ${$(1)} AND ${q(MEMBER)} = ${$(2)}`, [tenant, id]);
      }
      await db.execute(`DELETE FROM ${q(table.table)} WHERE ${t} = ${$(1)} AND id = ${$(2)}`, [tenant, id]);
      if (event) await insertEvent(db, this.driver, completeEvent(event, tenant, id, null));
      await bumpCount(db, this.dialect, tenant, table, -1);
    }, 'write');
  }

  purgeDeleted(before: string): Promise<number> {
    return purgeDeleted(this.driver, before);
  }

  ping(): Promise<void> {
    return this.driver.ping();
  }

  async close(): Promise<void> {
    await Promise.all([this.driver.close(), this.outboxDriver?.close()]);
  }

  /** The indexable condition a lookup adds to a list's filter, where the database has the index. */
  private elementLookup(tenant: TenantKey, table: TablePlan, lookup: ElementLookup, p: Params): string | undefined {
    const { dialect, q } = this;
    if (dialect.elementTables) {
      const { resource, value } = ELEMENT_COLUMNS;
      const key = elementKey(lookup.value, dialect.elementTables.keyLength);
      // Bound first, as it comes first: MySQL's placeholders are positional.
      const inTenant = `${this.t} = ${p.add(tenant)}`;
      // A value longer than a key is keyed by its prefix: equal values have equal prefixes.
      const test = lookup.op === 'eq' ? `= ${p.add(key)}` : `LIKE ${p.add(likePrefix(key))} ESCAPE '!'`;
      const where = `${inTenant} AND ${q(value)} ${test}`;
      return `r.id IN (SELECT ${q(resource)} FROM ${q(elementTable(table, lookup.index))} WHERE ${where})`;
    }
    if (dialect.elementIndexLookup && lookup.op === 'eq') {
      return dialect.elementIndexLookup(`r.${q('document')}`, lookup.index, p.add(lookup.value));
    }
    return undefined;
  }

  /**
   * Brings a resource's rows in its element tables (element-tables.ts) in line with `stored`.
   * Rows change by primary key only (position by position), so a write locks its own rows and
   * no gaps between other resources' rows: concurrent writes to different users never wait on,
   * or deadlock with, each other here. Deleted resources lose their rows by ON DELETE CASCADE.
   */
  private async writeElementKeys(
    db: SqlConnection,
    tenant: TenantKey,
    table: TablePlan,
    id: string,
    stored: ScimObject,
    existing: boolean,
  ): Promise<void> {
    const { dialect, q, t } = this;
    if (!dialect.elementTables) return;
    const { resource, position, value } = ELEMENT_COLUMNS;
    const $ = dialect.placeholder;
    for (const index of table.elementIndexes) {
      const name = q(elementTable(table, index));
      const keys = elementKeys(stored, index, dialect.elementTables.keyLength);
      // The resource's row is locked, so no other write changes these rows before commit.
      const before = existing
        ? await db.query<{ position: number | string; folded: string }>(
            `SELECT ${q(position)} AS position, ${q(value)} AS folded FROM ${name} WHERE ${t} = ${$(1)} AND ${q(resource)} = ${$(2)}`,
            [tenant, id],
          )
        : [];
      const old = new Map(before.map((row) => [Number(row.position), row.folded]));
      const added: number[] = [];
      for (const [i, key] of keys.entries()) {
        if (!old.has(i)) added.push(i);
        else if (old.get(i) !== key) {
          await db.execute(
            `UPDATE ${name} SET ${q(value)} = ${$(1)} WHERE ${t} = ${$(2)} AND ${q(resource)} = ${$(3)} AND ${q(position)} = ${$(4)}`,
            [key, tenant, id, i],
          );
        }
      }
      for (const i of old.keys()) {
        if (i >= keys.length) {
          await db.execute(`DELETE FROM ${name} WHERE ${t} = ${$(1)} AND ${q(resource)} = ${$(2)} AND ${q(position)} = ${$(3)}`, [tenant, id, i]);
        }
      }
      if (added.length > 0) {
        const p = this.params();
        const rows = added.map((i) => `(${p.list([tenant, id, i, keys[i]])})`);
        await db.execute(`INSERT INTO ${name} (${t}, ${q(resource)}, ${q(position)}, ${q(value)}) VALUES ${rows.join(', ')}`, p.values);
      }
    }
  }

  private rowColumns(groups?: GroupsColumns): string {
    const columns = ['id', 'version', 'created', 'last_modified', 'document'].map((c) => `r.${this.q(c)}`).join(', ');
    return `${columns}${groups?.sql ?? ''}`;
  }

  /**
   * The columns that bring a row's `groups` along in its own statement: per owner table, a
   * correlated subquery aggregating that member's rows (found by the member index) into one
   * JSON array. One statement instead of a second lookup per read: reading a user is the most
   * frequent request an identity provider sends. Built once per table; undefined when the type
   * shows no groups. Binds nothing, so the columns may precede a filter's "?" placeholders.
   */
  private groupsColumns(table: TablePlan): GroupsColumns | undefined {
    if (!table.showsGroups) return undefined;
    let columns = this.groupsColumnsByTable.get(table.table);
    if (columns) return columns;
    const { dialect, q } = this;
    const owners = membershipOwners(this.plan, table.resourceType);
    const sql = owners.map((owner, i) => {
      const display = firstNonNull(owner.displayColumns.map((c) => `nullif(o.${q(c)}, '')`));
      const entries = dialect.jsonArrayAgg([`m.${q(dialect.membershipSequence)}`, `m.${q(OWNER)}`, display]);
      return (
        `, (SELECT ${entries} FROM ${q(owner.membership!.table)} m ` +
        `JOIN ${q(owner.table)} o ON o.${this.t} = m.${this.t} AND o.id = m.${q(OWNER)} ` +
        `WHERE m.${this.t} = r.${this.t} AND m.${q(MEMBER)} = r.id AND m.${q(MEMBER_TYPE)} = ${typeName(table.resourceType)}) ` +
        `AS ${q(`groups_${i}`)}`
      );
    });
    columns = { sql: sql.join(''), owners };
    this.groupsColumnsByTable.set(table.table, columns);
    return columns;
  }

  /**
   * Locks the row for the rest of the transaction and returns its version and display name;
   * 404 when absent, 412 when the caller expected another version.
   */
  private async lock(
    db: SqlConnection,
    tenant: TenantKey,
    table: TablePlan,
    id: string,
    ifVersion: number | undefined,
  ): Promise<{ version: number; display: string | null }> {
    const { q, t } = this;
    const $ = this.dialect.placeholder;
    const display = firstNonNull(table.displayColumns.map((c) => `nullif(${q(c)}, '')`));
    const [row] = await db.query<{ version: number | string; display: string | null }>(
      `SELECT version, ${display} AS display FROM ${q(table.table)} WHERE ${t} = ${$(1)} AND id = ${$(2)} FOR UPDATE`,
      [tenant, id],
    );
    if (!row) throw notFound(`${table.resourceType} ${id} not found`);
    const version = Number(row.version);
    if (ifVersion !== undefined && version !== ifVersion) {
      throw preconditionFailed(`${table.resourceType} ${id} has changed (version ${version}, expected ${ifVersion})`);
    }
    return { version, display: row.display };
  }

  /**
   * A member's representation may list its groups (User.groups), so its version — its ETag —
   * must change when they do. Bumps the members given (or all of the owner's) whose type shows
   * its groups; runs inside the caller's transaction, before membership rows are deleted.
   */
  private async touchMembers(
    db: SqlConnection,
    tenant: TenantKey,
    owner: TablePlan,
    ownerId: string,
    memberIds: readonly string[] | 'all',
  ): Promise<void> {
    if (memberIds !== 'all' && memberIds.length === 0) return;
    const { q, t } = this;
    const rows = q(owner.membership!.table);
    for (const typeName of owner.membership!.memberTypes) {
      if (!tableFor(this.plan, typeName).showsGroups) continue;
      const members = q(tableFor(this.plan, typeName).table);
      if (memberIds === 'all') {
        const p = this.params();
        await db.execute(
          `UPDATE ${members} SET version = version + 1 WHERE ${t} = ${p.add(tenant)} AND id IN ` +
            `(SELECT ${q(MEMBER)} FROM ${rows} WHERE ${t} = ${p.add(tenant)} AND ${q(OWNER)} = ${p.add(ownerId)} ` +
            `AND ${q(MEMBER_TYPE)} = ${p.add(typeName)})`,
          p.values,
        );
        continue;
      }
      for (let start = 0; start < memberIds.length; start += IDS_PER_QUERY) {
        const p = this.params();
        const chunk = memberIds.slice(start, start + IDS_PER_QUERY);
        const inTenant = `${t} = ${p.add(tenant)}`;
        await db.execute(`UPDATE ${members} SET version = version + 1 WHERE ${inTenant} AND id IN (${p.list(chunk)})`, p.values);
      }
    }
  }

  /**
   * Adds members by id (idempotent), in the order given; every id must name a resource of a
   * member type. Returns the ids newly added. The members' rows stay locked until commit, so a
   * concurrent delete of one cannot leave a membership row behind.
   */
  private async addMembers(
    db: SqlConnection,
    tenant: TenantKey,
    table: TablePlan,
    owner: string,
    ids: readonly string[],
  ): Promise<string[]> {
    const membership = table.membership!;
    const wanted = [...new Set(ids)];
    for (const id of wanted) {
      if (typeof id !== 'string') throw unknownMember(membership.memberTypes, id);
    }
    const typeOf = new Map<string, string>();
    for (const name of membership.memberTypes) {
      const pending = wanted.filter((id) => !typeOf.has(id));
      for (let start = 0; start < pending.length; start += IDS_PER_QUERY) {
        const p = this.params();
        const chunk = pending.slice(start, start + IDS_PER_QUERY);
        // Only the tenant's own: another tenant's id is as unknown here as one that names nothing.
        const inTenant = `${this.t} = ${p.add(tenant)}`;
        const found = await db.query<{ id: string }>(
          `SELECT id FROM ${this.q(tableFor(this.plan, name).table)} WHERE ${inTenant} AND id IN (${p.list(chunk)}) ORDER BY id FOR UPDATE`,
          p.values,
        );
        for (const { id } of found) typeOf.set(id, name);
      }
    }
    const missing = wanted.find((id) => !typeOf.has(id));
    if (missing !== undefined) throw unknownMember(membership.memberTypes, missing);

    const insert = this.dialect.insertIgnoring(membership.table, [TENANT_COLUMN, OWNER, MEMBER, MEMBER_TYPE]);
    const added: string[] = [];
    for (const id of wanted) {
      if ((await db.execute(insert, [tenant, owner, id, typeOf.get(id)])) > 0) added.push(id);
    }
    return added;
  }

  private async read(
    db: SqlConnection,
    tenant: TenantKey,
    table: TablePlan,
    id: string,
    options: ReadOptions,
  ): Promise<StoredResource | undefined> {
    const p = this.params();
    const groups = options.withGroups ? this.groupsColumns(table) : undefined;
    const [row] = await db.query<Row>(
      `SELECT ${this.rowColumns(groups)} FROM ${this.q(table.table)} r WHERE r.${this.t} = ${p.add(tenant)} AND r.id = ${p.add(id)}`,
      p.values,
    );
    if (!row) return undefined;
    const members =
      options.withMembers && table.membership ? ((await this.membersOf(db, tenant, table, [id])).get(id) ?? []) : undefined;
    return toResource(row, members, groups);
  }

  /** Members of these owners, in the order they were added, with `display` joined in. */
  private async membersOf(
    db: SqlConnection,
    tenant: TenantKey,
    table: TablePlan,
    owners: readonly string[],
  ): Promise<Map<string, Member[]>> {
    const result = new Map<string, Member[]>();
    const membership = table.membership!;
    const { q, t } = this;
    for (let start = 0; start < owners.length; start += IDS_PER_QUERY) {
      const p = this.params();
      const joins: string[] = [];
      const displays: string[] = [];
      membership.memberTypes.forEach((name, i) => {
        const target = tableFor(this.plan, name);
        const alias = `t${i}`;
        joins.push(
          `LEFT JOIN ${q(target.table)} ${alias} ON m.${q(MEMBER_TYPE)} = ${p.add(name)} ` +
            `AND ${alias}.${t} = m.${t} AND ${alias}.id = m.${q(MEMBER)}`,
        );
        for (const c of target.displayColumns) displays.push(`nullif(${alias}.${q(c)}, '')`);
      });
      const sql =
        `SELECT m.${q(OWNER)} AS owner, m.${q(MEMBER)} AS value, m.${q(MEMBER_TYPE)} AS type, ${firstNonNull(displays)} AS display ` +
        `FROM ${q(membership.table)} m ${joins.join(' ')} ` +
        `WHERE m.${t} = ${p.add(tenant)} AND m.${q(OWNER)} IN (${p.list(owners.slice(start, start + IDS_PER_QUERY))}) ` +
        `ORDER BY m.${q(this.dialect.membershipSequence)}`;
      const rows = await db.query<Member & { owner: string; display: string | null }>(sql, p.values);
      for (const { owner, value, type, display } of rows) {
        const list = result.get(owner) ?? [];
        list.push(display === null ? { value, type } : { value, type, display });
        result.set(owner, list);
      }
    }
    return result;
  }
}

const unknownMember = (memberTypes: readonly string[], id: unknown) =>
  badRequest('invalidValue', `Member "${String(id)}" is not a ${memberTypes.join(' or ')}`);

/** The document stored for a resource: its attributes minus members, which have a table. */
function documentOf(table: TablePlan, attributes: ScimObject): ScimObject {
  if (!table.membership) return attributes;
  const { [table.membership.attribute]: _members, ...rest } = attributes;
  return rest;
}

/** What members show as this owner's `display`: its first non-empty display column, as SQL's firstNonNull. */
function displayOf(table: TablePlan, indexed: Record<string, string | null>): string | null {
  return table.displayColumns.map((c) => indexed[c]).find((v) => v !== null && v !== undefined && v !== '') ?? null;
}

/** SQL for the first non-NULL of these expressions. */
function firstNonNull(exprs: string[]): string {
  if (exprs.length <= 1) return exprs[0] ?? 'NULL';
  return `coalesce(${exprs.join(', ')})`;
}

/**
 * A resource type name as an SQL string: names are letters and digits (the generator refuses
 * others), and the migrations' CHECK constraints spell them the same way.
 */
const typeName = (name: string) => `'${name.replaceAll("'", "''")}'`;

/** Timestamps are ISO strings the store wrote; a driver may hand back a Date for them. */
const isoString = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));

function toResource(row: Row, members: Member[] | undefined, groups?: GroupsColumns): StoredResource {
  const resource: StoredResource = {
    id: row.id,
    attributes: (typeof row.document === 'string' ? JSON.parse(row.document) : row.document) as ScimObject,
    version: Number(row.version),
    created: isoString(row.created),
    lastModified: isoString(row.last_modified),
  };
  if (members) resource.members = members;
  if (groups) resource.groups = groups.owners.flatMap((owner, i) => memberships(owner, row[`groups_${i}`]));
  return resource;
}

/** One owner table's subquery result as `groups` entries, in the order the memberships were made. */
function memberships(owner: TablePlan, aggregated: unknown): MemberOf[] {
  // JSON text (MySQL with jsonStrings, MariaDB's JSON is text) or parsed (pg); NULL over no rows.
  const rows = (typeof aggregated === 'string' ? JSON.parse(aggregated) : (aggregated ?? [])) as Array<
    [seq: number | string, value: string, display: string | null]
  >;
  // MySQL's JSON_ARRAYAGG takes no ORDER BY: the rows come in whatever order the plan reads them.
  if (rows.length > 1) rows.sort((a, b) => Number(a[0]) - Number(b[0]));
  return rows.map(([, value, display]) =>
    display === null ? { value, type: owner.resourceType } : { value, type: owner.resourceType, display },
  );
}
