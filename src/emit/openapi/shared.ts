// Reusable components: query/path/header parameters, response headers, error responses and
// the request-body wrapper. Operations reference them, so each is described once.

import type { OpenAPIV3_1 } from 'openapi-types';
import { REQUEST_MEDIA_TYPES, SCIM_MEDIA_TYPE, headerRef, schemaRef } from './names.js';

const query = (
  name: string,
  description: string,
  schema: OpenAPIV3_1.ParameterObject['schema'],
): OpenAPIV3_1.ParameterObject => ({ name, in: 'query', required: false, description, schema });

const header = (name: string, description: string): OpenAPIV3_1.ParameterObject => ({
  name,
  in: 'header',
  required: false,
  description,
  schema: { type: 'string' },
});

export const PARAMETERS = {
  filter: query('filter', 'SCIM filter expression (RFC 7644 §3.4.2.2), e.g. userName eq "bjensen".', { type: 'string' }),
  startIndex: query('startIndex', '1-based index of the first result (default 1).', { type: 'integer', minimum: 1 }),
  count: query('count', 'Maximum number of results in the page; larger values are capped.', { type: 'integer', minimum: 0 }),
  cursor: query('cursor', 'Cursor pagination (RFC 9865): empty for the first page, then the nextCursor of the previous one. Not with startIndex.', { type: 'string' }),
  sortBy: query('sortBy', 'Attribute path to sort by.', { type: 'string' }),
  sortOrder: query('sortOrder', 'ascending (default) or descending.', { type: 'string' }),
  attributes: query('attributes', 'Comma-separated attribute paths to return instead of the default set.', { type: 'string' }),
  excludedAttributes: query('excludedAttributes', 'Comma-separated attribute paths to leave out, e.g. members.', { type: 'string' }),
  id: { name: 'id', in: 'path', required: true, description: 'The resource id assigned by the server.', schema: { type: 'string' } },
  ifMatch: header('If-Match', 'Apply the change only if the resource still has this ETag; otherwise 412.'),
  ifNoneMatch: header('If-None-Match', 'Answer 304 without a body if the resource still has this ETag.'),
} satisfies Record<string, OpenAPIV3_1.ParameterObject>;

export type ParameterName = keyof typeof PARAMETERS;

export const HEADERS = {
  ETag: { description: 'Version of the resource (weak ETag), for If-Match / If-None-Match.', schema: { type: 'string' } },
  Location: { description: 'URL of the created resource.', schema: { type: 'string', format: 'uri' } },
  'WWW-Authenticate': { description: 'The authentication scheme the server expects.', schema: { type: 'string' } },
  'Retry-After': { description: 'Whole seconds to wait before retrying.', schema: { type: 'integer', minimum: 1 } },
} satisfies Record<string, OpenAPIV3_1.HeaderObject>;

const errorResponse = (
  description: string,
  headers?: OpenAPIV3_1.ResponseObject['headers'],
): OpenAPIV3_1.ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: { [SCIM_MEDIA_TYPE]: { schema: schemaRef('Error') } },
});

/** Error responses by the component name operations reference them with. */
export const ERROR_RESPONSES = {
  BadRequest: errorResponse('Invalid request: bad filter, path, value or syntax (see scimType).'),
  Unauthorized: errorResponse('Missing or invalid credentials.', {
    'WWW-Authenticate': headerRef('WWW-Authenticate'),
  }),
  NotFound: errorResponse('No resource with this id.'),
  Conflict: errorResponse('A unique attribute already has this value (scimType uniqueness).'),
  PreconditionFailed: errorResponse('If-Match does not match the current ETag.'),
  PayloadTooLarge: errorResponse('The request body is larger than SCIM_MAX_BODY_BYTES.'),
  BulkTooLarge: errorResponse(
    'More operations than maxOperations (SCIM_BULK_MAX_OPERATIONS), or a larger request than maxPayloadSize (SCIM_BULK_MAX_PAYLOAD_BYTES); nothing was run.',
  ),
  NotImplemented: errorResponse('The server does not support this endpoint.'),
  TooManyRequests: errorResponse(
    'Over the rate limit of this credential (SCIM_RATE_LIMIT_PER_SECOND, SCIM_RATE_LIMIT_BURST), or too many ' +
      'failed authentications from this address. Retry after Retry-After seconds.',
    { 'Retry-After': headerRef('Retry-After') },
  ),
} satisfies Record<string, OpenAPIV3_1.ResponseObject>;

export type ErrorResponseName = keyof typeof ERROR_RESPONSES;

/** Status code of each error response, for the operations' `responses` maps. */
export const ERROR_STATUS: Record<ErrorResponseName, string> = {
  BadRequest: '400',
  Unauthorized: '401',
  NotFound: '404',
  Conflict: '409',
  PreconditionFailed: '412',
  PayloadTooLarge: '413',
  BulkTooLarge: '413',
  NotImplemented: '501',
  TooManyRequests: '429',
};

/** A JSON request body accepted under both SCIM's media type and plain JSON. */
export function requestBody(schema: string, description: string): OpenAPIV3_1.RequestBodyObject {
  const content: Record<string, OpenAPIV3_1.MediaTypeObject> = {};
  for (const type of REQUEST_MEDIA_TYPES) content[type] = { schema: schemaRef(schema) };
  return { description, required: true, content };
}

/** A SCIM JSON response body with optional headers (by component name). */
export function scimResponse(
  description: string,
  schema: OpenAPIV3_1.ReferenceObject | OpenAPIV3_1.SchemaObject,
  headers: Array<keyof typeof HEADERS> = [],
): OpenAPIV3_1.ResponseObject {
  return {
    description,
    ...(headers.length
      ? { headers: Object.fromEntries(headers.map((h) => [h, headerRef(h)])) }
      : {}),
    content: { [SCIM_MEDIA_TYPE]: { schema } },
  };
}
