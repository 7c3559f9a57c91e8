// SqlDriver on mysql2: a promise pool, transactions retried on deadlocks and lock timeouts,
// and MySQL/MariaDB error numbers as SCIM outcomes.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { badRequest, conflict, ScimError, serviceUnavailable } from '../scim/errors.js';
import type { TablePlan } from '../scim/storage.js';
import type { SqlConnection, SqlDriver, TransactionOptions } from '../database-sql/driver.js';
import { mysqlDialect } from './dialect.js';

const ER_DUP_ENTRY = 1062;
const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;
const ER_DATA_TOO_LONG = 1406;
const ER_TRUNCATED_WRONG_VALUE_FOR_FIELD = 1366;
const ER_INVALID_JSON_TEXT = 3140;
/** A CHECK constraint failed: MySQL 3819, MariaDB 4025 (MariaDB checks JSON columns with JSON_VALID). */
const CHECK_FAILED = new Set([3819, 4025]);

/** A deadlock rolls the transaction back, a lock wait timeout the statement: both may run again. */
const RETRYABLE = new Set([ER_LOCK_DEADLOCK, ER_LOCK_WAIT_TIMEOUT]);
const ATTEMPTS = 4;
/** A lock wait has already taken innodb_lock_wait_timeout (index.ts): one more wait at most. */
const LOCK_WAIT_ATTEMPTS = 2;

/**
 * The server cannot serve now: too many connections (1040), shutting down (1053), the query or
 * connection killed (1317; MariaDB 1927), read-only during a failover (1290, 1836), offline
 * mode (3032), idle connection closed by the server (MySQL 4031).
 */
const UNAVAILABLE_ERRNOS = new Set([1040, 1053, 1290, 1317, 1836, 1927, 3032, 4031]);
/** mysql2's codes for a lost or refused connection, and Node's socket errors. */
const UNAVAILABLE_CODES =
  /^(PROTOCOL_CONNECTION_LOST|PROTOCOL_SEQUENCE_TIMEOUT|PROTOCOL_ENQUEUE_AFTER_(FATAL_ERROR|QUIT)|ECONN\w+|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)$/;
/** mysql2's own errors without a code. */
const UNAVAILABLE_MESSAGES = /^(Pool is closed|Can't add new command when connection is in closed state|Connection lost)/;

interface MysqlError extends Error {
  errno?: number;
  code?: string;
  fatal?: boolean;
  sqlMessage?: string;
}

const errnoOf = (error: unknown) => (error instanceof Error ? (error as MysqlError).errno : undefined);

/** True when the connection is gone or the server refuses new work, as opposed to a bad statement. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, errno, fatal } = error as MysqlError;
  if (fatal === true) return true;
  if (errno !== undefined && UNAVAILABLE_ERRNOS.has(errno)) return true;
  if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) return true;
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  return UNAVAILABLE_MESSAGES.test(error.message);
}

export class MysqlDriver implements SqlDriver {
  readonly dialect = mysqlDialect;

  constructor(readonly pool: Pool) {}

  async transaction<T>(work: (connection: SqlConnection) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work, options);
      } catch (error) {
        const again = error instanceof Retry ? error.cause : error;
        const errno = errnoOf(error);
        const limit = errno === ER_LOCK_WAIT_TIMEOUT ? LOCK_WAIT_ATTEMPTS : ATTEMPTS;
        if (attempt >= limit || !(error instanceof Retry || RETRYABLE.has(errno ?? 0))) throw again;
        // Jittered backoff, so the transactions that collided do not collide again.
        await sleep(Math.random() * 10 * attempt);
      }
    }
  }

  private async once<T>(work: (connection: SqlConnection) => Promise<T>, options: TransactionOptions): Promise<T> {
    const connection = await this.pool.getConnection();
    let broken = false;
    try {
      try {
        // A read takes its snapshot at once, so a count and its page see the same rows.
        await connection.query(options.readOnly ? 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY' : 'START TRANSACTION');
      } catch (error) {
        // A pooled connection that died while idle: nothing ran, so another one may try.
        if (isConnectionError(error)) {
          broken = true;
          throw new Retry(error);
        }
        throw error;
      }
      try {
        const result = await work(connectionOf(connection));
        await connection.commit();
        return result;
      } catch (error) {
        broken = isConnectionError(error);
        if (!broken) {
          await connection.rollback().catch(() => {
            broken = true;
          });
        }
        throw error;
      }
    } finally {
      // A connection that failed is discarded rather than handed to the next request.
      if (broken) connection.destroy();
      else connection.release();
    }
  }

  /** One statement in autocommit: a GET is one round trip, not START TRANSACTION, SELECT, COMMIT. */
  async read<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [rows] = await this.pool.execute<RowDataPacket[]>(sql, bindable(params));
        return rows as T[];
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
    const errno = errnoOf(error);
    if (errno === undefined) return error;
    const message = (error as MysqlError).sqlMessage ?? (error as Error).message;
    if (errno === ER_DUP_ENTRY) {
      const attribute = table && takenAttribute(table, message);
      return conflict(`A ${table?.resourceType ?? 'resource'} with this ${attribute ?? 'id'} already exists`);
    }
    if (RETRYABLE.has(errno)) return serviceUnavailable(`The database is busy (error ${errno}); retry later`);
    if (errno === ER_DATA_TOO_LONG) {
      const column = /column '([^']+)'/.exec(message)?.[1];
      const attribute = table?.columns.find((c) => c.column === column || c.foldColumn === column)?.attribute;
      return badRequest('invalidValue', `${attribute ?? 'A value'} is too long to be stored and indexed`);
    }
    // Text JSON.stringify writes but the server refuses, such as an unpaired UTF-16 surrogate ("\ud800").
    if (errno === ER_TRUNCATED_WRONG_VALUE_FOR_FIELD || errno === ER_INVALID_JSON_TEXT || CHECK_FAILED.has(errno)) {
      return badRequest('invalidValue', 'A value contains text the database cannot store (such as an unpaired surrogate)');
    }
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

/**
 * mysql2 binds every JS number as a DOUBLE, which MySQL 8.0.22+ refuses for `LIMIT ?`; whole
 * numbers travel as text instead, which both servers convert exactly wherever a number goes.
 */
const bindable = (params: readonly unknown[]) =>
  params.map((value) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value)) as Values;
type Values = Parameters<PoolConnection['execute']>[1];

/** Statements are prepared (parameters bound by the server) and cached per connection. */
function connectionOf(connection: PoolConnection): SqlConnection {
  return {
    async query<T>(sql: string, params: readonly unknown[] = []) {
      const [rows] = await connection.execute<RowDataPacket[]>(sql, bindable(params));
      return rows as T[];
    },
    async execute(sql: string, params: readonly unknown[] = []) {
      const [result] = await connection.execute<ResultSetHeader>(sql, bindable(params));
      return result.affectedRows;
    },
  };
}

/**
 * The attribute behind a unique key, from "Duplicate entry '...' for key 'users_user_name_fold_key'"
 * (MySQL 8 prefixes the table: 'users.users_user_name_fold_key').
 */
function takenAttribute(table: TablePlan, message: string): string | undefined {
  const key = /for key '(?:[^'.]*\.)?([^'.]+)'$/.exec(message)?.[1];
  return table.columns.find((c) => key === `${table.table}_${c.foldColumn ?? c.column}_key`)?.attribute;
}
