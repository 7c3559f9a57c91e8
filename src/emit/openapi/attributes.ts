// SCIM attribute definitions (RFC 7643 §2.2) -> JSON Schema 2020-12, the dialect of OpenAPI 3.1.
// One resource type yields two schemas that differ only in `required`: what the server returns
// (attributes returned "always", which no `attributes` projection can drop) and what a client
// sends on create or replace (attributes the schema marks required).

import type { OpenAPIV3_1 } from 'openapi-types';
import type { ResourceTypeModel } from '../../../templates/scim/registry.js';
import { COMMON_ATTRIBUTES, type AttributeDef } from '../../../templates/scim/schema.js';

/** openapi-types lacks a few JSON Schema 2020-12 keywords that OpenAPI 3.1 allows. */
export type JsonSchema = OpenAPIV3_1.SchemaObject & {
  contentEncoding?: string;
  patternProperties?: Record<string, OpenAPIV3_1.SchemaObject>;
  contains?: OpenAPIV3_1.SchemaObject;
};

export type SchemaMode = 'response' | 'request';

const scalar: Record<Exclude<AttributeDef['type'], 'complex'>, JsonSchema> = {
  string: { type: 'string' },
  boolean: { type: 'boolean' },
  decimal: { type: 'number' },
  integer: { type: 'integer' },
  dateTime: { type: 'string', format: 'date-time' },
  reference: { type: 'string', format: 'uri-reference' },
  binary: { type: 'string', contentEncoding: 'base64' },
};

/** The characteristics JSON Schema has no keyword for, as prose for the description. */
function notes(attr: AttributeDef): string[] {
  const out: string[] = [];
  if (attr.mutability === 'immutable') out.push('Immutable: set on create, never changed afterwards.');
  if (attr.returned === 'never') out.push('Never returned by the server.');
  if (attr.returned === 'request') out.push('Returned only when named in `attributes`.');
  if (attr.uniqueness === 'server') out.push('Unique within the server.');
  if (attr.uniqueness === 'global') out.push('Globally unique.');
  if (attr.type === 'reference' && attr.referenceTypes?.length) {
    out.push(`References: ${attr.referenceTypes.join(', ')}.`);
  }
  // Canonical values are advisory (RFC 7643 §2.3.1 lets servers accept others), so no enum.
  if (attr.canonicalValues?.length) {
    out.push(`Canonical values (others are accepted): ${attr.canonicalValues.join(', ')}.`);
  }
  return out;
}

function describe(attr: AttributeDef): string | undefined {
  const text = [attr.description?.trim(), ...notes(attr)].filter((s) => s).join(' ');
  return text === '' ? undefined : text;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The property names a schema in this mode must carry. */
function requiredNames(attributes: readonly AttributeDef[], mode: SchemaMode): string[] {
  return attributes
    .filter((a) =>
      mode === 'response'
        ? a.returned === 'always'
        : a.required && a.mutability !== 'readOnly',
    )
    .map((a) => a.name);
}

export function objectSchema(
  attributes: readonly AttributeDef[],
  mode: SchemaMode,
  description?: string,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const patternProperties: Record<string, JsonSchema> = {};
  for (const attr of attributes) {
    // A property literally named "$ref" (members.$ref, groups.$ref) is valid JSON Schema but
    // is taken for a reference by most OpenAPI tools, so it is matched by pattern instead.
    if (attr.name.startsWith('$')) patternProperties[`^${escapeRegExp(attr.name)}$`] = attributeSchema(attr, mode);
    else properties[attr.name] = attributeSchema(attr, mode);
  }
  const required = requiredNames(attributes, mode);
  return {
    type: 'object',
    ...(description ? { description } : {}),
    ...(required.length ? { required } : {}),
    properties,
    ...(Object.keys(patternProperties).length ? { patternProperties } : {}),
  };
}

export function attributeSchema(attr: AttributeDef, mode: SchemaMode): JsonSchema {
  const single: JsonSchema =
    attr.type === 'complex'
      ? objectSchema(attr.subAttributes ?? [], mode)
      : { ...scalar[attr.type] };
  if (attr.canonicalValues?.length && attr.type !== 'complex') {
    single.examples = [...attr.canonicalValues];
  }
  const schema: JsonSchema = attr.multiValued ? { type: 'array', items: single } : single;
  const description = describe(attr);
  // Key order is fixed here so the emitted document is byte-stable.
  return {
    ...(description ? { description } : {}),
    ...schema,
    ...(attr.mutability === 'readOnly' ? { readOnly: true } : {}),
    ...(attr.mutability === 'writeOnly' || attr.returned === 'never' ? { writeOnly: true } : {}),
  };
}

/**
 * A whole resource: `schemas`, the common attributes (id, externalId, meta), the core schema's
 * attributes, and one object per extension keyed by its URN (RFC 7643 §3.3).
 */
export function resourceSchema(model: ResourceTypeModel, mode: SchemaMode): JsonSchema {
  const { def, core, extensions } = model;
  const base = objectSchema([...COMMON_ATTRIBUTES, ...core.attributes], mode);
  const properties: Record<string, JsonSchema> = {
    schemas: {
      description: 'URNs of the schemas the resource uses: the core schema, then each extension present.',
      type: 'array',
      items: { type: 'string' },
      minItems: 1,
      examples: [model.schemaUrns],
    },
    ...(base.properties as Record<string, JsonSchema>),
  };
  const required = ['schemas', ...(base.required ?? [])];
  for (const ext of extensions) {
    properties[ext.schema.id] = objectSchema(
      ext.schema.attributes,
      mode,
      ext.schema.description ?? ext.schema.name,
    );
    if (mode === 'request' && ext.required) required.push(ext.schema.id);
  }
  const what =
    mode === 'response'
      ? `A ${def.name} as the server returns it.`
      : `A ${def.name} as sent to create (POST) or replace (PUT) it.`;
  const about = def.description?.trim().replace(/([^.!?])$/, '$1.');
  return {
    type: 'object',
    description: about ? `${about} ${what}` : what,
    required,
    properties,
    ...(base.patternProperties ? { patternProperties: base.patternProperties } : {}),
  };
}
