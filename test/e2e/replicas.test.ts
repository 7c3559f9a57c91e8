// Two replicas of one generated PostgreSQL project on one database (issue 14 item 8): concurrent
// PATCHes of one user without If-Match, split across both processes, all succeed (412 means a
// precondition the client sent was false, and these clients sent none); the final state holds
// every change; If-Match keeps its meaning across replicas (a stale version gets 412); and a
// credential revoked through one replica is refused by the other on the very next request
// (issue 12: credentials are looked up per request, with no cache to go stale).

import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, installDependencies, npx, projectRuntime, requireService, runCli, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e replicas] ${line}\n`);
const SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = `scim_${randomBytes(32).toString('base64url')}`;
const ADMIN_TOKEN = `admin_${randomBytes(24).toString('base64url')}`;
const PATCHES = 200;

async function onServer(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('two replicas on one PostgreSQL database', () => {
  let workspace: string;
  let project: string;
  const database = `scim_replicas_${randomBytes(6).toString('hex')}`;
  const replicas: Awaited<ReturnType<typeof boot>>[] = [];
  const headers = {
    Authorization: `Bearer ${TOKEN}`,
    'Content-Type': 'application/scim+json',
    Accept: 'application/scim+json',
  };

  beforeAll(async () => {
    await requireService('PostgreSQL', 5432, 'docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17');
    log(`generated projects run on Node ${(await projectRuntime()).version}`);
    workspace = await tempDir('scim-e2e-replicas-');
    project = join(workspace, 'replicas');
    const result = await runCli(
      ['replicas', '--yes', '--no-install', '--no-git', '--framework', 'express', '--database', 'postgres'],
      workspace,
    );
    expect(result.exitCode, result.all).toBe(0);
    log(`dependencies ${await installDependencies(project, log)}`);
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);
    await onServer(`CREATE DATABASE ${database}`);
    const env = {
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      SCIM_BEARER_TOKEN: TOKEN,
      SCIM_ADMIN_TOKEN: ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
    };
    // One after the other: the first applies the migrations, the second finds them applied.
    replicas.push(await boot(project, env));
    replicas.push(await boot(project, env));
  }, 300_000);

  afterAll(async () => {
    for (const replica of replicas) {
      replica.process.kill('SIGTERM');
      await replica.process;
    }
    await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    if (!process.env.SCIM_E2E_KEEP && workspace) await rm(workspace, { recursive: true, force: true });
  });

  const base = (i: number) => `${replicas[i % replicas.length]!.url}/scim/v2`;

  it(`${PATCHES} concurrent PATCHes without If-Match across both replicas all succeed`, async () => {
    const created = await fetch(`${base(0)}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `replica-${randomBytes(4).toString('hex')}@example.com`,
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // Each PATCH sets its own attribute and the shared one: no change may be lost.
    const responses = await Promise.all(
      Array.from({ length: PATCHES }, (_, i) =>
        fetch(`${base(i)}/Users/${id}`, {
          method: 'PATCH',
          headers,
          body: JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [
              { op: 'replace', path: 'displayName', value: `patch ${i}` },
              { op: 'add', path: 'emails', value: [{ value: `p${i}@example.com`, type: `work` }] },
            ],
          }),
        }).then(async (res) => ({ status: res.status, text: await res.text() })),
      ),
    );
    const byStatus = new Map<number, number>();
    for (const res of responses) byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
    log(`statuses: ${JSON.stringify(Object.fromEntries(byStatus))}`);
    const failed = responses.filter((res) => res.status !== 200);
    expect(failed.slice(0, 3), `${failed.length} of ${PATCHES} failed`).toEqual([]);

    // Both replicas read the same final state, the one of the last write.
    const [a, b] = await Promise.all([0, 1].map((i) => fetch(`${base(i)}/Users/${id}`, { headers })));
    const userA = (await a!.json()) as { displayName: string; emails: { value: string }[]; meta: { version: string; location?: string } };
    const userB = (await b!.json()) as typeof userA;
    // Each replica writes its own origin into meta.location; everything else is the same.
    delete userA.meta.location;
    delete userB.meta.location;
    expect(userB).toEqual(userA);
    expect(userA.meta.version).toBe(`W/"${PATCHES + 1}"`);
    expect(userA.displayName).toMatch(/^patch \d+$/);
    expect(userA.emails.map((e) => e.value).sort()).toEqual(
      Array.from({ length: PATCHES }, (_, i) => `p${i}@example.com`).sort(),
    );
  }, 120_000);

  it('If-Match with a stale version still gets 412 on either replica', async () => {
    const created = await fetch(`${base(0)}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: `stale-${randomBytes(4).toString('hex')}@example.com`,
      }),
    });
    expect(created.status).toBe(201);
    const stale = created.headers.get('etag')!;
    const { id } = (await created.json()) as { id: string };
    const patch = (i: number, ifMatch: string, value: string) =>
      fetch(`${base(i)}/Users/${id}`, {
        method: 'PATCH',
        headers: { ...headers, 'If-Match': ifMatch },
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: 'displayName', value }],
        }),
      });

    const first = await patch(0, stale, 'first');
    expect(first.status).toBe(200);
    const second = await patch(1, stale, 'second');
    expect(second.status).toBe(412);
    expect(second.headers.get('content-type')).toContain('application/scim+json');
    // The current version still works, from the other replica.
    const third = await patch(1, first.headers.get('etag')!, 'third');
    expect(third.status).toBe(200);
  });

  it('a credential revoked on one replica is refused by the other at once', async () => {
    const admin = (i: number, method: string, path: string, body?: unknown) =>
      fetch(`${replicas[i]!.url}/admin/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = await admin(0, 'POST', '/tenants/default/credentials', { label: 'revoked across replicas' });
    expect(created.status, await created.clone().text()).toBe(201);
    const { credential } = (await created.json()) as { credential: { id: string; token: string } };
    const users = (i: number) => fetch(`${base(i)}/Users?count=1`, { headers: { ...headers, Authorization: `Bearer ${credential.token}` } });
    // Warm both replicas with the credential first: nothing they keep may outlive the revocation.
    for (let i = 0; i < 5; i++) expect((await users(i % 2)).status).toBe(200);
    const revoked = await admin(0, 'DELETE', `/tenants/default/credentials/${credential.id}`);
    expect(revoked.status).toBe(204);
    expect((await users(1)).status).toBe(401);
    expect((await users(0)).status).toBe(401);
    // The .env token is another credential, untouched.
    expect((await fetch(`${base(1)}/Users?count=1`, { headers })).status).toBe(200);
  });
});
