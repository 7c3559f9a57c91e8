// Credentials: how secrets are made, hashed and checked. A secret is never stored: the database
// keeps a hash of its "material" (`token:<token>`, `basic:<user>:<password>`,
// `oauth-client:<id>:<secret>`) and a request is authenticated by looking that hash up. Secrets
// made here are 32 random bytes, so a fast hash (SHA-256) is the right one: there is nothing to
// guess. A Basic password a person chose (SCIM_BASIC_PASSWORD in .env) may be guessable, so it
// is stretched with scrypt instead (see passwordHash). The `.env` secret of a project made before
// tenants is imported once, at start, as tenant 1's first credential.

import { createHash, randomBytes, scrypt } from 'node:crypto';
import type { KeyValueStore } from './key-value.js';
import {
  DEFAULT_TENANT,
  DEFAULT_TENANT_SLUG,
  type Credential,
  type CredentialKind,
  type Tenant,
  type TenantDirectory,
} from './tenancy.js';

/** Who a request is: the credential it presented and the tenant that credential belongs to. */
export interface Principal {
  tenant: Tenant;
  credential: Credential;
}

/** Prefix of every generated secret, so a leaked one is recognisable (secret scanners). */
export const SECRET_PREFIX = 'scim_';

/** A new secret: 32 random bytes, base64url, with the prefix. */
export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}

/** What is hashed for each kind of credential. */
export const secretMaterial = {
  token: (token: string) => `token:${token}`,
  basic: (username: string, password: string) => `basic:${username}:${password}`,
  oauthClient: (clientId: string, clientSecret: string) => `oauth-client:${clientId}:${clientSecret}`,
};

/** Hex SHA-256: the lookup key of a credential whose secret was made here. */
export function secretHash(material: string): string {
  return createHash('sha256').update(material, 'utf8').digest('hex');
}

/** A secret newSecret() made: 256 random bits. */
const GENERATED_SECRET = /^scim_[A-Za-z0-9_-]{43}$/;

/**
 * scrypt's cost: N = 2^15 with r = 8 takes 32 MiB and some tens of milliseconds, once per
 * password and process (the result is remembered, below) and once per failed attempt, which the
 * failed-authentication limit slows per client address.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
/** Stretched passwords remembered per process, by the SHA-256 of their material. */
const stretched = new Map<string, string>();
const STRETCHED_MAX = 1_000;

/**
 * The lookup key of presented secret material: SHA-256 for tokens, clients and the Basic
 * passwords made here; for any other Basic password (one a person chose), hex scrypt of the
 * password salted with the user name. The salt cannot be random and stored, because the hash is
 * what the credential is found by; the user name makes it differ from credential to credential
 * and from project to project, which is what a salt is for: no precomputed table fits it.
 * Comparison is the database index's exact match on the derived value, as for every credential.
 */
export async function passwordHash(material: string): Promise<string> {
  const basic = /^basic:([^:]*):([\s\S]*)$/.exec(material);
  if (!basic || GENERATED_SECRET.test(basic[2]!)) return secretHash(material);
  const memo = secretHash(material);
  const known = stretched.get(memo);
  if (known !== undefined) return known;
  const [, username, password] = basic;
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password!, `scim-basic\0${username}`, 32, SCRYPT, (error, derived) => (error ? reject(error) : resolve(derived))),
  );
  if (stretched.size >= STRETCHED_MAX) stretched.clear();
  stretched.set(memo, key.toString('hex'));
  return key.toString('hex');
}

/** Last use is recorded at most this often per credential (and process). */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Resolves presented secret material to a principal. One indexed read by hash per request and no
 * cache, so a revocation holds at once on every replica. The hash is compared by the database's
 * index, not in JavaScript: an attacker timing that lookup learns at most a prefix of the SHA-256
 * of a value they chose, which tells nothing about any stored secret.
 */
export class CredentialChecker {
  private readonly touched = new Map<string, number>();

  constructor(
    readonly tenants: TenantDirectory,
    private readonly log?: { warn(obj: object, msg?: string): void },
  ) {}

  /** The principal, or undefined for an unknown, revoked or expired credential. */
  async check(material: string): Promise<Principal | undefined> {
    const found = await this.tenants.findCredential(await passwordHash(material));
    if (!found) return undefined;
    const now = Date.now();
    if (!usable(found.credential, now)) return undefined;
    this.touch(found.credential, now);
    return found;
  }

  private touch(credential: Credential, now: number): void {
    const last = Math.max(this.touched.get(credential.id) ?? 0, credential.lastUsed ? Date.parse(credential.lastUsed) : 0);
    if (now - last < TOUCH_INTERVAL_MS) return;
    this.touched.set(credential.id, now);
    if (this.touched.size > 10_000) this.touched.clear();
    // Bookkeeping only: a failure must not fail the request. The id is public, the secret never logged.
    this.tenants.touchCredential(credential.id, new Date(now)).catch((error: unknown) => {
      this.log?.warn({ err: error, credential: credential.id }, 'Could not record the last use of a credential');
    });
  }
}

/** Neither revoked nor expired at `now`. */
export function usable(credential: Credential, now = Date.now()): boolean {
  if (credential.revoked) return false;
  return !(credential.expires && Date.parse(credential.expires) <= now);
}

/** The secret of a project's `.env`, as its auth mode reads it. */
export interface EnvCredential {
  /** e.g. "SCIM_BEARER_TOKEN" */
  variable: string;
  kind: CredentialKind;
  /** secretMaterial of the configured secret. */
  material: string;
  /** The username or client id, for basic and oauth-client. */
  principal?: string;
}

/**
 * Makes sure tenant 1 exists in a single-tenant project (slug "default"), and in a new
 * multi-tenant one that has a `.env` secret to give it.
 */
export async function ensureDefaultTenant(tenants: TenantDirectory, create: boolean): Promise<Tenant | undefined> {
  const existing = await tenants.getTenant(DEFAULT_TENANT);
  if (existing || !create) return existing;
  if ((await tenants.listTenants()).length > 0) return undefined;
  return tenants.createTenant({ slug: DEFAULT_TENANT_SLUG, name: DEFAULT_TENANT_SLUG, idp: 'other' });
}

const IMPORT_KEY = (variable: string) => `tenancy:env-import:${variable}`;
/** The import record lives as long as the project: far enough in the future. */
const FOREVER = new Date('9999-12-31T00:00:00Z');

/**
 * Imports the `.env` secret once as a credential of tenant 1, labelled "imported from <VAR>".
 * Recorded (in the key-value state, and by its hash in the credentials table), so a credential
 * revoked later stays revoked across restarts. When the `.env` secret is changed, the new one is
 * imported and the one imported before is revoked: rotating by editing .env works as it always did.
 */
export async function importEnvCredential(
  tenants: TenantDirectory,
  state: KeyValueStore,
  secret: EnvCredential,
): Promise<Credential | undefined> {
  // A Basic password imported by a version that hashed it with SHA-256 is imported again under
  // its scrypt hash and the old row revoked, like a changed secret: the password keeps working.
  const hash = await passwordHash(secret.material);
  const recorded = parseRecord(await state.get(IMPORT_KEY(secret.variable)));
  if (recorded?.hash === hash) return undefined;
  let known = await tenants.findCredential(hash);
  let imported: Credential | undefined;
  if (!known) {
    if (!(await tenants.getTenant(DEFAULT_TENANT))) return undefined;
    try {
      imported = await tenants.addCredential({
        tenant: DEFAULT_TENANT,
        kind: secret.kind,
        label: `imported from ${secret.variable}`,
        principal: secret.principal,
        secretHash: hash,
      });
    } catch (error) {
      // Another replica starting at the same time imported it first.
      known = await tenants.findCredential(hash);
      if (!known) throw error;
    }
  }
  if (recorded && recorded.id !== (known?.credential.id ?? imported?.id)) {
    await tenants.revokeCredential(DEFAULT_TENANT, recorded.id);
  }
  const id = known?.credential.id ?? imported!.id;
  await state.set(IMPORT_KEY(secret.variable), JSON.stringify({ hash, id }), FOREVER);
  return imported;
}

function parseRecord(value: string | undefined): { hash: string; id: string } | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as { hash?: unknown; id?: unknown };
    return typeof parsed.hash === 'string' && typeof parsed.id === 'string' ? { hash: parsed.hash, id: parsed.id } : undefined;
  } catch {
    return undefined;
  }
}
