// The store factory the composition root calls: MySQL 8 or MariaDB at DATABASE_URL, through a
// pool of at most DATABASE_POOL_SIZE connections. Start-up fails with a message naming the
// variable to fix when the URL is wrong, the server is unreachable or it refuses the credentials.

import { fileURLToPath } from 'node:url';
import mysql, { type ConnectionOptions } from 'mysql2/promise';
import type { Registry } from '../scim/registry.js';
import { storagePlan } from '../scim/storage.js';
import type { ResourceStore, StoreOptions } from '../scim/store.js';
import { openSqlStore } from '../database-sql/store.js';
import { isConnectionError, MysqlDriver } from './driver.js';
import { migrate } from './migrate.js';
import { refoldKeys } from './refold.js';

// Three levels up from src/generated/database (or dist/generated/database) is the project root.
const MIGRATIONS = fileURLToPath(new URL('../../../migrations/mysql', import.meta.url));
const DEFAULT_POOL_SIZE = 10;
/** The delivery loop's own connections (see openMysqlStore). */
const OUTBOX_POOL_SIZE = 2;
const DEFAULT_PORT = 3306;
const EXAMPLE_URL = 'mysql://user:password@host:3306/database';

/**
 * Every session: refuse (rather than truncate) values too long for their column, and wait at
 * most 5 s for another transaction's row lock (the server default is 50 s) before the driver
 * retries or answers 503.
 */
const SESSION_SETUP =
  "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES'), " +
  // MariaDB caps JSON_ARRAYAGG (a user's groups) at group_concat_max_len, 1 MiB by default:
  // past it the JSON would be cut short. 1 GiB is the largest packet either server sends.
  'innodb_lock_wait_timeout = 5, group_concat_max_len = 1073741824';

export async function createStore(options: StoreOptions): Promise<ResourceStore> {
  return openMysqlStore({
    url: databaseUrl(options.env),
    poolSize: poolSize(options.env),
    registry: options.registry,
    migrationsDir: MIGRATIONS,
    logger: options.logger,
  });
}

export interface MysqlStoreOptions {
  url: URL;
  poolSize: number;
  registry: Registry;
  migrationsDir: string;
  logger?: StoreOptions['logger'];
}

/** Applies the migrations, opens the pool and checks the tables; on any failure nothing stays open. */
export async function openMysqlStore(options: MysqlStoreOptions): Promise<ResourceStore> {
  const { url } = options;
  const settings: ConnectionOptions = {
    uri: url.href,
    // Text compares by code point (dialect.ts); utf8mb4 holds all of Unicode.
    charset: 'UTF8MB4_BIN',
    // The store parses documents itself, the same on MySQL (a JSON column) and MariaDB (text).
    jsonStrings: true,
    connectTimeout: 10_000,
    // Notices a peer that vanished (a failover, a dropped NAT entry) on idle connections.
    enableKeepAlive: true,
  };

  const applied = await withMigrationConnection(settings, url, async (connection) => {
    const ran = await migrate(connection, options.migrationsDir);
    // New migrations may have filled folded keys with LOWER(); make them exactly foldCase.
    if (ran.length > 0) await refoldKeys(connection, storagePlan(options.registry));
    return ran;
  });
  if (applied.length > 0) options.logger?.info({ migrations: applied }, 'applied database migrations');

  const pool = mysql.createPool({
    ...settings,
    connectionLimit: options.poolSize,
    // Each connection caches its prepared statements; the server caps them all together
    // (max_prepared_stmt_count, 16382 by default), so each keeps its 100 most recent.
    maxPreparedStatements: 100,
  });
  // The delivery loop's own connections (the outbox), so that its claims and settlements do not
  // queue behind requests for a pooled connection under load; opened on first use.
  const outboxPool = mysql.createPool({ ...settings, connectionLimit: OUTBOX_POOL_SIZE, maxPreparedStatements: 100 });
  // On the callback-style core pool, whose events carry its own connections; queued first, the
  // setup runs before the connection's first statement.
  for (const p of [pool, outboxPool]) {
    p.pool.on('connection', (connection) => {
      connection.query(SESSION_SETUP, () => undefined);
    });
  }
  try {
    return await openSqlStore({ driver: new MysqlDriver(pool), outboxDriver: new MysqlDriver(outboxPool), registry: options.registry });
  } catch (error) {
    await Promise.all([pool.end(), outboxPool.end()]);
    throw error;
  }
}

/** Migrations run on a connection of their own: it holds the migration lock, and runs scripts. */
async function withMigrationConnection<T>(
  settings: ConnectionOptions,
  url: URL,
  work: (connection: mysql.Connection) => Promise<T>,
): Promise<T> {
  const connection = await mysql.createConnection({ ...settings, multipleStatements: true }).catch((error: unknown) => {
    throw startupError(error, url);
  });
  // A session killed while idle reports an 'error' event; unheard, it would crash the process.
  connection.on('error', () => undefined);
  try {
    return await work(connection);
  } catch (error) {
    throw isConnectionError(error) ? startupError(error, url) : error;
  } finally {
    await connection.end().catch(() => connection.destroy());
  }
}

function databaseUrl(env: NodeJS.ProcessEnv): URL {
  const text = env.DATABASE_URL?.trim();
  if (!text) throw new Error(`DATABASE_URL is not set: give it the MySQL or MariaDB connection URL (${EXAMPLE_URL})`);
  // The URL may hold a password: messages describe it, never repeat it.
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL; expected ${EXAMPLE_URL}`);
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error(`DATABASE_URL must start with mysql:// or mariadb://, not ${url.protocol}//`);
  }
  if (!url.hostname) throw new Error(`DATABASE_URL names no host; expected ${EXAMPLE_URL}`);
  if (url.pathname.length <= 1) throw new Error(`DATABASE_URL names no database; expected ${EXAMPLE_URL}`);
  return url;
}

function poolSize(env: NodeJS.ProcessEnv): number {
  const text = env.DATABASE_POOL_SIZE?.trim();
  if (!text) return DEFAULT_POOL_SIZE;
  const size = Number(text);
  if (!Number.isInteger(size) || size < 1 || size > 1000) {
    throw new Error(`DATABASE_POOL_SIZE must be a whole number from 1 to 1000, got "${text}"`);
  }
  return size;
}

/** What went wrong connecting, and what to change; the password is never part of it. */
function startupError(error: unknown, url: URL): Error {
  const server = `${url.hostname}:${url.port || DEFAULT_PORT}`;
  const database = decodeURIComponent(url.pathname.slice(1));
  const user = decodeURIComponent(url.username) || '(no user)';
  const { errno, code } = error as { errno?: number; code?: string };
  const reason = (error as Error).message || String(code ?? error);
  // 1045: wrong user or password; 1698: a user that may only log in through a Unix socket.
  if (errno === 1045 || errno === 1698) {
    return new Error(`MySQL/MariaDB at ${server} refused user "${user}": ${reason}. Check the user and password in DATABASE_URL.`);
  }
  if (errno === 1044) {
    return new Error(`User "${user}" may not use database "${database}" on ${server}: grant it access, or fix DATABASE_URL.`);
  }
  if (errno === 1049) {
    return new Error(
      `Database "${database}" does not exist on ${server}: create it with: mysql -h ${url.hostname} -P ${url.port || DEFAULT_PORT} ` +
        `-u ${decodeURIComponent(url.username) || 'root'}${url.password ? ' -p' : ''} -e 'CREATE DATABASE ${database} CHARACTER SET utf8mb4' ` +
        '(or fix the database name in DATABASE_URL).',
    );
  }
  if (isConnectionError(error)) {
    return new Error(`Cannot reach MySQL/MariaDB at ${server} (DATABASE_URL): ${reason}. Is it running, and are the host and port right?`);
  }
  return new Error(`Cannot use the MySQL/MariaDB database in DATABASE_URL (${server}/${database}): ${reason}`, { cause: error });
}
