// SqlDriver on node-postgres: a pg Pool, transactions with retry, and PostgreSQL's errors
// (SQLSTATE codes) as SCIM outcomes.

import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { badRequest, conflict, ScimError, serviceUnavailable } from '../scim/errors.js';
import type { TablePlan } from '../scim/storage.js';
import type { TenantKey } from '../scim/tenancy.js';
import type { SqlConnection, SqlDriver, TransactionOptions } from '../database-sql/driver.js';
import { postgresDialect } from './dialect.js';

/** Deadlocks and serialization failures: the transaction did nothing and may simply run again. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

/**
 * Lost, refused or exhausted connections. SQLSTATE classes 08 (connection exception),
 * 53 (insufficient resources, e.g. too many connections), 57P (the server is shutting down or
 * terminated the session); Node's socket errors; and node-postgres's own, which have no code.
 */
const UNAVAILABLE_CODES = /^(08|53|57P|ECONN|ETIMEDOUT$|EPIPE$|ENOTFOUND$|EAI_AGAIN$|EHOSTUNREACH$|ENETUNREACH$)/;
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect|Cannot use a pool after calling end)/;

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return UNAVAILABLE_MESSAGES.test(error.message);
}

const sqlState = (error: unknown) => (error instanceof pg.DatabaseError ? error.code : undefined);

/**
 * The setting row-level security policies read the tenant from (the migrations' policies):
 * `tenant = current_setting('scim.tenant')`. Set per connection, for the session, and only when
 * the connection last served another tenant: a single-tenant server sets it once per connection.
 */
export const TENANT_SETTING = 'scim.tenant';

export class PostgresDriver implements SqlDriver {
  readonly dialect = postgresDialect;
  /** Pooled connections already set up for the store. */
  private readonly sessions = new WeakSet<pg.PoolClient>();
  /** The tenant each pooled connection's `scim.tenant` names, as this driver last set it. */
  private readonly tenants = new WeakMap<pg.PoolClient, TenantKey>();

  constructor(readonly pool: pg.Pool) {}

  async transaction<T>(work: (connection: SqlConnection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work, options);
      } catch (error) {
        const again = error instanceof Retry ? error.cause : error;
        if (attempt >= ATTEMPTS || !(error instanceof Retry || RETRYABLE.has(sqlState(error) ?? ''))) throw again;
        // Jittered backoff, so the transactions that collided do not collide again.
        await sleep(Math.random() * 10 * attempt);
      }
    }
  }

  private async once<T>(work: (connection: SqlConnection) => Promise<T>, options: TransactionOptions): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client reports a dead socket as an 'error' event as well as by failing the
    // query in flight; without a listener that event would crash the process.
    let lost: unknown;
    const onError = (error: unknown) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      try {
        if (options.tenant !== undefined) await this.enter(client, options.tenant);
        // REPEATABLE READ gives a read one snapshot for all its statements (a count and its page).
        const begin = options.readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN';
        // A new connection is set to UTC first (dialect.ts dateTime), in the same round trip.
        await client.query(this.sessions.has(client) ? begin : `SET TIME ZONE 'UTC'; ${begin}`);
        this.sessions.add(client);
      } catch (error) {
        // A pooled connection that died while idle: nothing ran, so another one may try.
        if (isConnectionError(error)) {
          lost = error;
          throw new Retry(error);
        }
        throw error;
      }
      try {
        const result = await work(connectionOf(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: unknown) => {
          lost ??= rollback;
        });
        throw error;
      }
    } finally {
      client.off('error', onError);
      // A client whose connection failed is discarded rather than handed to the next request.
      client.release(lost === undefined ? undefined : lost instanceof Error ? lost : new Error(String(lost)));
    }
  }

  /**
   * Points the connection's `scim.tenant` at this tenant, unless it already does: one round trip
   * when the connection last served another tenant (or none), none otherwise. Session-wide and
   * outside any transaction, so it holds for the connection's next transactions too.
   */
  private async enter(client: pg.PoolClient, tenant: TenantKey): Promise<void> {
    if (this.tenants.get(client) === tenant) return;
    // Forgotten first: should the statement fail, the connection's setting is unknown.
    this.tenants.delete(client);
    await client.query('SELECT set_config($1, $2, false)', [TENANT_SETTING, String(tenant)]);
    this.tenants.set(client, tenant);
  }

  /** One statement on a pooled connection in the tenant's context. */
  private async readIn<T>(sql: string, params: readonly unknown[], tenant: TenantKey): Promise<T[]> {
    const client = await this.pool.connect();
    let lost: Error | undefined;
    const onError = (error: Error) => {
      lost = error;
    };
    client.on('error', onError);
    try {
      await this.enter(client, tenant);
      return (await client.query(sql, params as unknown[])).rows as T[];
    } catch (error) {
      if (isConnectionError(error)) lost ??= error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(lost);
    }
  }

  async read<T>(sql: string, params: readonly unknown[] = [], tenant?: TenantKey): Promise<T[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (tenant !== undefined) return await this.readIn<T>(sql, params, tenant);
        return (await this.pool.query(sql, params as unknown[])).rows as T[];
      } catch (error) {
        // Nothing was written, so a read on a connection that had died while idle may try again.
        if (attempt >= 2 || !isConnectionError(error)) throw error;
      }
    }
  }

  translate(error: unknown, table?: TablePlan): unknown {
    if (error instanceof ScimError) return error;
    if (isConnectionError(error)) {
      return serviceUnavailable('The database is unavailable (the connection was lost or refused); retry later');
    }
    const code = sqlState(error);
    if (code === undefined) return error;
    if (code === '23505') {
      const attribute = table && takenAttribute(table, error as pg.DatabaseError);
      return conflict(`A ${table?.resourceType ?? 'resource'} with this ${attribute ?? 'id'} already exists`);
    }
    if (RETRYABLE.has(code) || code === '55P03' || code === '57014') {
      return serviceUnavailable(`The database is busy (${code}); retry later`);
    }
    // Data exceptions come from values: a NUL character, which PostgreSQL cannot store in text,
    // or a value too long for an index.
    if (code === '22021' || code === '22P05') {
      return badRequest('invalidValue', 'Values cannot contain the NUL character (U+0000)');
    }
    if (code === '54000') return badRequest('invalidValue', 'A value is too long to be stored and indexed');
    if (code.startsWith('22')) return badRequest('invalidValue', `The database cannot use a value: ${(error as Error).message}`);
    return error;
  }

  async ping(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (error) {
      throw isConnectionError(error) ? serviceUnavailable('The database is unavailable') : error;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

/** Wraps an error after which the whole transaction may run again on another connection. */
class Retry extends Error {
  constructor(override readonly cause: unknown) {
    super('retry');
  }
}

function connectionOf(client: pg.PoolClient): SqlConnection {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      return (await client.query(sql, params as unknown[])).rows as T[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      return (await client.query(sql, params as unknown[])).rowCount ?? 0;
    },
  };
}

/** The attribute behind a unique index (`users_user_name_fold_key`, detail `Key (user_name_fold)=...`). */
function takenAttribute(table: TablePlan, error: pg.DatabaseError): string | undefined {
  const column = /^Key \(([^)]+)\)=/.exec(error.detail ?? '')?.[1];
  const found = table.columns.find(
    (c) =>
      c.column === column ||
      c.foldColumn === column ||
      error.constraint === `${table.table}_${c.foldColumn ?? c.column}_key`,
  );
  return found?.attribute;
}
