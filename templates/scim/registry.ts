// Resolves attribute names against a resource type's schemas. SCIM attribute names and schema
// URNs are case-insensitive (RFC 7643 §2.1), and unqualified names belong to the core schema
// first, then to the extensions; every consumer (filters, PATCH, projection, validation,
// sorting) asks here instead of comparing names itself.

import type { AttrPath } from './filter/ast.js';
import {
  COMMON_ATTRIBUTES,
  type AttributeDef,
  type ResourceTypeDef,
  type SchemaDef,
} from './schema.js';

export interface ResolvedAttribute {
  /** URN of the schema that defines the attribute; undefined for id, externalId and meta. */
  schema?: string;
  /** True when the attribute lives under the extension's URN key in the resource document. */
  extension: boolean;
  attr: AttributeDef;
  /** Set when the path names a sub-attribute. */
  sub?: AttributeDef;
}

export interface ResourceTypeModel {
  def: ResourceTypeDef;
  core: SchemaDef;
  extensions: ReadonlyArray<{ schema: SchemaDef; required: boolean }>;
  /** Every schema URN a resource of this type may list in `schemas`. */
  schemaUrns: readonly string[];
  /** Finds an attribute by path, or undefined when no schema of this type defines it. */
  resolve(path: AttrPath): ResolvedAttribute | undefined;
  /** The extension schema with this URN (case-insensitive), if the type has it. */
  extension(urn: string): SchemaDef | undefined;
}

export interface Registry {
  resourceTypes: readonly ResourceTypeModel[];
  schemas: readonly SchemaDef[];
  /** By resource type name ("User") or endpoint ("/Users"), case-insensitive. */
  byName(name: string): ResourceTypeModel | undefined;
  byEndpoint(endpoint: string): ResourceTypeModel | undefined;
}

const lower = (s: string) => s.toLowerCase();

/** Each attribute list by lower-cased name, built on first lookup: every request resolves names. */
const attributesByName = new WeakMap<readonly AttributeDef[], Map<string, AttributeDef>>();

/** Case-insensitive lookup of an attribute by name in a list. */
export function findAttribute(
  attributes: readonly AttributeDef[] | undefined,
  name: string,
): AttributeDef | undefined {
  if (!attributes) return undefined;
  let byName = attributesByName.get(attributes);
  if (!byName) {
    byName = new Map();
    // The first of two same-named attributes wins, as a search of the list would find it.
    for (const a of attributes) if (!byName.has(lower(a.name))) byName.set(lower(a.name), a);
    attributesByName.set(attributes, byName);
  }
  return byName.get(lower(name));
}

export function buildRegistry(
  resourceTypes: readonly ResourceTypeDef[],
  schemas: readonly SchemaDef[],
): Registry {
  const schemaById = new Map(schemas.map((s) => [lower(s.id), s]));
  const need = (urn: string, rt: string) => {
    const s = schemaById.get(lower(urn));
    if (!s) throw new Error(`Resource type ${rt} names schema ${urn}, which is not defined`);
    return s;
  };

  const models = resourceTypes.map((def): ResourceTypeModel => {
    const core = need(def.schema, def.name);
    const extensions = def.schemaExtensions.map((e) => ({
      schema: need(e.schema, def.name),
      required: e.required,
    }));
    const extensionById = new Map(extensions.map((e) => [lower(e.schema.id), e.schema]));

    const withSub = (
      found: Omit<ResolvedAttribute, 'sub'>,
      sub: string | undefined,
    ): ResolvedAttribute | undefined => {
      if (sub === undefined) return found;
      const subAttr = findAttribute(found.attr.subAttributes, sub);
      return subAttr ? { ...found, sub: subAttr } : undefined;
    };

    const resolve = (path: AttrPath): ResolvedAttribute | undefined => {
      if (path.uri !== undefined) {
        const uri = lower(path.uri);
        if (uri === lower(core.id)) {
          const attr =
            findAttribute(core.attributes, path.attr) ??
            findAttribute(COMMON_ATTRIBUTES, path.attr);
          if (!attr) return undefined;
          const schema = findAttribute(core.attributes, path.attr) ? core.id : undefined;
          return withSub({ schema, extension: false, attr }, path.sub);
        }
        const ext = extensionById.get(uri);
        const attr = ext && findAttribute(ext.attributes, path.attr);
        return attr && ext ? withSub({ schema: ext.id, extension: true, attr }, path.sub) : undefined;
      }
      const common = findAttribute(COMMON_ATTRIBUTES, path.attr);
      if (common) return withSub({ extension: false, attr: common }, path.sub);
      const coreAttr = findAttribute(core.attributes, path.attr);
      if (coreAttr) return withSub({ schema: core.id, extension: false, attr: coreAttr }, path.sub);
      for (const e of extensions) {
        const attr = findAttribute(e.schema.attributes, path.attr);
        if (attr) return withSub({ schema: e.schema.id, extension: true, attr }, path.sub);
      }
      return undefined;
    };

    return {
      def,
      core,
      extensions,
      schemaUrns: [core.id, ...extensions.map((e) => e.schema.id)],
      resolve,
      extension: (urn) => extensionById.get(lower(urn)),
    };
  });

  // Every `$ref` of every member and group rendered looks its type up by name.
  const byName = new Map<string, ResourceTypeModel>();
  for (const m of models) if (!byName.has(lower(m.def.name))) byName.set(lower(m.def.name), m);
  return {
    resourceTypes: models,
    schemas,
    byName: (name) => byName.get(lower(name)),
    byEndpoint: (endpoint) => models.find((m) => lower(m.def.endpoint) === lower(endpoint)),
  };
}
