// What only MySQL / MariaDB can show, against the real server the tests run on: the database
// itself enforces case-insensitive userName uniqueness, a connection lost in the middle of a
// request is a 503 SCIM error the server survives, and start-up errors name DATABASE_URL
// without repeating its password.

import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, useScimServer } from './helpers/server.js';
import { createUser, expectScimError, patchOp, sleep, uniqueName } from './helpers/scim.js';

const { server, client } = useScimServer();
/** A session of our own on the server's database, to hold locks and kill connections. */
let admin: mysql.Connection;
let database: string;

beforeAll(async () => {
  const url = server.env.DATABASE_URL!;
  database = decodeURIComponent(new URL(url).pathname.slice(1));
  admin = await mysql.createConnection({ uri: url });
});

afterAll(async () => {
  await admin?.end();
});

/** The server's connections to its database (every session but ours). */
async function serverSessions(): Promise<Array<{ id: number; info: string | null }>> {
  const [rows] = await admin.query<Array<{ id: number; info: string | null } & mysql.RowDataPacket>>(
    'SELECT id, info FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
    [database],
  );
  return rows;
}

describe('MySQL / MariaDB', () => {
  it('refuses a second userName differing only in case in the database itself', async () => {
    const user = await createUser(client);
    const insert = admin.query(
      'INSERT INTO users (id, tenant, version, created, last_modified, document, user_name, user_name_fold) ' +
        "VALUES ('not-through-the-api', 1, 1, ?, ?, '{}', ?, ?)",
      [user.meta.created, user.meta.created, user.userName.toUpperCase(), user.userName.toLowerCase()],
    );
    await expect(insert).rejects.toMatchObject({ errno: 1062 }); // ER_DUP_ENTRY
  });

  it('answers 503 when its connection is lost mid-request, then keeps serving', async () => {
    const user = await createUser(client);
    // Hold the user's row, so the server's PATCH waits on it with its transaction open.
    await admin.query('START TRANSACTION');
    await admin.query('SELECT id FROM users WHERE id = ? FOR UPDATE', [user.id]);
    const pending = client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Lost' }));
    try {
      let waiting: Array<{ id: number }> = [];
      for (let tries = 0; waiting.length === 0 && tries < 200; tries++) {
        await sleep(10);
        waiting = (await serverSessions()).filter((s) => s.info?.includes('FOR UPDATE'));
      }
      expect(waiting).not.toHaveLength(0);
      // Every connection of the server: the one waiting, and the idle ones in its pool.
      for (const session of await serverSessions()) await admin.query(`KILL ${Number(session.id)}`);
      expectScimError(await pending, 503);
    } finally {
      await admin.query('ROLLBACK');
    }

    const after = await client.get(`/Users/${user.id}`);
    expect(after.status).toBe(200);
    expect(after.body.displayName).not.toBe('Lost');
    const patched = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Back' }));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body.displayName).toBe('Back');
  });

  it('recovers when idle connections are closed by the server', async () => {
    await client.get('/Users');
    for (const session of await serverSessions()) await admin.query(`KILL ${Number(session.id)}`);
    const res = await client.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: uniqueName() });
    expect(res.status, res.text).toBe(201);
  });
});

describe('start-up errors name DATABASE_URL, never its password', () => {
  const failure = (databaseUrl: string) =>
    startServer({ DATABASE_URL: databaseUrl }).then(
      async (started) => {
        await started.close();
        throw new Error('the server started');
      },
      (error: unknown) => (error as Error).message,
    );

  it('when nothing listens at the address', async () => {
    const message = await failure('mysql://scim:s3cret-pw@127.0.0.1:1/scim');
    expect(message).toMatch(/Cannot reach MySQL\/MariaDB at 127\.0\.0\.1:1 \(DATABASE_URL\)/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('when the database does not exist', async () => {
    const url = new URL(server.env.DATABASE_URL!);
    url.pathname = `/${database}_missing`;
    expect(await failure(url.href)).toMatch(/Database "\w+_missing" does not exist .*DATABASE_URL/);
  });

  it('when the URL is not a MySQL URL', async () => {
    expect(await failure('postgres://localhost/scim')).toMatch(/DATABASE_URL must start with mysql:\/\/ or mariadb:\/\//);
    expect(await failure('not a url')).toMatch(/DATABASE_URL is not a valid URL/);
    expect(await failure('mysql://localhost:3306')).toMatch(/DATABASE_URL names no database/);
  });
});
