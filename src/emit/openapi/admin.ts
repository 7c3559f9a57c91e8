// The admin API (templates/scim/admin-api.ts) in the OpenAPI document: tenants and their
// credentials under /admin/v1, outside the SCIM base path, with a bearer token of its own
// (SCIM_ADMIN_TOKEN). Every project has it, off until that variable is set, so every project's
// document describes it, marked as such. Bodies are JSON; errors are SCIM Error messages.

import type { OpenAPIV3_1 } from 'openapi-types';
import { responseRef, schemaRef } from './names.js';
import type { Paths } from './paths.js';
import { ERROR_STATUS, type ErrorResponseName } from './shared.js';

export const ADMIN_PATH = '/admin/v1';
export const ADMIN_SECURITY = 'adminToken';
export const ADMIN_TAG = 'Admin';

const OFF = 'Only served when SCIM_ADMIN_TOKEN is set; without it every /admin/v1 path answers 404.';

export const ADMIN_TAG_OBJECT: OpenAPIV3_1.TagObject = {
  name: ADMIN_TAG,
  description:
    `Tenants (customers) and their credentials, for your own product: create a tenant when a customer turns SCIM on. ${OFF} ` +
    'The same operations as `npm run tenant`.',
};

export const ADMIN_SECURITY_SCHEME: OpenAPIV3_1.SecuritySchemeObject = {
  type: 'http',
  scheme: 'bearer',
  description: `The admin token (SCIM_ADMIN_TOKEN), never a tenant's credential. ${OFF}`,
};

const JSON_TYPE = 'application/json';
const TENANT_SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
const IDP: OpenAPIV3_1.SchemaObject = { type: 'string', enum: ['okta', 'entra', 'other'] };
const dateTime = (description: string): OpenAPIV3_1.SchemaObject => ({ type: 'string', format: 'date-time', description });

export function adminSchemas(): Record<string, OpenAPIV3_1.SchemaObject> {
  return {
    AdminTenant: {
      type: 'object',
      required: ['slug', 'name', 'idp', 'disabled', 'created'],
      properties: {
        slug: { type: 'string', pattern: TENANT_SLUG_PATTERN, description: "The tenant's URL segment: <base path>/<slug>." },
        name: { type: 'string', description: 'Display name, e.g. "Acme Corp".' },
        idp: { ...IDP, description: "The customer's identity provider, for the setup steps shown." },
        disabled: { type: 'boolean', description: "A disabled tenant's SCIM requests get 403; its data stays." },
        created: dateTime('When the tenant was created.'),
      },
    },
    AdminCredential: {
      type: 'object',
      required: ['id', 'kind', 'label', 'created'],
      description: 'A credential as stored: never its secret, which only its hash is kept of.',
      properties: {
        id: { type: 'string', description: 'Public identifier, safe to log.' },
        kind: { type: 'string', enum: ['token', 'basic', 'oauth-client'] },
        label: { type: 'string' },
        principal: { type: 'string', description: 'The username (basic) or client id (oauth-client).' },
        created: dateTime('When it was created.'),
        expires: dateTime('After this it is refused.'),
        lastUsed: dateTime('Last accepted request (updated about once a minute).'),
        revoked: dateTime('When it was revoked; refused from then on.'),
      },
    },
    AdminIssuedCredential: {
      type: 'object',
      required: ['id', 'kind', 'label'],
      description:
        "A new credential with its secret, shown this once: give it to the customer's identity provider. " +
        'Which fields are present follows the auth mode: token; username and password; or clientId and clientSecret.',
      properties: {
        id: { type: 'string' },
        kind: { type: 'string', enum: ['token', 'basic', 'oauth-client'] },
        label: { type: 'string' },
        expires: dateTime('After this it is refused.'),
        token: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        clientId: { type: 'string' },
        clientSecret: { type: 'string' },
      },
    },
    AdminNewTenant: {
      type: 'object',
      required: ['tenant', 'baseUrl', 'credential'],
      properties: {
        tenant: schemaRef('AdminTenant'),
        baseUrl: { type: 'string', format: 'uri', description: "The tenant's SCIM base URL (from PUBLIC_URL), for its identity provider." },
        credential: schemaRef('AdminIssuedCredential'),
      },
    },
    AdminTenantRequest: {
      type: 'object',
      required: ['slug'],
      properties: {
        slug: { type: 'string', pattern: TENANT_SLUG_PATTERN, description: 'Lowercase letters, digits and "-" (never "_", which Okta rejects).' },
        name: { type: 'string' },
        idp: IDP,
        label: { type: 'string', description: 'Label of the first credential.' },
        expires: dateTime('Expiry of the first credential.'),
      },
    },
    AdminTenantChange: {
      type: 'object',
      additionalProperties: false,
      properties: { disabled: { type: 'boolean' }, name: { type: 'string' }, idp: IDP },
    },
    AdminCredentialRequest: {
      type: 'object',
      properties: { label: { type: 'string' }, expires: dateTime('After this it is refused.') },
    },
    AdminEvent: {
      type: 'object',
      required: ['id', 'seq', 'tenant', 'time', 'resourceType', 'resourceId', 'kind', 'attributes', 'version', 'requestId', 'actor'],
      description: 'One committed change (templates/scim/events.ts). Names attributes, never their values.',
      properties: {
        id: { type: 'string', format: 'uuid', description: "Unique; the webhook-id and the SET's jti." },
        seq: { type: 'integer', description: 'Commit-order position; pass the last one of a page as `before` for the next.' },
        tenant: { type: 'integer', description: "The tenant's key." },
        time: dateTime('When the change was made.'),
        resourceType: { type: 'string', description: '"User", "Group", ... or "Tenant" / "Credential".' },
        resourceId: { type: 'string' },
        kind: {
          type: 'string',
          enum: ['create', 'replace', 'patch', 'activate', 'deactivate', 'delete', 'tenant.create', 'tenant.update', 'tenant.remove', 'credential.create', 'credential.revoke'],
        },
        attributes: { type: 'array', items: { type: 'string' }, description: 'Names of the attributes changed; never a writeOnly one such as password.' },
        version: { type: ['integer', 'null'], description: "The resource's version after the change; null after a delete." },
        members: {
          type: 'object',
          required: ['added', 'removed', 'removedAll'],
          properties: {
            added: { type: 'array', items: { type: 'string' } },
            removed: { type: 'array', items: { type: 'string' } },
            removedAll: { type: 'boolean' },
          },
        },
        requestId: { type: 'string' },
        actor: {
          type: 'object',
          required: ['credentialId', 'via'],
          properties: {
            credentialId: { type: ['string', 'null'], description: "The credential's id (never its secret); null for the CLI and the admin API." },
            via: { type: 'string', enum: ['scim', 'admin', 'cli'] },
          },
        },
      },
    },
  };
}

interface AdminOperation {
  operationId: string;
  summary: string;
  description?: string;
  requestBody?: string;
  parameters?: OpenAPIV3_1.ParameterObject[];
  /** The body may be left out (every field optional). */
  optionalBody?: boolean;
  responses: OpenAPIV3_1.ResponsesObject;
  errors: ErrorResponseName[];
}

function operation(spec: AdminOperation): OpenAPIV3_1.OperationObject {
  const responses: OpenAPIV3_1.ResponsesObject = { ...spec.responses };
  // Every admin request can be refused for a missing or wrong admin token.
  for (const name of ['Unauthorized', ...spec.errors] as ErrorResponseName[]) responses[ERROR_STATUS[name]] = responseRef(name);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: spec.description ? `${spec.description} ${OFF}` : OFF,
    tags: [ADMIN_TAG],
    security: [{ [ADMIN_SECURITY]: [] }],
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody
      ? { requestBody: { required: !spec.optionalBody, content: { [JSON_TYPE]: { schema: schemaRef(spec.requestBody) } } } }
      : {}),
    responses,
  };
}

const json = (description: string, schema: OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.SchemaObject): OpenAPIV3_1.ResponseObject => ({
  description,
  content: { [JSON_TYPE]: { schema } },
});

const queryParameter = (name: string, description: string, schema: OpenAPIV3_1.ParameterObject['schema'] = { type: 'string' }): OpenAPIV3_1.ParameterObject => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

const pathParameter = (name: string, description: string): OpenAPIV3_1.ParameterObject => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});

/** The admin paths, served from the server root (`origin`), not the SCIM base path. */
export function adminPaths(origin: OpenAPIV3_1.ServerObject): Paths {
  const servers = [origin];
  const slug = pathParameter('slug', "The tenant's slug.");
  const tenantWithUrl: OpenAPIV3_1.SchemaObject = {
    allOf: [schemaRef('AdminTenant')],
    properties: { baseUrl: { type: 'string', format: 'uri' } },
  };
  return {
    [`${ADMIN_PATH}/tenants`]: {
      servers,
      get: operation({
        operationId: 'adminListTenants',
        summary: 'List tenants',
        responses: { '200': json('Every tenant.', { type: 'object', required: ['tenants'], properties: { tenants: { type: 'array', items: schemaRef('AdminTenant') } } }) },
        errors: [],
      }),
      post: operation({
        operationId: 'adminCreateTenant',
        summary: 'Create a tenant and its first credential',
        description: "Answers with the tenant's base URL and its credential, the secret shown this once.",
        requestBody: 'AdminTenantRequest',
        responses: { '201': json('The new tenant, its base URL and its first credential.', schemaRef('AdminNewTenant')) },
        errors: ['BadRequest', 'Conflict'],
      }),
    },
    [`${ADMIN_PATH}/tenants/{slug}`]: {
      servers,
      parameters: [slug],
      get: operation({
        operationId: 'adminGetTenant',
        summary: 'Get a tenant',
        responses: { '200': json('The tenant and its base URL.', tenantWithUrl) },
        errors: ['NotFound'],
      }),
      patch: operation({
        operationId: 'adminUpdateTenant',
        summary: 'Disable, enable or rename a tenant',
        description: 'Only disabled, name and idp can change.',
        requestBody: 'AdminTenantChange',
        responses: { '200': json('The tenant as changed.', schemaRef('AdminTenant')) },
        errors: ['BadRequest', 'NotFound'],
      }),
      delete: operation({
        operationId: 'adminRemoveTenant',
        summary: 'Remove a tenant and all its data',
        description: 'Deletes its users, groups and credentials, at once and for good.',
        responses: { '204': { description: 'Removed.' } },
        errors: ['NotFound'],
      }),
    },
    [`${ADMIN_PATH}/tenants/{slug}/credentials`]: {
      servers,
      parameters: [slug],
      get: operation({
        operationId: 'adminListCredentials',
        summary: "List a tenant's credentials",
        responses: {
          '200': json('Its credentials, revoked and expired ones included; never their secrets.', {
            type: 'object',
            required: ['credentials'],
            properties: { credentials: { type: 'array', items: schemaRef('AdminCredential') } },
          }),
        },
        errors: ['NotFound'],
      }),
      post: operation({
        operationId: 'adminCreateCredential',
        summary: 'Add a credential (rotation: add, switch the identity provider, revoke the old one)',
        requestBody: 'AdminCredentialRequest',
        optionalBody: true,
        responses: {
          '201': json('The new credential, the secret shown this once.', {
            type: 'object',
            required: ['credential'],
            properties: { credential: schemaRef('AdminIssuedCredential') },
          }),
        },
        errors: ['BadRequest', 'NotFound'],
      }),
    },
    [`${ADMIN_PATH}/tenants/{slug}/credentials/{id}`]: {
      servers,
      parameters: [slug, pathParameter('id', "The credential's id.")],
      delete: operation({
        operationId: 'adminRevokeCredential',
        summary: 'Revoke a credential',
        description: 'Takes effect at once, on every replica.',
        responses: { '204': { description: 'Revoked.' } },
        errors: ['NotFound'],
      }),
    },
    [`${ADMIN_PATH}/audit`]: {
      servers,
      get: operation({
        operationId: 'adminAudit',
        summary: 'Read the audit log',
        description:
          'Every committed change, newest first, kept SCIM_AUDIT_RETENTION_DAYS (default 90). ' +
          'A full page has `next`: pass it as `before` for the older ones.',
        parameters: [
          queryParameter('resource', 'Only changes of this resource id (or tenant key, or credential id).'),
          queryParameter('since', 'Only changes at or after this time (ISO 8601).', { type: 'string', format: 'date-time' }),
          queryParameter('actor', 'Only changes made with this credential id.'),
          queryParameter('tenant', "Only this tenant's changes (its slug)."),
          queryParameter('count', 'At most this many events (default 100).', { type: 'integer', minimum: 1, maximum: 1000 }),
          queryParameter('before', 'Only events with a smaller seq (the previous page\'s `next`).', { type: 'integer', minimum: 1 }),
        ],
        responses: {
          '200': json('A page of events, newest first.', {
            type: 'object',
            required: ['events'],
            properties: {
              events: { type: 'array', items: schemaRef('AdminEvent') },
              next: { type: 'integer', description: 'The `before` of the next (older) page; absent on the last page.' },
            },
          }),
        },
        errors: ['BadRequest', 'NotFound'],
      }),
    },
  };
}
