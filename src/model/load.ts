// Reads the bundled RFC 7643 schemas and the user's --schema files into the SchemaModel.
// Every problem in every file is collected and thrown as one SchemaValidationError.

import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ResourceTypeDef, SchemaDef, SchemaExtensionRef } from '../../templates/scim/schema.js';
import { SchemaValidationError, type SchemaIssue } from './errors.js';
import type { SchemaModel, SchemaSource } from './ir.js';
import { packageRoot } from './package-root.js';
import { parseJson } from './parse-json.js';
import { validateResourceTypeDocument, validateSchemaDocument } from './validate.js';

export { SchemaValidationError, type SchemaIssue } from './errors.js';

export interface LoadSchemaOptions {
  /** Include the bundled Enterprise User extension on /Users. */
  enterpriseUser: boolean;
  /** Extra schema files (a schema object or an array of them), relative to `cwd`. */
  schemaFiles: readonly string[];
  cwd: string;
}

export const BUNDLED_SCHEMA_FILES = {
  user: 'User.schema.json',
  group: 'Group.schema.json',
  enterpriseUser: 'EnterpriseUser.schema.json',
} as const;
export const BUNDLED_RESOURCE_TYPE_FILES = ['User.resource-type.json', 'Group.resource-type.json'] as const;

interface LoadedSchema {
  schema: SchemaDef;
  source: SchemaSource;
  /** JSON path of the schema in its file, for messages. */
  path: string;
}

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
    loaded.push(...(await loadSchemas(join(bundledDir, file), { file, bundled: true }, issues)));
  }
  for (const file of options.schemaFiles) {
    loaded.push(...(await loadSchemas(resolve(options.cwd, file), { file, bundled: false }, issues)));
  }

  const resourceTypes: ResourceTypeDef[] = [];
  for (const file of BUNDLED_RESOURCE_TYPE_FILES) {
    const text = await readText(join(bundledDir, file), file, issues);
    if (text === undefined) continue;
    const parsed = parseJson(text, file);
    if (!parsed.ok) issues.push(parsed.issue);
    else resourceTypes.push(...validateResourceTypeDocument(parsed.value, file, issues).map((l) => l.value));
  }

  const unique = dropDuplicateIds(loaded, issues);
  const attached = attachExtensions(resourceTypes, unique, issues);
  if (issues.length > 0) throw new SchemaValidationError(issues);

  return {
    schemas: unique.map((l) => l.schema),
    resourceTypes: attached,
    sources: new Map(unique.map((l) => [l.schema.id, l.source])),
  };
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

/**
 * Every schema that is not a resource type's core schema must be an extension. Its URN's last
 * segment names the resource type it extends ("...:User" extends /Users), the convention of the
 * RFC's own enterprise extension.
 */
function attachExtensions(
  resourceTypes: ResourceTypeDef[],
  loaded: LoadedSchema[],
  issues: SchemaIssue[],
): ResourceTypeDef[] {
  const coreIds = new Set(resourceTypes.map((rt) => rt.schema));
  const suffixes = resourceTypes.map((rt) => `":${rt.name}"`).join(' or ');
  const extensions = new Map<string, SchemaExtensionRef[]>(
    resourceTypes.map((rt) => [rt.id, [...rt.schemaExtensions]]),
  );
  for (const { schema, source, path } of loaded) {
    if (coreIds.has(schema.id)) continue;
    const target = resourceTypes.find((rt) => schema.id.endsWith(`:${rt.name}`));
    if (!target) {
      issues.push({
        file: source.file,
        path: `${path}.id`,
        message:
          `"${schema.id}" does not end in ${suffixes}, so it would need its own resource type: ` +
          'custom resource types are not supported yet (--resource-type arrives with issue #4)',
      });
      continue;
    }
    const list = extensions.get(target.id) ?? [];
    if (!list.some((ext) => ext.schema === schema.id)) list.push({ schema: schema.id, required: false });
    extensions.set(target.id, list);
  }
  return resourceTypes.map((rt) => ({ ...rt, schemaExtensions: extensions.get(rt.id) ?? [] }));
}
