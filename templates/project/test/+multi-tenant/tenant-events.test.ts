// Events in a multi-tenant server: every event carries its tenant and the credential that made
// the change, the admin API's own changes are recorded as made `via: admin`, and the audit log
// read for one tenant shows nothing of another.

import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { URN, type Json } from './helpers/scim.js';
import { useScimServer } from './helpers/server.js';
import { adminClient, clientFor, newAdminToken, onServer } from './helpers/tenants.js';

describe('events per tenant', () => {
  const { server } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken() });

  const audit = async (query: Record<string, string>): Promise<Json[]> => {
    const response = await adminClient(server).request('GET', `/audit?${new URLSearchParams(query)}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.events;
  };

  it('records tenant and credential changes via admin, and SCIM changes with their tenant and credential', async () => {
    const admin = adminClient(server);
    const acme = await admin.addTenant('ev-acme', { idp: 'okta' });
    const globex = await admin.addTenant('ev-globex', { idp: 'entra' });
    const acmeClient = await clientFor(server, onServer(server, acme.baseUrl), acme.credential);
    const created = await acmeClient.post('/Users', { schemas: [URN.user], userName: 'same@example.com' });
    expect(created.status).toBe(201);
    expect((await admin.request('PATCH', '/tenants/ev-globex', { disabled: true })).status).toBe(200);

    const acmeEvents = (await audit({ tenant: 'ev-acme' })).reverse();
    expect(acmeEvents.map((e) => e.kind)).toEqual(['tenant.create', 'credential.create', 'create']);
    expect(acmeEvents[0]).toMatchObject({ resourceType: 'Tenant', resourceId: String(acme.tenant.key), actor: { via: 'admin', credentialId: null } });
    expect(acmeEvents[1]).toMatchObject({ resourceType: 'Credential', resourceId: acme.credential.id, actor: { via: 'admin' } });
    expect(acmeEvents[2]).toMatchObject({ resourceType: 'User', resourceId: created.body.id, actor: { via: 'scim', credentialId: acme.credential.id } });
    expect(new Set(acmeEvents.map((e) => e.tenant)).size).toBe(1);

    const globexEvents = (await audit({ tenant: 'ev-globex' })).reverse();
    expect(globexEvents.map((e) => e.kind)).toEqual(['tenant.create', 'credential.create', 'tenant.update']);
    expect(globexEvents[2].attributes).toEqual(['disabled']);
    expect(globexEvents.some((e) => e.resourceId === created.body.id)).toBe(false);
    expect(globex.credential.id).not.toBe(acme.credential.id);

    // By actor: only what that credential changed.
    expect((await audit({ actor: acme.credential.id })).map((e) => e.resourceId)).toEqual([created.body.id]);
    expect((await adminClient(server).request('GET', '/audit?tenant=nobody')).status).toBe(404);
  });
});

describe('security event tokens per tenant', () => {
  const pollToken = randomBytes(24).toString('base64url');
  const { server } = useScimServer({
    SCIM_ADMIN_TOKEN: newAdminToken(),
    SCIM_SET_SIGNING_KEY: randomBytes(32).toString('base64url'),
    SCIM_SET_POLL_TOKEN: pollToken,
  });

  it("names a tenant's resource under the tenant's own segment, so one stream of every tenant's SETs tells them apart", async () => {
    const admin = adminClient(server);
    const acme = await admin.addTenant('set-acme', { idp: 'okta' });
    const acmeClient = await clientFor(server, onServer(server, acme.baseUrl), acme.credential);
    const created = await acmeClient.post('/Users', { schemas: [URN.user], userName: 'set.acme@example.com' });
    expect(created.status).toBe(201);

    const polled = await fetch(`${server.origin}/events/poll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${pollToken}` },
      body: JSON.stringify({ maxEvents: 50 }),
    });
    expect(polled.status).toBe(200);
    const { sets } = (await polled.json()) as { sets: Record<string, string> };
    const about = Object.values(sets)
      .map((token) => decodeJwt(token) as { sub_id: { uri: string; id: string } })
      .filter((claims) => claims.sub_id.id === created.body.id);
    expect(about.map((claims) => claims.sub_id.uri)).toEqual([`/set-acme/Users/${created.body.id}`]);
  });
});
