// The engine's route table and HTTP rules (templates/scim/routes.ts), which every HTTP adapter
// mounts as they are: the table itself, what a route answers, the 401, the error rendering and
// the body rules. The generated suites check the same end to end through each framework.

import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import {
  SCIM_CONTENT_TYPE,
  errorResponse,
  mediaTypeError,
  parseJsonBody,
  scimEndpoints,
  unknownEndpoint,
  type RouteRequest,
} from '../../../templates/scim/routes.js';
import type { Principal } from '../../../templates/scim/credentials.js';
import { ScimService } from '../../../templates/scim/service.js';
import type { Tenant } from '../../../templates/scim/tenancy.js';
import type { ResourceStore, StoredResource } from '../../../templates/scim/store.js';
import { USER_URN, testRegistry } from './fixtures.js';

const silent = { info() {}, warn() {}, error() {} };
const stored: StoredResource = {
  id: 'u 1',
  attributes: { schemas: [USER_URN], userName: 'ada' },
  version: 3,
  created: '2026-01-01T00:00:00.000Z',
  lastModified: '2026-01-01T00:00:00.000Z',
};

const defaultTenant: Tenant = { key: 1, slug: 'default', name: 'default', idp: 'other', disabled: false, created: '2026-01-01T00:00:00Z' };
const principal: Principal = {
  tenant: defaultTenant,
  credential: { id: 'cred_1', tenant: 1, kind: 'token', label: 'test', created: '2026-01-01T00:00:00Z' },
};

function endpoints(options: { publicUrl?: string; accept?: boolean } = {}) {
  const store: Partial<ResourceStore> = { get: async (_tenant, _type, id) => (id === stored.id ? stored : undefined) };
  const scheme = { type: 'oauthbearertoken', name: 'Bearer', description: 'test' };
  const registry = testRegistry();
  const service = new ScimService({ registry, store: store as ResourceStore, authenticator: { scheme } });
  const authenticator = {
    challenge: 'Bearer realm="SCIM"',
    authenticate: async () => ((options.accept ?? true) ? principal : undefined),
    routes: [],
  };
  const tenants = { getTenant: async () => defaultTenant, findTenant: async () => undefined };
  return scimEndpoints({ service, authenticator, bodyLimit: 1024, publicUrl: options.publicUrl, tenants });
}

const request = (over: Partial<RouteRequest> = {}): RouteRequest => ({
  headers: {},
  query: {},
  body: undefined,
  origin: 'https://scim.example.com',
  mountPath: '/api/scim/v2',
  requestId: 'r1',
  log: silent,
  principal,
  ...over,
});

const route = (method: string, path: string) => {
  const found = endpoints().routes.find((r) => r.method === method && r.path === path);
  if (!found) throw new Error(`no route ${method} ${path}`);
  return found;
};

describe('the route table', () => {
  it('has discovery, the cross-type search, /Bulk, /Me and seven routes per resource type, each once', () => {
    const table = endpoints().routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(table).size).toBe(table.length);
    expect(table).toEqual(
      expect.arrayContaining([
        'GET /ServiceProviderConfig',
        'GET /ResourceTypes',
        'GET /ResourceTypes/:id',
        'GET /Schemas',
        'GET /Schemas/:id',
        'POST /.search',
        'POST /Bulk',
        ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => `${m} /Me`),
        ...['/Users', '/Groups'].flatMap((p) => [
          `GET ${p}`,
          `POST ${p}`,
          `POST ${p}/.search`,
          `GET ${p}/:id`,
          `PUT ${p}/:id`,
          `PATCH ${p}/:id`,
          `DELETE ${p}/:id`,
        ]),
      ]),
    );
    expect(table).toHaveLength(6 + 1 + 5 + 2 * 7);
  });
});

describe('a route', () => {
  it('answers with a serialised SCIM body, its content type and the service headers, URLs under the mount path', async () => {
    const res = await route('GET', '/Users/:id').handle(request({ id: 'u 1' }));
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': SCIM_CONTENT_TYPE, ETag: expect.stringMatching(/3/) });
    expect(JSON.parse(res.body!)).toMatchObject({ id: 'u 1', meta: { location: 'https://scim.example.com/api/scim/v2/Users/u%201' } });
  });

  it('builds URLs from SCIM_PUBLIC_URL when one is set', async () => {
    const { routes } = endpoints({ publicUrl: 'https://public.example.com/scim' });
    const get = routes.find((r) => r.method === 'GET' && r.path === '/Users/:id')!;
    const res = await get.handle(request({ id: 'u 1' }));
    expect(JSON.parse(res.body!).meta.location).toBe('https://public.example.com/scim/Users/u%201');
  });

  it('hands the service If-None-Match, even when sent twice, and answers 304 without a body', async () => {
    const etag = (await route('GET', '/Users/:id').handle(request({ id: 'u 1' }))).headers.ETag!;
    const res = await route('GET', '/Users/:id').handle(request({ id: 'u 1', headers: { 'if-none-match': ['W/"x"', etag] } }));
    expect(res).toEqual({ status: 304, headers: { ETag: etag } });
  });

  it('lets a ScimError through for the adapter to render', async () => {
    await expect(route('GET', '/Users/:id').handle(request({ id: 'nobody' }))).rejects.toMatchObject({ status: 404 });
  });
});

describe('authenticate', () => {
  it('lets valid credentials through', async () => {
    expect(await endpoints().authenticate({ authorization: 'Bearer x' })).toEqual({ principal });
  });

  it('answers anything else with a SCIM 401 and the challenge', async () => {
    const res = (await endpoints({ accept: false }).authenticate({})).refusal;
    expect(res?.status).toBe(401);
    expect(res?.headers).toEqual({ 'www-authenticate': 'Bearer realm="SCIM"', 'content-type': SCIM_CONTENT_TYPE });
    expect(JSON.parse(res!.body!)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '401' });
  });
});

describe('errorResponse', () => {
  const body = (error: unknown, status?: number) => JSON.parse(errorResponse(error, silent, status).body!);

  it('renders a ScimError as it is', () => {
    expect(body(new ScimError(409, 'taken', 'uniqueness'))).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
      detail: 'taken',
    });
    expect(errorResponse(new ScimError(409, 'taken'), silent).headers).toEqual({ 'content-type': SCIM_CONTENT_TYPE });
  });

  it("keeps a framework's own 4xx, with invalidSyntax for a 400 and fixed words for 413 and 415", () => {
    expect(body(new Error('Bad URL'), 400)).toMatchObject({ status: '400', scimType: 'invalidSyntax', detail: 'Bad URL' });
    expect(body(new Error('request entity too large'), 413)).toMatchObject({ status: '413', detail: expect.stringMatching(/larger/) });
    expect(body(new Error('x'), 415)).toMatchObject({ status: '415', detail: expect.stringMatching(/application\/scim\+json/) });
  });

  it('hides anything else behind a 500, and logs the cause', () => {
    const logged: unknown[] = [];
    const error = new Error('connection refused: secret details');
    const res = errorResponse(error, { error: (obj) => logged.push(obj) }, 502);
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body!).detail).toBe('Internal server error');
    expect(logged).toEqual([{ err: error }]);
  });

  it('names the method and path of an unknown endpoint', () => {
    expect(JSON.parse(unknownEndpoint('GET', '/scim/v2/Nothing').body!).detail).toBe('No SCIM endpoint at GET /scim/v2/Nothing');
  });
});

describe('body rules', () => {
  it.each([
    ['a SCIM body', 'POST', { 'content-type': 'application/scim+json; charset=utf-8', 'content-length': '2' }, undefined],
    ['a JSON body', 'PATCH', { 'content-type': 'Application/JSON', 'content-length': '2' }, undefined],
    ['a GET with any type', 'GET', { 'content-type': 'text/plain' }, undefined],
    ['a POST without a body or type', 'POST', { 'content-length': '0' }, undefined],
    ['form data', 'POST', { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '3' }, 415],
    ['a body without a type', 'PUT', { 'transfer-encoding': 'chunked' }, 415],
  ])('%s -> %s', (_name, method, headers, status) => {
    expect(mediaTypeError(method, headers)?.status).toBe(status);
  });

  it('parses JSON, keeps an empty body undefined, and refuses malformed JSON with 400 invalidSyntax', () => {
    expect(parseJsonBody('{"a":1}')).toEqual({ a: 1 });
    expect(parseJsonBody('  ')).toBeUndefined();
    expect(() => parseJsonBody('{')).toThrow(expect.objectContaining({ status: 400, scimType: 'invalidSyntax' }));
  });
});
