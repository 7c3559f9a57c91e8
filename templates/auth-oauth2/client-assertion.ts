// JWT client authentication at the token endpoint (RFC 7523 §2.2, "private_key_jwt"), which the
// OpenID IPSIE SCIM profile asks identity providers to use with client_credentials: the client
// signs a short-lived JWT with its private key, and this server checks it against the public keys
// the client publishes (its JWKS URL, from the identity provider's RFC 8414 metadata `jwks_uri`).
// Each assertion is accepted once: its `jti` is remembered until it expires (RFC 7523 §3).

import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { KeyValueStore } from '../scim/key-value.js';
import type { OAuthClient } from './config.js';
import { ASYMMETRIC_ALGORITHMS } from './jwt.js';
import { sha256 } from './tokens.js';

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Assertions living longer than this are refused, so the replay memory stays small. */
const MAX_LIFETIME_SECONDS = 3600;

/** The client id an assertion claims (its `sub`), unverified: only to find whose keys to verify it with. */
export function assertedClientId(assertion: string): string | undefined {
  try {
    const { sub, iss } = decodeJwt(assertion);
    return typeof sub === 'string' && sub === iss ? sub : undefined;
  } catch {
    return undefined;
  }
}

export type AssertionVerifier = (client: OAuthClient, assertion: string, audiences: string[]) => Promise<boolean>;

export function clientAssertionVerifier(state: KeyValueStore): AssertionVerifier {
  // One key set per client: fetched on first use, cached, fetched again for an unknown key id.
  const keySets = new Map<string, JWTVerifyGetKey>();
  return async (client, assertion, audiences) => {
    if (!client.jwksUrl) return false;
    let keys = keySets.get(client.id);
    if (!keys) keySets.set(client.id, (keys = createRemoteJWKSet(client.jwksUrl)));
    let exp: number;
    let jti: string;
    try {
      const { payload } = await jwtVerify(assertion, keys, {
        issuer: client.id,
        subject: client.id,
        audience: audiences,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: 30,
      });
      exp = payload.exp!;
      jti = String(payload.jti);
    } catch {
      // A bad signature, claim or key, or keys that cannot be fetched: the client is not authenticated.
      return false;
    }
    if (exp - Date.now() / 1000 > MAX_LIFETIME_SECONDS) return false;
    const key = `client-assertion:${sha256(`${client.id}\n${jti}`)}`;
    // Two concurrent requests with one assertion can both get past this check; a replay later cannot.
    if ((await state.get(key)) !== undefined) return false;
    await state.set(key, '1', new Date((exp + 60) * 1000));
    return true;
  };
}
