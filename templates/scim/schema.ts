// SCIM schema definitions as the engine reads them (RFC 7643 §2, §6, §7).
// The generator emits the project's schemas as data of these types (schemas.gen.ts); every
// engine module is driven by them, so nothing here knows about User or Group in particular.

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'binary'
  | 'complex';
export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

/** One attribute with every RFC 7643 §2.2 characteristic filled in (defaults applied). */
export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description?: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: readonly string[];
  referenceTypes?: readonly string[];
  /** Only for type "complex". */
  subAttributes?: readonly AttributeDef[];
}

export interface SchemaDef {
  /** The schema URN, e.g. "urn:ietf:params:scim:schemas:core:2.0:User". */
  id: string;
  name: string;
  description?: string;
  attributes: readonly AttributeDef[];
}

export interface SchemaExtensionRef {
  schema: string;
  required: boolean;
}

export interface ResourceTypeDef {
  id: string;
  name: string;
  /** Relative to the base path, with a leading slash: "/Users". */
  endpoint: string;
  description?: string;
  /** URN of the core schema. */
  schema: string;
  schemaExtensions: readonly SchemaExtensionRef[];
}

export const SCHEMA_URNS = {
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

const common = (
  name: string,
  type: AttributeType,
  rest: Partial<AttributeDef> = {},
): AttributeDef => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readOnly',
  returned: 'default',
  uniqueness: 'none',
  ...rest,
});

/**
 * The attributes every resource has whatever its schema (RFC 7643 §3.1). They are not listed
 * in any schema's `attributes`, so the engine adds them when it resolves a path.
 */
export const COMMON_ATTRIBUTES: readonly AttributeDef[] = [
  common('id', 'string', { caseExact: true, returned: 'always', uniqueness: 'server' }),
  common('externalId', 'string', { caseExact: true, mutability: 'readWrite' }),
  common('meta', 'complex', {
    subAttributes: [
      common('resourceType', 'string', { caseExact: true }),
      common('created', 'dateTime'),
      common('lastModified', 'dateTime'),
      common('location', 'reference', { caseExact: true, referenceTypes: ['uri'] }),
      common('version', 'string', { caseExact: true }),
    ],
  }),
];
