// The OAuth 2.0 settings, read once at start: registered clients, the customer admin who approves
// connections, token lifetimes, and an optional external issuer whose JWTs are accepted too.
// A wrong value stops the server with a message naming the variable.

import { ConfigError, booleanSetting, integerSetting, requireSecret } from '../scim/config.js';

/** The only scope: provisioning through SCIM. Other requested scopes are ignored (RFC 6749 §3.3). */
export const SCOPE = 'scim';

export interface OAuthClient {
  id: string;
  /** Shown on the consent page. */
  name: string;
  /** Undefined for a public client, which must then use PKCE. */
  secret?: string;
  /** Exact redirect URIs; empty for a client that only uses client_credentials. */
  redirectUris: readonly string[];
  /** Its public keys (JWKS): it may authenticate with a signed JWT (RFC 7523 §2.2, private_key_jwt). */
  jwksUrl?: URL;
}

export interface ExternalIssuer {
  issuer: string;
  jwksUrl: URL;
  audience: string;
  /** A scope the token must carry (`scope` or `scp` claim), when set. */
  requiredScope?: string;
}

export interface OAuthSettings {
  /** The built-in authorization server; undefined when OAUTH_BUILTIN_SERVER=false. */
  server?: {
    clients: ReadonlyMap<string, OAuthClient>;
    /** Undefined when no client of the environment can use the authorization code grant (no redirect URIs). */
    admin?: { username: string; password: string };
    /**
     * Where the tenants' own clients (oauth-client credentials from `npm run tenant`) may return
     * in the authorization code flow: OAUTH_REDIRECT_URIS and OAUTH_OKTA_APP_NAME's callbacks. They
     * are the identity provider's addresses, the same for every customer connecting through it.
     */
    tenantRedirectUris: readonly string[];
    accessTokenTtl: number;
    refreshTokenTtl: number;
    /** SCIM_PUBLIC_URL's origin, when set: the issuer behind a proxy. */
    publicOrigin?: string;
  };
  jwt?: ExternalIssuer;
}

type Env = NodeJS.ProcessEnv;

const DAY = 24 * 60 * 60;

/** Okta's OIN callback URIs for an app, one per Okta cell plus its local test host. */
export function oktaRedirectUris(appName: string): string[] {
  const path = `/admin/app/cpc/${appName}/oauth/callback`;
  return [
    `https://system-admin.okta.com${path}`,
    `https://system-admin.okta-emea.com${path}`,
    `https://system-admin.oktapreview.com${path}`,
    `https://system-admin.trexcloud.com${path}`,
    `http://system-admin.okta1.com:1802${path}`,
  ];
}

/** `tenancy` 'multi': no client need be configured, the tenants' clients come from `npm run tenant`. */
export function readOAuthSettings(env: Env, tenancy: 'single' | 'multi' = 'single'): OAuthSettings {
  const jwt = readExternalIssuer(env);
  if (!booleanSetting(env, 'OAUTH_BUILTIN_SERVER', true)) {
    if (!jwt) {
      throw new ConfigError(
        'OAUTH_BUILTIN_SERVER=false needs an external issuer: set OAUTH_JWT_ISSUER, OAUTH_JWKS_URL and OAUTH_JWT_AUDIENCE.',
      );
    }
    return { jwt };
  }
  const tenantRedirectUris = sharedRedirectUris(env);
  const clients = readClients(env, tenancy, tenantRedirectUris);
  const needsAdmin = [...clients.values()].some((c) => c.redirectUris.length > 0);
  const accessTokenTtl = integerSetting(env, 'OAUTH_ACCESS_TOKEN_TTL', 3600, 1, DAY);
  return {
    server: {
      clients,
      admin: needsAdmin ? readAdmin(env) : undefined,
      tenantRedirectUris,
      accessTokenTtl,
      refreshTokenTtl: integerSetting(env, 'OAUTH_REFRESH_TOKEN_TTL', 90 * DAY, accessTokenTtl, 365 * DAY),
      publicOrigin: publicOrigin(env),
    },
    jwt,
  };
}

/** OAUTH_REDIRECT_URIS with the Okta callbacks of OAUTH_OKTA_APP_NAME. */
function sharedRedirectUris(env: Env): string[] {
  const appName = oktaAppName(env.OAUTH_OKTA_APP_NAME, 'OAUTH_OKTA_APP_NAME');
  return [...redirectUris(splitList(env.OAUTH_REDIRECT_URIS), 'OAUTH_REDIRECT_URIS'), ...(appName ? oktaRedirectUris(appName) : [])];
}

function readClients(env: Env, tenancy: 'single' | 'multi', shared: readonly string[]): Map<string, OAuthClient> {
  const clients = new Map<string, OAuthClient>();
  const add = (client: OAuthClient, source: string) => {
    if (clients.has(client.id)) throw new ConfigError(`${source}: client id ${JSON.stringify(client.id)} is registered twice.`);
    clients.set(client.id, client);
  };

  const id = env.OAUTH_CLIENT_ID?.trim();
  if (id) {
    add(
      {
        id,
        name: env.OAUTH_CLIENT_NAME?.trim() || (env.OAUTH_OKTA_APP_NAME?.trim() ? 'Okta' : id),
        secret: requireSecret(env, 'OAUTH_CLIENT_SECRET'),
        ...optionalJwksUrl(env.OAUTH_CLIENT_JWKS_URL, 'OAUTH_CLIENT_JWKS_URL'),
        redirectUris: shared,
      },
      'OAUTH_CLIENT_ID',
    );
  } else if (shared.length > 0 && tenancy === 'single') {
    // A multi-tenant project may set them alone: its tenants' clients return there.
    throw new ConfigError('OAUTH_REDIRECT_URIS and OAUTH_OKTA_APP_NAME belong to a client: set OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET too.');
  }

  for (const client of parseClientList(env.OAUTH_CLIENTS)) add(client, 'OAUTH_CLIENTS');
  if (clients.size === 0 && tenancy === 'single') {
    throw new ConfigError('No OAuth client is registered: set OAUTH_CLIENT_ID and OAUTH_CLIENT_SECRET (see .env.example).');
  }
  return clients;
}

/**
 * OAUTH_CLIENTS: more clients as a JSON array, e.g.
 * [{"id":"entra","name":"Microsoft Entra ID","secret":"...","redirectUris":["https://portal.azure.com/TokenAuthorize"]}].
 * A client without a secret is public and must use PKCE.
 */
function parseClientList(raw: string | undefined): OAuthClient[] {
  if (!raw?.trim()) return [];
  const fail = (why: string): never => {
    throw new ConfigError(`OAUTH_CLIENTS ${why}`);
  };
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    // Not the parser's message: it quotes the text, and this text holds client secrets.
    return fail('is not valid JSON.');
  }
  if (!Array.isArray(list)) return fail('must be a JSON array of clients.');
  return list.map((entry: unknown, index) => {
    const at = `[${index}]`;
    if (typeof entry !== 'object' || entry === null) return fail(`${at} must be an object.`);
    const { id, name, secret, redirectUris: uris, oktaAppName: app, jwksUri } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || id.trim() === '') return fail(`${at}.id must be a non-empty string.`);
    if (name !== undefined && typeof name !== 'string') fail(`${at}.name must be a string.`);
    if (secret !== undefined && (typeof secret !== 'string' || secret.length < 20)) {
      fail(`${at}.secret must be a string of at least 20 random characters (or absent for a public client).`);
    }
    if (uris !== undefined && !(Array.isArray(uris) && uris.every((u) => typeof u === 'string'))) {
      fail(`${at}.redirectUris must be an array of URLs.`);
    }
    if (app !== undefined && typeof app !== 'string') fail(`${at}.oktaAppName must be a string.`);
    if (jwksUri !== undefined && typeof jwksUri !== 'string') fail(`${at}.jwksUri must be a string.`);
    const appName = oktaAppName(app as string | undefined, `OAUTH_CLIENTS${at}.oktaAppName`);
    const client: OAuthClient = {
      id: id.trim(),
      name: (name as string | undefined)?.trim() || id.trim(),
      secret: secret as string | undefined,
      ...optionalJwksUrl(jwksUri as string | undefined, `OAUTH_CLIENTS${at}.jwksUri`),
      redirectUris: [
        ...redirectUris((uris as string[] | undefined) ?? [], `OAUTH_CLIENTS${at}.redirectUris`),
        ...(appName ? oktaRedirectUris(appName) : []),
      ],
    };
    if (!client.secret && !client.jwksUrl && client.redirectUris.length === 0) {
      fail(`${at} has neither a secret, a jwksUri nor redirect URIs, so it could never get a token.`);
    }
    return client;
  });
}

function oktaAppName(raw: string | undefined, name: string): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(value)) {
    throw new ConfigError(`${name} must be the app name Okta assigned (letters, digits, "_" and "-"), got ${JSON.stringify(value)}`);
  }
  return value;
}

const splitList = (raw: string | undefined) => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** Redirect URIs are compared exactly, so they must be absolute, without a fragment. */
function redirectUris(values: readonly string[], name: string): string[] {
  return values.map((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(`${name} must hold absolute URLs, got ${JSON.stringify(value)}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(`${name}: ${JSON.stringify(value)} must be an http(s) URL.`);
    }
    if (url.hash) throw new ConfigError(`${name}: ${JSON.stringify(value)} must not have a fragment (RFC 6749 §3.1.2).`);
    return value;
  });
}

function readAdmin(env: Env): { username: string; password: string } {
  const username = env.OAUTH_ADMIN_USERNAME?.trim();
  if (!username) {
    throw new ConfigError(
      'OAUTH_ADMIN_USERNAME is not set: the customer admin signs in with it to approve an identity provider (see .env.example).',
    );
  }
  return { username, password: requireSecret(env, 'OAUTH_ADMIN_PASSWORD', 16) };
}

function publicOrigin(env: Env): string | undefined {
  const raw = env.SCIM_PUBLIC_URL?.trim();
  if (!raw) return undefined;
  try {
    return new URL(raw).origin;
  } catch {
    throw new ConfigError(`SCIM_PUBLIC_URL must be an absolute URL, got ${JSON.stringify(raw)}`);
  }
}

/** Keys fetched in clear could be swapped on the way: https, or plain HTTP only for this machine. */
function keySetUrl(raw: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, got ${JSON.stringify(raw)}`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError(`${name} must be an https URL, got ${JSON.stringify(raw)}`);
  }
  return url;
}

function optionalJwksUrl(raw: string | undefined, name: string): { jwksUrl?: URL } {
  const value = raw?.trim();
  return value ? { jwksUrl: keySetUrl(value, name) } : {};
}

function readExternalIssuer(env: Env): ExternalIssuer | undefined {
  const issuer = env.OAUTH_JWT_ISSUER?.trim();
  const jwks = env.OAUTH_JWKS_URL?.trim();
  const audience = env.OAUTH_JWT_AUDIENCE?.trim();
  if (!issuer && !jwks && !audience) return undefined;
  // Without an audience, any token the issuer mints for any API would open this one.
  const missing = [
    ['OAUTH_JWT_ISSUER', issuer],
    ['OAUTH_JWKS_URL', jwks],
    ['OAUTH_JWT_AUDIENCE', audience],
  ].filter(([, value]) => !value);
  if (missing.length > 0) {
    throw new ConfigError(`Accepting JWTs from an external issuer needs ${missing.map(([name]) => name).join(', ')} as well.`);
  }
  const jwksUrl = keySetUrl(jwks!, 'OAUTH_JWKS_URL');
  return { issuer: issuer!, jwksUrl, audience: audience!, requiredScope: env.OAUTH_JWT_SCOPE?.trim() || undefined };
}
