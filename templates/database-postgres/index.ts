// The store factory the composition root calls: PostgreSQL at DATABASE_URL, through a pool of
// at most DATABASE_POOL_SIZE connections. Start-up fails with a message naming the variable to
// fix when the URL is wrong, the server is unreachable or it refuses the credentials.

import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Registry } from '../scim/registry.js';
import type { ResourceStore, StoreOptions } from '../scim/store.js';
import { openSqlStore } from '../database-sql/store.js';
import { isConnectionError, PostgresDriver } from './driver.js';
import { migrate } from './migrate.js';

// Three levels up from src/generated/database (or dist/generated/database) is the project root.
const MIGRATIONS = fileURLToPath(new URL('../../../migrations/postgres', import.meta.url));
const DEFAULT_POOL_SIZE = 10;
/**
 * The delivery loop's own connections (the outbox): under load every pooled connection is
 * busy with requests, and its claims and settlements would queue behind them. Opened on first
 * use, so a server without event destinations never opens them.
 */
const OUTBOX_POOL_SIZE = 2;
/** How long a request waits for a connection (a new one, or a free one from a busy pool). */
const CONNECT_TIMEOUT_MS = 10_000;

export async function createStore(options: StoreOptions): Promise<ResourceStore> {
  return openPostgresStore({
    url: databaseUrl(options.env),
    poolSize: poolSize(options.env),
    registry: options.registry,
    migrationsDir: MIGRATIONS,
    logger: options.logger,
  });
}

export interface PostgresStoreOptions {
  url: URL;
  poolSize: number;
  registry: Registry;
  migrationsDir: string;
  logger?: StoreOptions['logger'];
}

/** Connects, applies the migrations and checks the tables; on any failure nothing stays open. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<ResourceStore> {
  const pool = new pg.Pool({
    connectionString: options.url.href,
    max: options.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'scim-server',
  });
  // An idle connection that dies (a restart, a failover) is dropped by the pool, which opens a
  // new one when next needed; unheard, the event would crash the process.
  pool.on('error', (error) => options.logger?.info({ err: error.message }, 'idle database connection lost'));
  const outboxPool = new pg.Pool({
    connectionString: options.url.href,
    max: OUTBOX_POOL_SIZE,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: 'scim-server-events',
  });
  outboxPool.on('error', (error) => options.logger?.info({ err: error.message }, 'idle database connection lost'));
  try {
    await pool.query('SELECT 1').catch((error: unknown) => {
      throw startupError(error, options.url);
    });
    const applied = await migrate(pool, options.migrationsDir);
    if (applied.length > 0) options.logger?.info({ migrations: applied }, 'applied database migrations');
    return await openSqlStore({ driver: new PostgresDriver(pool), outboxDriver: new PostgresDriver(outboxPool), registry: options.registry });
  } catch (error) {
    await Promise.all([pool.end(), outboxPool.end()]);
    throw error;
  }
}

function databaseUrl(env: NodeJS.ProcessEnv): URL {
  const example = 'postgres://user:password@host:5432/database';
  const text = env.DATABASE_URL?.trim();
  if (!text) throw new Error(`DATABASE_URL is not set: give it the PostgreSQL connection URL (${example})`);
  // The URL may hold a password: messages describe it, never repeat it.
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL; expected ${example}`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  if (!url.hostname && !url.searchParams.has('host')) throw new Error(`DATABASE_URL names no host; expected ${example}`);
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
  const server = `${url.hostname || url.searchParams.get('host')}:${url.port || 5432}`;
  const database = decodeURIComponent(url.pathname.slice(1)) || '(the user name)';
  const user = decodeURIComponent(url.username) || '(the operating system user)';
  const code = (error as { code?: unknown }).code;
  const reason = (error as Error).message || String(code ?? error);
  if (code === '28P01' || code === '28000' || /^SASL|password/i.test(reason)) {
    return new Error(`PostgreSQL at ${server} refused user "${user}": ${reason}. Check the user and password in DATABASE_URL.`);
  }
  if (code === '3D000') {
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    const login = url.username ? ` -U ${decodeURIComponent(url.username)}` : '';
    return new Error(
      `Database "${database}" does not exist on ${server}: create it with \`createdb -h ${host} -p ${url.port || 5432}${login} ${database}\`, ` +
        'or fix the database name in DATABASE_URL.',
    );
  }
  if (isConnectionError(error)) {
    return new Error(`Cannot reach PostgreSQL at ${server} (DATABASE_URL): ${reason}. Is it running, and are the host and port right?`);
  }
  return new Error(`Cannot use the PostgreSQL database in DATABASE_URL (${server}/${database}): ${reason}`);
}
