// A database of its own for each test server: a freshly created PostgreSQL database on the
// server at TEST_DATABASE_URL (default: the local server, user postgres), dropped afterwards.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestDatabase } from '../scim/testing.js';

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

async function onServer(server: URL, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server.href });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function testDatabase(): Promise<TestDatabase> {
  const server = new URL(process.env.TEST_DATABASE_URL?.trim() || DEFAULT_SERVER);
  // Generated, so safe to put in SQL as an identifier.
  const name = `scim_test_${randomBytes(6).toString('hex')}`;
  await onServer(server, `CREATE DATABASE ${name}`);
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.href },
    // FORCE closes connections a failed test may have left open.
    cleanup: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
