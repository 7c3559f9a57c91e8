// A multi-tenant server: each tenant at <base path>/<slug> with credentials of its own. Two
// tenants with colliding userNames and group names on every endpoint see only their own data;
// a credential works on its own tenant's URL only (elsewhere it is the 401 of a wrong secret);
// an unknown tenant is 404 and a disabled one 403; discovery answers per tenant.

import { beforeAll, describe, expect, it } from 'vitest';
import type { IssuedCredential } from '../src/generated/scim/admin.js';
import { expectScimError, ids, patchOp, resources, URN, type ScimClient } from './helpers/scim.js';
import { useScimServer } from './helpers/server.js';
import { adminClient, clientFor, newAdminToken, onServer } from './helpers/tenants.js';

describe('tenants', () => {
  const { server, client: defaultClient } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken() });
  const tenants: Record<'acme' | 'globex', { baseUrl: string; credential: IssuedCredential; client: ScimClient }> = {} as never;

  beforeAll(async () => {
    for (const slug of ['acme', 'globex'] as const) {
      const created = await adminClient(server).addTenant(slug, { name: `${slug} Inc.`, idp: 'okta' });
      expect(created.tenant).toMatchObject({ slug, name: `${slug} Inc.`, idp: 'okta', disabled: false });
      expect(created.baseUrl).toMatch(new RegExp(`${server.basePath}/${slug}$`));
      const baseUrl = onServer(server, created.baseUrl);
      tenants[slug] = { baseUrl, credential: created.credential, client: await clientFor(server, baseUrl, created.credential) };
    }
  });

  const user = (userName: string, extra: Record<string, unknown> = {}) => ({ schemas: [URN.user], userName, ...extra });
  const group = (displayName: string, members: string[] = []) => ({
    schemas: [URN.group],
    displayName,
    members: members.map((value) => ({ value })),
  });

  it('keeps colliding userNames and group names apart on every endpoint', async () => {
    const { acme, globex } = tenants;
    const made: Record<string, { user: string; group: string }> = {};
    for (const [slug, t] of Object.entries(tenants)) {
      const u = await t.client.post('/Users', user('same@example.com', { displayName: slug }));
      expect(u.status).toBe(201);
      expect(u.body.meta.location).toBe(`${t.baseUrl}/Users/${u.body.id}`);
      const g = await t.client.post('/Groups', group('Engineering', [u.body.id]));
      expect(g.status).toBe(201);
      made[slug] = { user: u.body.id, group: g.body.id };
    }
    // A duplicate within one tenant is still a 409.
    expectScimError(await acme.client.post('/Users', user('same@example.com')), 409, 'uniqueness');

    for (const [slug, t] of Object.entries(tenants)) {
      const other = slug === 'acme' ? made.globex! : made.acme!;
      const own = made[slug]!;
      // Lists, filters, /.search and the cross-type search see only the tenant's own resources.
      const listed = await t.client.get('/Users', { query: { filter: 'userName eq "same@example.com"' } });
      expect(ids(listed)).toEqual([own.user]);
      expect(resources(listed)[0].displayName).toBe(slug);
      expect(ids(await t.client.get('/Groups', { query: { filter: 'displayName eq "Engineering"' } }))).toEqual([own.group]);
      expect((await t.client.post('/Users/.search', { schemas: [URN.searchRequest], filter: 'userName sw "same"' })).body.totalResults).toBe(1);
      expect((await t.client.post('/.search', { schemas: [URN.searchRequest] })).body.totalResults).toBe(2);
      // The other tenant's ids are unknown ids: every verb answers 404 and changes nothing.
      expectScimError(await t.client.get(`/Users/${other.user}`), 404);
      expectScimError(await t.client.get(`/Groups/${other.group}`), 404);
      expectScimError(await t.client.put(`/Users/${other.user}`, user('taken@example.com')), 404);
      expectScimError(await t.client.patch(`/Users/${other.user}`, patchOp({ op: 'replace', path: 'active', value: false })), 404);
      expectScimError(await t.client.delete(`/Groups/${other.group}`), 404);
      expectScimError(await t.client.delete(`/Users/${other.user}`), 404);
      // A group cannot take a member of another tenant.
      const foreign = await t.client.patch(`/Groups/${own.group}`, patchOp({ op: 'add', path: 'members', value: [{ value: other.user }] }));
      expect(foreign.status).toBe(400);
      const members = (await t.client.get(`/Groups/${own.group}`)).body.members.map((m: { value: string }) => m.value);
      expect(members).toEqual([own.user]);
    }
    // Nothing crossed: each tenant's resources are as they were made.
    expect((await acme.client.get(`/Users/${made.acme!.user}`)).body.active).not.toBe(false);
    expect((await globex.client.get(`/Groups/${made.globex!.group}`)).status).toBe(200);
    // The un-prefixed base path is tenant 1's, which has none of them.
    expect((await defaultClient.get('/Users', { query: { filter: 'userName eq "same@example.com"' } })).body.totalResults).toBe(0);
  });

  it('answers a credential of another tenant exactly as a wrong secret', async () => {
    const acmeHeaders = await server.headersFor(tenants.acme.credential);
    const wrongSecret = { ...tenants.acme.credential, token: 'scim_wrong', password: 'wrong', clientSecret: 'wrong' };
    const wrongHeaders = await server.headersFor(wrongSecret).catch(() => undefined);
    const onGlobex = await fetch(`${tenants.globex.baseUrl}/Users`, { headers: acmeHeaders });
    expect(onGlobex.status).toBe(401);
    const body = await onGlobex.text();
    if (wrongHeaders) {
      const wrong = await fetch(`${tenants.globex.baseUrl}/Users`, { headers: wrongHeaders });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).toBe(body);
      expect(wrong.headers.get('www-authenticate')).toBe(onGlobex.headers.get('www-authenticate'));
    }
    // Nor on the un-prefixed base path, which is tenant 1's.
    expect((await fetch(`${server.baseUrl}/Users`, { headers: acmeHeaders })).status).toBe(401);
    // And tenant 1's credential on a tenant's URL.
    expectScimError(await defaultClient.get(`${tenants.acme.baseUrl}/Users`), 401);
  });

  it("refuses a cursor of one tenant's walk on another tenant's URL (RFC 9865 invalidCursor)", async () => {
    const { acme, globex } = tenants;
    for (const name of ['cursor-a@example.com', 'cursor-b@example.com']) {
      expect((await acme.client.post('/Users', user(name))).status).toBe(201);
    }
    const query = { filter: 'userName sw "cursor-"', count: '1' };
    const first = await acme.client.get('/Users', { query: { ...query, cursor: '' } });
    expect(first.status, first.text).toBe(200);
    const cursor: string = first.body.nextCursor;
    expect(cursor).toBeTruthy();
    // The same query on globex's URL: the cursor says nothing there, not even that acme has more.
    expectScimError(await globex.client.get('/Users', { query: { ...query, cursor } }), 400, 'invalidCursor');
    const next = await acme.client.get('/Users', { query: { ...query, cursor } });
    expect(next.status, next.text).toBe(200);
    const walked = [...resources(first), ...resources(next)].map((u: { userName: string }) => u.userName);
    expect(walked.sort()).toEqual(['cursor-a@example.com', 'cursor-b@example.com']);
  });

  it('answers 404 for an unknown tenant, but only after valid credentials', async () => {
    expectScimError(await tenants.acme.client.get(`${server.baseUrl}/nobody/Users`), 404);
    expectScimError(await tenants.acme.client.get(`${server.baseUrl}/nobody/Users`, { authorization: null }), 401);
    expectScimError(await tenants.acme.client.get(`${server.baseUrl}/nobody/Users`, { authorization: 'Bearer wrong' }), 401);
  });

  it('answers discovery per tenant, with locations under its URL', async () => {
    for (const t of Object.values(tenants)) {
      const spc = await t.client.get('/ServiceProviderConfig');
      expect(spc.status).toBe(200);
      expect(spc.body.meta.location).toBe(`${t.baseUrl}/ServiceProviderConfig`);
      const types = await t.client.get('/ResourceTypes');
      for (const type of resources(types)) expect(type.meta.location.startsWith(`${t.baseUrl}/ResourceTypes/`)).toBe(true);
      expect((await t.client.get('/Schemas')).status).toBe(200);
    }
  });

  it('answers 403 to a disabled tenant only, and serves it again once enabled', async () => {
    const admin = adminClient(server);
    expect((await admin.request('PATCH', '/tenants/globex', { disabled: true })).body).toMatchObject({ slug: 'globex', disabled: true });
    expectScimError(await tenants.globex.client.get('/Users'), 403);
    expect((await tenants.acme.client.get('/Users')).status).toBe(200);
    await admin.request('PATCH', '/tenants/globex', { disabled: false });
    expect((await tenants.globex.client.get('/Users')).status).toBe(200);
  });

  it('refuses malformed, reserved and duplicate slugs through the admin API, writing nothing', async () => {
    const admin = adminClient(server);
    const before = (await admin.request('GET', '/tenants')).body.tenants.length;
    for (const slug of ['Acme', 'acme_corp', '-x', 'users', 'groups']) {
      const res = await admin.request('POST', '/tenants', { slug });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ schemas: [URN.error], status: '400' });
    }
    expect((await admin.request('POST', '/tenants', { slug: 'acme' })).status).toBe(409);
    expect((await admin.request('GET', '/tenants')).body.tenants).toHaveLength(before);
  });

  it('removes a tenant with its data and credentials', async () => {
    const admin = adminClient(server);
    const doomed = await admin.addTenant('doomed');
    const baseUrl = onServer(server, doomed.baseUrl);
    const client = await clientFor(server, baseUrl, doomed.credential);
    expect((await client.post('/Users', user('same@example.com'))).status).toBe(201);
    expect((await admin.request('DELETE', '/tenants/doomed')).status).toBe(204);
    // Its credential is gone with it: the 401 of any unknown secret.
    expectScimError(await client.get('/Users'), 401);
    expect((await admin.request('GET', '/tenants/doomed')).status).toBe(404);
    // A new tenant of the same slug starts empty.
    const again = await admin.addTenant('doomed');
    const fresh = await clientFor(server, onServer(server, again.baseUrl), again.credential);
    expect((await fresh.get('/Users')).body.totalResults).toBe(0);
  });
});
