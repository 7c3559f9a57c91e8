// The generator's intermediate representation: validated schemas with every RFC 7643
// characteristic filled in, plus the resource types that use them. Every emitter reads only
// this. The types are the engine's own (templates/scim/schema.ts), so what the generator
// validates is exactly what the generated server runs on.

import type { ResourceTypeDef, SchemaDef } from '../../templates/scim/schema.js';

export type { AttributeDef, ResourceTypeDef, SchemaDef } from '../../templates/scim/schema.js';

/** Where a schema came from, so errors can name the file and the project can keep a copy. */
export interface SchemaSource {
  /** Path as the user gave it (or the bundled file's name). */
  file: string;
  /** The file's text, copied verbatim into the generated project's schemas/ folder. */
  text: string;
  /** True for the RFC 7643 schemas bundled with the generator. */
  bundled: boolean;
}

export interface SchemaModel {
  schemas: SchemaDef[];
  resourceTypes: ResourceTypeDef[];
  /** Keyed by schema URN. */
  sources: Map<string, SchemaSource>;
  /** The --resource-type files, in the order given, copied into schemas/ like the schemas. */
  resourceTypeSources?: readonly SchemaSource[];
}
