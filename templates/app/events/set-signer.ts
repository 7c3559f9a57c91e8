// RFC 9967 security event tokens: one SET (RFC 8417) per committed change, signed with
// SCIM_SET_SIGNING_KEY through `jose`. The public half is served as a JWKS so receivers can
// verify. The key may be a PKCS#8 PEM (Ed25519, P-256, RSA), a private JWK, or — what the
// generator writes into .env — 32 random bytes in base64url, taken as an Ed25519 seed.

import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, SignJWT, type JWK } from 'jose';
import { ConfigError } from '../scim/config.js';
import { etagOf } from '../scim/etag.js';
import type { ProvisioningEvent } from '../scim/events.js';

/** The event URIs of RFC 9967 §2.4 this server issues (the "notice" forms: names, never values). */
export const EVENT_URIS = {
  create: 'urn:ietf:params:scim:event:prov:create:notice',
  replace: 'urn:ietf:params:scim:event:prov:put:notice',
  patch: 'urn:ietf:params:scim:event:prov:patch:notice',
  delete: 'urn:ietf:params:scim:event:prov:delete',
  activate: 'urn:ietf:params:scim:event:prov:activate',
  deactivate: 'urn:ietf:params:scim:event:prov:deactivate',
} as const;

/** The media type of a SET on the wire (RFC 8417 §2.3, RFC 8935 §2). */
export const SET_MEDIA_TYPE = 'application/secevent+jwt';

// PKCS#8 DER of an Ed25519 private key without the 32-byte seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SetClaims {
  iss: string;
  aud?: string;
}

export class SetSigner {
  private constructor(
    private readonly key: KeyObject,
    readonly alg: string,
    readonly kid: string,
    private readonly publicJwk: JWK,
  ) {}

  /** Parses SCIM_SET_SIGNING_KEY; a bad one is a start-up error naming the variable. */
  static async fromEnv(text: string): Promise<SetSigner> {
    let key: KeyObject;
    try {
      if (text.startsWith('-----BEGIN')) key = createPrivateKey(text);
      else if (text.startsWith('{')) key = createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' });
      else {
        const seed = Buffer.from(text, 'base64url');
        if (seed.length !== 32 || seed.toString('base64url') !== text.replace(/=+$/, '')) throw new Error('expected 32 bytes in base64url');
        key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
      }
    } catch (error) {
      throw new ConfigError(
        `SCIM_SET_SIGNING_KEY is not a valid private key (a PKCS#8 PEM, a private JWK, or 32 random bytes in base64url): ${(error as Error).message}`,
      );
    }
    if (key.type !== 'private') throw new ConfigError('SCIM_SET_SIGNING_KEY must be a private key, not a public one.');
    const alg = algorithmOf(key);
    const publicJwk = createPublicKey(key).export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwk);
    return new SetSigner(key, alg, kid, publicJwk);
  }

  /** The JWKS document receivers verify with. */
  jwks(): { keys: JWK[] } {
    return { keys: [{ ...this.publicJwk, kid: this.kid, alg: this.alg, use: 'sig' }] };
  }

  /**
   * The SET of a SCIM resource change, or undefined for changes RFC 9967 has no event for
   * (tenants and credentials). `endpoint` is the resource type's, e.g. "/Users".
   */
  async sign(event: ProvisioningEvent, endpoint: string, claims: SetClaims): Promise<string | undefined> {
    const payload = setPayload(event, endpoint);
    if (!payload) return undefined;
    const jwt = new SignJWT(payload)
      .setProtectedHeader({ alg: this.alg, typ: 'secevent+jwt', kid: this.kid })
      .setIssuer(claims.iss)
      .setIssuedAt()
      .setJti(event.id);
    if (claims.aud) jwt.setAudience(claims.aud);
    return jwt.sign(this.key);
  }
}

/**
 * The claims RFC 9967 defines for one change: `sub_id` (format "scim", the resource's relative
 * `uri`, its `id`), `txn` (the change: the same in every SET sent for it), and one event URI.
 */
export function setPayload(event: ProvisioningEvent, endpoint: string): Record<string, unknown> | undefined {
  const uri = EVENT_URIS[event.kind as keyof typeof EVENT_URIS];
  if (!uri) return undefined;
  const notice = event.kind === 'create' || event.kind === 'replace' || event.kind === 'patch';
  const version = event.version === null ? {} : { version: etagOf(event.version) };
  return {
    sub_id: { format: 'scim', uri: `${endpoint}/${event.resourceId}`, id: event.resourceId },
    txn: event.id,
    events: { [uri]: notice ? { attributes: event.attributes, ...version } : {} },
  };
}

function algorithmOf(key: KeyObject): string {
  switch (key.asymmetricKeyType) {
    case 'ed25519':
      return 'EdDSA';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'prime256v1') return 'ES256';
      if (curve === 'secp384r1') return 'ES384';
      throw new ConfigError(`SCIM_SET_SIGNING_KEY is an EC key on ${curve}: use P-256 or P-384.`);
    }
    case 'rsa':
      return 'RS256';
    default:
      throw new ConfigError(`SCIM_SET_SIGNING_KEY is a ${key.asymmetricKeyType} key: use Ed25519, P-256, P-384 or RSA.`);
  }
}
