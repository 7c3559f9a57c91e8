// A database of its own for each test server: a freshly created PostgreSQL database on the
// server at TEST_DATABASE_URL (default: the local server, user postgres), dropped afterwards.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { rowText, type TestDatabase } from '../scim/testing.js';

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
    dump: () => dump(url),
  };
}

/** Every row of every table, read as the server's user (a superuser passes row-level security). */
async function dump(database: URL): Promise<string> {
  const client = new pg.Client({ connectionString: database.href });
  await client.connect();
  try {
    const tables = await client.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
    );
    const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
    const lines: string[] = [];
    for (const { schema, name } of tables.rows) {
      const rows = await client.query(`SELECT * FROM ${quote(schema)}.${quote(name)}`);
      for (const row of rows.rows) lines.push(`${name}\t${rowText(row)}`);
    }
    return lines.join('\n');
  } finally {
    await client.end();
  }
}
