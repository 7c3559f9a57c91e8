// The admin HTTP API under /admin/v1 (outside the SCIM base path): the tenant operations of
// admin.ts for a team's own product, e.g. to create a tenant when a customer turns SCIM on. Off
// unless SCIM_ADMIN_TOKEN is set; that token (its own, never a tenant's) is compared in constant
// time. Bodies are JSON; errors are SCIM Error messages (RFC 7644 §3.12).
//
// GET /admin/v1/audit reads the audit log (the outbox's events, events.ts), newest first and
// paged by `before`; tenant and credential changes made here are recorded as `via: admin`.

import { randomUUID } from 'node:crypto';
import type { HttpRoute, PlainRequest, PlainResponse } from './auth.js';
import { requireSecret } from './config.js';
import { ScimError } from './errors.js';
import type { TenantAdmin } from './admin.js';
import type { EventLog, EventOrigin, EventQuery } from './events.js';
import { errorResponse } from './routes.js';
import { secretMatcher, singleHeader } from './secret.js';

export const ADMIN_PATH = '/admin/v1';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** The admin routes, or none when SCIM_ADMIN_TOKEN is not set. */
/** Audit pages hold at most this many events. */
export const MAX_AUDIT_COUNT = 1000;

export function adminRoutes(
  env: NodeJS.ProcessEnv,
  admin: TenantAdmin,
  log?: { error(obj: object, msg?: string): void },
  events?: EventLog,
): HttpRoute[] {
  if (!env.SCIM_ADMIN_TOKEN?.trim()) return [];
  const matches = secretMatcher(requireSecret(env, 'SCIM_ADMIN_TOKEN'));
  const unauthorized = () =>
    errorResponse(new ScimError(401, 'The admin API needs the admin token'), undefined, undefined, {
      'www-authenticate': 'Bearer realm="SCIM admin"',
    });

  type Handler = (params: string[], body: () => Record<string, unknown>, request: PlainRequest, origin: EventOrigin) => Promise<PlainResponse>;
  const route = (method: HttpRoute['method'], path: string, pattern: RegExp, handler: Handler): HttpRoute => ({
    method,
    path: ADMIN_PATH + path,
    async handle(request: PlainRequest) {
      const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(singleHeader(request.headers.authorization) ?? '')?.[1];
      if (token === undefined || !matches(token)) return unauthorized();
      try {
        const params = pattern.exec(request.path.slice(ADMIN_PATH.length).replace(/\/+$/, ''))?.slice(1).map(decodeURIComponent);
        if (!params) throw new ScimError(404, `No admin endpoint at ${request.method} ${request.path}`);
        // The admin token is no tenant credential: the actor is the admin API itself.
        const origin: EventOrigin = { actor: { credentialId: null, via: 'admin' }, requestId: randomUUID() };
        return await handler(params, () => jsonBody(request), request, origin);
      } catch (error) {
        return errorResponse(error, log);
      }
    },
  });
  const ok = (status: number, body?: unknown): PlainResponse =>
    body === undefined ? { status, headers: { 'cache-control': 'no-store' } } : { status, headers: JSON_HEADERS, body: JSON.stringify(body) };

  const TENANTS = /^\/tenants$/;
  const TENANT = /^\/tenants\/([^/]+)$/;
  const CREDENTIALS = /^\/tenants\/([^/]+)\/credentials$/;
  const CREDENTIAL = /^\/tenants\/([^/]+)\/credentials\/([^/]+)$/;
  return [
    route('GET', '/tenants', TENANTS, async () => ok(200, { tenants: await admin.listTenants() })),
    route('POST', '/tenants', TENANTS, async (_, body, _request, origin) => {
      const input = body();
      return ok(201, await admin.addTenant({
        slug: requiredString(input, 'slug'),
        name: optionalString(input, 'name'),
        idp: optionalString(input, 'idp'),
        label: optionalString(input, 'label'),
        expires: optionalString(input, 'expires'),
      }, origin));
    }),
    route('GET', '/tenants/:slug', TENANT, async ([slug]) => {
      const tenant = await admin.tenant(slug!);
      return ok(200, { ...tenant, baseUrl: admin.baseUrl(tenant) });
    }),
    route('PATCH', '/tenants/:slug', TENANT, async ([slug], body, _request, origin) => {
      const { disabled, name, idp, ...rest } = body();
      const unknown = Object.keys(rest);
      if (unknown.length > 0) throw new ScimError(400, `Only disabled, name and idp can change, not ${unknown.join(', ')}`, 'invalidValue');
      return ok(200, await admin.updateTenant(slug!, { disabled, name, idp }, origin));
    }),
    route('DELETE', '/tenants/:slug', TENANT, async ([slug], _body, _request, origin) => {
      await admin.removeTenant(slug!, origin);
      return ok(204);
    }),
    route('GET', '/tenants/:slug/credentials', CREDENTIALS, async ([slug]) => ok(200, { credentials: await admin.listCredentials(slug!) })),
    route('POST', '/tenants/:slug/credentials', CREDENTIALS, async ([slug], body, _request, origin) => {
      const input = body();
      const credential = await admin.addCredential(slug!, { label: optionalString(input, 'label'), expires: optionalString(input, 'expires') }, origin);
      return ok(201, { credential });
    }),
    route('DELETE', '/tenants/:slug/credentials/:id', CREDENTIAL, async ([slug, id], _body, _request, origin) => {
      await admin.revokeCredential(slug!, id!, origin);
      return ok(204);
    }),
    ...(events
      ? [
          route('GET', '/audit', /^\/audit$/, async (_, _body, request) => {
            const query = await auditQuery(request.query, admin);
            const page = await events.list(query);
            // The next page: events older than this page's last; absent on the last page.
            const next = page.length === query.limit ? page[page.length - 1]!.seq : undefined;
            return ok(200, { events: page, ...(next !== undefined ? { next } : {}) });
          }),
        ]
      : []),
  ];
}

/** GET /audit's parameters: resource, since (ISO 8601), actor (credential id), tenant (slug), count, before (seq). */
async function auditQuery(params: Record<string, string>, admin: TenantAdmin): Promise<EventQuery> {
  const known = new Set(['resource', 'since', 'actor', 'tenant', 'count', 'before']);
  const unknown = Object.keys(params).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new ScimError(400, `Unknown audit parameter ${unknown.join(', ')}`, 'invalidValue');
  const text = (name: string) => {
    const value = params[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, min: number, max: number) => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      throw new ScimError(400, `${name} must be an integer from ${min} to ${max}`, 'invalidValue');
    }
    return value;
  };
  const query: EventQuery = { limit: integer('count', 1, MAX_AUDIT_COUNT) ?? 100 };
  const since = text('since');
  if (since !== undefined) {
    const time = Date.parse(since);
    if (Number.isNaN(time)) throw new ScimError(400, 'since must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z', 'invalidValue');
    query.since = new Date(time).toISOString();
  }
  const before = integer('before', 1, Number.MAX_SAFE_INTEGER);
  if (before !== undefined) query.before = before;
  const resource = text('resource');
  if (resource !== undefined) query.resourceId = resource;
  const actor = text('actor');
  if (actor !== undefined) query.actor = actor;
  const tenant = text('tenant');
  if (tenant !== undefined) query.tenant = (await admin.tenant(tenant)).key;
  return query;
}

function jsonBody(request: PlainRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    throw new ScimError(400, 'The request body is not valid JSON', 'invalidSyntax');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ScimError(400, 'The request body must be a JSON object', 'invalidSyntax');
  }
  return parsed as Record<string, unknown>;
}

function requiredString(input: Record<string, unknown>, name: string): string {
  const value = input[name];
  if (typeof value !== 'string') throw new ScimError(400, `${name} is required and must be a string`, 'invalidValue');
  return value;
}

function optionalString(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ScimError(400, `${name} must be a string`, 'invalidValue');
  return value;
}
