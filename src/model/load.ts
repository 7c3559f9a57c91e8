// Reads the bundled RFC 7643 schemas and resource types, the user's --schema and
// --resource-type files, and attaches the extensions (resource-types.ts) into the SchemaModel.
// Every problem in every file is collected and thrown as one SchemaValidationError.

import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SchemaValidationError, type SchemaIssue } from './errors.js';
import type { SchemaModel, SchemaSource } from './ir.js';
import { packageRoot } from './package-root.js';
import { parseJson } from './parse-json.js';
import {
  attachExtensions,
  checkResourceTypes,
  checkStorage,
  checkUniqueness,
  namedSchemas,
  type LocatedResourceType,
  type LocatedSchema,
} from './resource-types.js';
import { validateResourceTypeDocument, validateSchemaDocument } from './validate.js';

export { SchemaValidationError, type SchemaIssue } from './errors.js';

export interface LoadSchemaOptions {
  /** Include the bundled Enterprise User extension on /Users. */
  enterpriseUser: boolean;
  /** Extra schema files (a schema object or an array of them), relative to `cwd`. */
  schemaFiles: readonly string[];
  /** Custom resource type files (a ResourceType object or an array of them), relative to `cwd`. */
  resourceTypeFiles?: readonly string[];
  /** Extension schema URN -> the name of the resource type it extends (--extend). */
  extend?: Readonly<Record<string, string>>;
  /**
   * A generated project's schemas/ folder, on regenerate: its copies of the RFC 7643 schemas
   * are the user's to edit, so they replace the bundled ones (a missing copy falls back).
   */
  coreSchemasDir?: string;
  cwd: string;
}

export const BUNDLED_SCHEMA_FILES = {
  user: 'User.schema.json',
  group: 'Group.schema.json',
  enterpriseUser: 'EnterpriseUser.schema.json',
} as const;
export const BUNDLED_RESOURCE_TYPE_FILES = ['User.resource-type.json', 'Group.resource-type.json'] as const;

type LoadedSchema = LocatedSchema;

export async function loadSchemaModel(options: LoadSchemaOptions): Promise<SchemaModel> {
  const issues: SchemaIssue[] = [];
  const bundledDir = join(packageRoot(), 'schemas');

  const bundledSchemaFiles = [
    BUNDLED_SCHEMA_FILES.user,
    BUNDLED_SCHEMA_FILES.group,
    ...(options.enterpriseUser ? [BUNDLED_SCHEMA_FILES.enterpriseUser] : []),
  ];
  const loaded: LoadedSchema[] = [];
  for (const file of bundledSchemaFiles) {
    const copy = options.coreSchemasDir && join(options.coreSchemasDir, file);
    const source = copy && (await exists(copy)) ? { path: copy, file: `schemas/${file}` } : { path: join(bundledDir, file), file };
    loaded.push(...(await loadSchemas(source.path, { file: source.file, bundled: true }, issues)));
  }
  for (const file of options.schemaFiles) {
    loaded.push(...(await loadSchemas(resolve(options.cwd, file), { file, bundled: false }, issues)));
  }

  const types: LocatedResourceType[] = [];
  const resourceTypeSources: SchemaSource[] = [];
  const claimed = new Set<string>();
  for (const file of BUNDLED_RESOURCE_TYPE_FILES) {
    types.push(...(await loadResourceTypes(join(bundledDir, file), { file, bundled: true }, issues)).types);
  }
  for (const file of options.resourceTypeFiles ?? []) {
    const found = await loadResourceTypes(resolve(options.cwd, file), { file, bundled: false }, issues);
    types.push(...found.types);
    for (const urn of found.named) claimed.add(urn);
    if (found.source) resourceTypeSources.push(found.source);
  }

  const unique = dropDuplicateIds(loaded, issues);
  checkUniqueness(unique, issues);
  const checked = checkResourceTypes(types, unique, issues);
  const extend = Object.entries(options.extend ?? {}).map(([urn, resourceType]) => ({ urn, resourceType }));
  const resourceTypes = attachExtensions(checked, unique, extend, issues, claimed);
  const schemas = unique.map((l) => l.schema);
  if (issues.length === 0) checkStorage(resourceTypes, schemas, checked, issues);
  if (issues.length > 0) throw new SchemaValidationError(issues);

  return {
    schemas,
    resourceTypes,
    sources: new Map(unique.map((l) => [l.schema.id, l.source])),
    ...(resourceTypeSources.length > 0 ? { resourceTypeSources } : {}),
  };
}

async function loadResourceTypes(
  absolutePath: string,
  origin: { file: string; bundled: boolean },
  issues: SchemaIssue[],
): Promise<{ types: LocatedResourceType[]; named: string[]; source?: SchemaSource }> {
  const text = await readText(absolutePath, origin.file, issues);
  if (text === undefined) return { types: [], named: [] };
  const parsed = parseJson(text, origin.file);
  if (!parsed.ok) {
    issues.push(parsed.issue);
    return { types: [], named: [] };
  }
  const types = validateResourceTypeDocument(parsed.value, origin.file, issues).map(({ value, path }) => ({
    def: value,
    file: origin.file,
    path,
    bundled: origin.bundled,
  }));
  return { types, named: namedSchemas(parsed.value), source: { ...origin, text } };
}

async function loadSchemas(
  absolutePath: string,
  origin: { file: string; bundled: boolean },
  issues: SchemaIssue[],
): Promise<LoadedSchema[]> {
  const text = await readText(absolutePath, origin.file, issues);
  if (text === undefined) return [];
  const parsed = parseJson(text, origin.file);
  if (!parsed.ok) {
    issues.push(parsed.issue);
    return [];
  }
  const source: SchemaSource = { ...origin, text };
  return validateSchemaDocument(parsed.value, origin.file, issues).map(({ value, path }) => ({
    schema: value,
    source,
    path,
  }));
}

async function readText(path: string, file: string, issues: SchemaIssue[]): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    issues.push({ file, path: '$', message: `cannot read the file (${reason}; looked at ${path})` });
    return undefined;
  }
}

/** Schema URNs must be unique across all files; the first definition wins, later ones are reported. */
function dropDuplicateIds(loaded: LoadedSchema[], issues: SchemaIssue[]): LoadedSchema[] {
  const byId = new Map<string, LoadedSchema>();
  for (const entry of loaded) {
    const key = entry.schema.id.toLowerCase();
    const first = byId.get(key);
    if (first) {
      issues.push({
        file: entry.source.file,
        path: `${entry.path}.id`,
        message: `duplicate schema id "${entry.schema.id}" (already defined in ${first.source.file})`,
      });
    } else {
      byId.set(key, entry);
    }
  }
  return [...byId.values()];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
