import { Validator } from '@seriousme/openapi-schema-validator';
import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../src/emit/openapi.js';
import { attributeSchema } from '../../../src/emit/openapi/attributes.js';
import type { AttributeDef, ResourceTypeDef, SchemaDef, SchemaModel } from '../../../src/model/ir.js';
import { loadSchemaModel } from '../../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';
import { responseValidator } from '../../../templates/project/test/helpers/openapi.js';
import { attr } from '../scim/fixtures.js';

// A condensed RFC 7643 model: enough of User, Group and EnterpriseUser to exercise every
// characteristic the emitter maps.
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

const userSchema: SchemaDef = {
  id: USER,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server', description: 'Unique identifier for the User.' }),
    attr('name', 'complex', {
      subAttributes: [attr('givenName', 'string'), attr('familyName', 'string'), attr('formatted', 'string')],
    }),
    attr('displayName', 'string'),
    attr('active', 'boolean'),
    attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
    attr('emails', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string'),
        attr('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
        attr('primary', 'boolean'),
      ],
    }),
    attr('groups', 'complex', {
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attr('value', 'string', { mutability: 'readOnly' }),
        attr('$ref', 'reference', { mutability: 'readOnly', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

const groupSchema: SchemaDef = {
  id: GROUP,
  name: 'Group',
  attributes: [
    attr('displayName', 'string', { required: true }),
    attr('members', 'complex', {
      multiValued: true,
      subAttributes: [
        attr('value', 'string', { mutability: 'immutable' }),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
        attr('display', 'string', { mutability: 'readOnly' }),
      ],
    }),
  ],
};

const enterpriseSchema: SchemaDef = {
  id: ENTERPRISE,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string'),
    attr('manager', 'complex', { subAttributes: [attr('value', 'string'), attr('displayName', 'string', { mutability: 'readOnly' })] }),
  ],
};

function model(enterpriseUser: boolean): SchemaModel {
  const user: ResourceTypeDef = {
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'User Account',
    schema: USER,
    schemaExtensions: enterpriseUser ? [{ schema: ENTERPRISE, required: false }] : [],
  };
  const group: ResourceTypeDef = { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP, schemaExtensions: [] };
  return {
    schemas: enterpriseUser ? [userSchema, groupSchema, enterpriseSchema] : [userSchema, groupSchema],
    resourceTypes: [user, group],
    sources: new Map(),
  };
}

const options = (over: Partial<ProjectOptions> = {}): ProjectOptions => ({
  ...DEFAULT_PROJECT_OPTIONS,
  projectName: 'acme-scim',
  ...over,
});

type Schema = OpenAPIV3_1.SchemaObject;
const schemaOf = (doc: OpenAPIV3_1.Document, name: string): Schema => {
  const s = doc.components?.schemas?.[name];
  if (!s) throw new Error(`no component schema ${name}`);
  return s;
};
const prop = (s: Schema, ...path: string[]): Schema =>
  path.reduce((at, key) => (at.properties?.[key] ?? {}) as Schema, s);

describe('buildOpenApi', () => {
  it.each([
    { name: 'default options', enterpriseUser: true },
    { name: 'without the enterprise extension', enterpriseUser: false },
    { name: 'multi-tenant', enterpriseUser: true, tenancy: 'multi' as const },
  ])('produces a valid OpenAPI 3.1 document ($name)', async ({ enterpriseUser, tenancy }) => {
    const doc = buildOpenApi(options({ enterpriseUser, ...(tenancy ? { tenancy } : {}) }), model(enterpriseUser));
    const result = await new Validator().validate(structuredClone(doc) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('produces a valid document from the bundled RFC 7643 schemas', async () => {
    const bundled = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
    const doc = buildOpenApi(options(), bundled);
    const result = await new Validator().validate(structuredClone(doc) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(schemaOf(doc, 'User').properties ?? {})).toContain(ENTERPRISE);
  });

  it('describes every endpoint of the server under the base path', () => {
    const doc = buildOpenApi(options({ basePath: '/api/scim', port: 8080 }), model(true));
    expect(doc.servers).toEqual([
      expect.objectContaining({ url: 'http://localhost:{port}/api/scim', variables: { port: { default: '8080' } } }),
    ]);
    const methods = Object.fromEntries(
      Object.entries(doc.paths ?? {}).map(([path, item]) => [
        path,
        Object.keys(item ?? {}).filter((k) => k !== 'parameters' && k !== 'servers'),
      ]),
    );
    expect(methods).toEqual({
      '/Users': ['get', 'post'],
      '/Users/{id}': ['get', 'put', 'patch', 'delete'],
      '/Users/.search': ['post'],
      '/Groups': ['get', 'post'],
      '/Groups/{id}': ['get', 'put', 'patch', 'delete'],
      '/Groups/.search': ['post'],
      '/.search': ['post'],
      '/Bulk': ['post'],
      '/ServiceProviderConfig': ['get'],
      '/ResourceTypes': ['get'],
      '/ResourceTypes/{name}': ['get'],
      '/Schemas': ['get'],
      '/Schemas/{id}': ['get'],
      '/Me': ['get', 'post', 'put', 'patch', 'delete'],
      '/health': ['get'],
      '/admin/v1/tenants': ['get', 'post'],
      '/admin/v1/tenants/{slug}': ['get', 'patch', 'delete'],
      '/admin/v1/tenants/{slug}/credentials': ['get', 'post'],
      '/admin/v1/tenants/{slug}/credentials/{id}': ['delete'],
      '/admin/v1/audit': ['get'],
      '/events/jwks.json': ['get'],
      '/events/poll': ['post'],
    });
    // The probe, the admin API and the SET endpoints live outside the base path.
    for (const path of ['/health', '/admin/v1/tenants', '/admin/v1/tenants/{slug}/credentials/{id}', '/events/jwks.json', '/events/poll']) {
      expect(doc.paths?.[path]?.servers).toEqual([
        expect.objectContaining({ url: 'http://localhost:{port}', variables: { port: { default: '8080' } } }),
      ]);
    }
  });

  it('multi-tenant: every SCIM path under /{tenant}, with a documented tenant parameter; health, admin and events stay', () => {
    const doc = buildOpenApi(options({ tenancy: 'multi' }), model(true));
    const paths = Object.keys(doc.paths ?? {});
    expect(paths.filter((p) => !p.startsWith('/{tenant}/'))).toEqual([
      '/health',
      '/admin/v1/tenants',
      '/admin/v1/tenants/{slug}',
      '/admin/v1/tenants/{slug}/credentials',
      '/admin/v1/tenants/{slug}/credentials/{id}',
      '/admin/v1/audit',
      '/events/jwks.json',
      '/events/poll',
    ]);
    // The poll endpoint is one stream of every tenant's events, and says so.
    expect(doc.paths?.['/events/poll']?.post?.description).toContain("Every tenant's events");
    expect(buildOpenApi(options(), model(true)).paths?.['/events/poll']?.post?.description).not.toContain('tenant');
    expect(paths).toEqual(expect.arrayContaining(['/{tenant}/Users', '/{tenant}/Users/{id}', '/{tenant}/Groups/.search', '/{tenant}/ServiceProviderConfig']));
    expect(doc.paths?.['/{tenant}/Users/{id}']?.parameters).toEqual([
      { $ref: '#/components/parameters/tenant' },
      { $ref: '#/components/parameters/id' },
    ]);
    const tenant = doc.components?.parameters?.tenant as OpenAPIV3_1.ParameterObject;
    expect(tenant).toMatchObject({ name: 'tenant', in: 'path', required: true });
    expect(tenant.description).toContain('"default"');
    // Single-tenant documents have no tenant parameter at all.
    expect(buildOpenApi(options(), model(true)).components?.parameters).not.toHaveProperty('tenant');
  });

  it('describes the admin API with its own bearer token, marked as served only with SCIM_ADMIN_TOKEN', () => {
    const doc = buildOpenApi(options(), model(true));
    const create = doc.paths?.['/admin/v1/tenants']?.post;
    expect(create?.security).toEqual([{ adminToken: [] }]);
    expect(create?.description).toContain('Only served when SCIM_ADMIN_TOKEN is set');
    expect(Object.keys(create?.responses ?? {})).toEqual(['201', '400', '401', '409']);
    expect(doc.components?.schemas?.AdminNewTenant).toMatchObject({ required: ['tenant', 'baseUrl', 'credential'] });
    expect(doc.tags?.find((t) => t.name === 'Admin')?.description).toContain('SCIM_ADMIN_TOKEN');
  });

  it('describes the SET poll endpoint (RFC 8936) behind its own token and the public JWKS, marked as served only when configured', () => {
    const doc = buildOpenApi(options(), model(true));
    const poll = doc.paths?.['/events/poll']?.post;
    expect(poll?.security).toEqual([{ setPollToken: [] }]);
    expect(poll?.description).toContain('SCIM_SET_POLL_TOKEN');
    expect(Object.keys(poll?.responses ?? {})).toEqual(['200', '400', '401']);
    expect(poll?.requestBody).toMatchObject({ required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/SetPollRequest' } } } });
    expect(doc.components?.schemas?.SetPollResponse).toMatchObject({ required: ['sets'] });
    const jwks = doc.paths?.['/events/jwks.json']?.get;
    expect(jwks?.security).toEqual([]);
    expect(jwks?.description).toContain('SCIM_SET_SIGNING_KEY');
  });

  it('documents the 429 with an integer Retry-After on every operation that needs credentials', () => {
    const doc = buildOpenApi(options(), model(true));
    const tooMany = doc.components?.responses?.TooManyRequests as OpenAPIV3_1.ResponseObject;
    expect(tooMany.headers).toEqual({ 'Retry-After': { $ref: '#/components/headers/Retry-After' } });
    expect(doc.components?.headers?.['Retry-After']).toMatchObject({ schema: { type: 'integer', minimum: 1 } });
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (path === '/health' || path.startsWith('/admin/') || path.startsWith('/events/')) continue;
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const op = item?.[method];
        if (op) expect(op.responses?.['429'], `${method} ${path}`).toEqual({ $ref: '#/components/responses/TooManyRequests' });
      }
    }
  });

  it('documents statuses, headers and media types of the resource operations', () => {
    const doc = buildOpenApi(options(), model(true));
    const users = doc.paths?.['/Users'];
    const user = doc.paths?.['/Users/{id}'];
    const created = users?.post?.responses?.['201'] as OpenAPIV3_1.ResponseObject;
    expect(Object.keys(created.headers ?? {})).toEqual(['Location', 'ETag']);
    expect(Object.keys(users?.post?.requestBody && 'content' in users.post.requestBody ? users.post.requestBody.content : {}))
      .toEqual(['application/scim+json', 'application/json']);
    expect(Object.keys(user?.get?.responses ?? {})).toEqual(['200', '304', '400', '401', '404', '429']);
    expect(Object.keys(user?.patch?.responses ?? {})).toEqual(['200', '204', '400', '401', '404', '409', '412', '413', '429']);
    expect(Object.keys(user?.delete?.responses ?? {})).toEqual(['204', '401', '404', '412', '429']);
    expect(user?.get?.parameters).toContainEqual({ $ref: '#/components/parameters/ifNoneMatch' });
    const listParams = (users?.get?.parameters ?? []).map((p) => ('$ref' in p ? p.$ref.split('/').pop() : p.name));
    expect(listParams).toEqual(['filter', 'startIndex', 'count', 'cursor', 'sortBy', 'sortOrder', 'attributes', 'excludedAttributes']);
    const notFound = doc.components?.responses?.NotFound as OpenAPIV3_1.ResponseObject;
    expect(notFound.content).toEqual({ 'application/scim+json': { schema: { $ref: '#/components/schemas/Error' } } });
  });

  it('applies the bearer scheme to every SCIM operation, not to the health probe or the admin API', () => {
    const doc = buildOpenApi(options(), model(true));
    expect(doc.components?.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      adminToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      setPollToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    const overrides = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item ?? {})
        .filter(([, op]) => typeof op === 'object' && op !== null && 'security' in op)
        .map(([method, op]) => [path, method, (op as { security: unknown }).security]),
    );
    expect(overrides.filter(([path]) => !String(path).startsWith('/admin/'))).toEqual([
      ['/health', 'get', []],
      ['/events/jwks.json', 'get', []],
      ['/events/poll', 'post', [{ setPollToken: [] }]],
    ]);
    expect(overrides.filter(([path]) => String(path).startsWith('/admin/')).every(([, , security]) => JSON.stringify(security) === '[{"adminToken":[]}]')).toBe(true);
  });

  it('builds resource schemas from the schema model', () => {
    const doc = buildOpenApi(options(), model(true));
    const user = schemaOf(doc, 'User');
    expect(user.required).toEqual(['schemas', 'id']);
    expect(prop(user, 'id')).toMatchObject({ type: 'string', readOnly: true });
    expect(prop(user, 'password')).toMatchObject({ type: 'string', writeOnly: true });
    expect(prop(user, 'groups')).toMatchObject({ type: 'array', readOnly: true });
    expect(prop(user, 'meta', 'lastModified')).toMatchObject({ type: 'string', format: 'date-time' });
    expect(prop(user, 'name', 'givenName')).toEqual({ type: 'string' });
    expect(prop(user, ENTERPRISE, 'employeeNumber')).toEqual({ type: 'string' });
    expect(prop(user, 'userName').description).toBe('Unique identifier for the User. Unique within the server.');
    expect(schemaOf(doc, 'UserRequest').required).toEqual(['schemas', 'userName']);
    expect(schemaOf(doc, 'GroupRequest').required).toEqual(['schemas', 'displayName']);
    expect(schemaOf(doc, 'UserListResponse')).toEqual({
      allOf: [{ $ref: '#/components/schemas/ListResponse' }],
      properties: { Resources: { type: 'array', items: { $ref: '#/components/schemas/User' } } },
    });
  });

  it('matches "$ref" sub-attributes by pattern so tools do not take them for references', () => {
    const groups = prop(schemaOf(buildOpenApi(options(), model(true)), 'User'), 'groups');
    const item = (groups as OpenAPIV3_1.ArraySchemaObject).items as Schema & { patternProperties?: object };
    expect(Object.keys(item.properties ?? {})).toEqual(['value', 'display']);
    expect(item.patternProperties).toEqual({
      '^\\$ref$': expect.objectContaining({ type: 'string', format: 'uri-reference', readOnly: true }),
    });
  });

  it('leaves the extension out when the model has none', () => {
    const doc = buildOpenApi(options({ enterpriseUser: false }), model(false));
    expect(Object.keys(schemaOf(doc, 'User').properties ?? {})).not.toContain(ENTERPRISE);
  });

  it('documents canonical values without restricting them', () => {
    const doc = buildOpenApi(options(), model(true));
    const type = prop(schemaOf(doc, 'User'), 'emails');
    const item = (type as OpenAPIV3_1.ArraySchemaObject).items as Schema;
    expect(item.properties?.type).toEqual({
      description: 'Canonical values (others are accepted): work, home, other.',
      type: 'string',
      examples: ['work', 'home', 'other'],
    });
    expect(JSON.stringify(schemaOf(doc, 'User'))).not.toContain('"enum"');
  });

  it('describes errors as RFC 7644 §3.12 messages with status as a string', () => {
    const error = schemaOf(buildOpenApi(options(), model(true)), 'Error');
    expect(error.required).toEqual(['schemas', 'status']);
    expect(prop(error, 'status').type).toBe('string');
    expect(prop(error, 'scimType').enum).toEqual(expect.arrayContaining(['invalidFilter', 'uniqueness', 'mutability', 'invalidCursor']));
  });

  it('is deterministic', () => {
    const a = JSON.stringify(buildOpenApi(options(), model(true)));
    const b = JSON.stringify(buildOpenApi(options(), model(true)));
    expect(a).toBe(b);
  });
});

describe('attributeSchema', () => {
  it.each<{ given: AttributeDef; want: object }>([
    { given: attr('a', 'string'), want: { type: 'string' } },
    { given: attr('a', 'boolean'), want: { type: 'boolean' } },
    { given: attr('a', 'decimal'), want: { type: 'number' } },
    { given: attr('a', 'integer'), want: { type: 'integer' } },
    { given: attr('a', 'dateTime'), want: { type: 'string', format: 'date-time' } },
    { given: attr('a', 'reference'), want: { type: 'string', format: 'uri-reference' } },
    { given: attr('a', 'binary'), want: { type: 'string', contentEncoding: 'base64' } },
    { given: attr('a', 'integer', { multiValued: true }), want: { type: 'array', items: { type: 'integer' } } },
    {
      given: attr('a', 'complex', { subAttributes: [attr('b', 'decimal', { required: true })] }),
      want: { type: 'object', properties: { b: { type: 'number' } } },
    },
    { given: attr('a', 'string', { mutability: 'readOnly' }), want: { type: 'string', readOnly: true } },
    { given: attr('a', 'string', { mutability: 'writeOnly' }), want: { type: 'string', writeOnly: true } },
    {
      given: attr('a', 'string', { returned: 'never' }),
      want: { description: 'Never returned by the server.', type: 'string', writeOnly: true },
    },
    {
      given: attr('a', 'string', { description: 'Badge.', mutability: 'immutable' }),
      want: { description: 'Badge. Immutable: set on create, never changed afterwards.', type: 'string' },
    },
  ])('maps $given.type (multiValued $given.multiValued, $given.mutability) for responses', ({ given, want }) => {
    expect(attributeSchema(given, 'response')).toEqual(want);
  });

  it('requires required sub-attributes only in request schemas', () => {
    const given = attr('a', 'complex', { subAttributes: [attr('b', 'string', { required: true })] });
    expect(attributeSchema(given, 'request')).toMatchObject({ required: ['b'] });
    expect(attributeSchema(given, 'response')).not.toHaveProperty('required');
  });
});

// The helper generated projects use to check live responses against openapi.json.
describe('responseValidator (templates/project/test/helpers/openapi.ts)', () => {
  const check = responseValidator(buildOpenApi(options(), model(true)));
  const user = {
    schemas: [USER],
    id: '2819c223',
    userName: 'bjensen',
    emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
    groups: [{ value: 'g1', $ref: 'https://example.com/scim/v2/Groups/g1', display: 'Admins' }],
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-01T00:00:00Z' },
  };
  const error = { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'No such user' };
  const list = { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [user] };

  it.each([
    { name: 'a user', method: 'get', path: '/Users/{id}', status: 200, body: user },
    { name: 'a path with the base path', method: 'GET', path: '/scim/v2/Users/{id}', status: 200, body: user },
    { name: 'a created user', method: 'post', path: '/Users', status: 201, body: user },
    { name: 'a list', method: 'get', path: '/Users', status: 200, body: list },
    { name: 'an error (component response)', method: 'get', path: '/Users/{id}', status: 404, body: error },
    { name: 'an empty 204', method: 'patch', path: '/Users/{id}', status: 204, body: undefined },
  ])('accepts $name', ({ method, path, status, body }) => {
    expect(() => check(method, path, status, body)).not.toThrow();
  });

  it.each([
    { name: 'a user without id', method: 'get', path: '/Users/{id}', status: 200, body: { ...user, id: undefined }, want: /must have required property 'id'/ },
    { name: 'a bad dateTime', method: 'get', path: '/Users/{id}', status: 200, body: { ...user, meta: { created: 'yesterday' } }, want: /\/meta\/created must match format "date-time"/ },
    { name: 'a non-string $ref', method: 'get', path: '/Users/{id}', status: 200, body: { ...user, groups: [{ value: 'g1', $ref: 7 }] }, want: /\/groups\/0\/\$ref must be string/ },
    { name: 'a numeric error status', method: 'delete', path: '/Users/{id}', status: 404, body: { ...error, status: 404 }, want: /\/status must be string/ },
    { name: 'a string totalResults', method: 'post', path: '/Users/.search', status: 200, body: { ...list, totalResults: '1' }, want: /\/totalResults must be integer/ },
    { name: 'a body on 204', method: 'delete', path: '/Users/{id}', status: 204, body: { id: 'x' }, want: /documents no body/ },
    { name: 'an undocumented status', method: 'get', path: '/Users', status: 418, body: {}, want: /no 418 response for GET \/Users/ },
    { name: 'an undocumented path', method: 'get', path: '/Widgets', status: 200, body: {}, want: /no operation GET \/Widgets/ },
  ])('rejects $name', ({ method, path, status, body, want }) => {
    expect(() => check(method, path, status, body)).toThrow(want);
  });
});
