// A database of its own for each test server: a freshly created database on the MySQL or
// MariaDB server at TEST_DATABASE_URL (default: the local server, user root), dropped afterwards.

import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { rowText, type TestDatabase } from '../scim/testing.js';

const DEFAULT_SERVER = 'mysql://root@127.0.0.1:3306/test';

async function onServer(server: URL, sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: server.href });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

export async function testDatabase(): Promise<TestDatabase> {
  const server = new URL(process.env.TEST_DATABASE_URL?.trim() || DEFAULT_SERVER);
  // Generated, so safe to put in SQL as an identifier.
  const name = `scim_test_${randomBytes(6).toString('hex')}`;
  await onServer(server, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.href },
    cleanup: () => onServer(server, `DROP DATABASE IF EXISTS \`${name}\``),
    dump: () => dump(url),
  };
}

/** Every row of every table of the database. */
async function dump(database: URL): Promise<string> {
  const connection = await mysql.createConnection({ uri: database.href });
  try {
    const [tables] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`,
    );
    const lines: string[] = [];
    for (const { name } of tables as Array<{ name: string }>) {
      const [rows] = await connection.query<mysql.RowDataPacket[]>(`SELECT * FROM \`${name.replace(/`/g, '``')}\``);
      for (const row of rows) lines.push(`${name}\t${rowText(row)}`);
    }
    return lines.join('\n');
  } finally {
    await connection.end();
  }
}
