// Request bodies built from the project's own schemas, so the custom-schema tests follow
// whatever the schema files in schemas/ declare instead of naming any attribute themselves.

import { randomUUID } from 'node:crypto';
import { resourceTypes, schemas } from '../../src/generated/schemas.gen.js';
import type { AttributeDef, ResourceTypeDef, SchemaDef } from '../../src/generated/scim/schema.js';
import { newGroup, newUser, URN, type Json } from './scim.js';

/** The RFC 7643 schemas the rest of the suite covers by name. */
const RFC_SCHEMAS = new Set([URN.user, URN.group, URN.enterpriseUser].map((u) => u.toLowerCase()));

const isCustom = (urn: string) => !RFC_SCHEMAS.has(urn.toLowerCase());

/** One schema of one resource type: its core schema, or one of its extensions. */
export interface Section {
  type: ResourceTypeDef;
  schema: SchemaDef;
  /** The extension's URN (its key in the resource); undefined for the core schema. */
  extension?: string;
}

function schemaOf(urn: string): SchemaDef {
  const schema = schemas.find((s) => s.id.toLowerCase() === urn.toLowerCase());
  if (!schema) throw new Error(`schemas.gen.ts has no schema ${urn}`);
  return schema;
}

/** Every custom schema of every resource type: custom types' core schemas and custom extensions. */
export function customSections(): Section[] {
  return resourceTypes.flatMap((type) => [
    ...(isCustom(type.schema) ? [{ type, schema: schemaOf(type.schema) }] : []),
    ...type.schemaExtensions
      .filter((e) => isCustom(e.schema))
      .map((e) => ({ type, schema: schemaOf(e.schema), extension: schemaOf(e.schema).id })),
  ]);
}

/** The resource types whose core schema is custom: they have endpoints of their own. */
export function customResourceTypes(): ResourceTypeDef[] {
  return resourceTypes.filter((t) => isCustom(t.schema));
}

/** A filter, sortBy or PATCH path: URN-qualified for an extension attribute. */
export function pathOf(section: Section, attr: AttributeDef, sub?: AttributeDef): string {
  const name = sub ? `${attr.name}.${sub.name}` : attr.name;
  return section.extension ? `${section.extension}:${name}` : name;
}

/** The object holding the section's attributes in a resource (the resource, or its extension). */
export function holder(resource: Json, section: Section): Json {
  return section.extension ? resource?.[section.extension] : resource;
}

/** Attributes a client may send: readOnly ones are the server's. */
export const writable = (attrs: readonly AttributeDef[]) => attrs.filter((a) => a.mutability !== 'readOnly');

/** Whether a response shows the attribute when the request does not name it. */
export const shownByDefault = (a: AttributeDef) =>
  a.mutability !== 'writeOnly' && (a.returned === 'default' || a.returned === 'always');

/** Single-valued strings with free values: what equality filters, sorting and uniqueness exercise. */
export const freeStrings = (attrs: readonly AttributeDef[]) =>
  attrs.filter(
    (a) => a.type === 'string' && !a.multiValued && !a.canonicalValues?.length && shownByDefault(a),
  );

/** A value of the attribute's type; strings carry `tag` so each resource's values are its own. */
export function sampleValue(attr: AttributeDef, tag: string): unknown {
  if (attr.multiValued) return [sampleElement(attr, tag)];
  return sampleElement(attr, tag);
}

function sampleElement(attr: AttributeDef, tag: string): unknown {
  if (attr.canonicalValues?.length) return attr.canonicalValues[0];
  switch (attr.type) {
    case 'boolean':
      return true;
    case 'integer':
      return 3;
    case 'decimal':
      return 2.5;
    case 'dateTime':
      return '2030-01-02T03:04:05Z';
    case 'binary':
      return Buffer.from(`${attr.name}-${tag}`).toString('base64');
    case 'reference':
      return `https://example.com/${attr.name}/${tag}`;
    case 'complex':
      return sampleObject(attr.subAttributes ?? [], tag, true);
    default:
      return `${attr.name}-${tag}`;
  }
}

/** Values for the required writable attributes, or for every writable one when `all`. */
export function sampleObject(attrs: readonly AttributeDef[], tag: string, all: boolean): Json {
  const out: Json = {};
  for (const attr of writable(attrs)) {
    if (all || attr.required) out[attr.name] = sampleValue(attr, tag);
  }
  return out;
}

export const newTag = () => randomUUID().slice(0, 8);

/**
 * A valid body for the section's resource type: the rest of the suite's User or Group, or the
 * required attributes of a custom type, with the section's attributes from `values` (every
 * writable attribute with a fresh tag when not given).
 */
export function bodyFor(section: Section, values?: Json): Json {
  const own = values ?? sampleObject(section.schema.attributes, newTag(), true);
  const { type } = section;
  const urn = type.schema.toLowerCase();
  let body: Json;
  if (urn === URN.user.toLowerCase()) body = newUser();
  else if (urn === URN.group.toLowerCase()) body = newGroup();
  else if (!section.extension) body = { schemas: [type.schema] };
  else body = { schemas: [type.schema], ...sampleObject(schemaOf(type.schema).attributes, newTag(), false) };
  // A required extension must be present whatever the section under test.
  for (const ext of type.schemaExtensions) {
    if (ext.required && ext.schema !== section.extension) {
      body[ext.schema] = sampleObject(schemaOf(ext.schema).attributes, newTag(), true);
      body.schemas = [...body.schemas, ext.schema];
    }
  }
  if (!section.extension) return { ...body, ...own };
  return { ...body, schemas: [...body.schemas, section.extension], [section.extension]: own };
}

/** The section's collection path, e.g. "/Entitlements". */
export const endpointOf = (section: Section) => section.type.endpoint;
