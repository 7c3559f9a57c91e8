// An in-memory TenantDirectory for the engine's unit tests of routing, credentials and the admin
// operations (the databases' own directories are tested by the store contract tests).

import { ScimError } from '../../../templates/scim/errors.js';
import type { Credential, NewCredential, Tenant, TenantDirectory } from '../../../templates/scim/tenancy.js';

export class MemoryTenants implements TenantDirectory {
  readonly tenants = new Map<number, Tenant>();
  readonly credentials = new Map<string, Credential & { secretHash: string }>();
  touches = 0;
  private next = 1;

  async createTenant(input: { slug: string; name: string; idp: Tenant['idp'] }): Promise<Tenant> {
    if ([...this.tenants.values()].some((t) => t.slug === input.slug)) throw new ScimError(409, 'duplicate slug', 'uniqueness');
    const tenant: Tenant = { key: this.next++, ...input, disabled: false, created: new Date().toISOString() };
    this.tenants.set(tenant.key, tenant);
    return { ...tenant };
  }
  async findTenant(slug: string) {
    const t = [...this.tenants.values()].find((t) => t.slug === slug);
    return t && { ...t };
  }
  async getTenant(key: number) {
    const t = this.tenants.get(key);
    return t && { ...t };
  }
  async listTenants() {
    return [...this.tenants.values()].map((t) => ({ ...t }));
  }
  async updateTenant(key: number, change: Partial<Tenant>) {
    const t = this.tenants.get(key);
    if (!t) throw new ScimError(404, 'no tenant');
    Object.assign(t, change);
    return { ...t };
  }
  async removeTenant(key: number) {
    this.tenants.delete(key);
    for (const [h, c] of this.credentials) if (c.tenant === key) this.credentials.delete(h);
  }
  async addCredential(input: NewCredential): Promise<Credential> {
    if (this.credentials.has(input.secretHash)) throw new ScimError(409, 'duplicate', 'uniqueness');
    const credential = { ...input, id: `cred_${this.credentials.size + 1}`, created: new Date().toISOString() };
    this.credentials.set(input.secretHash, credential);
    const { secretHash: _, ...shown } = credential;
    return shown;
  }
  async findCredential(secretHash: string) {
    const c = this.credentials.get(secretHash);
    if (!c) return undefined;
    const { secretHash: _, ...credential } = c;
    return { credential, tenant: { ...this.tenants.get(c.tenant)! } };
  }
  async listCredentials(tenant: number) {
    return [...this.credentials.values()].filter((c) => c.tenant === tenant).map(({ secretHash: _, ...c }) => c);
  }
  async revokeCredential(tenant: number, id: string) {
    const c = [...this.credentials.values()].find((c) => c.tenant === tenant && c.id === id);
    if (!c) return false;
    c.revoked ??= new Date().toISOString();
    return true;
  }
  async touchCredential(id: string, at: Date) {
    this.touches++;
    const c = [...this.credentials.values()].find((c) => c.id === id);
    if (c) c.lastUsed = at.toISOString();
  }
}
