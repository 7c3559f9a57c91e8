// The admin HTTP API under /admin/v1 (outside the SCIM base path): the tenant operations of
// admin.ts for a team's own product, e.g. to create a tenant when a customer turns SCIM on. Off
// unless SCIM_ADMIN_TOKEN is set; that token (its own, never a tenant's) is compared in constant
// time. Bodies are JSON; errors are SCIM Error messages (RFC 7644 §3.12).

import type { HttpRoute, PlainRequest, PlainResponse } from './auth.js';
import { requireSecret } from './config.js';
import { ScimError } from './errors.js';
import type { TenantAdmin } from './admin.js';
import { errorResponse } from './routes.js';
import { secretMatcher, singleHeader } from './secret.js';

export const ADMIN_PATH = '/admin/v1';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** The admin routes, or none when SCIM_ADMIN_TOKEN is not set. */
export function adminRoutes(env: NodeJS.ProcessEnv, admin: TenantAdmin, log?: { error(obj: object, msg?: string): void }): HttpRoute[] {
  if (!env.SCIM_ADMIN_TOKEN?.trim()) return [];
  const matches = secretMatcher(requireSecret(env, 'SCIM_ADMIN_TOKEN'));
  const unauthorized = () =>
    errorResponse(new ScimError(401, 'The admin API needs the admin token'), undefined, undefined, {
      'www-authenticate': 'Bearer realm="SCIM admin"',
    });

  type Handler = (params: string[], body: () => Record<string, unknown>) => Promise<PlainResponse>;
  const route = (method: HttpRoute['method'], path: string, pattern: RegExp, handler: Handler): HttpRoute => ({
    method,
    path: ADMIN_PATH + path,
    async handle(request: PlainRequest) {
      const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(singleHeader(request.headers.authorization) ?? '')?.[1];
      if (token === undefined || !matches(token)) return unauthorized();
      try {
        const params = pattern.exec(request.path.slice(ADMIN_PATH.length).replace(/\/+$/, ''))?.slice(1).map(decodeURIComponent);
        if (!params) throw new ScimError(404, `No admin endpoint at ${request.method} ${request.path}`);
        return await handler(params, () => jsonBody(request));
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
    route('POST', '/tenants', TENANTS, async (_, body) => {
      const input = body();
      return ok(201, await admin.addTenant({
        slug: requiredString(input, 'slug'),
        name: optionalString(input, 'name'),
        idp: optionalString(input, 'idp'),
        label: optionalString(input, 'label'),
        expires: optionalString(input, 'expires'),
      }));
    }),
    route('GET', '/tenants/:slug', TENANT, async ([slug]) => {
      const tenant = await admin.tenant(slug!);
      return ok(200, { ...tenant, baseUrl: admin.baseUrl(tenant) });
    }),
    route('PATCH', '/tenants/:slug', TENANT, async ([slug], body) => {
      const { disabled, name, idp, ...rest } = body();
      const unknown = Object.keys(rest);
      if (unknown.length > 0) throw new ScimError(400, `Only disabled, name and idp can change, not ${unknown.join(', ')}`, 'invalidValue');
      return ok(200, await admin.updateTenant(slug!, { disabled, name, idp }));
    }),
    route('DELETE', '/tenants/:slug', TENANT, async ([slug]) => {
      await admin.removeTenant(slug!);
      return ok(204);
    }),
    route('GET', '/tenants/:slug/credentials', CREDENTIALS, async ([slug]) => ok(200, { credentials: await admin.listCredentials(slug!) })),
    route('POST', '/tenants/:slug/credentials', CREDENTIALS, async ([slug], body) => {
      const input = body();
      return ok(201, { credential: await admin.addCredential(slug!, { label: optionalString(input, 'label'), expires: optionalString(input, 'expires') }) });
    }),
    route('DELETE', '/tenants/:slug/credentials/:id', CREDENTIAL, async ([slug, id]) => {
      await admin.revokeCredential(slug!, id!);
      return ok(204);
    }),
  ];
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
