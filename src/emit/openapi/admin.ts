// The admin API (templates/scim/admin-api.ts): tenants and their credentials under /admin/v1,
// outside the SCIM base path, on with SCIM_ADMIN_TOKEN and protected by that token alone. Plain
// JSON bodies; errors are SCIM Error messages like everywhere else.

import type { OpenAPIV3_1 } from 'openapi-types';
import type { Paths } from './paths.js';
import { SCIM_MEDIA_TYPE, schemaRef } from './names.js';

/** The admin token's security scheme, by the name operations reference it with. */
export const ADMIN_SECURITY = {
  name: 'adminToken',
  scheme: {
    type: 'http',
    scheme: 'bearer',
    description: 'The admin API token (SCIM_ADMIN_TOKEN), sent as `Authorization: Bearer <token>`. Not a tenant credential.',
  } satisfies OpenAPIV3_1.SecuritySchemeObject,
};

const json = (schema: OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string): OpenAPIV3_1.ResponseObject => ({ description, content: { [SCIM_MEDIA_TYPE]: { schema: schemaRef('Error') } } });

const ERRORS = {
  '400': error('Malformed or invalid input: a bad slug, idp, name, label or expiry (see detail).'),
  '401': error('No admin token, or a wrong one.'),
  '404': error('No such tenant or credential.'),
};

export function adminSchemas(): Record<string, OpenAPIV3_1.SchemaObject> {
  const idp: OpenAPIV3_1.SchemaObject = { type: 'string', enum: ['okta', 'entra', 'other'] };
  const time: OpenAPIV3_1.SchemaObject = { type: 'string', format: 'date-time' };
  return {
    AdminTenant: {
      type: 'object',
      required: ['key', 'slug', 'name', 'idp', 'disabled', 'created'],
      properties: {
        key: { type: 'integer', description: 'Internal key (1 is the tenant of the un-prefixed base path).' },
        slug: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$', description: 'URL segment: <base path>/<slug>.' },
        name: { type: 'string' },
        idp,
        disabled: { type: 'boolean', description: 'A disabled tenant gets 403 on every SCIM request; its data stays.' },
        created: time,
        baseUrl: { type: 'string', format: 'uri', description: 'The SCIM base URL to give its identity provider.' },
      },
    },
    AdminCredential: {
      type: 'object',
      required: ['id', 'tenant', 'kind', 'label', 'created'],
      properties: {
        id: { type: 'string' },
        tenant: { type: 'integer' },
        kind: { type: 'string', enum: ['token', 'basic', 'oauth-client'] },
        label: { type: 'string' },
        principal: { type: 'string', description: 'The user name (basic) or client id (oauth-client).' },
        created: time,
        expires: time,
        lastUsed: time,
        revoked: time,
      },
    },
    AdminIssuedCredential: {
      type: 'object',
      required: ['id', 'kind', 'label'],
      description: 'A new credential with its secret, shown this once: the server keeps only a hash.',
      properties: {
        id: { type: 'string' },
        kind: { type: 'string', enum: ['token', 'basic', 'oauth-client'] },
        label: { type: 'string' },
        expires: time,
        token: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        clientId: { type: 'string' },
        clientSecret: { type: 'string' },
      },
    },
  };
}

export function adminPaths(origin: OpenAPIV3_1.ServerObject): Paths {
  const security = [{ [ADMIN_SECURITY.name]: [] }];
  const tag = 'Admin';
  const slug: OpenAPIV3_1.ParameterObject = { name: 'slug', in: 'path', required: true, schema: { type: 'string' } };
  const id: OpenAPIV3_1.ParameterObject = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const credentialInput: OpenAPIV3_1.SchemaObject = {
    type: 'object',
    properties: { label: { type: 'string' }, expires: { type: 'string', format: 'date-time', description: 'In the future; none: no expiry.' } },
  };
  const op = (operationId: string, summary: string, responses: OpenAPIV3_1.ResponsesObject, extra: Partial<OpenAPIV3_1.OperationObject> = {}) => ({
    operationId,
    summary,
    tags: [tag],
    security,
    ...extra,
    responses: { ...responses, '401': ERRORS['401'] },
  });
  const noContent = { '204': { description: 'Done.' } };
  return {
    '/admin/v1/tenants': {
      servers: [origin],
      get: op('adminListTenants', 'List the tenants', {
        '200': { description: 'Every tenant.', content: json({ type: 'object', properties: { tenants: { type: 'array', items: ref('AdminTenant') } } }) },
      }),
      post: op(
        'adminCreateTenant',
        'Create a tenant and its first credential',
        {
          '201': {
            description: 'The tenant, its base URL and its first credential (the secret shown once).',
            content: json({
              type: 'object',
              required: ['tenant', 'baseUrl', 'credential'],
              properties: { tenant: ref('AdminTenant'), baseUrl: { type: 'string', format: 'uri' }, credential: ref('AdminIssuedCredential') },
            }),
          },
          '400': ERRORS['400'],
          '409': error('A tenant with this slug exists already.'),
        },
        {
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              required: ['slug'],
              properties: { slug: { type: 'string' }, name: { type: 'string' }, idp: { type: 'string', enum: ['okta', 'entra', 'other'] }, ...credentialInput.properties },
            }),
          },
        },
      ),
    },
    '/admin/v1/tenants/{slug}': {
      servers: [origin],
      parameters: [slug],
      get: op('adminGetTenant', 'Read a tenant', { '200': { description: 'The tenant.', content: json(ref('AdminTenant')) }, '404': ERRORS['404'] }),
      patch: op(
        'adminUpdateTenant',
        'Disable, enable, rename a tenant or change its identity provider',
        { '200': { description: 'The tenant as changed.', content: json(ref('AdminTenant')) }, '400': ERRORS['400'], '404': ERRORS['404'] },
        {
          requestBody: {
            required: true,
            content: json({ type: 'object', properties: { disabled: { type: 'boolean' }, name: { type: 'string' }, idp: { type: 'string', enum: ['okta', 'entra', 'other'] } } }),
          },
        },
      ),
      delete: op('adminRemoveTenant', 'Remove a tenant with all its data and credentials', { ...noContent, '404': ERRORS['404'] }),
    },
    '/admin/v1/tenants/{slug}/credentials': {
      servers: [origin],
      parameters: [slug],
      get: op('adminListCredentials', "List a tenant's credentials (never their secrets)", {
        '200': { description: 'Its credentials.', content: json({ type: 'object', properties: { credentials: { type: 'array', items: ref('AdminCredential') } } }) },
        '404': ERRORS['404'],
      }),
      post: op(
        'adminAddCredential',
        'Add a credential to a tenant (rotation: add, switch the identity provider, revoke the old one)',
        {
          '201': { description: 'The new credential, its secret shown once.', content: json({ type: 'object', properties: { credential: ref('AdminIssuedCredential') } }) },
          '400': ERRORS['400'],
          '404': ERRORS['404'],
        },
        { requestBody: { required: false, content: json(credentialInput) } },
      ),
    },
    '/admin/v1/tenants/{slug}/credentials/{id}': {
      servers: [origin],
      parameters: [slug, id],
      delete: op('adminRevokeCredential', 'Revoke a credential, at once', { ...noContent, '404': ERRORS['404'] }),
    },
  };
}
