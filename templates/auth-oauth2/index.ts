// OAuth 2.0 for identity providers that connect by OAuth (Okta's "OAuth 2" mode, Entra ID's
// "OAuth2 Authorization Code Grant"): a built-in authorization server whose endpoints every
// HTTP adapter mounts at the server root, and SCIM requests authenticated by its access tokens.
// Optionally, JWT access tokens from an external issuer are accepted too, or instead.
//
//   GET  /.well-known/oauth-authorization-server   metadata (RFC 8414)
//   GET  /oauth/authorize                          authorization code grant + PKCE, consent form
//   POST /oauth/authorize                          Approve / Deny (the admin, or a tenant client's secret holder)
//   POST /oauth/token                              authorization_code, refresh_token, client_credentials
//   POST /oauth/revoke                             token revocation (RFC 7009)

import type { Authenticator, AuthenticatorOptions, HttpRoute, PlainRequest, RequestHeaders } from '../scim/auth.js';
import type { KeyValueStore } from '../scim/key-value.js';
import { DEFAULT_TENANT } from '../scim/tenancy.js';
import { secretMaterial, usable, type CredentialChecker, type EnvCredential, type Principal } from '../scim/credentials.js';
import { singleHeader } from '../scim/secret.js';
import { authorizeEndpoint } from './authorize.js';
import { SCOPE, readOAuthSettings, type OAuthSettings } from './config.js';
import { json } from './http.js';
import { clientAssertionVerifier } from './client-assertion.js';
import { ASYMMETRIC_ALGORITHMS, jwtVerifier } from './jwt.js';
import { errorPage } from './pages.js';
import { tokenEndpoints } from './token.js';
import { TokenStore } from './tokens.js';

const PATHS = {
  metadata: '/.well-known/oauth-authorization-server',
  authorize: '/oauth/authorize',
  token: '/oauth/token',
  revoke: '/oauth/revoke',
} as const;

export function createAuthenticator({ env, state, credentials, tenancy }: AuthenticatorOptions): Authenticator {
  const settings = readOAuthSettings(env, tenancy);
  const server = settings.server ? authorizationServer(settings.server, state, credentials) : undefined;
  // The environment's first confidential client becomes tenant 1's first credential.
  const configured = settings.server ? [...settings.server.clients.values()].find((c) => c.secret !== undefined) : undefined;
  const envCredential: EnvCredential | undefined = configured && {
    variable: 'OAUTH_CLIENT_SECRET',
    kind: 'oauth-client',
    material: secretMaterial.oauthClient(configured.id, configured.secret!),
    principal: configured.id,
  };
  /** Tenant 1, for the tokens of public clients and of the external issuer, which no credential backs. */
  const tenantOne = async (label: string): Promise<Principal | undefined> => {
    const tenant = await credentials.tenants.getTenant(DEFAULT_TENANT);
    return tenant && { tenant, credential: { id: label, tenant: tenant.key, kind: 'oauth-client', label, created: tenant.created } };
  };
  const verifyJwt = settings.jwt ? jwtVerifier(settings.jwt) : undefined;
  return {
    scheme: {
      type: 'oauth2',
      name: 'OAuth 2.0',
      description: server
        ? `OAuth 2.0 bearer access tokens from this server's authorization server (${PATHS.token})`
        : `OAuth 2.0 bearer access tokens (JWT) from ${settings.jwt!.issuer}`,
      specUri: 'https://www.rfc-editor.org/rfc/rfc6749',
      primary: true,
    },
    challenge: 'Bearer realm="SCIM"',
    routes: server?.routes ?? [],
    credentialKind: 'oauth-client',
    envCredential,
    async authenticate(headers: RequestHeaders) {
      const token = bearerToken(headers);
      if (token === undefined) return undefined;
      // Opaque tokens of the built-in server never contain a dot; JWTs always do.
      if (verifyJwt && token.includes('.')) return (await verifyJwt(token)) ? tenantOne('external-issuer') : undefined;
      const owner = server ? await server.accessTokenOwner(token) : undefined;
      if (!owner) return undefined;
      if (owner.credential === undefined) return tenantOne(`client:${owner.clientId}`);
      // The credential the token was obtained with: its tenant, and still usable.
      const found = await credentials.tenants.findCredential(owner.credential);
      return found && usable(found.credential) ? found : undefined;
    },
  };
}

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1). */
function bearerToken(headers: RequestHeaders): string | undefined {
  const match = /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(singleHeader(headers.authorization) ?? '');
  return match?.[1];
}

function authorizationServer(settings: NonNullable<OAuthSettings['server']>, state: KeyValueStore, credentials: CredentialChecker) {
  const { clients, admin } = settings;
  const tokens = new TokenStore(state, { accessToken: settings.accessTokenTtl, refreshToken: settings.refreshTokenTtl });
  // Behind a proxy SCIM_PUBLIC_URL names the public origin; otherwise the request tells it.
  const issuerOf = (request: PlainRequest) => settings.publicOrigin ?? request.origin;
  const endpoints = tokenEndpoints({ clients, tokens, credentials, verifyAssertion: clientAssertionVerifier(state), issuerOf });
  const codeFlow = admin !== undefined || settings.tenantRedirectUris.length > 0;
  const authorize = codeFlow
    ? authorizeEndpoint({ clients, admin, tenantRedirectUris: settings.tenantRedirectUris, credentials, tokens, state, issuerOf })
    : undefined;
  const noCodeFlow = async () =>
    errorPage(404, 'Not available', 'No redirect URI is registered (OAUTH_REDIRECT_URIS), so this server offers no authorization code flow.');

  const hasPublicClients = [...clients.values()].some((c) => !c.secret && !c.jwksUrl);
  const hasKeyClients = [...clients.values()].some((c) => c.jwksUrl);
  const authMethods = [
    'client_secret_basic',
    'client_secret_post',
    ...(hasKeyClients ? ['private_key_jwt'] : []),
    ...(hasPublicClients ? ['none'] : []),
  ];
  const metadata = (request: PlainRequest) => {
    const issuer = issuerOf(request);
    return {
      issuer,
      ...(authorize ? { authorization_endpoint: issuer + PATHS.authorize } : {}),
      token_endpoint: issuer + PATHS.token,
      revocation_endpoint: issuer + PATHS.revoke,
      scopes_supported: [SCOPE],
      response_types_supported: authorize ? ['code'] : [],
      response_modes_supported: ['query'],
      grant_types_supported: [...(authorize ? ['authorization_code', 'refresh_token'] : []), 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: authMethods,
      ...(hasKeyClients ? { token_endpoint_auth_signing_alg_values_supported: ASYMMETRIC_ALGORITHMS } : {}),
      revocation_endpoint_auth_methods_supported: authMethods,
      authorization_response_iss_parameter_supported: true,
    };
  };

  const routes: HttpRoute[] = [
    { method: 'GET', path: PATHS.metadata, handle: async (request) => json(200, metadata(request)) },
    { method: 'GET', path: PATHS.authorize, handle: authorize?.show ?? noCodeFlow },
    { method: 'POST', path: PATHS.authorize, handle: authorize?.decide ?? noCodeFlow },
    { method: 'POST', path: PATHS.token, handle: endpoints.token },
    { method: 'POST', path: PATHS.revoke, handle: endpoints.revoke },
  ];
  return {
    routes,
    accessTokenOwner: async (token: string) => {
      const owner = await tokens.lookupAccessToken(token);
      // A client removed from the configuration loses its tokens with it; a tenant's, with its credential.
      return owner !== undefined && (owner.credential !== undefined || clients.has(owner.clientId)) ? owner : undefined;
    },
  };
}
