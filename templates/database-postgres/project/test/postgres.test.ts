// What only PostgreSQL can show, against the real server the tests run on: the database itself
// enforces case-insensitive userName uniqueness, a connection lost in the middle of a request
// is a 503 SCIM error the server survives, and start-up errors name DATABASE_URL without
// repeating its password.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, useScimServer } from './helpers/server.js';
import { createUser, expectScimError, patchOp, sleep, uniqueName } from './helpers/scim.js';

const { server, client } = useScimServer();
/** A session of our own on the server's database, to hold locks and end connections. */
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: server.env.DATABASE_URL });
  await admin.connect();
  // In tenant 1's rows, as the server's own connections are (row-level security, unless this
  // role bypasses it).
  await admin.query("SELECT set_config('scim.tenant', '1', false)");
});

afterAll(async () => {
  await admin?.end();
});

/** Ends every connection of the server to its database: the busy ones and the idle ones in its pool. */
async function terminateServerConnections(): Promise<void> {
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
}

describe('PostgreSQL', () => {
  it('refuses a second userName differing only in case in the database itself', async () => {
    const user = await createUser(client);
    const insert = admin.query(
      'INSERT INTO users (id, tenant, version, created, last_modified, document, user_name, user_name_fold) ' +
        "VALUES ('not-through-the-api', 1, 1, $1, $1, '{}', $2, $3)",
      [user.meta.created, user.userName.toUpperCase(), user.userName.toLowerCase()],
    );
    await expect(insert).rejects.toMatchObject({ code: '23505' }); // unique_violation
  });

  it('answers 503 when its connection is lost mid-request, then keeps serving', async () => {
    const user = await createUser(client);
    // Hold the user's row, so the server's PATCH waits on it with its transaction open.
    await admin.query('BEGIN');
    await admin.query('SELECT id FROM users WHERE id = $1 FOR UPDATE', [user.id]);
    const pending = client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Lost' }));
    try {
      let waiting = 0;
      for (let tries = 0; waiting === 0 && tries < 200; tries++) {
        await sleep(10);
        const sessions = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        waiting = sessions.rowCount ?? 0;
      }
      expect(waiting).toBeGreaterThan(0);
      await terminateServerConnections();
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
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
  });

  it('recovers when idle connections are closed by the server', async () => {
    await client.get('/Users');
    await terminateServerConnections();
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
    const message = await failure('postgres://scim:s3cret-pw@127.0.0.1:1/scim');
    expect(message).toMatch(/Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(DATABASE_URL\)/);
    expect(message).not.toContain('s3cret-pw');
  });

  it('when the database does not exist', async () => {
    const url = new URL(server.env.DATABASE_URL!);
    url.pathname = `${url.pathname}_missing`;
    expect(await failure(url.href)).toMatch(/Database "\w+_missing" does not exist .*DATABASE_URL/);
  });

  it('when the URL is not a PostgreSQL URL', async () => {
    expect(await failure('mysql://localhost/scim')).toMatch(/DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//);
    expect(await failure('not a url')).toMatch(/DATABASE_URL is not a valid URL/);
  });
});
