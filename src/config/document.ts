// Between a config document and the generator's ProjectOptions: the project's scim.config.json
// is written from its options and read back into the same options by `regenerate`.

import { basename } from 'node:path';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../options.js';
import { CONFIG_KEYS, QUESTION_FIELDS } from './fields.js';
import { configSchemaUrl } from './schema.js';
import type { ConfigDocument } from './validate.js';

/** The ProjectOptions keys; the Record type makes a new option a compile error here until listed. */
const PROJECT_KEYS = Object.keys({
  projectName: true,
  basePath: true,
  port: true,
  enterpriseUser: true,
  schemaFiles: true,
  resourceTypeFiles: true,
  extend: true,
  framework: true,
  database: true,
  auth: true,
  unknownAttributes: true,
  tenancy: true,
} satisfies Record<Exclude<keyof ProjectOptions, 'adapterOptions'>, true>) as (keyof ProjectOptions)[];

/** A project's scim.config.json: `$schema` for editors, the generator version, then the options in FIELDS order. */
export function toConfigDocument(options: ProjectOptions, generatorVersion: string): ConfigDocument {
  const { adapterOptions, ...rest } = options;
  // Adapters' answers are top-level keys, as a hand-written config gives them.
  const unordered: Record<string, unknown> = { $schema: configSchemaUrl(generatorVersion), generatorVersion, ...rest, ...adapterOptions };
  return Object.fromEntries(CONFIG_KEYS.filter((k) => unordered[k] !== undefined).map((k) => [k, unordered[k]])) as ConfigDocument;
}

/**
 * The ProjectOptions a config describes, every default filled. File paths stay as written
 * (relative to `dir`), which for a project's own scim.config.json is the project root.
 * `dir` names the project when the config does not.
 */
export function configProjectOptions(document: ConfigDocument, dir: string): ProjectOptions {
  const given = Object.fromEntries(PROJECT_KEYS.filter((k) => document[k] !== undefined).map((k) => [k, document[k]]));
  const adapterOptions = Object.fromEntries(
    Object.keys(QUESTION_FIELDS).flatMap((key) => (typeof document[key] === 'string' ? [[key, document[key]]] : [])),
  );
  return {
    ...DEFAULT_PROJECT_OPTIONS,
    projectName: basename(dir).toLowerCase(),
    ...given,
    ...(Object.keys(adapterOptions).length > 0 ? { adapterOptions } : {}),
  };
}
