// TypeScript names derived from SCIM names. types.gen.ts and hooks.gen.ts must agree on them,
// so both emitters take them from here.

import type { ResourceTypeDef, SchemaDef, SchemaModel } from '../../model/ir.js';
import { scanWord } from './printer.js';

/** "x509Certificates" -> "X509Certificates", "cost-center" -> "CostCenter". */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** "user" from "User", for parameter names; "resource" when that is not a usable identifier. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  const camel = pascal.charAt(0).toLowerCase() + pascal.slice(1);
  return scanWord(camel) === 'identifier' ? camel : 'resource';
}

/** English singular of a multi-valued attribute name: emails -> email, addresses -> address. */
export function singular(name: string): string {
  if (/(ss|x|ch|sh)es$/.test(name)) return name.slice(0, -2);
  if (/[^s]s$/.test(name)) return name.slice(0, -1);
  return name;
}

/** Hands out unique type names: the second "ScimUserName" becomes "ScimUserName2". */
export interface Namer {
  take(base: string): string;
}

export function createNamer(taken: Iterable<string> = []): Namer {
  const used = new Set(taken);
  return {
    take(base) {
      // A type name must not start with a digit ("509Cert..." from an odd schema name).
      const safe = /^[A-Za-z_$]/.test(base) ? base : `Scim${base}`;
      let name = safe;
      for (let n = 2; used.has(name); n++) name = `${safe}${n}`;
      used.add(name);
      return name;
    },
  };
}

/** The name every emitted module uses for the meta attribute's interface. */
export const META_INTERFACE = 'ScimMeta';

/**
 * The interface name of each resource type: "Scim" + its name in PascalCase (ScimUser).
 * Allocated before anything else so a complex attribute can never take a resource's name.
 */
export function resourceInterfaceNames(model: SchemaModel): Map<ResourceTypeDef, string> {
  const namer = createNamer([META_INTERFACE]);
  return new Map(
    model.resourceTypes.map((rt) => [rt, namer.take(`Scim${pascalCase(rt.name) || 'Resource'}`)]),
  );
}

/** The schema's name in PascalCase, or its URN's last segment when the name gives nothing. */
export function schemaBaseName(schema: SchemaDef): string {
  return pascalCase(schema.name) || pascalCase(schema.id.split(':').pop() ?? '') || 'Schema';
}

/** Finds a schema by URN, case-insensitively (RFC 7643 §2.1); a clear error when missing. */
export function schemaByUrn(model: SchemaModel, urn: string, usedBy: string): SchemaDef {
  const wanted = urn.toLowerCase();
  const schema = model.schemas.find((s) => s.id.toLowerCase() === wanted);
  if (!schema) throw new Error(`Resource type ${usedBy} names schema ${urn}, which is not defined`);
  return schema;
}
