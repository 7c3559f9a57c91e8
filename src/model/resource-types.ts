// Resource types (RFC 7643 §6) beyond the bundled User and Group: checks that a custom type fits
// beside the others (its schema exists, its name, id, endpoint and table are its own), then
// attaches every extension schema to the types it extends. Problems go to `issues`, each naming
// the file, the JSON path and what was expected.

import { buildRegistry } from '../../templates/scim/registry.js';
import type { ResourceTypeDef, SchemaDef, SchemaExtensionRef } from '../../templates/scim/schema.js';
import { STATE_TABLE, snakeCase, storagePlan } from '../../templates/scim/storage.js';
import type { SchemaIssue } from './errors.js';
import type { SchemaSource } from './ir.js';
import { describe } from './validate.js';

/** A resource type and where it was defined. */
export interface LocatedResourceType {
  def: ResourceTypeDef;
  file: string;
  /** JSON path of the resource type in its file: `$`, or `$[i]` in an array file. */
  path: string;
  bundled: boolean;
}

/** A schema and where it was defined. */
export interface LocatedSchema {
  schema: SchemaDef;
  source: SchemaSource;
  path: string;
}

/** RFC 7644 §3.2 endpoints the protocol itself owns, plus the health probe. */
const PROTOCOL_ENDPOINTS = ['/Schemas', '/ResourceTypes', '/ServiceProviderConfig', '/Bulk', '/Me', '/.search'];
/** Tables every database has besides the resource tables (storage.ts, the migration runner). */
const RESERVED_TABLES = [STATE_TABLE, 'schema_migrations'];
/**
 * A resource type's name becomes a TypeScript type (ScimDevice), a hooks file (src/hooks/device.ts)
 * and a key of the hooks map, so it must be a plain identifier.
 */
const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
/** The id appears in /ResourceTypes/{id}. */
const ID = /^[A-Za-z0-9._~-]+$/;

const lower = (s: string) => s.toLowerCase();
const quoted = (values: readonly string[]) => values.map((v) => JSON.stringify(v)).join(', ');

function origin(rt: LocatedResourceType): string {
  return rt.bundled ? `the bundled ${rt.file}` : `${rt.file} at ${rt.path}`;
}

/**
 * Checks the custom resource types against the bundled ones, the schemas and each other.
 * Returns the types that passed, bundled ones first, in the order given.
 */
export function checkResourceTypes(
  types: readonly LocatedResourceType[],
  schemas: readonly LocatedSchema[],
  issues: SchemaIssue[],
): LocatedResourceType[] {
  const schemaIds = new Map(schemas.map((s) => [lower(s.schema.id), s]));
  const known = quoted(schemas.map((s) => s.schema.id));
  const kept: LocatedResourceType[] = [];
  const byName = new Map<string, LocatedResourceType>();
  const byId = new Map<string, LocatedResourceType>();
  const byEndpoint = new Map<string, LocatedResourceType>();
  const byCore = new Map<string, LocatedResourceType>();
  const tables = new Map<string, LocatedResourceType>();
  const coreOf = new Map<string, LocatedResourceType>();
  for (const rt of types) if (!coreOf.has(lower(rt.def.schema))) coreOf.set(lower(rt.def.schema), rt);

  for (const rt of types) {
    const { def } = rt;
    const before = issues.length;
    const fail = (key: string, message: string) => issues.push({ file: rt.file, path: `${rt.path}${key}`, message });

    if (!NAME.test(def.name)) {
      fail('.name', `expected a name of letters and digits starting with a letter, like "Device" (it names the TypeScript type, the hooks file and the table), got ${describe(def.name)}`);
    }
    if (!ID.test(def.id)) {
      fail('.id', `expected an id of letters, digits, "-", ".", "_" or "~" (it is the last segment of /ResourceTypes/{id}), got ${describe(def.id)}`);
    }
    const sameName = byName.get(lower(def.name));
    if (sameName) fail('.name', `duplicate resource type name "${def.name}" (already used by ${origin(sameName)}; names are case-insensitive)`);
    const sameId = byId.get(lower(def.id));
    if (sameId) fail('.id', `duplicate resource type id "${def.id}" (already used by ${origin(sameId)})`);

    const protocol = PROTOCOL_ENDPOINTS.find((e) => lower(e) === lower(def.endpoint));
    const sameEndpoint = byEndpoint.get(lower(def.endpoint));
    if (protocol) {
      fail('.endpoint', `"${def.endpoint}" is a SCIM protocol endpoint (RFC 7644 §3.2); expected an endpoint of its own, like "/${def.name}s"`);
    } else if (sameEndpoint) {
      fail('.endpoint', `endpoint "${def.endpoint}" is already served by resource type ${sameEndpoint.def.name} (${origin(sameEndpoint)}); expected an endpoint of its own, like "/${def.name}s"`);
    } else {
      const table = safeTable(def.endpoint);
      const sameTable = table === undefined ? undefined : tables.get(table);
      if (table !== undefined && RESERVED_TABLES.includes(table)) {
        fail('.endpoint', `endpoint "${def.endpoint}" would be stored in the table "${table}", which the server keeps for itself; choose another endpoint`);
      } else if (sameTable) {
        fail('.endpoint', `endpoint "${def.endpoint}" would be stored in the table "${table}", as ${sameTable.def.endpoint} (${origin(sameTable)}) is; choose an endpoint that differs in more than case and punctuation`);
      }
    }

    const core = schemaIds.get(lower(def.schema));
    const sameCore = byCore.get(lower(def.schema));
    if (!core) {
      fail('.schema', `schema "${def.schema}" is not defined by any schema file; pass the file that defines it with --schema (defined: ${known})`);
    } else if (sameCore) {
      fail('.schema', `schema "${def.schema}" is already the core schema of resource type ${sameCore.def.name} (${origin(sameCore)}); each resource type needs a core schema of its own`);
    }
    def.schemaExtensions.forEach((ext, i) => {
      const at = `.schemaExtensions[${i}].schema`;
      if (!schemaIds.has(lower(ext.schema))) {
        fail(at, `schema "${ext.schema}" is not defined by any schema file; pass the file that defines it with --schema (defined: ${known})`);
      } else if (lower(ext.schema) === lower(def.schema)) {
        fail(at, `"${ext.schema}" is this resource type's core schema; expected an extension schema`);
      } else if (coreOf.has(lower(ext.schema))) {
        // Its attributes would then live in two places.
        fail(at, `"${ext.schema}" is the core schema of resource type ${coreOf.get(lower(ext.schema))!.def.name}; expected an extension schema`);
      } else if (def.schemaExtensions.findIndex((e) => lower(e.schema) === lower(ext.schema)) < i) {
        fail(at, `"${ext.schema}" is listed twice`);
      }
    });

    if (issues.length > before) continue;
    kept.push(rt);
    byName.set(lower(def.name), rt);
    byId.set(lower(def.id), rt);
    byEndpoint.set(lower(def.endpoint), rt);
    byCore.set(lower(def.schema), rt);
    const table = safeTable(def.endpoint);
    if (table !== undefined) tables.set(table, rt);
  }

  return kept;
}

function safeTable(endpoint: string): string | undefined {
  try {
    return snakeCase(endpoint);
  } catch {
    return undefined;
  }
}

/**
 * `uniqueness` other than "none" is enforced by a unique index on a column of its own, which only
 * a single-valued string (or reference) at the top of a schema has. Anywhere else the server
 * would advertise a guarantee it does not keep, so the file is refused with the two ways out.
 */
export function checkUniqueness(schemas: readonly LocatedSchema[], issues: SchemaIssue[]): void {
  for (const { schema, source, path } of schemas) {
    if (source.bundled) continue;
    schema.attributes.forEach((attr, i) => {
      const at = `${path}.attributes[${i}]`;
      if (attr.uniqueness !== 'none' && (attr.multiValued || !['string', 'reference'].includes(attr.type))) {
        issues.push({
          file: source.file,
          path: `${at}.uniqueness`,
          message: `"${attr.uniqueness}" uniqueness is enforced for single-valued string attributes only, and "${attr.name}" is ${attr.multiValued ? 'multi-valued' : `of type "${attr.type}"`}; expected "none", or make it a single-valued string`,
        });
      }
      (attr.subAttributes ?? []).forEach((sub, j) => {
        if (sub.uniqueness === 'none') return;
        issues.push({
          file: source.file,
          path: `${at}.subAttributes[${j}].uniqueness`,
          message: `"${sub.uniqueness}" uniqueness is enforced for top-level attributes only, and "${attr.name}.${sub.name}" is a sub-attribute; expected "none", or move it to the top level`,
        });
      });
    });
  }
}

/** Lower-cased schema URNs a resource type document names, valid or not. */
export function namedSchemas(document: unknown): string[] {
  const entries = Array.isArray(document) ? document : [document];
  return entries.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const { schema, schemaExtensions } = entry as { schema?: unknown; schemaExtensions?: unknown };
    const extensions = Array.isArray(schemaExtensions)
      ? schemaExtensions.map((e: unknown) => (typeof e === 'object' && e !== null ? (e as { schema?: unknown }).schema : undefined))
      : [];
    return [schema, ...extensions].filter((u): u is string => typeof u === 'string').map(lower);
  });
}

/** How an extension schema was attached, for --extend values naming what does not exist. */
export interface ExtendFlag {
  urn: string;
  resourceType: string;
}

/**
 * Attaches every schema that is not a resource type's core schema to the types it extends:
 * those whose ResourceType file lists it in `schemaExtensions`, the type named by --extend, or
 * else, by the RFC 7643 naming convention, the type whose name ends its URN ("...:User").
 * `claimed` holds the (lower-cased) URNs that rejected resource types name: already reported
 * with their type, so not reported again as extending nothing.
 */
export function attachExtensions(
  types: readonly LocatedResourceType[],
  schemas: readonly LocatedSchema[],
  extend: readonly ExtendFlag[],
  issues: SchemaIssue[],
  claimed: ReadonlySet<string> = new Set(),
): ResourceTypeDef[] {
  const cores = new Set(types.map((rt) => lower(rt.def.schema)));
  const schemaById = new Map(schemas.map((s) => [lower(s.schema.id), s.schema]));
  const extensions = new Map<LocatedResourceType, SchemaExtensionRef[]>(
    types.map((rt) => [
      rt,
      rt.def.schemaExtensions.map((e) => ({ schema: schemaById.get(lower(e.schema))?.id ?? e.schema, required: e.required })),
    ]),
  );
  const attach = (rt: LocatedResourceType, urn: string) => {
    const list = extensions.get(rt)!;
    if (!list.some((e) => lower(e.schema) === lower(urn))) list.push({ schema: urn, required: false });
  };
  const listedBy = (urn: string) => types.filter((rt) => rt.def.schemaExtensions.some((e) => lower(e.schema) === lower(urn)));
  const names = quoted(types.map((rt) => rt.def.name));

  const flagged = new Set<string>();
  for (const flag of extend) {
    const file = `--extend ${flag.urn}=${flag.resourceType}`;
    const schema = schemaById.get(lower(flag.urn));
    const target = types.find((rt) => lower(rt.def.name) === lower(flag.resourceType));
    if (!schema) {
      issues.push({ file, path: '', message: `no schema file defines "${flag.urn}"; pass it with --schema, or fix the URN` });
    } else if (cores.has(lower(schema.id))) {
      issues.push({ file, path: '', message: `"${flag.urn}" is a resource type's core schema, not an extension` });
    }
    if (!target) issues.push({ file, path: '', message: `no resource type is named "${flag.resourceType}"; expected one of ${names}` });
    if (schema && target && !cores.has(lower(schema.id))) {
      attach(target, schema.id);
      flagged.add(lower(schema.id));
    }
  }

  for (const { schema, source, path } of schemas) {
    const urn = lower(schema.id);
    if (cores.has(urn) || flagged.has(urn) || claimed.has(urn) || listedBy(schema.id).length > 0) continue;
    const target = types.find((rt) => urn.endsWith(`:${lower(rt.def.name)}`));
    if (target) {
      attach(target, schema.id);
      continue;
    }
    issues.push({
      file: source.file,
      path: `${path}.id`,
      message:
        `"${schema.id}" extends no resource type: it is no resource type's core schema, no ResourceType file lists it in ` +
        `"schemaExtensions", and its URN does not end in the name of one (${types.map((rt) => `":${rt.def.name}"`).join(', ')}). ` +
        `Attach it with --extend "${schema.id}=<resource type name>", list it in a --resource-type file's "schemaExtensions", ` +
        'or make it the "schema" of a resource type of its own (--resource-type FILE)',
    });
  }
  return types.map((rt) => ({ ...rt.def, schemaExtensions: extensions.get(rt)! }));
}

/**
 * The storage plan of the whole model, built the way the generated server builds it. It
 * fails only on what the checks above cannot see (two attribute columns with no free name);
 * the failure is reported against the last custom resource type, the likely cause.
 */
export function checkStorage(
  resourceTypes: readonly ResourceTypeDef[],
  schemas: readonly SchemaDef[],
  located: readonly LocatedResourceType[],
  issues: SchemaIssue[],
): void {
  try {
    storagePlan(buildRegistry(resourceTypes, schemas));
  } catch (error) {
    const last = [...located].reverse().find((rt) => !rt.bundled) ?? located[0];
    issues.push({
      file: last?.file ?? '(schemas)',
      path: last?.path ?? '$',
      message: `the resource types cannot be stored: ${(error as Error).message}`,
    });
  }
}
