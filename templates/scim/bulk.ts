// POST /Bulk (RFC 7644 §3.7): many POST, PUT, PATCH and DELETE operations in one request. Each
// operation runs through the same ScimService method as its single-request form (validation,
// hooks, tenancy), as a sub-request carrying the bulk request's tenant, base URL, request id and
// logger. `bulkId:<id>` references are resolved to the ids the POST operations created, in
// dependency order; what cannot be ordered (a cycle) or resolved is an error of that operation.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ScimError, badRequest } from './errors.js';
import type { Registry, ResourceTypeModel } from './registry.js';
import { location } from './representation.js';
import { SCHEMA_URNS } from './schema.js';
import type { ScimRequest, ScimResponse } from './service.js';

/** What ServiceProviderConfig advertises under `bulk`, and what is enforced (RFC 7644 §3.7.4). */
export interface BulkLimits {
  /** Most operations in one request. */
  maxOperations: number;
  /** Largest request, in bytes of JSON. */
  maxPayloadSize: number;
}

/** The default limits: the RFC's own example values (RFC 7644 §3.7.4 uses 1000 and 1048576). */
export const DEFAULT_BULK_LIMITS: BulkLimits = Object.freeze({ maxOperations: 1000, maxPayloadSize: 1024 * 1024 });

/** The single-request operations a bulk operation is run with (ScimService implements them). */
export interface BulkOperations {
  readonly registry: Registry;
  /** 'summary': answer only the id, status, ETag and Location (a BulkResponse shows no more). */
  create(model: ResourceTypeModel, req: ScimRequest, answer: 'summary'): Promise<ScimResponse>;
  replace(model: ResourceTypeModel, id: string, req: ScimRequest, answer: 'summary'): Promise<ScimResponse>;
  patch(model: ResourceTypeModel, id: string, req: ScimRequest, answer: 'summary'): Promise<ScimResponse>;
  delete(model: ResourceTypeModel, id: string, req: ScimRequest): Promise<ScimResponse>;
}

export type BulkMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

/** One entry of a BulkResponse's `Operations` (RFC 7644 §3.7.3). `status` is a string, as in the RFC's examples. */
export interface BulkOperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  /** The SCIM error of a failed operation; successful ones carry none (the RFC makes it optional). */
  response?: unknown;
}

type Json = Record<string, unknown>;

/** An operation of the request as read, before it runs. */
export interface PlannedOperation {
  /** Position in the request. */
  index: number;
  method: string;
  path?: string;
  bulkId?: string;
  version?: string;
  data?: unknown;
  /** bulkIds this operation refers to (in `path` or `data`), each once. */
  refs: string[];
  /** Why it cannot run at all, found before anything runs. */
  error?: ScimError;
}

/** The whole string is a reference: `bulkId:qwerty` (RFC 7644 §3.7.2). */
const REFERENCE = /^bulkId:(.+)$/;
/** A reference inside a filter of a PATCH path, e.g. `members[value eq "bulkId:qwerty"]`. */
const QUOTED_REFERENCE = /"bulkId:([^"]+)"/g;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A member of a JSON object by a case-insensitive name (SCIM attribute names are case-insensitive). */
function member(object: Json, name: string): unknown {
  const key = Object.keys(object).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : object[key];
}

/**
 * The envelope of a BulkRequest, checked before anything runs: a malformed envelope, too many
 * operations or too large a payload is the whole request's error and writes nothing.
 */
export function readBulkRequest(body: unknown, limits: BulkLimits): { operations: PlannedOperation[]; failOnErrors?: number } {
  if (!isObject(body)) throw badRequest('invalidSyntax', 'The request body must be a BulkRequest JSON object');
  // The size of the JSON as received, less insignificant whitespace: an upper bound the client can
  // check before sending. Bodies over the server's body limit never get here (413 from the adapter).
  const size = Buffer.byteLength(JSON.stringify(body));
  if (size > limits.maxPayloadSize) {
    // RFC 7644 §3.7.4: 413, and the example's detail names the limit. Its example has no scimType
    // (Table 9's tooMany is about filters), so none is sent.
    throw new ScimError(413, `The size of the bulk operation (${size} bytes) exceeds the maxPayloadSize (${limits.maxPayloadSize}).`);
  }
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === SCHEMA_URNS.bulkRequest.toLowerCase())) {
    throw badRequest('invalidSyntax', `A BulkRequest must list ${SCHEMA_URNS.bulkRequest} in "schemas"`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations)) throw badRequest('invalidSyntax', 'A BulkRequest needs an "Operations" array');
  if (operations.length > limits.maxOperations) {
    throw new ScimError(413, `The number of operations (${operations.length}) exceeds the maxOperations (${limits.maxOperations}).`);
  }
  const failOnErrors = member(body, 'failOnErrors');
  if (failOnErrors !== undefined && (!Number.isInteger(failOnErrors) || (failOnErrors as number) < 1)) {
    throw badRequest('invalidValue', '"failOnErrors" must be an integer of at least 1');
  }

  const planned = operations.map(readOperation);
  const declared = new Map<string, PlannedOperation>();
  for (const op of planned) {
    if (op.bulkId === undefined || op.method !== 'POST') continue;
    if (declared.has(op.bulkId)) {
      // References to it would be ambiguous: refuse the request rather than guess.
      throw badRequest('invalidValue', `bulkId ${JSON.stringify(op.bulkId)} is used by more than one operation`);
    }
    declared.set(op.bulkId, op);
  }
  for (const op of planned) {
    const unknown = op.error ? undefined : op.refs.find((ref) => !declared.has(ref));
    if (unknown !== undefined) {
      op.error = badRequest('invalidValue', `bulkId:${unknown} does not name a POST operation of this request`);
    }
  }
  return { operations: planned, failOnErrors: failOnErrors as number | undefined };
}

function readOperation(raw: unknown, index: number): PlannedOperation {
  const op: PlannedOperation = { index, method: '', refs: [] };
  if (!isObject(raw)) {
    op.error = badRequest('invalidSyntax', `Operation ${index + 1} is not a JSON object`);
    return op;
  }
  const method = member(raw, 'method');
  const path = member(raw, 'path');
  const bulkId = member(raw, 'bulkId');
  const version = member(raw, 'version');
  op.method = typeof method === 'string' ? method.toUpperCase() : '';
  if (typeof path === 'string') op.path = path;
  if (typeof bulkId === 'string' && bulkId !== '') op.bulkId = bulkId;
  if (typeof version === 'string') op.version = version;
  op.data = member(raw, 'data');

  if (typeof method !== 'string' || !METHODS.includes(op.method)) {
    op.method = typeof method === 'string' ? method : '';
    op.error = badRequest('invalidSyntax', `Operation ${index + 1}: "method" must be one of ${METHODS.join(', ')}`);
  } else if (typeof path !== 'string' || path === '') {
    op.error = badRequest('invalidSyntax', `Operation ${index + 1}: "path" is required`);
  } else if (bulkId !== undefined && (typeof bulkId !== 'string' || bulkId === '')) {
    op.error = badRequest('invalidSyntax', `Operation ${index + 1}: "bulkId" must be a non-empty string`);
  } else if (op.method === 'POST' && op.bulkId === undefined) {
    // RFC 7644 §3.7: bulkId is REQUIRED when method is POST.
    op.error = badRequest('invalidSyntax', `Operation ${index + 1}: a POST operation needs a "bulkId"`);
  } else if (version !== undefined && typeof version !== 'string') {
    op.error = badRequest('invalidSyntax', `Operation ${index + 1}: "version" must be a string (an ETag)`);
  } else if (op.method !== 'DELETE' && op.data === undefined) {
    op.error = badRequest('invalidSyntax', `Operation ${index + 1}: ${op.method} needs "data"`);
  }
  if (!op.error) {
    const refs = new Set<string>();
    // A path segment: /Groups/bulkId:qwerty
    for (const segment of op.path!.split('/')) {
      const ref = REFERENCE.exec(segment);
      if (ref) refs.add(ref[1]!);
    }
    collectReferences(op.data, refs);
    op.refs = [...refs];
  }
  return op;
}

/** Every `bulkId:<id>` a value holds: whole strings anywhere, and quoted ones inside strings (PATCH path filters). */
function collectReferences(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') {
    const whole = REFERENCE.exec(value);
    if (whole) out.add(whole[1]!);
    for (const match of value.matchAll(QUOTED_REFERENCE)) out.add(match[1]!);
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, out);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) collectReferences(item, out);
  }
}

/** `value` with every reference replaced by the id its POST created. */
function resolveReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    const whole = REFERENCE.exec(value);
    if (whole && ids.has(whole[1]!)) return ids.get(whole[1]!);
    return value.replace(QUOTED_REFERENCE, (text, ref: string) => (ids.has(ref) ? JSON.stringify(ids.get(ref)) : text));
  }
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, ids));
  if (isObject(value)) {
    const out: Json = {};
    for (const [key, item] of Object.entries(value)) out[key] = resolveReferences(item, ids);
    return out;
  }
  return value;
}

function resolvePath(path: string, ids: ReadonlyMap<string, string>): string {
  return path
    .split('/')
    .map((segment) => {
      const ref = REFERENCE.exec(segment);
      return ref && ids.has(ref[1]!) ? encodeURIComponent(ids.get(ref[1]!)!) : segment;
    })
    .join('/');
}

/**
 * The order to run the operations in: request order, except that an operation referring to a
 * bulkId runs after the POST that declares it. Operations on a cycle of references get a 409:
 * RFC 7644 §3.7.1 asks the service provider to try to resolve circular references and allows
 * it to "stop after a failed attempt and instead return HTTP status code 409 (Conflict)"; this
 * server's attempt is the dependency ordering, and a cycle is what it cannot order.
 */
export function executionOrder(operations: PlannedOperation[]): PlannedOperation[] {
  const byBulkId = new Map<string, PlannedOperation>();
  for (const op of operations) if (op.method === 'POST' && op.bulkId !== undefined && !byBulkId.has(op.bulkId)) byBulkId.set(op.bulkId, op);
  const state = new Map<PlannedOperation, 'visiting' | 'done'>();
  const order: PlannedOperation[] = [];

  // Iterative depth-first post-order, so a long chain of references cannot overflow the stack.
  for (const start of operations) {
    if (state.has(start)) continue;
    const stack: { op: PlannedOperation; next: number }[] = [{ op: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = top.op.error ? [] : top.op.refs;
      if (top.next < deps.length) {
        const dep = byBulkId.get(deps[top.next++]!);
        if (!dep || dep === top.op) {
          if (dep === top.op) markCycle([top.op]);
          continue;
        }
        const seen = state.get(dep);
        if (seen === undefined) {
          state.set(dep, 'visiting');
          stack.push({ op: dep, next: 0 });
        } else if (seen === 'visiting') {
          // A back edge: every operation on the stack from `dep` up is on the cycle.
          const from = stack.findIndex((frame) => frame.op === dep);
          markCycle(stack.slice(from).map((frame) => frame.op));
        }
        continue;
      }
      stack.pop();
      state.set(top.op, 'done');
      order.push(top.op);
    }
  }
  return order;
}

function markCycle(cycle: PlannedOperation[]): void {
  const ids = cycle.map((op) => op.bulkId).filter((id) => id !== undefined);
  for (const op of cycle) {
    op.error ??= new ScimError(
      409,
      `Circular bulkId references (${ids.map((id) => `bulkId:${id}`).join(' -> ')}) cannot be resolved; ` +
        'create the resources first, then add the references with PATCH operations',
    );
  }
}

interface Target {
  model: ResourceTypeModel;
  id?: string;
}

/** The resource type and id a bulk operation's path names. */
function readPath(path: string, method: string, registry: Registry): Target {
  if (!path.startsWith('/')) {
    throw badRequest('invalidSyntax', `"path" must be relative to the SCIM base URL and start with "/", got ${JSON.stringify(path)}`);
  }
  if (path.includes('?') || path.includes('#')) {
    throw badRequest('invalidSyntax', 'A bulk operation\'s "path" cannot carry a query string');
  }
  const segments = path.split('/').slice(1);
  const endpoint = `/${segments[0] ?? ''}`.toLowerCase();
  const model = registry.resourceTypes.find((m) => m.def.endpoint.toLowerCase() === endpoint);
  if (!model || segments.length > 2) throw new ScimError(404, `No resource type at ${JSON.stringify(path)}`);
  let id: string | undefined;
  if (segments.length === 2 && segments[1] !== '') {
    try {
      id = decodeURIComponent(segments[1]!);
    } catch {
      throw badRequest('invalidSyntax', `"path" ${JSON.stringify(path)} is not a valid URL path`);
    }
  }
  if (method === 'POST' && id !== undefined) {
    throw badRequest('invalidSyntax', `POST creates a resource at its type's endpoint (${model.def.endpoint}), not at ${JSON.stringify(path)}`);
  }
  if (method !== 'POST' && id === undefined) {
    throw badRequest('invalidSyntax', `${method} needs the path of one resource, e.g. ${model.def.endpoint}/{id}`);
  }
  return { model, id };
}

/** Runs a BulkRequest and answers its BulkResponse (200), or throws the envelope's error. */
export async function runBulk(service: BulkOperations, limits: BulkLimits, req: ScimRequest): Promise<ScimResponse> {
  const { operations, failOnErrors } = readBulkRequest(req.body, limits);
  const order = executionOrder(operations);
  const created = new Map<string, string>();
  const failed = new Map<string, string>();
  const results: BulkOperationResult[] = [];
  let errors = 0;

  for (const [position, op] of order.entries()) {
    // RFC 7644 §3.7.3: after failOnErrors errors the rest are not run, and the response lists
    // what was processed. Operations absent from the response were not run.
    if (failOnErrors !== undefined && errors >= failOnErrors) break;
    // A large bulk must not hold the event loop: other requests run between its operations.
    if (position > 0) await yieldToEventLoop();
    const result = await runOperation(service, op, req, created, failed);
    if (Number(result.status) >= 400) {
      errors++;
      if (op.method === 'POST' && op.bulkId !== undefined) failed.set(op.bulkId, result.status);
    }
    results.push(result);
  }
  return { status: 200, body: { schemas: [SCHEMA_URNS.bulkResponse], Operations: results } };
}

async function runOperation(
  service: BulkOperations,
  op: PlannedOperation,
  req: ScimRequest,
  created: Map<string, string>,
  failed: ReadonlyMap<string, string>,
): Promise<BulkOperationResult> {
  const result: BulkOperationResult = { method: op.method, status: '' };
  if (op.bulkId !== undefined) result.bulkId = op.bulkId;
  let target: Target | undefined;
  try {
    if (op.error) throw op.error;
    const missing = op.refs.find((ref) => !created.has(ref));
    if (missing !== undefined) {
      throw new ScimError(
        409,
        `bulkId:${missing} cannot be resolved: its POST operation failed${failed.has(missing) ? ` (status ${failed.get(missing)})` : ''}`,
      );
    }
    const path = resolvePath(op.path!, created);
    target = readPath(path, op.method, service.registry);
    const sub: ScimRequest = {
      ...req,
      query: {},
      body: op.data === undefined ? undefined : resolveReferences(op.data, created),
      ifMatch: op.version,
      ifNoneMatch: undefined,
    };
    const { model, id } = target;
    let response: ScimResponse;
    switch (op.method) {
      case 'POST':
        response = await service.create(model, sub, 'summary');
        break;
      case 'PUT':
        response = await service.replace(model, id!, sub, 'summary');
        break;
      case 'PATCH':
        response = await service.patch(model, id!, sub, 'summary');
        break;
      default:
        response = await service.delete(model, id!, sub);
    }
    const createdId = op.method === 'POST' ? idOf(response) : id;
    if (op.method === 'POST' && createdId !== undefined) created.set(op.bulkId!, createdId);
    if (createdId !== undefined) result.location = location(model, createdId, req.baseUrl);
    const etag = response.headers?.ETag;
    if (etag !== undefined) result.version = etag;
    result.status = String(response.status);
  } catch (error) {
    const scimError = error instanceof ScimError ? error : new ScimError(500, 'Internal server error');
    if (!(error instanceof ScimError)) req.log.error({ err: error }, 'bulk operation failed');
    if (target?.id !== undefined) result.location = location(target.model, target.id, req.baseUrl);
    result.status = String(scimError.status);
    result.response = scimError.toJSON();
  }
  return result;
}

function idOf(response: ScimResponse): string | undefined {
  const body = response.body;
  if (isObject(body) && typeof body.id === 'string') return body.id;
  const where = response.headers?.Location;
  return where ? decodeURIComponent(where.slice(where.lastIndexOf('/') + 1)) : undefined;
}
