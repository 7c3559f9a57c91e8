// The token endpoint (RFC 6749 §3.2: authorization_code with PKCE, refresh_token with rotation,
// client_credentials) and the revocation endpoint (RFC 7009). Clients authenticate with
// client_secret_basic or client_secret_post, or a client with a JWKS URL with a signed JWT
// (private_key_jwt, RFC 7523 §2.2); public clients send only their client_id.
// Besides the clients of the environment (tenant 1's), each tenant has clients of its own:
// `oauth-client` credentials stored as hashes, which use client_credentials and the authorization
// code flow (authorize.ts) with refresh tokens. A code, an access and a refresh token remember the
// credential they were obtained with, so they work only on that tenant's URL, are exchanged and
// refreshed only by that credential's client, and only while it is neither revoked nor expired.

import { timingSafeEqual } from 'node:crypto';
import type { PlainRequest, PlainResponse } from '../scim/auth.js';
import { secretHash, secretMaterial, usable, type CredentialChecker } from '../scim/credentials.js';
import { secretMatcher } from '../scim/secret.js';
import { JWT_BEARER_ASSERTION, assertedClientId, type AssertionVerifier } from './client-assertion.js';
import { SCOPE, type OAuthClient } from './config.js';
import { NO_STORE, basicCredentials, isForm, json, oauthError, parseForm } from './http.js';
import { sha256, type TokenStore } from './tokens.js';

export interface TokenContext {
  clients: ReadonlyMap<string, OAuthClient>;
  tokens: TokenStore;
  /** The tenants' own clients. */
  credentials: CredentialChecker;
  /** Checks a private_key_jwt assertion against the client's keys, once. */
  verifyAssertion: AssertionVerifier;
  /** This authorization server's issuer URL, which an assertion's `aud` must name (or its token endpoint). */
  issuerOf: (request: PlainRequest) => string;
}

type ClientAuth =
  | { ok: true; client: OAuthClient; params: Record<string, string>; credential?: string }
  | { ok: false; response: PlainResponse };

/** The secretHash an environment client's secret was imported under, as tenant 1's credential. */
export const configuredClientHash = (client: OAuthClient) =>
  client.secret === undefined ? undefined : secretHash(secretMaterial.oauthClient(client.id, client.secret));

const invalidGrant = (description: string) => oauthError(400, 'invalid_grant', description);

export function tokenEndpoints(context: TokenContext) {
  const secretMatchers = new Map(
    [...context.clients.values()].flatMap((c) => (c.secret ? [[c.id, secretMatcher(c.secret)] as const] : [])),
  );

  /** Reads the form and authenticates the client that sent it. */
  async function authenticateClient(request: PlainRequest): Promise<ClientAuth> {
    const failed = (response: PlainResponse): ClientAuth => ({ ok: false, response });
    if (!isForm(request)) {
      return failed(oauthError(400, 'invalid_request', 'Send the parameters as application/x-www-form-urlencoded'));
    }
    const form = parseForm(request.body);
    if (!form.ok) return failed(oauthError(400, 'invalid_request', form.reason));
    const { params } = form;

    const basic = basicCredentials(request.headers);
    if (params.client_assertion_type !== undefined || params.client_assertion !== undefined) {
      return authenticateWithAssertion(request, params, basic !== undefined, failed);
    }
    // RFC 6749 §2.3 allows one method; a client repeating the same credentials in the body is
    // tolerated, two different ones are not.
    const conflicting =
      (params.client_id !== undefined && params.client_id !== basic?.id) ||
      (params.client_secret !== undefined && params.client_secret !== basic?.secret);
    if (basic && conflicting) {
      return failed(oauthError(400, 'invalid_request', 'The body and the Authorization header name different client credentials'));
    }
    const id = basic?.id ?? params.client_id;
    const secret = basic?.secret ?? params.client_secret;
    const refused = () => refusedClient(failed);
    const client = id === undefined ? undefined : context.clients.get(id);
    if (client === undefined) {
      // A tenant's client: its id and secret hash to a usable credential.
      if (id === undefined || secret === undefined) return refused();
      const material = secretMaterial.oauthClient(id, secret);
      const principal = await context.credentials.check(material);
      if (!principal) return refused();
      const tenantClient: OAuthClient = { id, name: principal.tenant.name, secret: 'stored as a hash', redirectUris: [] };
      return { ok: true, client: tenantClient, params, credential: secretHash(material) };
    }
    const matches = secretMatchers.get(client.id);
    // A confidential client must prove its secret; a public one must not claim to have one.
    const authenticated = matches ? secret !== undefined && matches(secret) : secret === undefined && !client.jwksUrl;
    if (!authenticated) return refused();
    return acceptClient(client, params, refused);
  }

  const refusedClient = (failed: (response: PlainResponse) => ClientAuth) =>
    failed(oauthError(401, 'invalid_client', 'Client authentication failed', { 'www-authenticate': 'Basic realm="OAuth", charset="UTF-8"' }));

  /** private_key_jwt (RFC 7523 §2.2): a signed, single-use JWT from a client that registered its keys. */
  async function authenticateWithAssertion(
    request: PlainRequest,
    params: Record<string, string>,
    withBasic: boolean,
    failed: (response: PlainResponse) => ClientAuth,
  ): Promise<ClientAuth> {
    const { client_assertion_type: type, client_assertion: assertion } = params;
    if (type !== JWT_BEARER_ASSERTION || !assertion) {
      return failed(oauthError(400, 'invalid_request', `client_assertion_type must be ${JWT_BEARER_ASSERTION}, with a client_assertion`));
    }
    if (withBasic || params.client_secret !== undefined) {
      return failed(oauthError(400, 'invalid_request', 'Use one client authentication method, not a secret and an assertion'));
    }
    const id = assertedClientId(assertion);
    if (id === undefined || (params.client_id !== undefined && params.client_id !== id)) return refusedClient(failed);
    const client = context.clients.get(id);
    const issuer = context.issuerOf(request);
    if (!client || !(await context.verifyAssertion(client, assertion, [`${issuer}/oauth/token`, issuer]))) {
      return refusedClient(failed);
    }
    return acceptClient(client, params, () => refusedClient(failed));
  }

  /** An authenticated environment client: still usable unless its imported credential was revoked. */
  async function acceptClient(client: OAuthClient, params: Record<string, string>, refused: () => ClientAuth): Promise<ClientAuth> {
    // The environment's client was imported as a credential of tenant 1: revoking that stops it.
    const credential = configuredClientHash(client);
    const imported = credential === undefined ? undefined : await context.credentials.tenants.findCredential(credential);
    if (imported && !usable(imported.credential)) return refused();
    return { ok: true, client, params, credential: imported ? credential : undefined };
  }

  async function authorizationCode(client: OAuthClient, params: Record<string, string>, credential?: string): Promise<PlainResponse> {
    if (!params.code) return oauthError(400, 'invalid_request', 'code is missing');
    const spent = await context.tokens.spendCode(params.code, client.id);
    if (!spent.ok) return invalidGrant('The authorization code is invalid, expired or already used');
    const grant = spent.value;
    // RFC 6749 §4.1.3: required, and identical, when the authorization request named one.
    const redirectUri = params.redirect_uri ?? (grant.redirectUriGiven ? undefined : grant.redirectUri);
    if (redirectUri !== grant.redirectUri) return invalidGrant('redirect_uri differs from the authorization request');
    // A tenant's code goes only to the credential approved on the consent form.
    if (grant.credential !== undefined && grant.credential !== credential) {
      return invalidGrant('The authorization code is invalid, expired or already used');
    }
    const verifier = params.code_verifier;
    if (grant.codeChallenge !== undefined) {
      if (verifier === undefined) return invalidGrant('code_verifier is missing');
      if (!pkceMatches(verifier, grant.codeChallenge)) return invalidGrant('code_verifier does not match the code_challenge');
    } else if (verifier !== undefined) {
      // A verifier for a code issued without a challenge hints at an injected code (RFC 9700 §2.1.1).
      return invalidGrant('This code was issued without a code_challenge');
    }
    return json(200, await context.tokens.issueForCode(params.code, client.id, grant.scope, credential));
  }

  async function refreshToken(client: OAuthClient, params: Record<string, string>, credential?: string): Promise<PlainResponse> {
    if (!params.refresh_token) return oauthError(400, 'invalid_request', 'refresh_token is missing');
    const refreshed = await context.tokens.refresh(params.refresh_token, client.id, credential);
    if (!refreshed.ok) return invalidGrant('The refresh token is invalid, expired or revoked');
    return json(200, refreshed.value);
  }

  async function clientCredentials(client: OAuthClient, credential?: string): Promise<PlainResponse> {
    if (!client.secret && !client.jwksUrl) return oauthError(400, 'unauthorized_client', 'A public client cannot use client_credentials');
    return json(200, await context.tokens.issueForClient(client.id, SCOPE, credential));
  }

  /** POST /oauth/token */
  async function token(request: PlainRequest): Promise<PlainResponse> {
    const auth = await authenticateClient(request);
    if (!auth.ok) return auth.response;
    const { client, params, credential } = auth;
    switch (params.grant_type) {
      case 'authorization_code':
        return authorizationCode(client, params, credential);
      case 'refresh_token':
        return refreshToken(client, params, credential);
      case 'client_credentials':
        return clientCredentials(client, credential);
      case undefined:
        return oauthError(400, 'invalid_request', 'grant_type is missing');
      default:
        return oauthError(400, 'unsupported_grant_type', `grant_type ${params.grant_type} is not supported`);
    }
  }

  /** POST /oauth/revoke (RFC 7009): always 200 once the client is authenticated. */
  async function revoke(request: PlainRequest): Promise<PlainResponse> {
    const auth = await authenticateClient(request);
    if (!auth.ok) return auth.response;
    if (!auth.params.token) return oauthError(400, 'invalid_request', 'token is missing');
    await context.tokens.revoke(auth.params.token, auth.client.id);
    return { status: 200, headers: { ...NO_STORE } };
  }

  return { token, revoke };
}

/** RFC 7636 §4.6: BASE64URL(SHA256(code_verifier)) equals the challenge, compared in constant time. */
function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(sha256(verifier));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
