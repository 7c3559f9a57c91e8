// The SCIM endpoints as framework-neutral data: a method, a path pattern and a handler over a
// plain request and response. Every HTTP adapter mounts this one table with its framework's
// router and writes back what a route answers, so the paths, the status rules, the content type
// and the error format (RFC 7644 §3.12) are decided here, once, for every framework. The auth
// mode's own routes (OAuth 2.0) are plain objects in the same spirit: see auth.ts.

import type { Authenticator, HttpRoute, RequestHeaders } from './auth.js';
import type { Principal } from './credentials.js';
import { ScimError } from './errors.js';
import type { HookLogger } from './hooks.js';
import { presentsCredentials, type RequestLimiter } from './rate-limit.js';
import type { ScimRequest, ScimResponse, ScimService } from './service.js';
import { DEFAULT_TENANT, TENANT_SLUG, type TenantDirectory } from './tenancy.js';

/** Every SCIM body, errors included, is JSON of this media type (RFC 7644 §3.1, §8.1). */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** A SCIM request as an HTTP adapter hands it to a route. */
export interface RouteRequest {
  /** The `:id` of the path, on routes that have one; decoded. */
  id?: string;
  /** Header names lower-cased, as Node gives them. */
  headers: RequestHeaders;
  /** Query parameters; a repeated one is an array. */
  query: Record<string, unknown>;
  /** The parsed JSON body; undefined when there is none. */
  body: unknown;
  /** Scheme, host and port as the client sees them, e.g. "https://scim.example.com". */
  origin: string;
  /** The client's IP address (the X-Forwarded-For one with TRUST_PROXY), when known. */
  remoteAddress?: string;
  /** Where the framework mounted the routes, e.g. "/scim/v2": resource URLs start there. */
  mountPath: string;
  requestId: string;
  log: HookLogger;
  /** Who ScimEndpoints.authenticate let in: pass on the principal it returned for this request. */
  principal: Principal;
}

/** What ScimEndpoints.authenticate decides: the principal to go on with, or the response to send. */
export type Access = { principal: Principal; refusal?: undefined } | { refusal: RouteResponse; principal?: undefined };

/** What to answer: the adapter writes the status, every header and the body as they are. */
export interface RouteResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The serialised body; undefined for none (204, 304). */
  body?: string;
}

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimRoute {
  method: RouteMethod;
  /**
   * Relative to the mount path, e.g. "/Users/:id": `:id` the resource, and in a multi-tenant
   * project a leading `:tenant` on the copy of every route served under a tenant's slug.
   */
  path: string;
  handle(request: RouteRequest): Promise<RouteResponse>;
}

/** What every framework's SCIM unit (a plugin, a router, a sub-app, a module) is made from. */
export interface ScimEndpoints {
  /** The SCIM endpoints, relative to wherever the framework mounts them. */
  readonly routes: readonly ScimRoute[];
  /** The auth mode's own endpoints (OAuth 2.0), absolute from the server root; none for static credentials. */
  readonly authRoutes: readonly HttpRoute[];
  /** Largest accepted request body in bytes; larger ones get 413. */
  readonly bodyLimit: number;
  /**
   * Whether the request may go on: the principal to hand the route, or the response to answer
   * with (401 without valid credentials or with another tenant's, 404 for an unknown tenant, 403
   * for a disabled one, 429 from the rate limits). Adapters ask before reading the body: an
   * anonymous client learns nothing, not even which paths exist. `request.path` is the request
   * path below the mount point (e.g. "/acme/Users/42"): in a multi-tenant project its first
   * segment names the tenant. `request.remoteAddress` is the client's IP address (the
   * X-Forwarded-For one with TRUST_PROXY): failed authentications are counted per address.
   */
  authenticate(headers: RequestHeaders, request?: { path?: string; remoteAddress?: string }): Promise<Access>;
}

export interface ScimEndpointsOptions {
  service: ScimService;
  authenticator: Pick<Authenticator, 'authenticate' | 'challenge' | 'routes' | 'secretHeaders'>;
  /** Largest accepted request body in bytes. */
  bodyLimit: number;
  /** Public URL of the mount path, when behind a proxy: resource URLs start there instead. */
  publicUrl?: string;
  /** 'multi': every route also under `/<tenant slug>`; the un-prefixed paths serve tenant 1. */
  tenancy?: 'single' | 'multi';
  /** The tenants, to tell an unknown tenant (404) from another tenant's credential (401). */
  tenants: Pick<TenantDirectory, 'findTenant' | 'getTenant'>;
  /** Other routes outside the SCIM base path (the admin API), mounted as the auth mode's are. */
  extraRoutes?: readonly HttpRoute[];
  /** Rate limits and brute-force protection (rate-limit.ts); none when absent. */
  limiter?: RequestLimiter;
}

export function scimEndpoints(options: ScimEndpointsOptions): ScimEndpoints {
  const { authenticator, tenants, limiter } = options;
  const multi = options.tenancy === 'multi';
  const secretHeaders = authenticator.secretHeaders?.length ? authenticator.secretHeaders : ['authorization'];
  // The same answer to every refused request, so it is built once: a credential of another
  // tenant gets exactly what a wrong secret gets.
  const unauthorized = errorResponse(
    new ScimError(401, 'Authentication is required: the request has no valid credentials'),
    undefined,
    undefined,
    { 'www-authenticate': authenticator.challenge },
  );
  const refuse = (response: RouteResponse): Access => ({ refusal: response });
  const routes = scimRoutes(options.service, options.publicUrl, multi);
  const topLevel = new Set(routes.map((r) => r.path.split('/')[1]!).filter((s) => s !== ':tenant'));
  return {
    routes,
    authRoutes: [...(authenticator.routes ?? []), ...(options.extraRoutes ?? [])],
    bodyLimit: options.bodyLimit,
    async authenticate(headers, request = {}) {
      const address = request.remoteAddress;
      const blocked = limiter?.refuseAddress(address);
      if (blocked !== undefined) return refuse(tooManyRequests(blocked, 'Too many failed authentications from this address'));
      const principal = await authenticator.authenticate(headers);
      if (!principal) {
        // A request without credentials guesses nothing: only a wrong credential counts.
        if (limiter && presentsCredentials(headers, secretHeaders)) await limiter.failed(address);
        return refuse(unauthorized);
      }
      // Single-tenant: the one tenant. Multi: the slug of the path, or tenant 1 without one.
      const slug = multi ? tenantSegment(request.path, topLevel) : undefined;
      if (slug === undefined ? principal.tenant.key !== DEFAULT_TENANT : principal.tenant.slug !== slug) {
        const exists = slug === undefined ? await tenants.getTenant(DEFAULT_TENANT) : TENANT_SLUG.test(slug) && (await tenants.findTenant(slug));
        return refuse(exists ? unauthorized : errorResponse(new ScimError(404, 'No such tenant'), undefined));
      }
      if (principal.tenant.disabled) return refuse(errorResponse(new ScimError(403, 'This tenant is disabled'), undefined));
      const wait = limiter?.take(principal.credential.id);
      return wait === undefined ? { principal } : refuse(tooManyRequests(wait, 'Too many requests for this credential'));
    },
  };
}

/** /Me (RFC 7644 §3.11) aliases a resource for every method a resource has. */
const ME_METHODS: readonly RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The tenant slug a path below the mount point starts with; undefined for an un-prefixed SCIM path. */
function tenantSegment(path: string | undefined, topLevel: ReadonlySet<string>): string | undefined {
  const first = (path ?? '').replace(/^\/+/, '').split(/[/?#]/, 1)[0] ?? '';
  if (first === '' || topLevel.has(first)) return undefined;
  try {
    return decodeURIComponent(first);
  } catch {
    return first;
  }
}

/** 429 with a SCIM error and Retry-After in whole seconds (what Okta waits before retrying). */
export function tooManyRequests(retryAfterSeconds: number, reason: string): RouteResponse {
  return errorResponse(new ScimError(429, `${reason}: retry after ${retryAfterSeconds} s`), undefined, undefined, {
    'retry-after': String(retryAfterSeconds),
  });
}

type Operation = (request: ScimRequest, id: string) => ScimResponse | Promise<ScimResponse>;

/**
 * The route table: discovery, cross-type search, and seven routes per resource type of the
 * registry; in a multi-tenant project each once more under `/:tenant`.
 */
function scimRoutes(service: ScimService, publicUrl: string | undefined, multi: boolean): ScimRoute[] {
  const table: Array<[RouteMethod, string, Operation]> = [
    ['GET', '/ServiceProviderConfig', (req) => service.serviceProviderConfig(req)],
    ['GET', '/ResourceTypes', (req) => service.resourceTypes(req)],
    ['GET', '/ResourceTypes/:id', (req, id) => service.resourceTypes(req, id)],
    ['GET', '/Schemas', (req) => service.schemas(req)],
    ['GET', '/Schemas/:id', (req, id) => service.schemas(req, id)],
    ['POST', '/.search', (req) => service.search(undefined, req)],
    ['POST', '/Bulk', (req) => service.bulk(req)],
    ...ME_METHODS.map((method): [RouteMethod, string, Operation] => [method, '/Me', (req) => service.me(req)]),
  ];
  for (const model of service.registry.resourceTypes) {
    const path = model.def.endpoint;
    table.push(
      ['GET', path, (req) => service.list(model, req)],
      ['POST', path, (req) => service.create(model, req)],
      ['POST', `${path}/.search`, (req) => service.search(model, req)],
      ['GET', `${path}/:id`, (req, id) => service.get(model, id, req)],
      ['PUT', `${path}/:id`, (req, id) => service.replace(model, id, req)],
      ['PATCH', `${path}/:id`, (req, id) => service.patch(model, id, req)],
      ['DELETE', `${path}/:id`, (req, id) => service.delete(model, id, req)],
    );
  }
  const route = (method: RouteMethod, path: string, operation: Operation, underTenant: boolean): ScimRoute => ({
    method,
    path: underTenant ? `/:tenant${path}` : path,
    handle: async (request) =>
      toRouteResponse(await operation(toScimRequest(request, publicUrl, underTenant), request.id ?? '')),
  });
  const routes = table.map(([method, path, operation]) => route(method, path, operation, false));
  if (!multi) return routes;
  return [...routes, ...table.map(([method, path, operation]) => route(method, path, operation, true))];
}

function toScimRequest(request: RouteRequest, publicUrl: string | undefined, underTenant: boolean): ScimRequest {
  const base = publicUrl ?? request.origin + request.mountPath;
  return {
    tenant: request.principal.tenant.key,
    // Locations under a tenant's URL name its slug; the principal's tenant is the path's.
    baseUrl: underTenant ? `${base}/${encodeURIComponent(request.principal.tenant.slug)}` : base,
    query: request.query,
    body: request.body,
    ifMatch: headerValue(request.headers['if-match']),
    ifNoneMatch: headerValue(request.headers['if-none-match']),
    requestId: request.requestId,
    log: request.log,
    credentialId: request.principal.credential.id,
  };
}

/** A header sent more than once counts as one comma-separated list (RFC 9110 §5.3). */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

function toRouteResponse(response: ScimResponse): RouteResponse {
  if (response.body === undefined) return { status: response.status, headers: response.headers ?? NO_HEADERS };
  return {
    status: response.status,
    headers: { ...response.headers, 'content-type': SCIM_CONTENT_TYPE },
    body: JSON.stringify(response.body),
  };
}

// ---- errors --------------------------------------------------------------------------------

const ERROR_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': SCIM_CONTENT_TYPE });

/**
 * Any failure as a SCIM Error message (RFC 7644 §3.12), never a framework's HTML or plain text:
 * a ScimError as it is; a failure the framework itself reports with a 4xx `status` (a body over
 * the limit, a malformed URL) with that status; anything else as a 500, logged with its cause.
 */
export function errorResponse(
  error: unknown,
  log: Pick<HookLogger, 'error'> | undefined,
  status?: number,
  headers?: Record<string, string>,
): RouteResponse {
  const scimError = toScimError(error, status);
  if (scimError.status >= 500) log?.error({ err: error }, scimError.message);
  return {
    status: scimError.status,
    headers: headers ? { ...headers, ...ERROR_HEADERS } : ERROR_HEADERS,
    body: JSON.stringify(scimError.toJSON()),
  };
}

function toScimError(error: unknown, status: number | undefined): ScimError {
  if (error instanceof ScimError) return error;
  if (status === undefined || status < 400 || status >= 500) return new ScimError(500, 'Internal server error');
  if (status === 413) return new ScimError(413, 'The request body is larger than this server accepts');
  if (status === 415) return new ScimError(415, 'Send application/scim+json or application/json');
  const detail = error instanceof Error && error.message ? error.message : `HTTP ${status}`;
  return new ScimError(status, detail, status === 400 ? 'invalidSyntax' : undefined);
}

/** The 404 for a path under the mount path that no SCIM route matches. */
export function unknownEndpoint(method: string, url: string): RouteResponse {
  return errorResponse(new ScimError(404, `No SCIM endpoint at ${method} ${url}`), undefined);
}

/** The 404 of a standalone server for a path outside the SCIM base path: still a SCIM error. */
export function notFound(method: string, url: string): RouteResponse {
  return errorResponse(new ScimError(404, `Not found: ${method} ${url}`), undefined);
}

// ---- body rules ----------------------------------------------------------------------------

/** The media types a SCIM request body may have (RFC 7644 §3.1). */
export const SCIM_MEDIA_TYPES: readonly string[] = ['application/scim+json', 'application/json'];
/** Methods whose body, if any, is ignored. */
export const BODYLESS_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * The 415 for a request whose body has another media type than SCIM's, or undefined when it
 * may go on: a request without a body needs no Content-Type.
 */
export function mediaTypeError(method: string, headers: RequestHeaders): ScimError | undefined {
  if (BODYLESS_METHODS.has(method)) return undefined;
  const contentType = headerValue(headers['content-type']);
  if (contentType === undefined && !hasBody(headers)) return undefined;
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (SCIM_MEDIA_TYPES.includes(mediaType)) return undefined;
  return new ScimError(
    415,
    `Unsupported Content-Type ${JSON.stringify(contentType ?? '')}; send application/scim+json or application/json`,
  );
}

function hasBody(headers: RequestHeaders): boolean {
  const length = headers['content-length'];
  return headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A SCIM request body's text as JSON: undefined when empty, 400 invalidSyntax when malformed. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ScimError(400, `The request body is not valid JSON: ${(error as Error).message}`, 'invalidSyntax');
  }
}
