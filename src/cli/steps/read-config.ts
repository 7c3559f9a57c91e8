// --config FILE: the file's answers fill every flag that was not given, so prompts skip them
// and resolve-options treats them like flags. Flags given on the command line win.

import { relative, resolve } from 'node:path';
import { readConfigFile, type LoadedConfig } from '../../config/read.js';
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
  const auth = flags.auth ?? c.auth;
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
    auth,
    // The file's header name belongs to its "custom-header" answer; an --auth flag replacing that answer drops it.
    authHeaderName: flags.authHeaderName ?? (auth === 'custom-header' ? c.authHeaderName : undefined),
    install: flags.install ?? c.install,
    git: flags.git ?? c.git,
    packageManager: flags.packageManager ?? c.packageManager,
  };
}
