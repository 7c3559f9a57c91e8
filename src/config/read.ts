// Reads and checks a config file: `--config customer.json`, or a generated project's
// scim.config.json for `regenerate`. Every problem is reported at once, as a ConfigError.

import { readFile, stat } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { SchemaIssue } from '../model/errors.js';
import { parseJson } from '../model/parse-json.js';
import { ConfigError } from './errors.js';
import { validateConfig, type ConfigDocument } from './validate.js';

export { ConfigError } from './errors.js';
export type { ConfigAnswers, ConfigMeta } from './fields.js';
export type { ConfigDocument } from './validate.js';
export { configProjectOptions, toConfigDocument } from './document.js';

export interface LoadedConfig {
  /** The file as the user named it, for messages. */
  file: string;
  /** Absolute path of the file. */
  path: string;
  /** The file's directory: relative paths inside it are resolved from here. */
  dir: string;
  /** The valid keys as written (paths not yet resolved). */
  document: ConfigDocument;
}

/** Reads `file` (relative to `cwd`), checks every key and that every listed schema file exists. */
export async function readConfigFile(file: string, options: { cwd: string }): Promise<LoadedConfig> {
  const path = resolve(options.cwd, file);
  const dir = dirname(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ file, path: '$', message: `cannot read the file (${readProblem(error)}; looked at ${path})` }]);
  }
  const parsed = parseJson(text, file);
  if (!parsed.ok) throw new ConfigError(file, [parsed.issue]);

  const issues: SchemaIssue[] = [];
  const document = validateConfig(parsed.value, file, issues);
  for (const key of ['schemaFiles', 'resourceTypeFiles'] as const) {
    for (const [i, listed] of (document[key] ?? []).entries()) {
      const problem = await fileProblem(resolve(dir, listed));
      if (problem) {
        const shown = relative(options.cwd, resolve(dir, listed)) || '.';
        issues.push({ file, path: `$.${key}[${i}]`, message: `${problem} at ${shown} (paths are relative to the config file's directory)` });
      }
    }
  }
  if (issues.length > 0) throw new ConfigError(file, issues);
  return { file, path, dir, document };
}

async function fileProblem(path: string): Promise<string | undefined> {
  try {
    return (await stat(path)).isFile() ? undefined : 'expected a file, found a directory';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${readProblem(error)})`;
  }
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory; name the JSON file inside it, e.g. scim.config.json';
  return error instanceof Error ? error.message : String(error);
}
