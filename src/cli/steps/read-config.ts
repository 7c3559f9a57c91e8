// --config FILE: the file's answers fill every flag that was not given, so prompts skip them
// and resolve-options treats them like flags. Flags given on the command line win.

import { relative, resolve } from 'node:path';
import { adapterQuestions } from '../../adapters/questions.js';
import { readConfigFile, type LoadedConfig } from '../../config/read.js';
import { DEFAULT_PROJECT_OPTIONS } from '../../options.js';
import type { CliFlags } from '../args.js';
import type { Log } from '../log.js';

/** The flags with the config file's answers filled in; the flags as given without --config. */
export async function applyConfigFile(flags: CliFlags, cwd: string, log: Log): Promise<CliFlags> {
  if (flags.config === undefined) return flags;
  const config = await readConfigFile(flags.config, { cwd });
  log.success(`Answers from ${flags.config}`);
  return mergeConfig(flags, config, cwd);
}

export function mergeConfig(flags: CliFlags, config: LoadedConfig, cwd: string): CliFlags {
  const c = config.document;
  // Paths in the file are relative to it; flags and the schema loader work from the cwd.
  const fromConfig = (path: string) => relative(cwd, resolve(config.dir, path)) || '.';
  const list = (given: readonly string[] | undefined, configured: readonly string[] | undefined) =>
    given && given.length > 0 ? [...given] : (configured ?? []).map(fromConfig);
  const directoryFromConfig = flags.directory === undefined && c.directory !== undefined;
  return {
    ...flags,
    directory: directoryFromConfig ? fromConfig(c.directory!) : flags.directory,
    // A directory on the command line names the project, as without a config (this clones one).
    projectName: directoryFromConfig ? c.projectName : undefined,
    basePath: flags.basePath ?? c.basePath,
    port: flags.port ?? (c.port === undefined ? undefined : String(c.port)),
    enterpriseUser: flags.enterpriseUser ?? c.enterpriseUser,
    schema: list(flags.schema, c.schemaFiles),
    resourceType: list(flags.resourceType, c.resourceTypeFiles),
    extend: flags.extend && flags.extend.length > 0 ? flags.extend : Object.entries(c.extend ?? {}).map(([urn, type]) => `${urn}=${type}`),
    framework: flags.framework ?? c.framework,
    database: flags.database ?? c.database,
    auth: flags.auth ?? c.auth,
    unknownAttributes: flags.unknownAttributes ?? c.unknownAttributes,
    tenancy: flags.tenancy ?? c.tenancy,
    adapterFlags: adapterFlags(flags, config),
    install: flags.install ?? c.install,
    git: flags.git ?? c.git,
    packageManager: flags.packageManager ?? c.packageManager,
  };
}

/**
 * The adapters' answers: a flag wins; the file's answer counts only while the adapter it belongs
 * to is still the choice (an --auth flag replacing the file's "custom-header" drops its header name).
 */
function adapterFlags(flags: CliFlags, config: LoadedConfig): Record<string, string> {
  const merged = { ...flags.adapterFlags };
  const document = config.document as Record<string, unknown>;
  for (const { adapter, question } of adapterQuestions()) {
    const chosen = flags[adapter.layer] ?? config.document[adapter.layer] ?? DEFAULT_PROJECT_OPTIONS[adapter.layer];
    const value = document[question.key];
    if (merged[question.key] === undefined && chosen === adapter.id && typeof value === 'string') merged[question.key] = value;
  }
  return merged;
}
