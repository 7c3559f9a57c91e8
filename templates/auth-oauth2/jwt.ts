// Access tokens from an authorization server the team already runs (Okta, Entra ID, Auth0,
// Keycloak...): JWTs verified with jose against the issuer's published keys (JWKS), its
// issuer name and this API's audience. Only asymmetric algorithms: the keys are public.

import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ScimError } from '../scim/errors.js';
import type { ExternalIssuer } from './config.js';

/** Asymmetric only: the keys are public, so a symmetric one would let anyone sign. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/** jose error codes that mean "this token is not good", as opposed to "the keys could not be had". */
const REJECTED = new Set([
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

export function jwtVerifier(issuer: ExternalIssuer): (token: string) => Promise<boolean> {
  // Fetched on first use, cached, and fetched again when a token names an unknown key (rotation).
  const keys = createRemoteJWKSet(issuer.jwksUrl);
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: issuer.issuer,
        audience: issuer.audience,
        algorithms: ASYMMETRIC_ALGORITHMS,
        requiredClaims: ['exp'],
        // Clocks drift a little between the issuer and this server.
        clockTolerance: 30,
      }));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && (code.startsWith('ERR_JWT_') || code.startsWith('ERR_JWS_') || REJECTED.has(code))) {
        return false;
      }
      // The keys are unreachable or unusable: nobody can be verified, so the client should retry.
      throw new ScimError(503, 'Cannot verify the access token now: the issuer\'s keys (OAUTH_JWKS_URL) are unavailable');
    }
    return issuer.requiredScope === undefined || scopesOf(payload).includes(issuer.requiredScope);
  };
}

/** Scopes from `scope` (RFC 9068, space-separated) or `scp` (Okta, Entra: a list or a string). */
function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp;
  if (typeof raw === 'string') return raw.split(' ');
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
}
