// A small SCIM client for the black-box tests: every call is a real HTTP request to the server
// under test, carrying the headers identity providers send, plus builders for request bodies.

import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestServer } from './server.js';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/**
 * A JSON value from the wire. Tests assert on its shape with `expect`, so it is left untyped
 * rather than cast at every property access.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ScimResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON; the raw text when it is not JSON; `undefined` when the body is empty. */
  body: Json;
  text: string;
}

export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is instead of `body`: malformed JSON, oversized payloads. */
  rawBody?: string;
  /** Request Content-Type. Default: application/scim+json. */
  contentType?: string;
  /**
   * Authorization header value sent instead of the server's credentials; `null` sends no
   * credentials at all. Default: the credential headers the server accepts.
   */
  authorization?: string | null;
  /** Extra headers (If-Match, User-Agent, ...); they win over the defaults. */
  headers?: Record<string, string>;
  /** Query parameters. Spaces are sent as %20, the way Okta and Entra encode filters. */
  query?: Record<string, string | number>;
}

export interface ScimClient {
  /** `path` is relative to the SCIM base URL ("/Users") or an absolute URL. */
  request(method: string, path: string, options?: RequestOptions): Promise<ScimResponse>;
  get(path: string, options?: RequestOptions): Promise<ScimResponse>;
  post(path: string, body: unknown, options?: RequestOptions): Promise<ScimResponse>;
  put(path: string, body: unknown, options?: RequestOptions): Promise<ScimResponse>;
  patch(path: string, body: unknown, options?: RequestOptions): Promise<ScimResponse>;
  delete(path: string, options?: RequestOptions): Promise<ScimResponse>;
}

function buildUrl(server: TestServer, path: string, query?: RequestOptions['query']): string {
  const url = /^https?:\/\//.test(path) ? path : server.baseUrl + path;
  if (!query) return url;
  const pairs = Object.entries(query).map(
    ([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`,
  );
  return url + (url.includes('?') ? '&' : '?') + pairs.join('&');
}

function parseBody(text: string): Json {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (an HTML error page, say): keep the text so a failing assertion shows it.
    return text;
  }
}

export function scim(server: TestServer): ScimClient {
  const request = async (
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ScimResponse> => {
    const headers: Record<string, string> = { Accept: 'application/scim+json' };
    if (options.authorization === undefined) Object.assign(headers, server.credentials);
    else if (options.authorization !== null) headers.Authorization = options.authorization;

    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/scim+json';
    }
    Object.assign(headers, options.headers);

    const response = await fetch(buildUrl(server, path, options.query), {
      method,
      headers,
      body: payload,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseBody(text), text };
  };

  return {
    request,
    get: (path, options) => request('GET', path, options),
    post: (path, body, options) => request('POST', path, { ...options, body }),
    put: (path, body, options) => request('PUT', path, { ...options, body }),
    patch: (path, body, options) => request('PATCH', path, { ...options, body }),
    delete: (path, options) => request('DELETE', path, options),
  };
}

// ---------------------------------------------------------------------------------------------
// Request bodies

/** A name no other test uses: `${prefix}-${uuid}`. */
export function uniqueName(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}`;
}

/** The user Okta creates on assignment (RFC 7643 core User), with `overrides` on top. */
export function newUser(overrides: Record<string, unknown> = {}): Record<string, Json> {
  const userName = `${uniqueName('user')}@example.com`;
  return {
    schemas: [URN.user],
    userName,
    name: { givenName: 'Ada', familyName: 'Lovelace' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Ada Lovelace',
    locale: 'en-US',
    externalId: randomUUID(),
    groups: [],
    // Okta sends a placeholder password even without password sync; it must never come back.
    password: 'Pl4ceholder!Secret',
    active: true,
    ...overrides,
  };
}

/** The group Okta and Entra create: no members yet. */
export function newGroup(overrides: Record<string, unknown> = {}): Record<string, Json> {
  return { schemas: [URN.group], displayName: uniqueName('group'), members: [], ...overrides };
}

export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}

export function patchOp(...operations: PatchOperation[]): Record<string, Json> {
  return { schemas: [URN.patchOp], Operations: operations };
}

export function searchRequest(fields: Record<string, unknown> = {}): Record<string, Json> {
  return { schemas: [URN.searchRequest], ...fields };
}

// ---------------------------------------------------------------------------------------------
// Shared steps and assertions

/** POSTs a user and returns the created resource, failing the test unless the answer is 201. */
export async function createUser(client: ScimClient, overrides: Record<string, unknown> = {}): Promise<Json> {
  const res = await client.post('/Users', newUser(overrides));
  expect(res.status, `POST /Users: ${res.text}`).toBe(201);
  return res.body;
}

/** POSTs a group and returns the created resource, failing the test unless the answer is 201. */
export async function createGroup(
  client: ScimClient,
  overrides: Record<string, unknown> = {},
): Promise<Json> {
  const res = await client.post('/Groups', newGroup(overrides));
  expect(res.status, `POST /Groups: ${res.text}`).toBe(201);
  return res.body;
}

/** GETs a resource and returns it, failing the test unless the answer is 200. */
export async function fetchResource(client: ScimClient, path: string): Promise<Json> {
  const res = await client.get(path);
  expect(res.status, `GET ${path}: ${res.text}`).toBe(200);
  return res.body;
}

export function expectScimContentType(res: ScimResponse): void {
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/scim\+json(\s*;|$)/);
}

/** The RFC 7644 §3.12 error shape: Error schema, `status` as a string, a `detail` message. */
export function expectScimError(res: ScimResponse, status: number, scimType?: string): void {
  expect(res.status, res.text).toBe(status);
  expectScimContentType(res);
  expect(res.body).toMatchObject({ schemas: [URN.error], status: String(status) });
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.detail.length).toBeGreaterThan(0);
  if (scimType !== undefined) expect(res.body.scimType).toBe(scimType);
}

/** Resources of a ListResponse (absent when empty is allowed). */
export function resources(res: ScimResponse): Json[] {
  return (res.body?.Resources ?? []) as Json[];
}

/** Ids of a ListResponse's resources, in response order. */
export function ids(res: ScimResponse): string[] {
  return resources(res).map((r) => r.id as string);
}

/** Members of a group resource (absent or null is an empty group). */
export function memberIds(group: Json): string[] {
  return ((group?.members ?? []) as Json[]).map((m) => m.value as string).sort();
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const WEAK_ETAG = /^W\/"[^"]+"$/;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
