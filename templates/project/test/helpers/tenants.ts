// The admin API (/admin/v1) for the tests of tenants and credentials, and SCIM clients that speak
// for one tenant with one of its credentials. Every call is a real HTTP request.

import { randomBytes } from 'node:crypto';
import type { IssuedCredential } from '../../src/generated/scim/admin.js';
import { scim, type Json, type ScimClient } from './scim.js';
import type { TestServer } from './server.js';

/** A fresh admin token, for `useScimServer({ SCIM_ADMIN_TOKEN: ... })`. */
export const newAdminToken = () => `admin_${randomBytes(24).toString('base64url')}`;

export interface AdminResponse {
  status: number;
  headers: Headers;
  body: Json;
}

export interface AdminClient {
  request(method: string, path: string, body?: unknown, authorization?: string | null): Promise<AdminResponse>;
  /** POST /admin/v1/tenants; fails the test unless 201. */
  addTenant(slug: string, fields?: Record<string, unknown>): Promise<{ tenant: Json; baseUrl: string; credential: IssuedCredential }>;
  /** POST /admin/v1/tenants/{slug}/credentials; fails the test unless 201. */
  addCredential(slug: string, fields?: Record<string, unknown>): Promise<IssuedCredential>;
}

export function adminClient(server: TestServer): AdminClient {
  const request = async (method: string, path: string, body?: unknown, authorization?: string | null): Promise<AdminResponse> => {
    const headers: Record<string, string> = {};
    const token = authorization === undefined ? `Bearer ${server.env.SCIM_ADMIN_TOKEN}` : authorization;
    if (token !== null) headers.authorization = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${server.origin}/admin/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
  };
  const created = (res: AdminResponse) => {
    if (res.status !== 201) throw new Error(`admin API answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  return {
    request,
    addTenant: async (slug, fields = {}) => created(await request('POST', '/tenants', { slug, ...fields })),
    addCredential: async (slug, fields = {}) => created(await request('POST', `/tenants/${slug}/credentials`, fields)).credential,
  };
}

/** A SCIM client for `baseUrl` (a tenant's, or the server's own) sending this credential. */
export async function clientFor(server: TestServer, baseUrl: string, credential: IssuedCredential): Promise<ScimClient> {
  const credentials = await server.headersFor(credential);
  return scim({ ...server, origin: server.origin, baseUrl, basePath: new URL(baseUrl).pathname, credentials, env: server.env, headersFor: server.headersFor, close: server.close });
}

/** Rebases a URL the admin API printed (from PUBLIC_URL or localhost) onto the test server's origin. */
export function onServer(server: TestServer, baseUrl: string): string {
  const url = new URL(baseUrl);
  return server.origin + url.pathname;
}
