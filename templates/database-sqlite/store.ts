// ResourceStore on SQLite (better-sqlite3). Every write is one IMMEDIATE transaction, so it holds
// the write lock from its first statement; uniqueness is decided by UNIQUE indexes; membership
// changes are row deltas; filtering, counting, sorting and paging all happen in SQL. A member's
// `groups` are kept in its own row (member-of.ts), refreshed by every write that changes them.

import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { badRequest, notFound, preconditionFailed, conflict, ScimError, serviceUnavailable } from '../scim/errors.js';
import { SqlParams, type SqlScope } from '../scim/filter/sql-dialect.js';
import { compileFilter, compileKeysetAfter, compileOrderBy, compileSortKey } from '../scim/filter/sql.js';
import type { Registry, ResourceTypeModel } from '../scim/registry.js';
import { completeEvent, type EventDraft } from '../scim/events.js';
import {
  BASE_COLUMNS,
  DELETED_TABLE,
  GROUPS_COLUMN,
  indexedValues,
  MEMBERSHIP_COLUMNS,
  membershipOwners,
  STATE_TABLE,
  storagePlan,
  TENANT_COLUMN,
  tableFor,
  type StoragePlan,
  type TablePlan,
} from '../scim/storage.js';
import { BUMP_COUNT, COUNT_OF } from './counts.js';
import type { KeyValueStore } from '../scim/key-value.js';
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
import { registerFunctions, sqliteDialect as dialect } from './dialect.js';
import { insertEvent, purgeDeleted, SqliteEventLog } from './events.js';
import { firstNonNull, memberOfSql } from './member-of.js';
import { migrate } from './migrate.js';
import { StatementCache } from './statements.js';
import { SqliteOutbox } from './outbox.js';
import { SqliteTenantDirectory } from './tenants.js';

export interface SqliteStoreOptions {
  file: string;
  registry: Registry;
  migrationsDir: string;
  logger?: { info(...args: unknown[]): void };
  /** How long a write waits for another connection's lock before failing with 503; default 5000. */
  busyTimeoutMs?: number;
}

/**
 * A resource row as `selectRows` reads it, in column order (raw statements: arrays cost less to
 * build than objects, and every read of a resource builds one). The groups column is selected
 * only when they are shown.
 */
type Row = [id: string, version: number, created: string, lastModified: string, document: string, memberOf?: string];

const q = dialect.quoteId;
/** `tenant = ?`: the first condition of every statement that reads or writes rows. */
const T = q(TENANT_COLUMN);
const { owner: OWNER, member: MEMBER, type: MEMBER_TYPE } = MEMBERSHIP_COLUMNS;
const ROW_COLUMNS = ['id', 'version', 'created', 'last_modified', 'document'].map((c) => `r.${q(c)}`).join(', ');
const GROUPS = `, r.${q(GROUPS_COLUMN)}`;
/** Ids bound in one statement; far below SQLite's bound-parameter limit (32766 since 3.32, 999 before). */
const IDS_PER_QUERY = 500;

export async function openSqliteStore(options: SqliteStoreOptions): Promise<ResourceStore> {
  const db = new Database(options.file);
  try {
    db.pragma('journal_mode = WAL');
    // Reads take pages straight from the OS page cache through a memory map instead of copying
    // them into SQLite's own cache: a userName lookup costs less CPU. Writes still go through the
    // journal as before. A limit, not an allocation: the file's size is what gets mapped.
    db.pragma('mmap_size = 1073741824');
    // Writers wait for each other instead of failing at once (another process may hold the lock).
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    registerFunctions(db);
    const applied = migrate(db, options.migrationsDir);
    if (applied.length > 0) options.logger?.info({ migrations: applied }, 'applied database migrations');
    const plan = storagePlan(options.registry);
    checkTables(db, plan);
    return new SqliteStore(db, plan);
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Fails at start, with the column named, when the migrations do not match the schemas. */
function checkTables(db: Database.Database, plan: StoragePlan): void {
  const columnsOf = (table: string) =>
    new Set(db.prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)').all(table).map((c) => c.name));
  for (const table of plan.tables) {
    const wanted: Array<[string, string[]]> = [
      [
        table.table,
        [
          ...BASE_COLUMNS,
          TENANT_COLUMN,
          ...table.columns.flatMap((c) => (c.foldColumn ? [c.column, c.foldColumn] : [c.column])),
          ...(table.showsGroups ? [GROUPS_COLUMN] : []),
        ],
      ],
    ];
    if (table.membership) wanted.push([table.membership.table, [TENANT_COLUMN, OWNER, MEMBER, MEMBER_TYPE]]);
    for (const [name, columns] of wanted) {
      const have = columnsOf(name);
      const absent = columns.find((c) => !have.has(c));
      if (absent) {
        throw new Error(
          `Table ${name} has no column ${absent}: the database migrations do not match the SCIM schemas. ` +
            'Run "npm run scim:generate" to add a migration.',
        );
      }
    }
  }
}

/** Maps SQLite failures to SCIM outcomes; anything unforeseen stays a 500. */
function translate(error: unknown, table: TablePlan): unknown {
  if (error instanceof ScimError || !(error instanceof Database.SqliteError)) return error;
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: users.tenant, users.user_name_fold": the last column names it.
    const column = /(\w+)$/.exec(error.message)?.[1];
    const taken = table.columns.find((c) => c.column === column || c.foldColumn === column);
    return conflict(`A ${table.resourceType} with this ${taken?.attribute ?? 'id'} already exists`);
  }
  if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/.test(error.code)) {
    return serviceUnavailable(`The database is unavailable (${error.code}); retry later`);
  }
  return error;
}

class SqliteStore implements ResourceStore {
  readonly state: KeyValueStore;
  readonly tenants: SqliteTenantDirectory;
  readonly outbox: SqliteOutbox;
  readonly events: SqliteEventLog;
  private readonly statements: StatementCache;
  /** Runs the function it is given in a transaction; made once, as each one made costs a set of wrappers. */
  private readonly transaction: Database.Transaction<(work: () => unknown) => unknown>;
  /** member-of.ts SQL by member table name; the plan never changes, so each is built once. */
  private readonly memberOf = new Map<string, string>();
  /** Per table: `SELECT <Row columns> FROM <table> r`, without and with groups; built once. */
  private readonly selects = new Map<TablePlan, [plain: string, withGroups: string]>();

  constructor(
    private readonly db: Database.Database,
    private readonly plan: StoragePlan,
  ) {
    this.statements = new StatementCache(db);
    this.transaction = db.transaction((work: () => unknown) => work());
    this.state = sqliteKeyValue(this.statements);
    this.tenants = new SqliteTenantDirectory(db, this.statements, plan);
    this.outbox = new SqliteOutbox(db, this.statements);
    this.events = new SqliteEventLog(this.statements);
  }

  private sql(text: string): Database.Statement {
    return this.statements.get(text);
  }

  /**
   * Runs `work` on the type's table: a write in an IMMEDIATE transaction; a read of several
   * statements in a deferred one, so that a count and its page see one snapshot; and a single
   * statement by itself, as it sees one snapshot anyway and BEGIN and COMMIT would add to its cost.
   */
  private run<T>(type: ResourceTypeModel, work: (table: TablePlan) => T, mode: 'write' | 'read' | 'statement'): Promise<T> {
    const table = tableFor(this.plan, type.def.name);
    try {
      const inTable = () => work(table);
      if (mode === 'statement') return Promise.resolve(inTable());
      return Promise.resolve((mode === 'write' ? this.transaction.immediate(inTable) : this.transaction.deferred(inTable)) as T);
    } catch (error) {
      return Promise.reject(translate(error, table));
    }
  }

  create(
    tenant: TenantKey,
    type: ResourceTypeModel,
    attributes: ScimObject,
    members: string[],
    event?: EventDraft,
  ): Promise<StoredResource> {
    return this.run(type, (table) => {
      const id = randomUUID();
      const now = new Date().toISOString();
      this.writeRow(tenant, table, 'insert', id, documentOf(table, attributes), now, 1);
      if (table.membership) this.touchMembers(tenant, table, id, this.addMembers(tenant, table, id, members));
      if (event) insertEvent(this.statements, completeEvent(event, tenant, id, 1));
      this.sql(BUMP_COUNT).run(tenant, table.table, 1);
      // Nothing can list a resource created just now among its members: no groups to read.
      return this.read(tenant, table, id, { withMembers: true, withGroups: false })!;
    }, 'write');
  }

  get(tenant: TenantKey, type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined> {
    // Groups are in the row itself; members take a second statement, so a transaction.
    return this.run(type, (table) => this.read(tenant, table, id, options), options.withMembers ? 'read' : 'statement');
  }

  list(tenant: TenantKey, type: ResourceTypeModel, query: ListQuery): Promise<ListResult> {
    return this.run(type, (table) => {
      const scope: SqlScope = { type, plan: this.plan, table, dialect, alias: 'r' };
      const params = new SqlParams(dialect);
      // The tenant first: every index of the table leads with it.
      const where = ` WHERE r.${T} = ${params.bind(tenant)}${query.filter ? ` AND (${compileFilter(query.filter, scope, params)})` : ''}`;
      const from = `FROM ${q(table.table)} r${where}`;
      const filterValues = [...params.values];
      // The total: the table's count row when unfiltered (counts.ts), else a COUNT through the filter's indexes.
      const [total, totalValues] = query.filter ? [`(SELECT COUNT(*) ${from})`, filterValues] : [COUNT_OF, [tenant, table.table]];
      const count = () => (this.sql(`SELECT ${total} AS total`).get(...totalValues) as { total: number }).total;
      if (query.count === 0) return { totalResults: count(), resources: [] };
      if (query.keyset) {
        const keyset = query.keyset;
        return this.transaction.deferred(() => this.keysetPage(tenant, scope, query, keyset.after, params, where, count)) as ListResult;
      }

      const order = compileOrderBy(query.sortBy, query.sortOrder === 'descending', scope, params);
      const groups = query.withGroups && table.showsGroups === true;
      // One statement per page: the total rides in each row (its first column), counted in the
      // same snapshot as the rows. CAST: SQLite plans with the value of a LIMIT or OFFSET that
      // is a bare parameter, so it re-prepares the statement whenever that is bound anew.
      const statement = this.statements.get(
        `SELECT ${total} AS total, ${this.selectRows(table, groups).slice('SELECT '.length)}${where} ` +
          `ORDER BY ${order} LIMIT CAST(? AS INTEGER) OFFSET CAST(? AS INTEGER)`,
        'raw',
      );
      // Positionally: the total's values, then the rows'.
      const values = [...totalValues, ...params.values, query.count, query.startIndex - 1];
      const page = (): ListResult => {
        const rows = statement.all(...values) as Array<[number, ...Row]>;
        // No row to carry the total: none at all, or a page past the end (counted on its own).
        const totalResults = rows.length > 0 ? rows[0]![0] : query.startIndex === 1 ? 0 : count();
        const resources = rows.map((row) => (row.shift(), row as unknown as Row));
        const members = withMembers ? this.membersOf(tenant, table, resources.map((r) => r[0])) : undefined;
        return { totalResults, resources: resources.map((row) => toResource(row, members && (members.get(row[0]) ?? []))) };
      };
      const withMembers = query.withMembers && table.membership !== undefined;
      // Members take a second statement: in a transaction with the page, so both describe one moment.
      return withMembers ? (this.transaction.deferred(page) as ListResult) : page();
    }, 'statement');
  }

  /**
   * A cursor page (RFC 9865), in a transaction with its COUNT: `count` rows after the keyset
   * position, one more to learn whether another page follows, and the last row's sort value.
   */
  private keysetPage(
    tenant: TenantKey,
    scope: SqlScope,
    query: ListQuery,
    after: KeysetPosition | null,
    params: SqlParams,
    where: string,
    count: () => number,
  ): ListResult {
    const { table } = scope;
    const descending = query.sortOrder === 'descending';
    const keyset = after ? compileKeysetAfter(query.sortBy, descending, after, scope, params) : undefined;
    const condition = keyset ? `${where} AND ${keyset}` : where;
    const order = compileOrderBy(query.sortBy, descending, scope, params);
    const groups = query.withGroups && table.showsGroups === true;
    const rows = this.statements
      .get(`${this.selectRows(table, groups)}${condition} ORDER BY ${order} LIMIT CAST(? AS INTEGER)`, 'raw')
      .all(...params.values, query.count + 1) as Row[];
    const more = rows.length > query.count;
    if (more) rows.length = query.count;
    const last = rows[rows.length - 1];
    let next: KeysetPosition | undefined;
    if (more && last) {
      let value: unknown = null;
      if (query.sortBy) {
        const p = new SqlParams(dialect);
        const key = compileSortKey(query.sortBy, scope, p).expr;
        value = this.statements
          .get(`SELECT ${key} FROM ${q(table.table)} r WHERE r.${T} = ? AND r.id = ?`, 'pluck')
          .get(...p.values, tenant, last[0]);
      }
      next = [(value ?? null) as string | number | null, last[2], last[0]];
    }
    const members = query.withMembers && table.membership ? this.membersOf(tenant, table, rows.map((r) => r[0])) : undefined;
    return {
      totalResults: count(),
      resources: rows.map((row) => toResource(row, members && (members.get(row[0]) ?? []))),
      ...(next ? { next } : {}),
    };
  }

  update(tenant: TenantKey, type: ResourceTypeModel, id: string, request: UpdateRequest, event?: EventDraft): Promise<StoredResource> {
    return this.run(type, (table) => {
      const current = this.version(tenant, table, id, request.ifVersion);
      const now = new Date().toISOString();
      if (request.attributes) {
        const displayBefore = table.membership ? this.display(tenant, table, id) : undefined;
        this.writeRow(tenant, table, 'update', id, documentOf(table, request.attributes), now, current + 1);
        // A rename shows in every member's `groups[].display`.
        if (table.membership && this.display(tenant, table, id) !== displayBefore) this.touchMembers(tenant, table, id, 'all');
      } else {
        this.sql(`UPDATE ${q(table.table)} SET version = ?, last_modified = ? WHERE ${T} = ? AND id = ?`)
          .run(current + 1, now, tenant, id);
      }
      const change = request.members;
      if (change && table.membership) {
        const rows = q(table.membership.table);
        if (change.removeAll) {
          const gone = this.memberIds(tenant, table, id);
          this.sql(`DELETE FROM ${rows} WHERE ${T} = ? AND ${q(OWNER)} = ?`).run(tenant, id);
          this.touchMembers(tenant, table, id, gone);
        }
        const remove = this.sql(`DELETE FROM ${rows} WHERE ${T} = ? AND ${q(OWNER)} = ? AND ${q(MEMBER)} = ?`);
        this.touchMembers(tenant, table, id, (change.remove ?? []).filter((member) => remove.run(tenant, id, member).changes > 0));
        this.touchMembers(tenant, table, id, this.addMembers(tenant, table, id, change.add ?? []));
      }
      if (event) insertEvent(this.statements, completeEvent(event, tenant, id, current + 1));
      return this.read(tenant, table, id, request)!;
    }, 'write');
  }

  delete(tenant: TenantKey, type: ResourceTypeModel, id: string, options: DeleteOptions, event?: EventDraft): Promise<void> {
    return this.run(type, (table) => {
      this.version(tenant, table, id, options.ifVersion);
      if (options.soft) {
        // Kept aside, out of the table: no read, filter, count or unique index sees it any more.
        this.sql(
          `INSERT INTO ${q(DELETED_TABLE)} (${T}, resource_type, id, version, created, deleted, document) ` +
            `SELECT ${T}, ?, id, version, created, ?, document FROM ${q(table.table)} WHERE ${T} = ? AND id = ?`,
        ).run(table.resourceType, new Date().toISOString(), tenant, id);
      }
      const members = table.membership ? this.memberIds(tenant, table, id) : [];
      // Its rows as a member of any group; its own membership rows go by ON DELETE CASCADE.
      // Those groups lose a member, so their representation, and version, change too.
      for (const other of membershipOwners(this.plan, table.resourceType)) {
        const rows = q(other.membership!.table);
        this.sql(
          `UPDATE ${q(other.table)} SET version = version + 1 ` +
            `WHERE ${T} = ? AND id IN (SELECT ${q(OWNER)} FROM ${rows} WHERE ${T} = ? AND ${q(MEMBER)} = ?)`,
        ).run(tenant, tenant, id);
        this.sql(`DELETE FROM ${rows} WHERE ${T} = ? AND ${q(MEMBER)} = ?`).run(tenant, id);
      }
      this.sql(`DELETE FROM ${q(table.table)} WHERE ${T} = ? AND id = ?`).run(tenant, id);
      this.sql(BUMP_COUNT).run(tenant, table.table, -1);
      // Its members lost a group: refreshed once their rows naming it are gone.
      if (table.membership) this.touchMembers(tenant, table, id, members);
      if (event) insertEvent(this.statements, completeEvent(event, tenant, id, null));
    }, 'write');
  }

  purgeDeleted(before: string): Promise<number> {
    return purgeDeleted(this.statements, before);
  }

  async ping(): Promise<void> {
    try {
      this.sql('SELECT 1').get();
    } catch (error) {
      throw error instanceof Database.SqliteError ? serviceUnavailable('The database is unavailable') : error;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** The stored version; 404 when absent, 412 when the caller expected another. */
  private version(tenant: TenantKey, table: TablePlan, id: string, ifVersion: number | undefined): number {
    const row = this.sql(`SELECT version FROM ${q(table.table)} WHERE ${T} = ? AND id = ?`).get(tenant, id) as
      | { version: number }
      | undefined;
    if (!row) throw notFound(`${table.resourceType} ${id} not found`);
    if (ifVersion !== undefined && row.version !== ifVersion) {
      throw preconditionFailed(`${table.resourceType} ${id} has changed (version ${row.version}, expected ${ifVersion})`);
    }
    return row.version;
  }

  private writeRow(
    tenant: TenantKey,
    table: TablePlan,
    mode: 'insert' | 'update',
    id: string,
    stored: ScimObject,
    now: string,
    version: number,
  ): void {
    const document = JSON.stringify(stored);
    const indexed = indexedValues(table, stored);
    const names = Object.keys(indexed);
    const values = names.map((n) => indexed[n]);
    if (mode === 'insert') {
      const columns = [TENANT_COLUMN, 'id', 'version', 'created', 'last_modified', 'document', ...names];
      this.sql(`INSERT INTO ${q(table.table)} (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
        .run(tenant, id, version, now, now, document, ...values);
      return;
    }
    const sets = ['version', 'last_modified', 'document', ...names].map((c) => `${q(c)} = ?`).join(', ');
    this.sql(`UPDATE ${q(table.table)} SET ${sets} WHERE ${T} = ? AND id = ?`).run(version, now, document, ...values, tenant, id);
  }

  /**
   * A member's representation may list its groups (User.groups): when they change, its version
   * (its ETag) is bumped and its copy of them (member-of.ts) recomputed. For the members given,
   * or all of the owner's current members; runs inside the caller's transaction, after the
   * membership rows changed.
   */
  private touchMembers(tenant: TenantKey, owner: TablePlan, ownerId: string, memberIds: readonly string[] | 'all'): void {
    if (memberIds !== 'all' && memberIds.length === 0) return;
    const rows = q(owner.membership!.table);
    for (const typeName of owner.membership!.memberTypes) {
      const members = tableFor(this.plan, typeName);
      if (!members.showsGroups) continue;
      const t = q(members.table);
      const set = `UPDATE ${t} SET version = version + 1, ${q(GROUPS_COLUMN)} = ${this.memberOfSql(members)}`;
      if (memberIds === 'all') {
        this.sql(`${set} WHERE ${T} = ? AND id IN (SELECT ${q(MEMBER)} FROM ${rows} WHERE ${T} = ? AND ${q(OWNER)} = ?)`)
          .run(tenant, tenant, ownerId);
        continue;
      }
      for (let start = 0; start < memberIds.length; start += IDS_PER_QUERY) {
        const chunk = memberIds.slice(start, start + IDS_PER_QUERY);
        this.sql(`${set} WHERE ${T} = ? AND id IN (${chunk.map(() => '?').join(', ')})`).run(tenant, ...chunk);
      }
    }
  }

  private memberOfSql(members: TablePlan): string {
    let sql = this.memberOf.get(members.table);
    if (sql === undefined) this.memberOf.set(members.table, (sql = memberOfSql(this.plan, members, q(members.table))));
    return sql;
  }

  /** The owner's member ids, read before its membership rows go. */
  private memberIds(tenant: TenantKey, owner: TablePlan, ownerId: string): string[] {
    return this.statements
      .get(`SELECT ${q(MEMBER)} FROM ${q(owner.membership!.table)} WHERE ${T} = ? AND ${q(OWNER)} = ?`, 'pluck')
      .all(tenant, ownerId) as string[];
  }

  /** The owner's display value as members show it in `groups[].display`. */
  private display(tenant: TenantKey, table: TablePlan, id: string): unknown {
    const expr = firstNonNull(table.displayColumns.map((c) => `nullif(${q(c)}, '')`));
    return this.statements.get(`SELECT ${expr} FROM ${q(table.table)} WHERE ${T} = ? AND id = ?`, 'pluck').get(tenant, id);
  }

  /** Adds members by id (idempotent); every id must name a resource of a member type. Returns the ids newly added. */
  private addMembers(tenant: TenantKey, table: TablePlan, owner: string, ids: readonly string[]): string[] {
    const membership = table.membership!;
    const insert = this.sql(
      `INSERT OR IGNORE INTO ${q(membership.table)} (${T}, ${q(OWNER)}, ${q(MEMBER)}, ${q(MEMBER_TYPE)}) VALUES (?, ?, ?, ?)`,
    );
    // Another tenant's resource is no member candidate: its id is as unknown here as one that names nothing.
    const lookups = membership.memberTypes.map((name) => ({
      name,
      exists: this.statements.get(`SELECT 1 FROM ${q(tableFor(this.plan, name).table)} WHERE ${T} = ? AND id = ?`, 'pluck'),
    }));
    const added: string[] = [];
    for (const id of new Set(ids)) {
      const found = typeof id === 'string' ? lookups.find((l) => l.exists.get(tenant, id) !== undefined) : undefined;
      if (!found) {
        throw badRequest('invalidValue', `Member "${String(id)}" is not a ${membership.memberTypes.join(' or ')}`);
      }
      if (insert.run(tenant, owner, id, found.name).changes > 0) added.push(id);
    }
    return added;
  }

  private read(tenant: TenantKey, table: TablePlan, id: string, options: ReadOptions): StoredResource | undefined {
    const groups = options.withGroups && table.showsGroups === true;
    const row = this.statements.get(`${this.selectRows(table, groups)} WHERE r.${T} = ? AND r.id = ?`, 'raw').get(tenant, id) as
      | Row
      | undefined;
    if (!row) return undefined;
    const members = options.withMembers && table.membership ? (this.membersOf(tenant, table, [id]).get(id) ?? []) : undefined;
    return toResource(row, members);
  }

  /** `SELECT <Row columns> FROM <table> r`: what every read of resources starts with. */
  private selectRows(table: TablePlan, groups: boolean): string {
    let selects = this.selects.get(table);
    if (!selects) {
      const from = ` FROM ${q(table.table)} r`;
      this.selects.set(table, (selects = [`SELECT ${ROW_COLUMNS}${from}`, `SELECT ${ROW_COLUMNS}${GROUPS}${from}`]));
    }
    return selects[groups ? 1 : 0];
  }

  /** Members of these owners, in the order they were added, with `display` joined in. */
  private membersOf(tenant: TenantKey, table: TablePlan, owners: readonly string[]): Map<string, Member[]> {
    const result = new Map<string, Member[]>();
    if (owners.length === 0) return result;
    const membership = table.membership!;
    const joins: string[] = [];
    const displays: string[] = [];
    membership.memberTypes.forEach((name, i) => {
      const target = tableFor(this.plan, name);
      const alias = `t${i}`;
      joins.push(
        `LEFT JOIN ${q(target.table)} ${alias} ON m.${q(MEMBER_TYPE)} = ? AND ${alias}.${T} = m.${T} AND ${alias}.id = m.${q(MEMBER)}`,
      );
      for (const c of target.displayColumns) displays.push(`nullif(${alias}.${q(c)}, '')`);
    });
    const display = firstNonNull(displays);
    const sql =
      `SELECT m.${q(OWNER)} AS owner, m.${q(MEMBER)} AS value, m.${q(MEMBER_TYPE)} AS type, ${display} AS display ` +
      `FROM ${q(membership.table)} m ${joins.join(' ')} ` +
      `WHERE m.${T} = ? AND m.${q(OWNER)} IN (${owners.map(() => '?').join(', ')}) ORDER BY m.rowid`;
    const rows = this.sql(sql).all(...membership.memberTypes, tenant, ...owners) as Array<
      Member & { owner: string; display: string | null }
    >;
    for (const { owner, value, type, display: shown } of rows) {
      const list = result.get(owner) ?? [];
      list.push(shown === null ? { value, type } : { value, type, display: shown });
      result.set(owner, list);
    }
    return result;
  }
}

/** KeyValueStore over the state table; single statements, so each call is atomic by itself. */
function sqliteKeyValue(statements: StatementCache): KeyValueStore {
  const t = q(STATE_TABLE);
  const attempt = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(
        error instanceof Database.SqliteError ? serviceUnavailable(`The database is unavailable (${error.code})`) : error,
      );
    }
  };
  return {
    get: (key) =>
      attempt(() => {
        const row = statements.get(`SELECT value FROM ${t} WHERE key = ? AND expires_at > ?`, 'pluck').get(key, Date.now());
        return typeof row === 'string' ? row : undefined;
      }),
    set: (key, value, expiresAt) =>
      attempt(() => {
        statements.get(`INSERT OR REPLACE INTO ${t} (key, value, expires_at) VALUES (?, ?, ?)`).run(key, value, expiresAt.getTime());
      }),
    take: (key) =>
      attempt(() => {
        // DELETE ... RETURNING: the row is read and removed by one statement, so only one taker wins.
        const row = statements.get(`DELETE FROM ${t} WHERE key = ? RETURNING value, expires_at`).get(key) as
          | { value: string; expires_at: number }
          | undefined;
        return row && row.expires_at > Date.now() ? row.value : undefined;
      }),
    delete: (key) =>
      attempt(() => {
        statements.get(`DELETE FROM ${t} WHERE key = ?`).run(key);
      }),
    purgeExpired: () => attempt(() => statements.get(`DELETE FROM ${t} WHERE expires_at <= ?`).run(Date.now()).changes),
  };
}

/** The document stored for a resource: its attributes minus members, which have a table. */
function documentOf(table: TablePlan, attributes: ScimObject): ScimObject {
  if (!table.membership) return attributes;
  const { [table.membership.attribute]: _members, ...rest } = attributes;
  return rest;
}

function toResource([id, version, created, lastModified, document, memberOf]: Row, members: Member[] | undefined): StoredResource {
  const resource: StoredResource = { id, attributes: JSON.parse(document) as ScimObject, version, created, lastModified };
  if (members) resource.members = members;
  // Most users are in no group: no parse for those.
  if (memberOf !== undefined) resource.groups = memberOf === '[]' ? [] : (JSON.parse(memberOf) as MemberOf[]);
  return resource;
}
