// The operations of the generated server (RFC 7644 §3-4), relative to the base path: CRUD,
// PATCH and .search per resource type, the root .search, and the discovery endpoints.

import type { OpenAPIV3_1 } from 'openapi-types';
import type { ResourceTypeModel } from '../../../templates/scim/registry.js';
import { parameterRef, resourceNames, responseRef, schemaRef } from './names.js';
import {
  ERROR_STATUS,
  requestBody,
  scimResponse,
  type ErrorResponseName,
  type ParameterName,
} from './shared.js';

type Operation = OpenAPIV3_1.OperationObject;
type Responses = OpenAPIV3_1.ResponsesObject;

/**
 * A path item. openapi-types 12 types OpenAPIV3_1.PathItemObject as an intersection with the
 * 3.0 operation type, which 3.1 schemas cannot satisfy; openapi.ts casts once at the boundary.
 */
export interface PathItem {
  servers?: OpenAPIV3_1.ServerObject[];
  parameters?: Array<OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.ParameterObject>;
  get?: Operation;
  post?: Operation;
  put?: Operation;
  patch?: Operation;
  delete?: Operation;
}
export type Paths = Record<string, PathItem>;

interface OperationSpec {
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  parameters?: ParameterName[];
  requestBody?: OpenAPIV3_1.RequestBodyObject;
  responses: Responses;
  errors: ErrorResponseName[];
}

function operation(spec: OperationSpec): Operation {
  const responses: Responses = { ...spec.responses };
  // Whatever needs credentials is also rate-limited (templates/scim/rate-limit.ts).
  const errors: ErrorResponseName[] = spec.errors.includes('Unauthorized') ? [...spec.errors, 'TooManyRequests'] : spec.errors;
  for (const name of errors) responses[ERROR_STATUS[name]] = responseRef(name);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(spec.parameters?.length ? { parameters: spec.parameters.map(parameterRef) } : {}),
    ...(spec.requestBody ? { requestBody: spec.requestBody } : {}),
    responses,
  };
}

const PROJECTION: ParameterName[] = ['attributes', 'excludedAttributes'];
const LIST_QUERY: ParameterName[] = ['filter', 'startIndex', 'count', 'cursor', 'sortBy', 'sortOrder', ...PROJECTION];
const WRITE_ERRORS: ErrorResponseName[] = [
  'BadRequest',
  'Unauthorized',
  'NotFound',
  'Conflict',
  'PreconditionFailed',
  'PayloadTooLarge',
];

const searchBody = requestBody('SearchRequest', 'The query, as in the GET query parameters.');

/** A ListResponse whose Resources are of the given schema. */
export function listOf(items: OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.SchemaObject): OpenAPIV3_1.SchemaObject {
  return {
    allOf: [schemaRef('ListResponse')],
    properties: { Resources: { type: 'array', items } },
  };
}

export function resourcePaths(model: ResourceTypeModel): Paths {
  const n = resourceNames(model.def);
  const name = model.def.name;
  const resource = schemaRef(n.schema);
  const list = scimResponse(`A page of ${n.plural}.`, schemaRef(n.list));
  const endpoint = model.def.endpoint;
  return {
    [endpoint]: {
      get: operation({
        operationId: `list${n.plural}`,
        summary: `List or filter ${n.plural}`,
        description: 'Always answers with a ListResponse; no match is totalResults 0, not 404.',
        tag: n.tag,
        parameters: LIST_QUERY,
        responses: { '200': list },
        errors: ['BadRequest', 'Unauthorized'],
      }),
      post: operation({
        operationId: `create${n.singular}`,
        summary: `Create a ${name}`,
        tag: n.tag,
        parameters: PROJECTION,
        requestBody: requestBody(n.request, `The new ${name}.`),
        responses: { '201': scimResponse(`The created ${name}.`, resource, ['Location', 'ETag']) },
        errors: ['BadRequest', 'Unauthorized', 'Conflict', 'PayloadTooLarge'],
      }),
    },
    [`${endpoint}/{id}`]: {
      parameters: [parameterRef('id')],
      get: operation({
        operationId: `get${n.singular}`,
        summary: `Get a ${name}`,
        tag: n.tag,
        parameters: [...PROJECTION, 'ifNoneMatch'],
        responses: {
          '200': scimResponse(`The ${name}.`, resource, ['ETag']),
          '304': { description: 'Unchanged since the ETag given in If-None-Match.' },
        },
        errors: ['BadRequest', 'Unauthorized', 'NotFound'],
      }),
      put: operation({
        operationId: `replace${n.singular}`,
        summary: `Replace a ${name}`,
        description: 'Attributes left out are cleared; read-only attributes in the body are ignored.',
        tag: n.tag,
        parameters: [...PROJECTION, 'ifMatch'],
        requestBody: requestBody(n.request, `The ${name}'s new state.`),
        responses: { '200': scimResponse(`The replaced ${name}.`, resource, ['ETag']) },
        errors: WRITE_ERRORS,
      }),
      patch: operation({
        operationId: `patch${n.singular}`,
        summary: `Modify a ${name}`,
        description:
          'Accepts the forms Okta and Entra ID send: op in any case, path-less values (also with dotted or ' +
          'URN-qualified keys) and value-filtered paths such as members[value eq "..."]. ' +
          'Answers 200 with the resource or 204, as set by SCIM_PATCH_STATUS; a PATCH that changes group ' +
          'members answers 204 unless the request names `attributes`.',
        tag: n.tag,
        parameters: [...PROJECTION, 'ifMatch'],
        requestBody: requestBody('PatchOp', 'The operations, applied in order and atomically.'),
        responses: {
          '200': scimResponse(`The modified ${name}.`, resource, ['ETag']),
          '204': { description: 'Modified (SCIM_PATCH_STATUS=204, or a membership change without `attributes`).' },
        },
        errors: WRITE_ERRORS,
      }),
      delete: operation({
        operationId: `delete${n.singular}`,
        summary: `Delete a ${name}`,
        tag: n.tag,
        parameters: ['ifMatch'],
        responses: { '204': { description: 'Deleted.' } },
        errors: ['Unauthorized', 'NotFound', 'PreconditionFailed'],
      }),
    },
    [`${endpoint}/.search`]: {
      post: operation({
        operationId: `search${n.plural}`,
        summary: `Search ${n.plural}`,
        tag: n.tag,
        requestBody: searchBody,
        responses: { '200': list },
        errors: ['BadRequest', 'Unauthorized', 'PayloadTooLarge'],
      }),
    },
  };
}

export function rootSearchPath(models: readonly ResourceTypeModel[]): Paths {
  const items = { anyOf: models.map((m) => schemaRef(resourceNames(m.def).schema)) };
  return {
    '/.search': {
      post: operation({
        operationId: 'searchAll',
        summary: 'Search every resource type',
        tag: 'Search',
        requestBody: searchBody,
        responses: { '200': scimResponse('A page of resources of any type.', listOf(items)) },
        errors: ['BadRequest', 'Unauthorized', 'PayloadTooLarge'],
      }),
    },
  };
}

const discoveryGet = (
  operationId: string,
  summary: string,
  schema: OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.SchemaObject,
  byKey: boolean,
): { get: Operation } => ({
  get: operation({
    operationId,
    summary,
    tag: 'Discovery',
    responses: { '200': scimResponse(summary, schema) },
    errors: byKey ? ['Unauthorized', 'NotFound'] : ['Unauthorized'],
  }),
});

export function discoveryPaths(): Paths {
  const keyParam = (name: string, description: string): OpenAPIV3_1.ParameterObject => ({
    name,
    in: 'path',
    required: true,
    description,
    schema: { type: 'string' },
  });
  return {
    '/ServiceProviderConfig': discoveryGet(
      'getServiceProviderConfig',
      'The SCIM features this server supports',
      schemaRef('ServiceProviderConfig'),
      false,
    ),
    '/ResourceTypes': discoveryGet(
      'listResourceTypes',
      'The resource types this server serves',
      listOf(schemaRef('ResourceType')),
      false,
    ),
    '/ResourceTypes/{name}': {
      parameters: [keyParam('name', 'The resource type id, e.g. User.')],
      ...discoveryGet('getResourceType', 'One resource type', schemaRef('ResourceType'), true),
    },
    '/Schemas': discoveryGet('listSchemas', 'The schemas this server uses', listOf(schemaRef('Schema')), false),
    '/Schemas/{id}': {
      parameters: [keyParam('id', 'The schema URN.')],
      ...discoveryGet('getSchema', 'One schema', schemaRef('Schema'), true),
    },
  };
}

/** The tenant path parameter of a multi-tenant project's paths. */
export const TENANT_PARAMETER: OpenAPIV3_1.ParameterObject = {
  name: 'tenant',
  in: 'path',
  required: true,
  description:
    "The tenant's slug (lowercase letters, digits and \"-\"): each tenant is served at <base path>/<slug> and accepts " +
    "only its own credentials. The same paths without a tenant segment serve the tenant \"default\" (a project's " +
    'data from before it became multi-tenant). An unknown tenant is 404; a disabled one 403.',
  schema: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' },
};

/** Every path once more under `/{tenant}`, with the tenant parameter first. */
export function underTenant(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => [
      `/{tenant}${path}`,
      { ...item, parameters: [parameterRef('tenant'), ...(item.parameters ?? [])] },
    ]),
  );
}

/**
 * The liveness probe. It sits outside the SCIM base path and needs no credentials, so the path
 * overrides both the document's server and its security.
 */
export function healthPath(origin: OpenAPIV3_1.ServerObject): Paths {
  const status = (value: string): OpenAPIV3_1.MediaTypeObject => ({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', const: value } },
    },
  });
  return {
    '/health': {
      servers: [origin],
      get: {
        ...operation({
          operationId: 'getHealth',
          summary: 'Liveness and database check, for load balancers',
          tag: 'Health',
          responses: {
            '200': { description: 'Up, and the database answers.', content: { 'application/json': status('ok') } },
            '503': { description: 'The database does not answer.', content: { 'application/json': status('unavailable') } },
          },
          errors: [],
        }),
        security: [],
      },
    },
  };
}

/** POST /Bulk (RFC 7644 §3.7). */
export function bulkPath(): Paths {
  return {
    '/Bulk': {
      post: operation({
        operationId: 'bulk',
        summary: 'Run many operations in one request',
        description:
          'Each operation runs as its single request would (validation, hooks), in request order except that one referring to `bulkId:<id>` runs after the POST declaring it. Circular references are answered 409 for the operations on the cycle; a reference to a failed POST is a 409 of the referring operation.',
        tag: 'Bulk',
        requestBody: requestBody('BulkRequest', 'A BulkRequest.'),
        responses: { '200': scimResponse('The result of each operation that ran.', schemaRef('BulkResponse')) },
        errors: ['BadRequest', 'Unauthorized', 'BulkTooLarge'],
      }),
    },
  };
}

/**
 * /Me (RFC 7644 §3.11). The server's credentials authenticate provisioning clients, not users,
 * so every method answers 501 as the RFC asks of a server that does not support it.
 */
export function mePath(): Paths {
  const me = (method: string): Operation =>
    operation({
      operationId: `${method}Me`,
      summary: 'The authenticated subject as a resource: not supported (501)',
      description: 'Credentials of this server identify a provisioning client, never a User, so /Me answers 501 Not Implemented.',
      tag: 'Discovery',
      responses: {},
      errors: ['Unauthorized', 'NotImplemented'],
    });
  return { '/Me': { get: me('get'), post: me('post'), put: me('put'), patch: me('patch'), delete: me('delete') } };
}
