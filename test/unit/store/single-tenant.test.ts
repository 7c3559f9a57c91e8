// The upgrade path for a custom store written before tenants (templates/database-custom/
// single-tenant.ts): wrapped with withTenants, a store whose methods take no tenant serves
// tenant 1 through the tenant-first contract, and refuses any other tenant with 501.

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../templates/database-custom/memory-store.js';
import { withTenants, type SingleTenantStore } from '../../../templates/database-custom/single-tenant.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { inTenant, registry, rejection, user } from './contract.js';

const User = registry.byName('User')!;

describe('withTenants (a store written before tenants)', () => {
  it("serves tenant 1 through the old store's methods, and refuses other tenants with 501", async () => {
    // A pre-tenancy store: the memory store seen from tenant 1, with the old signatures.
    const legacy: SingleTenantStore = inTenant(createMemoryStore({ registry }), DEFAULT_TENANT);
    const store = withTenants(legacy);
    const created = await store.create(DEFAULT_TENANT, User, user('ada'), []);
    expect((await legacy.get(User, created.id, { withMembers: false, withGroups: false }))?.id).toBe(created.id);
    const listed = await store.list(DEFAULT_TENANT, User, { startIndex: 1, count: 10, sortOrder: 'ascending', withMembers: false, withGroups: false });
    expect(listed.resources.map((r) => r.id)).toEqual([created.id]);
    expect(await rejection(store.get(2, User, created.id, { withMembers: false, withGroups: false }))).toMatchObject({ status: 501 });
    expect(await rejection(store.create(2, User, user('bob'), []))).toMatchObject({ status: 501 });
    // Tenant 1 exists in the default directory, so the .env secret has somewhere to go.
    expect((await store.tenants.getTenant(DEFAULT_TENANT))?.slug).toBe('default');
    await store.delete(DEFAULT_TENANT, User, created.id, {});
    expect(await legacy.get(User, created.id, { withMembers: false, withGroups: false })).toBeUndefined();
  });
});
