// Names and $refs inside the OpenAPI document. Component keys must match
// ^[a-zA-Z0-9._-]+$ (OpenAPI 3.1 §4.8.7), and resource-type names come from user schemas, so
// they are sanitised here and kept clear of the fixed message components.

import type { OpenAPIV3_1 } from 'openapi-types';
import type { ResourceTypeDef } from '../../model/ir.js';

/** Component schema keys the document always defines (see messages.ts). */
export const MESSAGE_SCHEMAS = [
  'Meta',
  'ListResponse',
  'PatchOp',
  'SearchRequest',
  'BulkRequest',
  'BulkResponse',
  'Error',
  'ServiceProviderConfig',
  'ResourceType',
  'Schema',
  'SchemaAttribute',
] as const;
export type MessageSchema = (typeof MESSAGE_SCHEMAS)[number];

const reserved = new Set<string>(MESSAGE_SCHEMAS);

const identifier = (text: string) => text.replace(/[^A-Za-z0-9]/g, '');

export interface ResourceNames {
  /** Component key of the resource as the server returns it, e.g. "User". */
  schema: string;
  /** Component key of the body of POST and PUT, e.g. "UserRequest". */
  request: string;
  /** Component key of the list/search response, e.g. "UserListResponse". */
  list: string;
  /** Tag grouping the type's operations. */
  tag: string;
  /** Suffixes for operationIds: "User" and "Users" (from the endpoint). */
  singular: string;
  plural: string;
}

export function resourceNames(rt: ResourceTypeDef): ResourceNames {
  const base = identifier(rt.name) || identifier(rt.id) || 'Resource';
  const schema = reserved.has(base) ? `${base}Resource` : base;
  const plural = identifier(rt.endpoint) || `${schema}s`;
  return {
    schema,
    request: `${schema}Request`,
    list: `${schema}ListResponse`,
    tag: rt.name,
    singular: schema,
    plural,
  };
}

export const schemaRef = (name: string): OpenAPIV3_1.ReferenceObject => ({
  $ref: `#/components/schemas/${name}`,
});
export const responseRef = (name: string): OpenAPIV3_1.ReferenceObject => ({
  $ref: `#/components/responses/${name}`,
});
export const parameterRef = (name: string): OpenAPIV3_1.ReferenceObject => ({
  $ref: `#/components/parameters/${name}`,
});
export const headerRef = (name: string): OpenAPIV3_1.ReferenceObject => ({
  $ref: `#/components/headers/${name}`,
});

/** Every SCIM response body is sent with this media type (RFC 7644 §3.1). */
export const SCIM_MEDIA_TYPE = 'application/scim+json';
/** Request bodies: SCIM's own type, and plain JSON, which Okta and Entra ID also send. */
export const REQUEST_MEDIA_TYPES = [SCIM_MEDIA_TYPE, 'application/json'] as const;
