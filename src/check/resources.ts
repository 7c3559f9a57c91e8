// Helpers the checks share: creating the resources they work on, and reading back the result
// of a write that may answer 204 No Content.

import { CheckSkipped, expectStatus, fail, describeResponse, jsonBody, URN, type CheckContext, type Json } from './check.js';
import type { Response } from './http.js';

export function usersPath(ctx: CheckContext): string {
  return ctx.server.endpoints.User;
}

export function groupsPath(ctx: CheckContext): string {
  const path = ctx.server.endpoints.Group;
  if (!path) throw new CheckSkipped('the server lists no Group resource type in /ResourceTypes');
  return path;
}

/** A userName unique to this run: `<prefix>-<label>@example.com`. */
export const userNameFor = (ctx: CheckContext, label: string) => `${ctx.prefix}-${label}@example.com`;

/** POSTs a resource, expecting 201 and the resource with its id; schedules its deletion. */
export async function create(ctx: CheckContext, endpoint: string, body: Json, hint?: string): Promise<Json> {
  const res = await ctx.request('POST', endpoint, { body });
  const resource = res.body as Json | undefined;
  if (res.status >= 200 && res.status < 300 && typeof resource?.id === 'string') ctx.created(`${endpoint}/${resource.id}`);
  expectStatus(res, 201, '201 Created with the new resource', hint);
  const created = jsonBody(res, 'the created resource');
  if (typeof created.id !== 'string' || created.id === '') {
    fail('the created resource with a string id', describeResponse(res), 'Answer POST with the whole resource, including the id the server assigned (RFC 7644 §3.3).', res);
  }
  return created;
}

/** The resource after a PATCH or PUT: the response body, or a GET when the answer was 204. */
export async function afterWrite(ctx: CheckContext, path: string, res: Response, hint?: string): Promise<Json> {
  expectStatus(res, [200, 204], '200 with the resource, or 204 No Content', hint);
  if (res.status === 200 && typeof (res.body as Json | undefined)?.id === 'string') return res.body as Json;
  return read(ctx, path);
}

export async function read(ctx: CheckContext, path: string, query?: Record<string, string>): Promise<Json> {
  const res = await ctx.request('GET', path, { query });
  expectStatus(res, 200, '200 with the resource');
  return jsonBody(res, 'the resource');
}

/** The member ids of a group, read with its members. */
export async function memberIds(ctx: CheckContext, groupPath: string): Promise<string[]> {
  const group = await read(ctx, groupPath);
  return ((group.members ?? []) as Json[]).map((m) => String(m.value)).sort();
}

/** The user Okta POSTs on assignment: its password placeholder and empty groups included. */
export function oktaUser(ctx: CheckContext, label: string): Json {
  const userName = userNameFor(ctx, label);
  return {
    schemas: [URN.user],
    userName,
    name: { givenName: 'Check', familyName: label },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `Check ${label}`,
    locale: 'en-US',
    externalId: `${ctx.prefix}-${label}-ext`,
    groups: [],
    password: 'Placeholder-1!',
    active: true,
  };
}

/** A user to put into groups, created once per label. */
export async function memberUser(ctx: CheckContext, label: string): Promise<Json> {
  const key = `member:${label}`;
  const known = ctx.state.get(key) as Json | undefined;
  if (known) return known;
  const user = await create(ctx, usersPath(ctx), oktaUser(ctx, label));
  ctx.state.set(key, user);
  return user;
}
