// Credentials of a tenant, in every project (a single-tenant project has one tenant, "default",
// at the base path): several at once, rotation with overlap, revocation that holds at once,
// expiry, secrets kept only as hashes, the .env secret of an older project imported as the first
// one, and the admin API that manages them, off unless SCIM_ADMIN_TOKEN is set.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createScimServer } from '../src/generated/app.js';
import { testCredentials } from '../src/generated/auth/testing.js';
import { testDatabase } from '../src/generated/database/testing.js';
import { BASE_PATH } from '../src/generated/project.gen.js';
import { responseValidator } from './helpers/openapi.js';
import { expectScimError, sleep, URN } from './helpers/scim.js';
import { startServer, useScimServer } from './helpers/server.js';
import { adminClient, clientFor, newAdminToken } from './helpers/tenants.js';

describe('credentials of a tenant', () => {
  const { server, client } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken() });
  const admin = () => adminClient(server);

  it('rotates with overlap: old and new both work until the old one is revoked, which holds at once', async () => {
    const old = await admin().addCredential('default', { label: 'old' });
    const fresh = await admin().addCredential('default', { label: 'new' });
    const oldClient = await clientFor(server, server.baseUrl, old);
    const newClient = await clientFor(server, server.baseUrl, fresh);
    expect((await oldClient.get('/Users')).status).toBe(200);
    expect((await newClient.get('/Users')).status).toBe(200);

    const revoked = await admin().request('DELETE', `/tenants/default/credentials/${old.id}`);
    expect(revoked.status).toBe(204);
    expectScimError(await oldClient.get('/Users'), 401);
    expect((await newClient.get('/Users')).status).toBe(200);
    // The credentials the project started with are untouched.
    expect((await client.get('/Users')).status).toBe(200);

    const listed = await admin().request('GET', '/tenants/default/credentials');
    expect(listed.status).toBe(200);
    const byId = new Map(listed.body.credentials.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(old.id)).toMatchObject({ label: 'old', revoked: expect.any(String) });
    expect(byId.get(fresh.id)).toMatchObject({ label: 'new', lastUsed: expect.any(String) });
    expect(byId.get(fresh.id)).not.toHaveProperty('revoked');
    // No secret and no hash of one in the listing.
    expect(JSON.stringify(listed.body)).not.toContain(fresh.token ?? fresh.password ?? fresh.clientSecret);
    expect(JSON.stringify(listed.body)).not.toMatch(/secretHash|[0-9a-f]{64}/);
  });

  it('refuses an expired credential', async () => {
    const expiring = await admin().addCredential('default', { expires: new Date(Date.now() + 1500).toISOString() });
    const expiringClient = await clientFor(server, server.baseUrl, expiring);
    expect((await expiringClient.get('/Users')).status).toBe(200);
    await sleep(1700);
    expectScimError(await expiringClient.get('/Users'), 401);
  });

  it('refuses an expiry in the past and a revocation of an unknown credential, writing nothing', async () => {
    const before = (await admin().request('GET', '/tenants/default/credentials')).body.credentials.length;
    const past = await admin().request('POST', '/tenants/default/credentials', { expires: '2001-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect(past.body).toMatchObject({ schemas: [URN.error], status: '400' });
    expect((await admin().request('DELETE', '/tenants/default/credentials/cred_unknown')).status).toBe(404);
    expect((await admin().request('GET', '/tenants/default/credentials')).body.credentials).toHaveLength(before);
  });

  it('keeps only hashes: the database holds no secret', async () => {
    const issued = await admin().addCredential('default', { label: 'hashed at rest' });
    const secret = issued.token ?? issued.password ?? issued.clientSecret!;
    const path = server.env.DATABASE_PATH;
    // SQLite: the file and its write-ahead log hold every row as written.
    if (path && existsSync(path)) {
      for (const file of [path, `${path}-wal`]) {
        if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(secret))).toBe(false);
      }
    }
    // PostgreSQL and MySQL: every row of every table, the credential's own row included.
    const dump = await server.dumpDatabase?.();
    if (dump !== undefined) {
      expect(dump).toContain(issued.id);
      const envSecrets = Object.entries(server.env).filter(([name]) => /(TOKEN|PASSWORD|SECRET)$/.test(name));
      const presented = Object.values(server.credentials).map((value) => value.replace(/^(Bearer|Basic) /i, ''));
      for (const value of [secret, ...envSecrets.map(([, v]) => v), ...presented]) expect(dump).not.toContain(value);
    }
    for (const value of Object.values(testCredentials().env)) expect(secret).not.toBe(value);
  });
});

describe('a disabled tenant', () => {
  const { server, client } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken() });

  it('gets 403 with a SCIM error on every endpoint after valid authentication, and its data stays', async () => {
    const user = await client.post('/Users', { schemas: [URN.user], userName: 'stays@example.com' });
    expect(user.status).toBe(201);
    expect((await adminClient(server).request('PATCH', '/tenants/default', { disabled: true })).status).toBe(200);
    expectScimError(await client.get('/Users'), 403);
    expectScimError(await client.get(`/Users/${user.body.id}`), 403);
    expectScimError(await client.get('/ServiceProviderConfig'), 403);
    // Without valid credentials it is still the 401: a disabled tenant tells anonymous clients nothing.
    expectScimError(await client.get('/Users', { authorization: 'Bearer wrong' }), 401);
    expect((await adminClient(server).request('PATCH', '/tenants/default', { disabled: false })).status).toBe(200);
    expect((await client.get(`/Users/${user.body.id}`)).body.userName).toBe('stays@example.com');
  });
});

describe('the admin API', () => {
  it('is off unless SCIM_ADMIN_TOKEN is set', async () => {
    const server = await startServer();
    try {
      const res = await fetch(`${server.origin}/admin/v1/tenants`, { headers: { authorization: 'Bearer anything' } });
      expect(res.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  describe('with SCIM_ADMIN_TOKEN', () => {
    const { server } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken() });

    it('refuses no token, a wrong one and a tenant credential with a SCIM 401', async () => {
      const admin = adminClient(server);
      for (const authorization of [null, 'Bearer wrong', `Bearer ${server.env.SCIM_ADMIN_TOKEN}x`, server.credentials.authorization ?? 'Bearer x']) {
        const res = await admin.request('GET', '/tenants', undefined, authorization);
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ schemas: [URN.error], status: '401' });
      }
    });

    it('lists the tenants, tenant 1 "default" first', async () => {
      const res = await adminClient(server).request('GET', '/tenants');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.tenants[0]).toMatchObject({ key: 1, slug: 'default', disabled: false });
    });

    it('answers as openapi.json describes', async () => {
      const validate = responseValidator(JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')));
      const admin = adminClient(server);
      const check = async (method: string, template: string, path: string, body?: unknown) => {
        const res = await admin.request(method, path, body);
        expect(() => validate(method, template, res.status, res.body), `${method} ${path} ${res.status}`).not.toThrow();
        return res;
      };
      await check('GET', '/admin/v1/tenants', '/tenants');
      await check('GET', '/admin/v1/tenants/{slug}', '/tenants/default');
      const added = await check('POST', '/admin/v1/tenants/{slug}/credentials', '/tenants/default/credentials', { label: 'documented' });
      expect(added.status).toBe(201);
      await check('GET', '/admin/v1/tenants/{slug}/credentials', '/tenants/default/credentials');
      await check('DELETE', '/admin/v1/tenants/{slug}/credentials/{id}', `/tenants/default/credentials/${added.body.credential.id}`);
      await check('PATCH', '/admin/v1/tenants/{slug}', '/tenants/default', { name: 'Default tenant' });
      await check('GET', '/admin/v1/tenants/{slug}', '/tenants/nobody');
      await check('POST', '/admin/v1/tenants/{slug}/credentials', '/tenants/default/credentials', { expires: 'never' });
    });

    it('answers malformed requests with a SCIM error', async () => {
      const admin = adminClient(server);
      expect((await admin.request('GET', '/tenants/nobody')).status).toBe(404);
      expect((await admin.request('PATCH', '/tenants/default', { disabled: 'yes' })).status).toBe(400);
      expect((await admin.request('PATCH', '/tenants/default', { slug: 'other' })).status).toBe(400);
      const raw = await fetch(`${server.origin}/admin/v1/tenants/default/credentials`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.env.SCIM_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: '{not json',
      });
      expect(raw.status).toBe(400);
      expect(await raw.json()).toMatchObject({ schemas: [URN.error], scimType: 'invalidSyntax' });
    });
  });
});

describe('a project made before tenants', () => {
  it('keeps working with its .env secret, imported once as the first credential; a revocation sticks across restarts', async () => {
    const database = await testDatabase();
    const auth = testCredentials();
    const env = { ...database.env, ...auth.env, LOG_LEVEL: 'silent', SCIM_ADMIN_TOKEN: newAdminToken() };
    const start = async () => {
      const server = await createScimServer({ env });
      const origin = await server.listen({ port: 0, host: '127.0.0.1' });
      return { server, origin };
    };
    try {
      let { server, origin } = await start();
      const headers = await auth.headers({ origin });
      const get = (target: string) => fetch(`${target}${BASE_PATH}/Users`, { headers });
      expect((await get(origin)).status).toBe(200);
      const adminHeaders = { authorization: `Bearer ${env.SCIM_ADMIN_TOKEN}` };
      const listed = (await (await fetch(`${origin}/admin/v1/tenants/default/credentials`, { headers: adminHeaders })).json()) as {
        credentials: Array<{ id: string; label: string }>;
      };
      const imported = listed.credentials.filter((c) => c.label.startsWith('imported from '));
      expect(imported).toHaveLength(1);
      await server.close();

      // A restart imports nothing twice.
      ({ server, origin } = await start());
      const again = (await (await fetch(`${origin}/admin/v1/tenants/default/credentials`, { headers: adminHeaders })).json()) as {
        credentials: Array<{ label: string }>;
      };
      expect(again.credentials.filter((c) => c.label.startsWith('imported from '))).toHaveLength(1);
      // OAuth 2.0 access tokens are not the .env secret itself: revoke only what was imported as a token or password.
      if (imported[0]!.label !== 'imported from OAUTH_CLIENT_SECRET') {
        const revoke = await fetch(`${origin}/admin/v1/tenants/default/credentials/${imported[0]!.id}`, { method: 'DELETE', headers: adminHeaders });
        expect(revoke.status).toBe(204);
        expect((await get(origin)).status).toBe(401);
        await server.close();
        ({ server, origin } = await start());
        expect((await get(origin)).status).toBe(401);
      }
      await server.close();
    } finally {
      await database.cleanup();
    }
  });
});
