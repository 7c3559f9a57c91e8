// Tenants and their credentials: the contract between the engine (routing, authentication, the
// admin CLI and API) and a database adapter, which keeps both in its own tables beside the SCIM
// resources. Every project has tenants: a single-tenant project has exactly one, key 1 with the
// slug "default", and serves it at the base path itself; a multi-tenant project serves each at
// `<basePath>/<slug>`. So switching from one to the other moves no data.

import { randomBytes } from 'node:crypto';
import { badRequest } from './errors.js';
import type { EventOrigin } from './events.js';

/** A tenant's internal key: the value of the tenant column in every table. Never shown to clients. */
export type TenantKey = number;

/** The tenant of every single-tenant project, and the first of a project switched to multi. */
export const DEFAULT_TENANT: TenantKey = 1;
export const DEFAULT_TENANT_SLUG = 'default';

/**
 * A tenant's URL segment: lowercase letters, digits and `-` (never `_`, which Okta rejects in a
 * base URL), starting with a letter or digit, at most 63 characters.
 */
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** 400 invalidValue unless the slug is a valid tenant URL segment. */
export function checkSlug(slug: string): void {
  if (typeof slug !== 'string' || !TENANT_SLUG.test(slug)) {
    throw badRequest(
      'invalidValue',
      'A tenant slug is 1 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
  }
}

/** A new credential's public id: "cred_" and 24 random hex digits. */
export const newCredentialId = (): string => `cred_${randomBytes(12).toString('hex')}`;

export type IdentityProvider = 'okta' | 'entra' | 'other';

export interface Tenant {
  key: TenantKey;
  slug: string;
  /** Display name, e.g. "Acme Corp"; the slug when none was given. */
  name: string;
  idp: IdentityProvider;
  /** A disabled tenant's requests get 403; its data stays. */
  disabled: boolean;
  /** ISO 8601. */
  created: string;
}

/**
 * How a credential is presented: `token` for Bearer and header tokens, `basic` for a username and
 * password, `oauth-client` for an OAuth 2.0 client id and secret.
 */
export type CredentialKind = 'token' | 'basic' | 'oauth-client';

export interface Credential {
  /** Public identifier, safe to show and log (e.g. "cred_3f9a..."). */
  id: string;
  tenant: TenantKey;
  kind: CredentialKind;
  label: string;
  /** The username (`basic`) or client id (`oauth-client`); absent for tokens. Not secret. */
  principal?: string;
  /** ISO 8601 timestamps. */
  created: string;
  expires?: string;
  lastUsed?: string;
  revoked?: string;
}

/** What the engine hands a store to keep: never the secret, only its hash (see credentials.ts). */
export interface NewCredential {
  tenant: TenantKey;
  kind: CredentialKind;
  label: string;
  principal?: string;
  expires?: string;
  /** Hex SHA-256 of the presented secret material; the lookup key. Unique. */
  secretHash: string;
}

/**
 * Implemented by every database adapter over two tables (`tenants`, `credentials`). Methods
 * throw ScimError 409 `uniqueness` for a duplicate slug or secret hash, 404 for an unknown key.
 */
export interface TenantDirectory {
  /**
   * Changes of tenants and credentials write a `tenant.*` or `credential.*` event (events.ts) in
   * their transaction, like resource writes; `origin` says who (the CLI when absent).
   */
  createTenant(input: { slug: string; name: string; idp: IdentityProvider }, origin?: EventOrigin): Promise<Tenant>;
  /** By slug; undefined when there is none. */
  findTenant(slug: string): Promise<Tenant | undefined>;
  getTenant(key: TenantKey): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  updateTenant(
    key: TenantKey,
    change: { disabled?: boolean; name?: string; slug?: string; idp?: IdentityProvider },
    origin?: EventOrigin,
  ): Promise<Tenant>;
  /** Deletes the tenant, its credentials and every resource and membership of it, in one transaction. */
  removeTenant(key: TenantKey, origin?: EventOrigin): Promise<void>;

  addCredential(credential: NewCredential, origin?: EventOrigin): Promise<Credential>;
  /**
   * The credential whose secret hashes to this, with its tenant, whatever its state: the caller
   * decides about revoked, expired and disabled. One indexed read, no cache, so a revocation on
   * one replica holds on every other at once.
   */
  findCredential(secretHash: string): Promise<{ credential: Credential; tenant: Tenant } | undefined>;
  listCredentials(tenant: TenantKey): Promise<Credential[]>;
  /** Marks it revoked now; false when the tenant has no such credential. */
  revokeCredential(tenant: TenantKey, id: string, origin?: EventOrigin): Promise<boolean>;
  /** Records a use; the engine calls it at most about once a minute per credential. */
  touchCredential(id: string, at: Date): Promise<void>;
}
