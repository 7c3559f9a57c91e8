// The discovery endpoints (RFC 7644 §4): what this server supports, derived from the schemas
// it was generated with and from what the engine really implements.

import type { AuthenticationScheme } from './auth.js';
import type { Registry, ResourceTypeModel } from './registry.js';
import { SCHEMA_URNS, type AttributeDef, type SchemaDef } from './schema.js';

export interface DiscoveryOptions {
  authenticationSchemes: readonly AuthenticationScheme[];
  maxResults: number;
  /** Results in a page when the request has no `count`. */
  defaultPageSize: number;
  /** Seconds a cursor stays valid between page requests. */
  cursorTimeout: number;
  /** /Bulk limits (RFC 7644 §3.7.4); bulk is advertised supported with them. */
  bulk: { maxOperations: number; maxPayloadSize: number };
  documentationUri?: string;
  /** RFC 9967 §4: present only when security event tokens are configured. */
  securityEvents?: { asyncRequest: 'none' | 'long' | 'request'; eventUris: readonly string[] };
}

export function serviceProviderConfig(options: DiscoveryOptions, baseUrl: string) {
  return {
    schemas: [SCHEMA_URNS.serviceProviderConfig],
    ...(options.documentationUri ? { documentationUri: options.documentationUri } : {}),
    patch: { supported: true },
    bulk: { supported: true, maxOperations: options.bulk.maxOperations, maxPayloadSize: options.bulk.maxPayloadSize },
    filter: { supported: true, maxResults: options.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    // RFC 9865 §4. Index paging stays the default, so clients written before cursors see no change.
    pagination: {
      cursor: true,
      index: true,
      defaultPaginationMethod: 'index',
      defaultPageSize: options.defaultPageSize,
      maxPageSize: options.maxResults,
      cursorTimeout: options.cursorTimeout,
    },
    etag: { supported: true },
    authenticationSchemes: options.authenticationSchemes,
    ...(options.securityEvents ? { securityEvents: options.securityEvents } : {}),
    meta: {
      resourceType: 'ServiceProviderConfig',
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

export function resourceTypeResource(model: ResourceTypeModel, baseUrl: string) {
  const { def } = model;
  return {
    schemas: [SCHEMA_URNS.resourceType],
    id: def.id,
    name: def.name,
    endpoint: def.endpoint,
    ...(def.description ? { description: def.description } : {}),
    schema: def.schema,
    // Okta reads extension attributes from the schemas listed here.
    schemaExtensions: def.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${def.id}` },
  };
}

function attributeResource(attr: AttributeDef): Record<string, unknown> {
  return {
    name: attr.name,
    type: attr.type,
    multiValued: attr.multiValued,
    ...(attr.description !== undefined ? { description: attr.description } : {}),
    required: attr.required,
    ...(attr.canonicalValues ? { canonicalValues: attr.canonicalValues } : {}),
    caseExact: attr.caseExact,
    mutability: attr.mutability,
    returned: attr.returned,
    uniqueness: attr.uniqueness,
    ...(attr.referenceTypes ? { referenceTypes: attr.referenceTypes } : {}),
    ...(attr.subAttributes ? { subAttributes: attr.subAttributes.map(attributeResource) } : {}),
  };
}

export function schemaResource(schema: SchemaDef, baseUrl: string) {
  return {
    schemas: [SCHEMA_URNS.schema],
    id: schema.id,
    name: schema.name,
    ...(schema.description !== undefined ? { description: schema.description } : {}),
    attributes: schema.attributes.map(attributeResource),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function listResponse(resources: unknown[], totalResults = resources.length, startIndex = 1) {
  return {
    schemas: [SCHEMA_URNS.listResponse],
    totalResults,
    itemsPerPage: resources.length,
    startIndex,
    Resources: resources,
  };
}

/**
 * A page of a cursor walk (RFC 9865 §2): no startIndex; nextCursor unless this is the last page.
 * No previousCursor: walks go forward only.
 */
export function cursorListResponse(resources: unknown[], totalResults: number, nextCursor: string | undefined) {
  return {
    schemas: [SCHEMA_URNS.listResponse],
    totalResults,
    itemsPerPage: resources.length,
    ...(nextCursor !== undefined ? { nextCursor } : {}),
    Resources: resources,
  };
}

export const findSchema = (registry: Registry, id: string) =>
  registry.schemas.find((s) => s.id.toLowerCase() === id.toLowerCase());
