// The tenant operations: one module behind both the admin CLI (`npm run tenant -- ...`) and the
// admin HTTP API (admin-api.ts), so both check and answer alike. Every check happens before the
// first write: a malformed or duplicate slug, an unknown tenant or a bad expiry writes nothing.

import { newSecret, secretHash, secretMaterial } from './credentials.js';
import { ScimError } from './errors.js';
import type { EventOrigin } from './events.js';
import {
  TENANT_SLUG,
  type Credential,
  type CredentialKind,
  type IdentityProvider,
  type Tenant,
  type TenantDirectory,
} from './tenancy.js';

export const IDENTITY_PROVIDERS: readonly IdentityProvider[] = ['okta', 'entra', 'other'];

/** A credential as created: the secret is in here once, and nowhere else ever again. */
export interface IssuedCredential {
  id: string;
  kind: CredentialKind;
  label: string;
  expires?: string;
  token?: string;
  username?: string;
  password?: string;
  clientId?: string;
  clientSecret?: string;
}

export interface NewTenantResult {
  tenant: Tenant;
  baseUrl: string;
  credential: IssuedCredential;
}

export interface TenantAdminOptions {
  tenants: TenantDirectory;
  /** What the project's auth mode authenticates with. */
  credentialKind: CredentialKind;
  tenancy: 'single' | 'multi';
  /** The public URL of the SCIM base path, e.g. "https://api.example.com/scim/v2". */
  scimUrl: string;
  /** Slugs that would read as an endpoint (users, groups, schemas, ...). */
  reservedSlugs: ReadonlySet<string>;
}

/** First path segments a tenant slug must not take: the SCIM endpoints and the server's own paths. */
export function reservedSlugs(endpoints: readonly string[]): Set<string> {
  const names = ['serviceproviderconfig', 'resourcetypes', 'schemas', 'bulk', 'me', 'admin', 'oauth', 'health', 'search'];
  return new Set([...names, ...endpoints.map((e) => e.replace(/^\//, '').toLowerCase())]);
}

/** The public URL of the SCIM base path, from SCIM_PUBLIC_URL, else PUBLIC_URL, else localhost. */
export function publicScimUrl(env: NodeJS.ProcessEnv, basePath: string, port: number | string): string {
  const scim = env.SCIM_PUBLIC_URL?.trim();
  if (scim) return scim.replace(/\/+$/, '');
  const root = env.PUBLIC_URL?.trim();
  if (root) return root.replace(/\/+$/, '') + basePath;
  return `http://localhost:${env.PORT?.trim() || port}${basePath}`;
}

const badRequest = (detail: string) => new ScimError(400, detail, 'invalidValue');
const notFound = (slug: string) => new ScimError(404, `No tenant ${JSON.stringify(slug)}`);

export class TenantAdmin {
  constructor(private readonly options: TenantAdminOptions) {}

  /** The base URL a tenant's identity provider is given. */
  baseUrl(tenant: Tenant): string {
    return this.options.tenancy === 'multi' ? `${this.options.scimUrl}/${tenant.slug}` : this.options.scimUrl;
  }

  /** Why `slug` cannot name a new tenant, or undefined when it can. */
  slugProblem(slug: string): string | undefined {
    if (!TENANT_SLUG.test(slug)) {
      return `${JSON.stringify(slug)} is not a valid tenant slug: use 1 to 63 lowercase letters, digits and "-" (not "_"), starting and ending with a letter or digit`;
    }
    if (this.options.reservedSlugs.has(slug)) return `${JSON.stringify(slug)} is reserved: it reads as an endpoint of the server`;
    return undefined;
  }

  /** Every change below takes `origin`, for its event (events.ts): the admin API's request, or the CLI when absent. */
  async addTenant(
    input: { slug: string; name?: string; idp?: string; label?: string; expires?: string },
    origin?: EventOrigin,
  ): Promise<NewTenantResult> {
    const { tenants } = this.options;
    if (this.options.tenancy === 'single') {
      throw new ScimError(400, 'This project is single-tenant: regenerate it with --tenancy multi to add tenants', 'invalidValue');
    }
    const problem = this.slugProblem(input.slug);
    if (problem) throw badRequest(problem);
    const idp = checkIdp(input.idp);
    const name = checkName(input.name) ?? input.slug;
    const expires = checkExpiry(input.expires);
    if (await tenants.findTenant(input.slug)) throw new ScimError(409, `A tenant ${JSON.stringify(input.slug)} exists already`, 'uniqueness');
    const tenant = await tenants.createTenant({ slug: input.slug, name, idp }, origin);
    try {
      const credential = await this.issue(tenant, input.label ?? 'first credential', expires, origin);
      return { tenant, baseUrl: this.baseUrl(tenant), credential };
    } catch (error) {
      // Nothing half-made stays behind.
      await tenants.removeTenant(tenant.key, origin).catch(() => undefined);
      throw error;
    }
  }

  listTenants(): Promise<Tenant[]> {
    return this.options.tenants.listTenants();
  }

  async tenant(slug: string): Promise<Tenant> {
    const tenant = TENANT_SLUG.test(slug) ? await this.options.tenants.findTenant(slug) : undefined;
    if (!tenant) throw notFound(slug);
    return tenant;
  }

  async updateTenant(slug: string, change: { disabled?: unknown; name?: unknown; idp?: unknown }, origin?: EventOrigin): Promise<Tenant> {
    const update: { disabled?: boolean; name?: string; idp?: IdentityProvider } = {};
    if (change.disabled !== undefined) {
      if (typeof change.disabled !== 'boolean') throw badRequest('disabled must be true or false');
      update.disabled = change.disabled;
    }
    if (change.name !== undefined) update.name = checkName(change.name);
    if (change.idp !== undefined) update.idp = checkIdp(change.idp);
    const tenant = await this.tenant(slug);
    if (Object.keys(update).length === 0) return tenant;
    return this.options.tenants.updateTenant(tenant.key, update, origin);
  }

  async removeTenant(slug: string, origin?: EventOrigin): Promise<Tenant> {
    const tenant = await this.tenant(slug);
    await this.options.tenants.removeTenant(tenant.key, origin);
    return tenant;
  }

  async addCredential(slug: string, input: { label?: string; expires?: string }, origin?: EventOrigin): Promise<IssuedCredential> {
    const expires = checkExpiry(input.expires);
    const label = checkLabel(input.label);
    const tenant = await this.tenant(slug);
    return this.issue(tenant, label ?? `added ${new Date().toISOString().slice(0, 10)}`, expires, origin);
  }

  async listCredentials(slug: string): Promise<Credential[]> {
    return this.options.tenants.listCredentials((await this.tenant(slug)).key);
  }

  async revokeCredential(slug: string, id: string, origin?: EventOrigin): Promise<void> {
    const tenant = await this.tenant(slug);
    if (!(await this.options.tenants.revokeCredential(tenant.key, id, origin))) {
      throw new ScimError(404, `Tenant ${JSON.stringify(slug)} has no credential ${JSON.stringify(id)}`);
    }
  }

  /** A new secret of the project's kind for this tenant; only its hash is stored. */
  private async issue(tenant: Tenant, label: string, expires: string | undefined, origin?: EventOrigin): Promise<IssuedCredential> {
    const kind = this.options.credentialKind;
    const secret = newSecret();
    let material: string;
    let principal: string | undefined;
    let shown: Partial<IssuedCredential>;
    if (kind === 'basic') {
      principal = tenant.slug;
      material = secretMaterial.basic(principal, secret);
      shown = { username: principal, password: secret };
    } else if (kind === 'oauth-client') {
      principal = `${tenant.slug}-${newSecret().slice(5, 13).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
      material = secretMaterial.oauthClient(principal, secret);
      shown = { clientId: principal, clientSecret: secret };
    } else {
      material = secretMaterial.token(secret);
      shown = { token: secret };
    }
    const credential = await this.options.tenants.addCredential({
      tenant: tenant.key,
      kind,
      label,
      principal,
      expires,
      secretHash: secretHash(material),
    }, origin);
    return { id: credential.id, kind, label: credential.label, ...(expires ? { expires } : {}), ...shown };
  }
}

function checkIdp(idp: unknown): IdentityProvider {
  if (idp === undefined) return 'other';
  if (typeof idp !== 'string' || !(IDENTITY_PROVIDERS as readonly string[]).includes(idp)) {
    throw badRequest(`idp must be one of ${IDENTITY_PROVIDERS.join(', ')}`);
  }
  return idp as IdentityProvider;
}

function checkName(name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) throw badRequest('name must be a non-empty string of at most 200 characters');
  return name.trim();
}

function checkLabel(label: unknown): string | undefined {
  if (label === undefined) return undefined;
  if (typeof label !== 'string' || label.trim() === '' || label.length > 200) throw badRequest('label must be a non-empty string of at most 200 characters');
  return label.trim();
}

/** An ISO 8601 date or date-time in the future, normalised; undefined for none. */
function checkExpiry(expires: unknown): string | undefined {
  if (expires === undefined || expires === null || expires === '') return undefined;
  const time = typeof expires === 'string' ? Date.parse(expires) : NaN;
  if (Number.isNaN(time)) throw badRequest('expires must be an ISO 8601 date or date-time, e.g. 2027-01-31T00:00:00Z');
  if (time <= Date.now()) throw badRequest('expires must be in the future');
  return new Date(time).toISOString();
}
