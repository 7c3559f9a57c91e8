// Authorization codes, access tokens and refresh tokens: random opaque strings handed out once
// and stored only under their SHA-256 hash, so a copy of the database opens nothing. Codes and
// refresh tokens are spent with the store's atomic `take`. The tokens one authorization grants
// form a family; presenting a spent code or refresh token again revokes the whole family
// (RFC 6749 §4.1.2, RFC 9700 §4.14.2), since it means a copy is in someone else's hands.

import { createHash, randomBytes } from 'node:crypto';
import type { KeyValueStore } from '../scim/key-value.js';

export interface Lifetimes {
  /** Seconds. */
  accessToken: number;
  refreshToken: number;
}

/** What an authorization code was issued for. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  /** The authorization request named redirect_uri, so the token request must repeat it. */
  redirectUriGiven: boolean;
  /** PKCE S256 challenge, when the client sent one. */
  codeChallenge?: string;
  scope: string;
  /** A tenant's client: the credential its secret was proven against on the consent form. */
  credential?: CredentialHash;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

/**
 * The credential a token was obtained with: the secretHash of a tenant's oauth-client credential
 * (or of the .env client imported as tenant 1's). Each request looks it up, so the token works
 * only while that credential is usable, and only on its tenant's URL. Not secret: a hash.
 */
type CredentialHash = string;

interface AccessRecord {
  clientId: string;
  scope: string;
  family?: string;
  credential?: CredentialHash;
}

interface RefreshRecord {
  clientId: string;
  scope: string;
  family: string;
  credential?: CredentialHash;
}

/** Whom an access token was issued to. */
export interface TokenOwner {
  clientId: string;
  credential?: CredentialHash;
}

interface FamilyRecord {
  clientId: string;
  /** Hash of the family's current refresh token, deleted along with the family. */
  refresh: string;
}

export type Spent<T> = { ok: true; value: T } | { ok: false; reason: 'unknown' | 'reused' | 'wrong-client' };

const CODE_TTL = 60;
/** How long a spent code is remembered, to recognise a replay. */
const SPENT_CODE_MEMORY = 10 * 60;
/** Expired entries are purged at most this often, on the way to issuing a token. */
const PURGE_INTERVAL_MS = 15 * 60 * 1000;

const newSecret = () => randomBytes(32).toString('base64url');
export const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('base64url');
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

const key = {
  code: (hash: string) => `oauth2:code:${hash}`,
  spentCode: (hash: string) => `oauth2:spent-code:${hash}`,
  access: (hash: string) => `oauth2:access:${hash}`,
  refresh: (hash: string) => `oauth2:refresh:${hash}`,
  spentRefresh: (hash: string) => `oauth2:spent-refresh:${hash}`,
  family: (id: string) => `oauth2:family:${id}`,
};

function parse<T>(value: string | undefined): T | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

export class TokenStore {
  private lastPurge = 0;

  constructor(
    private readonly state: KeyValueStore,
    private readonly lifetimes: Lifetimes,
  ) {}

  async issueCode(grant: CodeGrant): Promise<string> {
    const code = newSecret();
    await this.state.set(key.code(sha256(code)), JSON.stringify(grant), later(CODE_TTL));
    return code;
  }

  /** Spends a code once. A second presentation revokes what the first one obtained. */
  async spendCode(code: string, clientId: string): Promise<Spent<CodeGrant>> {
    const hash = sha256(code);
    const grant = parse<CodeGrant>(await this.state.take(key.code(hash)));
    if (!grant) {
      const family = await this.state.get(key.spentCode(hash));
      if (family === undefined) return { ok: false, reason: 'unknown' };
      await this.revokeFamily(family);
      return { ok: false, reason: 'reused' };
    }
    if (grant.clientId !== clientId) return { ok: false, reason: 'wrong-client' };
    return { ok: true, value: grant };
  }

  /** Tokens for a spent code: a new family with an access and a refresh token. */
  async issueForCode(code: string, clientId: string, scope: string, credential?: CredentialHash): Promise<IssuedTokens> {
    const family = newSecret();
    // Remembered for a while after the code expired: a replay then revokes the tokens below.
    await this.state.set(key.spentCode(sha256(code)), family, later(SPENT_CODE_MEMORY));
    return this.issue(clientId, scope, family, credential);
  }

  /**
   * Rotation: the presented refresh token is spent and a new pair issued in its family. A token
   * obtained with a tenant's credential is refreshed only by a client authenticated with it.
   */
  async refresh(refreshToken: string, clientId: string, credential?: CredentialHash): Promise<Spent<IssuedTokens>> {
    const hash = sha256(refreshToken);
    const current = parse<RefreshRecord>(await this.state.get(key.refresh(hash)));
    // Another client's token is refused without spending it, so a stray request cannot burn it.
    if (current && (current.clientId !== clientId || (current.credential !== undefined && current.credential !== credential))) {
      return { ok: false, reason: 'wrong-client' };
    }
    const record = parse<RefreshRecord>(await this.state.take(key.refresh(hash)));
    if (!record) {
      const family = await this.state.get(key.spentRefresh(hash));
      if (family === undefined) return { ok: false, reason: 'unknown' };
      await this.revokeFamily(family);
      return { ok: false, reason: 'reused' };
    }
    if (!(await this.state.get(key.family(record.family)))) return { ok: false, reason: 'unknown' };
    await this.state.set(key.spentRefresh(hash), record.family, later(this.lifetimes.refreshToken));
    return { ok: true, value: await this.issue(clientId, record.scope, record.family, record.credential) };
  }

  /** client_credentials: an access token only (RFC 6749 §4.4.3), outside any family. */
  async issueForClient(clientId: string, scope: string, credential?: CredentialHash): Promise<IssuedTokens> {
    return this.issue(clientId, scope, undefined, credential);
  }

  /** Whom an access token was issued to, when it is valid and its family not revoked. */
  async lookupAccessToken(token: string): Promise<TokenOwner | undefined> {
    const record = parse<AccessRecord>(await this.state.get(key.access(sha256(token))));
    if (!record) return undefined;
    if (record.family !== undefined && (await this.state.get(key.family(record.family))) === undefined) return undefined;
    return { clientId: record.clientId, credential: record.credential };
  }

  /**
   * RFC 7009: revokes an access or refresh token of this client. Revoking a refresh token
   * ends its family, access tokens included. Unknown tokens and other clients' tokens are
   * ignored alike, so the answer tells nothing about them.
   */
  async revoke(token: string, clientId: string): Promise<void> {
    const hash = sha256(token);
    const access = parse<AccessRecord>(await this.state.get(key.access(hash)));
    if (access?.clientId === clientId) await this.state.delete(key.access(hash));
    const refresh = parse<RefreshRecord>(await this.state.get(key.refresh(hash)));
    if (refresh?.clientId === clientId) await this.revokeFamily(refresh.family);
  }

  private async issue(clientId: string, scope: string, family?: string, credential?: CredentialHash): Promise<IssuedTokens> {
    this.purgeNowAndThen();
    const { accessToken: accessTtl, refreshToken: refreshTtl } = this.lifetimes;
    const accessToken = newSecret();
    const access: AccessRecord = { clientId, scope, family, credential };
    await this.state.set(key.access(sha256(accessToken)), JSON.stringify(access), later(accessTtl));
    const issued: IssuedTokens = { access_token: accessToken, token_type: 'Bearer', expires_in: accessTtl, scope };
    if (family === undefined) return issued;

    const refreshToken = newSecret();
    const refreshHash = sha256(refreshToken);
    const refresh: RefreshRecord = { clientId, scope, family, credential };
    await this.state.set(key.refresh(refreshHash), JSON.stringify(refresh), later(refreshTtl));
    // The family lives as long as its newest refresh token; deleting it revokes every member.
    const record: FamilyRecord = { clientId, refresh: refreshHash };
    await this.state.set(key.family(family), JSON.stringify(record), later(Math.max(refreshTtl, accessTtl)));
    return { ...issued, refresh_token: refreshToken };
  }

  private async revokeFamily(family: string): Promise<void> {
    const record = parse<FamilyRecord>(await this.state.take(key.family(family)));
    if (record) await this.state.delete(key.refresh(record.refresh));
  }

  /** Expired codes and tokens are dead already; purging keeps the table small. */
  private purgeNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    // Housekeeping only: a failure is retried at the next interval and must not fail the request.
    this.state.purgeExpired().catch(() => undefined);
  }
}
