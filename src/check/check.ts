// What a check is, and the assertions checks fail with. A check throws CheckFailure with what
// it expected, what it got, and a one-line fix; the runner attaches the request it was about.

import type { Exchange, RequestOptions, Response, ScimHttp } from './http.js';

export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterprise: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  /** The extra schema Entra ID puts on groups it creates. */
  entraGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
} as const;

export type Json = Record<string, any>;

/** What discovery learned, for the checks after it. */
export interface ServerInfo {
  /** Endpoints by resource type name, from /ResourceTypes ("/Users"); defaults when discovery failed. */
  endpoints: { User: string; Group?: string };
  /** The User resource type lists the Enterprise User extension. */
  enterpriseUser: boolean;
  /** ServiceProviderConfig says PATCH is supported (assumed when unknown). */
  patch: boolean;
}

export interface CheckContext {
  readonly http: ScimHttp;
  /** Prefix of everything this run creates, unique per run. */
  readonly prefix: string;
  readonly server: ServerInfo;
  /** State shared by the checks of a run (ids of what earlier checks created). */
  readonly state: Map<string, unknown>;
  /** Sends a request; resources it creates must be passed to created(). */
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** Deletes this resource after the run, whatever happens. */
  created(path: string): void;
  /** The resource is gone already (a check deleted it). */
  deleted(path: string): void;
}

export interface Check {
  /** Stable id for --json and JUnit: "okta.create-user". */
  id: string;
  title: string;
  /** Changes data on the server; skipped by --read-only. */
  writes: boolean;
  /** State keys earlier checks must have set; missing ones skip this check. */
  needs?: readonly string[];
  /** The fix to suggest when the check fails, unless the failure names its own. */
  hint: string;
  run(ctx: CheckContext): Promise<void>;
}

export interface CheckGroup {
  name: string;
  checks: readonly Check[];
}

export class CheckFailure extends Error {
  override readonly name = 'CheckFailure';
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly hint?: string,
    readonly exchange?: Exchange,
  ) {
    super(`expected ${expected}, got ${actual}`);
  }
}

/** A check that cannot run here (the server has no groups, say): reported as skipped. */
export class CheckSkipped extends Error {
  override readonly name = 'CheckSkipped';
}

export function fail(expected: string, actual: string, hint?: string, exchange?: Exchange): never {
  throw new CheckFailure(expected, actual, hint, exchange);
}

/** A short, one-line rendering of what came back. */
export function describeResponse(res: Exchange): string {
  const body = res.body === undefined ? (res.text.trim() === '' ? 'no body' : `a ${res.contentType || 'non-JSON'} body`) : clip(JSON.stringify(res.body), 160);
  return `${res.status} ${body}`;
}

export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function expectStatus(res: Response, allowed: number | readonly number[], expected?: string, hint?: string): void {
  const list = typeof allowed === 'number' ? [allowed] : allowed;
  if (!list.includes(res.status)) fail(expected ?? `HTTP ${list.join(' or ')}`, describeResponse(res), hint, res);
}

/** The body is a JSON object (a SCIM resource or message). */
export function jsonBody(res: Response, what: string): Json {
  if (typeof res.body !== 'object' || res.body === null || Array.isArray(res.body)) {
    fail(`${what} as a JSON object`, describeResponse(res), undefined, res);
  }
  return res.body as Json;
}

/** A ListResponse (RFC 7644 §3.4.2) with integer totalResults; returns its Resources ([] when absent). */
export function listResources(res: Response, what = 'a ListResponse'): Json[] {
  expectStatus(res, 200, `200 with ${what}`);
  const body = jsonBody(res, what);
  if (!Array.isArray(body.schemas) || !body.schemas.includes(URN.listResponse)) {
    fail(`${what} whose schemas list ${URN.listResponse}`, `schemas ${JSON.stringify(body.schemas)}`, 'Answer queries with a ListResponse (RFC 7644 §3.4.2).', res);
  }
  if (!Number.isInteger(body.totalResults)) {
    fail('totalResults as an integer', `totalResults ${JSON.stringify(body.totalResults)}`, 'Okta reads totalResults, startIndex and itemsPerPage as integers, not strings.', res);
  }
  if (body.Resources !== undefined && !Array.isArray(body.Resources)) {
    fail('Resources as an array', `Resources ${clip(JSON.stringify(body.Resources), 80)}`, undefined, res);
  }
  return (body.Resources ?? []) as Json[];
}

/** A SCIM error (RFC 7644 §3.12) with this status, and this scimType when given. */
export function expectScimError(res: Response, status: number | readonly number[], scimType?: string, hint?: string): Json {
  const statuses = typeof status === 'number' ? [status] : status;
  const what = `${statuses.join(' or ')} with a SCIM error${scimType ? ` (scimType "${scimType}")` : ''}`;
  expectStatus(res, statuses, what, hint);
  const body = res.body as Json | undefined;
  if (typeof body !== 'object' || body === null || !Array.isArray(body.schemas) || !body.schemas.includes(URN.error)) {
    fail(`${what}: a JSON body whose schemas list ${URN.error}`, describeResponse(res), 'Answer every error with a SCIM error body (RFC 7644 §3.12), never HTML or plain text: identity providers parse it.', res);
  }
  if (body.status !== String(res.status)) {
    fail(`"status": "${res.status}" (a string equal to the HTTP status)`, `"status": ${JSON.stringify(body.status)}`, 'RFC 7644 §3.12: the error\'s status is the HTTP status code as a JSON string.', res);
  }
  if (scimType !== undefined && body.scimType !== scimType) {
    fail(`scimType "${scimType}"`, body.scimType === undefined ? 'no scimType' : `scimType ${JSON.stringify(body.scimType)}`, hint, res);
  }
  return body;
}

export function patchOp(...operations: Json[]): Json {
  return { schemas: [URN.patchOp], Operations: operations };
}

/** Whether a SCIM value equals another, case-insensitively for strings (as caseExact: false attributes compare). */
export const sameText = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
