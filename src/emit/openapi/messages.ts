// The SCIM protocol messages and discovery resources (RFC 7644 §3.4.2, §3.4.3, §3.5.2, §3.12;
// RFC 7643 §5-7) as JSON Schemas. They do not depend on the project's schemas.

import { COMMON_ATTRIBUTES, SCHEMA_URNS } from '../../../templates/scim/schema.js';
import type { ScimType } from '../../../templates/scim/errors.js';
import { attributeSchema, type JsonSchema } from './attributes.js';
import { schemaRef, type MessageSchema } from './names.js';

// Exhaustive by construction: adding a ScimType without listing it here fails to compile.
const SCIM_TYPES: Record<ScimType, true> = {
  invalidFilter: true,
  tooMany: true,
  uniqueness: true,
  mutability: true,
  invalidSyntax: true,
  invalidPath: true,
  noTarget: true,
  invalidValue: true,
  invalidVers: true,
  sensitive: true,
  invalidCursor: true,
  expiredCursor: true,
  invalidCount: true,
};

/**
 * `schemas` of a message. What the server sends contains its URN exactly; what it receives is
 * matched case-insensitively, so request messages only show the URN as an example.
 */
const urnList = (urn: string, direction: 'sent' | 'received'): JsonSchema => ({
  type: 'array',
  items: { type: 'string' },
  ...(direction === 'sent' ? { contains: { const: urn } } : {}),
  examples: [[urn]],
});

const flag = (description: string): JsonSchema => ({
  type: 'object',
  description,
  required: ['supported'],
  properties: { supported: { type: 'boolean' } },
});

const stringArray = (description: string): JsonSchema => ({
  description,
  type: 'array',
  items: { type: 'string' },
});

const METHODS = ['add', 'remove', 'replace'];

function meta(): JsonSchema {
  const attr = COMMON_ATTRIBUTES.find((a) => a.name === 'meta');
  if (!attr) throw new Error('COMMON_ATTRIBUTES has no meta attribute');
  return { ...attributeSchema(attr, 'response'), description: 'Resource metadata, set by the server.' };
}

const listResponse: JsonSchema = {
  type: 'object',
  description: 'A page of query results (RFC 7644 §3.4.2); a cursor page (RFC 9865) has nextCursor instead of startIndex.',
  required: ['schemas', 'totalResults', 'itemsPerPage'],
  properties: {
    schemas: urnList(SCHEMA_URNS.listResponse, 'sent'),
    totalResults: { type: 'integer', minimum: 0, description: 'Matches in total, across all pages.' },
    startIndex: { type: 'integer', minimum: 1, description: '1-based index of the first result in this page (index paging).' },
    nextCursor: { type: 'string', description: 'Cursor of the next page (RFC 9865); absent on the last page.' },
    itemsPerPage: { type: 'integer', minimum: 0, description: 'Number of resources in this page.' },
    Resources: { type: 'array', items: { type: 'object' } },
  },
};

const patchOp: JsonSchema = {
  type: 'object',
  description: 'A PATCH request (RFC 7644 §3.5.2).',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: urnList(SCHEMA_URNS.patchOp, 'received'),
    Operations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['op'],
        properties: {
          op: {
            type: 'string',
            description:
              'add, remove or replace, matched case-insensitively (Entra ID sends "Add", "Replace", "Remove").',
            examples: METHODS,
          },
          path: {
            type: 'string',
            description:
              'Attribute path, optionally with a value filter, e.g. members[value eq "2819c223"]. ' +
              'Without a path, `value` is an object of attributes to add or replace.',
          },
          value: { description: 'The new value(s); any JSON type.' },
        },
      },
    },
  },
};

const searchRequest: JsonSchema = {
  type: 'object',
  description: 'A query sent with POST /.search (RFC 7644 §3.4.3).',
  required: ['schemas'],
  properties: {
    schemas: urnList(SCHEMA_URNS.searchRequest, 'received'),
    attributes: stringArray('Attributes to return, instead of the default set.'),
    excludedAttributes: stringArray('Attributes to leave out of the default set.'),
    filter: { type: 'string', description: 'SCIM filter expression (RFC 7644 §3.4.2.2).' },
    sortBy: { type: 'string', description: 'Attribute path to sort by.' },
    sortOrder: { type: 'string', description: 'ascending (default) or descending.', examples: ['ascending', 'descending'] },
    startIndex: { type: 'integer', description: '1-based index of the first result.' },
    count: { type: 'integer', description: 'Maximum number of results in the page.' },
    cursor: { type: 'string', description: 'Cursor pagination (RFC 9865): empty for the first page, then nextCursor. Not with startIndex.' },
  },
};

const error: JsonSchema = {
  type: 'object',
  description: 'An error response (RFC 7644 §3.12).',
  required: ['schemas', 'status'],
  properties: {
    schemas: urnList(SCHEMA_URNS.error, 'sent'),
    status: { type: 'string', pattern: '^[1-5][0-9]{2}$', description: 'The HTTP status code, as a string.', examples: ['404'] },
    scimType: { type: 'string', enum: Object.keys(SCIM_TYPES), description: 'SCIM error type (RFC 7644 Table 9, RFC 9865).' },
    detail: { type: 'string', description: 'What went wrong, for a human.' },
  },
};

const authenticationScheme: JsonSchema = {
  type: 'object',
  required: ['type', 'name', 'description'],
  properties: {
    type: { type: 'string', examples: ['oauthbearertoken', 'httpbasic'] },
    name: { type: 'string' },
    description: { type: 'string' },
    specUri: { type: 'string', format: 'uri' },
    documentationUri: { type: 'string', format: 'uri' },
    primary: { type: 'boolean' },
  },
};

const serviceProviderConfig: JsonSchema = {
  type: 'object',
  description: 'The SCIM features this server supports (RFC 7643 §5).',
  required: ['schemas', 'patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag', 'authenticationSchemes'],
  properties: {
    schemas: urnList(SCHEMA_URNS.serviceProviderConfig, 'sent'),
    documentationUri: { type: 'string', format: 'uri' },
    patch: flag('PATCH support.'),
    bulk: {
      ...flag('Bulk support.'),
      properties: { supported: { type: 'boolean' }, maxOperations: { type: 'integer' }, maxPayloadSize: { type: 'integer' } },
    },
    filter: {
      ...flag('Filter support.'),
      properties: { supported: { type: 'boolean' }, maxResults: { type: 'integer' } },
    },
    changePassword: flag('Password change support.'),
    sort: flag('Sorting support.'),
    pagination: {
      type: 'object',
      description: 'Pagination methods and limits (RFC 9865 §4).',
      properties: {
        cursor: { type: 'boolean' },
        index: { type: 'boolean' },
        defaultPaginationMethod: { type: 'string', enum: ['cursor', 'index'] },
        defaultPageSize: { type: 'integer', minimum: 1 },
        maxPageSize: { type: 'integer', minimum: 1 },
        cursorTimeout: { type: 'integer', minimum: 1, description: 'Seconds a cursor stays valid between page requests.' },
      },
    },
    etag: flag('ETag support.'),
    authenticationSchemes: { type: 'array', items: authenticationScheme },
    meta: schemaRef('Meta'),
  },
};

const resourceType: JsonSchema = {
  type: 'object',
  description: 'A resource type this server serves (RFC 7643 §6).',
  required: ['schemas', 'name', 'endpoint', 'schema'],
  properties: {
    schemas: urnList(SCHEMA_URNS.resourceType, 'sent'),
    id: { type: 'string' },
    name: { type: 'string' },
    endpoint: { type: 'string', description: 'Relative to the base URL, e.g. /Users.' },
    description: { type: 'string' },
    schema: { type: 'string', description: 'URN of the core schema.' },
    schemaExtensions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['schema', 'required'],
        properties: { schema: { type: 'string' }, required: { type: 'boolean' } },
      },
    },
    meta: schemaRef('Meta'),
  },
};

const enumOf = (values: string[]): JsonSchema => ({ type: 'string', enum: values });

// The characteristic names and values below are fixed by RFC 7643 §2.2, so enum is right here.
const schemaAttribute: JsonSchema = {
  type: 'object',
  description: 'An attribute definition (RFC 7643 §7).',
  required: ['name', 'type', 'multiValued'],
  properties: {
    name: { type: 'string' },
    type: enumOf(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary', 'complex']),
    multiValued: { type: 'boolean' },
    description: { type: 'string' },
    required: { type: 'boolean' },
    canonicalValues: stringArray('Suggested values.'),
    caseExact: { type: 'boolean' },
    mutability: enumOf(['readOnly', 'readWrite', 'immutable', 'writeOnly']),
    returned: enumOf(['always', 'never', 'default', 'request']),
    uniqueness: enumOf(['none', 'server', 'global']),
    referenceTypes: stringArray('Resource types (or "external", "uri") a reference may point to.'),
    subAttributes: { type: 'array', items: schemaRef('SchemaAttribute') },
  },
};

const schema: JsonSchema = {
  type: 'object',
  description: 'A schema definition (RFC 7643 §7).',
  required: ['schemas', 'id', 'attributes'],
  properties: {
    schemas: urnList(SCHEMA_URNS.schema, 'sent'),
    id: { type: 'string', description: 'The schema URN.' },
    name: { type: 'string' },
    description: { type: 'string' },
    attributes: { type: 'array', items: schemaRef('SchemaAttribute') },
    meta: schemaRef('Meta'),
  },
};

const BULK_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

const bulkRequest: JsonSchema = {
  type: 'object',
  description:
    'Operations to run in one request (RFC 7644 §3.7). A POST names a `bulkId`; any value (a member, a PATCH value or path, a PUT body, an operation\'s path) may refer to the resource it creates as `bulkId:<bulkId>`, and runs after it.',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: urnList(SCHEMA_URNS.bulkRequest, 'received'),
    failOnErrors: { type: 'integer', minimum: 1, description: 'Stop after this many failed operations; the rest are not run.' },
    Operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'path'],
        properties: {
          method: { type: 'string', enum: BULK_METHODS },
          bulkId: { type: 'string', description: 'Required for POST: a name for the resource it creates.' },
          version: { type: 'string', description: 'An ETag: the operation runs only if the resource still has it (If-Match).' },
          path: { type: 'string', description: 'Relative to the base URL, e.g. /Users or /Groups/{id} or /Groups/bulkId:{bulkId}.', examples: ['/Users'] },
          data: { description: 'The body of the POST, PUT (a resource) or PATCH (a PatchOp).' },
        },
      },
    },
  },
};

const bulkResponse: JsonSchema = {
  type: 'object',
  description:
    'The outcome of each operation that ran (RFC 7644 §3.7.3), in the order they ran; operations left out after failOnErrors errors are absent.',
  required: ['schemas', 'Operations'],
  properties: {
    schemas: urnList(SCHEMA_URNS.bulkResponse, 'sent'),
    Operations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'status'],
        properties: {
          method: { type: 'string', enum: BULK_METHODS },
          bulkId: { type: 'string' },
          version: { type: 'string', description: 'The ETag of the resource after the operation.' },
          location: { type: 'string', format: 'uri' },
          status: { type: 'string', description: 'The HTTP status of the operation, e.g. "201".', examples: ['201'] },
          response: { ...schemaRef('Error'), description: 'The SCIM error of a failed operation.' },
        },
      },
    },
  },
};

/** The fixed component schemas; the key list lives in names.ts so resource names avoid it. */
export function messageComponents(): Record<MessageSchema, JsonSchema> {
  return {
    Meta: meta(),
    ListResponse: listResponse,
    PatchOp: patchOp,
    SearchRequest: searchRequest,
    BulkRequest: bulkRequest,
    BulkResponse: bulkResponse,
    Error: error,
    ServiceProviderConfig: serviceProviderConfig,
    ResourceType: resourceType,
    Schema: schema,
    SchemaAttribute: schemaAttribute,
  };
}
