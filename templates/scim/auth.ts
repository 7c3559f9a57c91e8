// The contract of an auth adapter. The HTTP layer asks it about every SCIM request and answers
// 401 with its challenge when it says no; ServiceProviderConfig advertises its scheme. An auth
// mode that needs endpoints of its own (OAuth 2.0's authorize and token endpoints) lists them
// as framework-neutral routes, which every HTTP adapter mounts outside the SCIM base path.

import type { CredentialChecker, EnvCredential, Principal } from './credentials.js';
import type { KeyValueStore } from './key-value.js';
import type { CredentialKind } from './tenancy.js';

export interface AuthenticationScheme {
  type: 'oauth' | 'oauth2' | 'oauthbearertoken' | 'httpbasic' | 'httpdigest' | string;
  name: string;
  description: string;
  specUri?: string;
  documentationUri?: string;
  primary?: boolean;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

/** A request to an auth route, as every HTTP adapter hands it over. */
export interface PlainRequest {
  method: string;
  /** The path without the query string, e.g. "/oauth/token". */
  path: string;
  /** Query parameters (a repeated one keeps its last value). */
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: RequestHeaders;
  /** The raw request body as text ("" when none); the route parses it. */
  body: string;
  /** Scheme, host and port as the client sees them (honours TRUST_PROXY), e.g. "https://scim.example.com". */
  origin: string;
}

export interface PlainResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Absolute path from the server root, e.g. "/.well-known/oauth-authorization-server". */
  path: string;
  handle(request: PlainRequest): Promise<PlainResponse>;
}

export interface Authenticator {
  scheme: AuthenticationScheme;
  /** The WWW-Authenticate value sent with a 401. */
  challenge: string;
  /**
   * Who the request's credentials are (a usable credential and its tenant), or undefined when it
   * carries none that is valid. Which tenant's URL it was sent to is decided by the caller.
   */
  authenticate(headers: RequestHeaders): Promise<Principal | undefined>;
  /** What the credentials of this auth mode are (admin CLI and API create them). */
  credentialKind: CredentialKind;
  /** The secret configured in `.env`, if any: imported at start as tenant 1's first credential. */
  envCredential?: EnvCredential;
  /** Endpoints of the auth mode itself (none for static credentials). */
  routes?: readonly HttpRoute[];
  /** Header names holding credentials, redacted from logs. */
  secretHeaders?: readonly string[];
}

/** What an auth adapter's createAuthenticator is given. */
export interface AuthenticatorOptions {
  env: NodeJS.ProcessEnv;
  /** Server-side state in the project's database (OAuth codes and tokens, hashed). */
  state: KeyValueStore;
  /** The SCIM base path, e.g. "/scim/v2". */
  basePath: string;
  /** Checks presented secret material against the credentials of every tenant. */
  credentials: CredentialChecker;
  /** 'multi': a `.env` secret is optional, tenants get their credentials from the admin CLI or API. */
  tenancy: 'single' | 'multi';
}

/** Most bodies an auth route accepts; larger ones get 413. */
export const AUTH_ROUTE_BODY_LIMIT = 64 * 1024;
