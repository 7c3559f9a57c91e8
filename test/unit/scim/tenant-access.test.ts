// Routing and authentication of tenants (templates/scim/routes.ts, credentials.ts) and the tenant
// operations (admin.ts), over an in-memory TenantDirectory. The generated suites check the same
// end to end over HTTP on every database.

import { describe, expect, it } from 'vitest';
import { TenantAdmin, reservedSlugs } from '../../../templates/scim/admin.js';
import { adminRoutes } from '../../../templates/scim/admin-api.js';
import type { RequestHeaders } from '../../../templates/scim/auth.js';
import {
  CredentialChecker,
  ensureDefaultTenant,
  importEnvCredential,
  newSecret,
  passwordHash,
  secretHash,
  secretMaterial,
} from '../../../templates/scim/credentials.js';
import { scimEndpoints } from '../../../templates/scim/routes.js';
import { ScimService } from '../../../templates/scim/service.js';
import type { ResourceStore } from '../../../templates/scim/store.js';
import type { KeyValueStore } from '../../../templates/scim/key-value.js';
import { testRegistry } from './fixtures.js';
import { MemoryTenants } from './tenant-fixture.js';

function memoryState(): KeyValueStore {
  const entries = new Map<string, string>();
  return {
    get: async (k) => entries.get(k),
    set: async (k, v) => void entries.set(k, v),
    take: async (k) => {
      const v = entries.get(k);
      entries.delete(k);
      return v;
    },
    delete: async (k) => void entries.delete(k),
    purgeExpired: async () => 0,
  };
}

async function setup(tenancy: 'single' | 'multi' = 'multi') {
  const tenants = new MemoryTenants();
  await ensureDefaultTenant(tenants, true);
  const checker = new CredentialChecker(tenants);
  const registry = testRegistry();
  const admin = new TenantAdmin({
    tenants,
    credentialKind: 'token',
    tenancy,
    scimUrl: 'https://api.example.com/scim/v2',
    reservedSlugs: reservedSlugs(registry.resourceTypes.map((t) => t.def.endpoint)),
  });
  const authenticator = {
    challenge: 'Bearer realm="SCIM"',
    routes: [],
    authenticate: async (headers: RequestHeaders) => {
      const token = /^Bearer (\S+)$/.exec(String(headers.authorization ?? ''))?.[1];
      return token ? checker.check(secretMaterial.token(token)) : undefined;
    },
  };
  const service = new ScimService({ registry, store: {} as ResourceStore, authenticator: { scheme: { type: 'x', name: 'x', description: 'x' } } });
  const endpoints = scimEndpoints({ service, authenticator, bodyLimit: 1024, tenancy, tenants });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  return { tenants, admin, endpoints, bearer, checker };
}

describe('multi-tenant authentication', () => {
  it('lets a tenant credential in on its own URL only; another tenant gets exactly the 401 of a wrong secret', async () => {
    const { admin, endpoints, bearer } = await setup();
    const acme = await admin.addTenant({ slug: 'acme' });
    const globex = await admin.addTenant({ slug: 'globex' });
    expect(acme.baseUrl).toBe('https://api.example.com/scim/v2/acme');
    const ok = await endpoints.authenticate(bearer(acme.credential.token!), { path: '/acme/Users' });
    expect(ok.principal?.tenant.slug).toBe('acme');
    const wrongTenant = await endpoints.authenticate(bearer(acme.credential.token!), { path: '/globex/Users' });
    const wrongSecret = await endpoints.authenticate(bearer('scim_nope'), { path: '/globex/Users' });
    expect(wrongTenant.refusal).toEqual(wrongSecret.refusal);
    expect(wrongTenant.refusal?.status).toBe(401);
    expect((await endpoints.authenticate(bearer(globex.credential.token!), { path: '/globex/Groups/1' })).principal?.tenant.slug).toBe('globex');
    // The un-prefixed base path is tenant 1's.
    expect((await endpoints.authenticate(bearer(acme.credential.token!), { path: '/Users' })).refusal?.status).toBe(401);
  });

  it('answers 404 for an unknown tenant, only after valid credentials', async () => {
    const { admin, endpoints, bearer } = await setup();
    const acme = await admin.addTenant({ slug: 'acme' });
    expect((await endpoints.authenticate(bearer(acme.credential.token!), { path: '/nobody/Users' })).refusal?.status).toBe(404);
    expect((await endpoints.authenticate(bearer(acme.credential.token!), { path: '/Not_A_Slug/Users' })).refusal?.status).toBe(404);
    expect((await endpoints.authenticate(bearer('scim_nope'), { path: '/nobody/Users' })).refusal?.status).toBe(401);
    expect((await endpoints.authenticate({}, { path: '/nobody/Users' })).refusal?.status).toBe(401);
  });

  it('answers 403 for a disabled tenant, and lets it in again once enabled', async () => {
    const { admin, endpoints, bearer } = await setup();
    const acme = await admin.addTenant({ slug: 'acme' });
    await admin.updateTenant('acme', { disabled: true });
    const refused = await endpoints.authenticate(bearer(acme.credential.token!), { path: '/acme/Users' });
    expect(refused.refusal?.status).toBe(403);
    expect(JSON.parse(refused.refusal!.body!)).toMatchObject({ status: '403' });
    await admin.updateTenant('acme', { disabled: false });
    expect((await endpoints.authenticate(bearer(acme.credential.token!), { path: '/acme/Users' })).principal).toBeDefined();
  });

  it('routes every SCIM path under /:tenant too, with locations naming the slug', async () => {
    const { endpoints } = await setup();
    const paths = endpoints.routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain('GET /:tenant/Users/:id');
    expect(paths).toContain('GET /:tenant/ServiceProviderConfig');
    expect(paths).toContain('POST /:tenant/.search');
    expect(paths).toContain('GET /Users/:id');
    const spc = endpoints.routes.find((r) => r.path === '/:tenant/ServiceProviderConfig')!;
    const tenant = { key: 2, slug: 'acme', name: 'acme', idp: 'other' as const, disabled: false, created: '' };
    const res = await spc.handle({
      headers: {}, query: {}, body: undefined, origin: 'https://x.example', mountPath: '/scim/v2', requestId: 'r', log: { info() {}, warn() {}, error() {} },
      principal: { tenant, credential: { id: 'c', tenant: 2, kind: 'token', label: 'l', created: '' } },
    });
    expect(JSON.parse(res.body!).meta.location).toBe('https://x.example/scim/v2/acme/ServiceProviderConfig');
  });

  it('a single-tenant project has no tenant routes and serves tenant 1 whatever the path', async () => {
    const { endpoints, tenants, bearer } = await setup('single');
    expect(endpoints.routes.some((r) => r.path.startsWith('/:tenant'))).toBe(false);
    const token = 'scim_single_tenant_token_0123456789';
    await importEnvCredential(tenants, memoryState(), { variable: 'SCIM_BEARER_TOKEN', kind: 'token', material: secretMaterial.token(token) });
    expect((await endpoints.authenticate(bearer(token), { path: '/Users' })).principal?.tenant.key).toBe(1);
  });
});

describe('credentials', () => {
  it('stores only the hash; revocation and expiry take effect at once', async () => {
    const { admin, checker, tenants } = await setup();
    const { credential } = await admin.addTenant({ slug: 'acme' });
    const stored = JSON.stringify([...tenants.credentials.values()]);
    expect(stored).not.toContain(credential.token!);
    expect(stored).toContain(secretHash(`token:${credential.token}`));
    const second = await admin.addCredential('acme', { label: 'rotation' });
    expect(await checker.check(secretMaterial.token(credential.token!))).toBeDefined();
    expect(await checker.check(secretMaterial.token(second.token!))).toBeDefined();
    await admin.revokeCredential('acme', credential.id);
    expect(await checker.check(secretMaterial.token(credential.token!))).toBeUndefined();
    expect(await checker.check(secretMaterial.token(second.token!))).toBeDefined();
    const expiring = await admin.addCredential('acme', { expires: new Date(Date.now() + 50).toISOString() });
    expect(await checker.check(secretMaterial.token(expiring.token!))).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(await checker.check(secretMaterial.token(expiring.token!))).toBeUndefined();
  });

  it('records last use at most once a minute', async () => {
    const { admin, checker, tenants } = await setup();
    const { credential } = await admin.addTenant({ slug: 'acme' });
    for (let i = 0; i < 5; i++) await checker.check(secretMaterial.token(credential.token!));
    expect(tenants.touches).toBe(1);
  });

  it('imports the .env secret once; a revocation sticks, and a changed .env secret replaces it', async () => {
    const tenants = new MemoryTenants();
    const state = memoryState();
    await ensureDefaultTenant(tenants, true);
    const env = (token: string) => ({ variable: 'SCIM_BEARER_TOKEN', kind: 'token' as const, material: secretMaterial.token(token) });
    const first = await importEnvCredential(tenants, state, env('old-token-0123456789abcdef'));
    expect(first?.label).toBe('imported from SCIM_BEARER_TOKEN');
    expect(await importEnvCredential(tenants, state, env('old-token-0123456789abcdef'))).toBeUndefined();
    await tenants.revokeCredential(1, first!.id);
    expect(await importEnvCredential(tenants, state, env('old-token-0123456789abcdef'))).toBeUndefined();
    expect((await tenants.listCredentials(1)).filter((c) => !c.revoked)).toHaveLength(0);
    const second = await importEnvCredential(tenants, state, env('new-token-0123456789abcdef'));
    expect(second).toBeDefined();
    expect((await tenants.listCredentials(1)).filter((c) => !c.revoked).map((c) => c.id)).toEqual([second!.id]);
  });
});

describe('Basic passwords', () => {
  it('stretches a chosen password with scrypt salted by the user name; generated ones stay SHA-256', async () => {
    const chosen = secretMaterial.basic('okta', 'Summer2026!');
    const hash = await passwordHash(chosen);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toBe(secretHash(chosen));
    expect(await passwordHash(chosen)).toBe(hash);
    // The same password under another user name hashes apart: no table fits two credentials.
    expect(await passwordHash(secretMaterial.basic('entra', 'Summer2026!'))).not.toBe(hash);
    const generated = secretMaterial.basic('acme', newSecret());
    expect(await passwordHash(generated)).toBe(secretHash(generated));
    const token = secretMaterial.token('Summer2026!');
    expect(await passwordHash(token)).toBe(secretHash(token));
  });

  it('re-imports a .env password stored by SHA-256 under scrypt, revoking the old row; the password keeps working', async () => {
    const tenants = new MemoryTenants();
    const state = memoryState();
    await ensureDefaultTenant(tenants, true);
    const material = secretMaterial.basic('okta', 'a password a person chose');
    // As a version before scrypt left it: the row and the import record under the SHA-256.
    const legacy = await tenants.addCredential({ tenant: 1, kind: 'basic', label: 'imported from SCIM_BASIC_PASSWORD', principal: 'okta', secretHash: secretHash(material) });
    await state.set('tenancy:env-import:SCIM_BASIC_PASSWORD', JSON.stringify({ hash: secretHash(material), id: legacy.id }), new Date('9999-01-01'));
    const env = { variable: 'SCIM_BASIC_PASSWORD', kind: 'basic' as const, material, principal: 'okta' };
    const upgraded = await importEnvCredential(tenants, state, env);
    expect(upgraded).toBeDefined();
    const rows = await tenants.listCredentials(1);
    expect(rows.find((c) => c.id === legacy.id)?.revoked).toBeTruthy();
    expect([...tenants.credentials.values()].find((c) => c.id === upgraded!.id)?.secretHash).toBe(await passwordHash(material));
    expect((await new CredentialChecker(tenants).check(material))?.credential.id).toBe(upgraded!.id);
    expect(await new CredentialChecker(tenants).check(secretMaterial.basic('okta', 'a wrong one'))).toBeUndefined();
    // Once upgraded, a restart imports nothing.
    expect(await importEnvCredential(tenants, state, env)).toBeUndefined();
  });
});

describe('tenant operations', () => {
  it('refuses malformed, reserved and duplicate slugs and writes nothing', async () => {
    const { admin, tenants } = await setup();
    for (const slug of ['Acme', 'acme_corp', '-acme', '', 'a'.repeat(64), 'users', 'groups', 'schemas', 'admin']) {
      await expect(admin.addTenant({ slug })).rejects.toMatchObject({ status: 400 });
    }
    await admin.addTenant({ slug: 'acme' });
    await expect(admin.addTenant({ slug: 'acme' })).rejects.toMatchObject({ status: 409 });
    await expect(admin.addTenant({ slug: 'beta', idp: 'google' })).rejects.toMatchObject({ status: 400 });
    await expect(admin.addTenant({ slug: 'beta', expires: 'yesterday' })).rejects.toMatchObject({ status: 400 });
    expect((await tenants.listTenants()).map((t) => t.slug)).toEqual(['default', 'acme']);
    expect(tenants.credentials.size).toBe(1);
  });

  it('a single-tenant project adds no tenant', async () => {
    const { admin } = await setup('single');
    await expect(admin.addTenant({ slug: 'acme' })).rejects.toMatchObject({ status: 400 });
  });

  it('the admin API is off without SCIM_ADMIN_TOKEN and refuses any other token', async () => {
    const { admin } = await setup();
    expect(adminRoutes({}, admin)).toEqual([]);
    const routes = adminRoutes({ SCIM_ADMIN_TOKEN: 'admin-token-0123456789abcdef' }, admin);
    const post = routes.find((r) => r.method === 'POST' && r.path === '/admin/v1/tenants')!;
    const call = (authorization: string | undefined, body: unknown) =>
      post.handle({ method: 'POST', path: '/admin/v1/tenants', query: {}, headers: authorization ? { authorization } : {}, body: JSON.stringify(body), origin: 'http://x' });
    expect((await call(undefined, { slug: 'acme' })).status).toBe(401);
    expect((await call('Bearer admin-token-0123456789abcdeX', { slug: 'acme' })).status).toBe(401);
    const created = await call('Bearer admin-token-0123456789abcdef', { slug: 'acme', idp: 'okta' });
    expect(created.status).toBe(201);
    expect(JSON.parse(created.body!)).toMatchObject({ tenant: { slug: 'acme', idp: 'okta' }, baseUrl: expect.stringMatching(/\/acme$/), credential: { token: expect.stringMatching(/^scim_/) } });
    const duplicate = await call('Bearer admin-token-0123456789abcdef', { slug: 'acme' });
    expect(duplicate.status).toBe(409);
    expect(JSON.parse(duplicate.body!)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409' });
  });
});
