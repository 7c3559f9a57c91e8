// A generated project's own answers, for `regenerate`: its scim.config.json read back into
// ProjectOptions by the same validating reader as `--config` (src/config), so both report a
// bad key the same way. Paths inside it are relative to the project root.

import { join, relative } from 'node:path';
import { configProjectOptions, readConfigFile } from '../config/read.js';
import type { ProjectOptions } from '../options.js';

export const PROJECT_CONFIG = 'scim.config.json';
/** The project's schema files, as listed in its config (copied here when the project was made). */
export const SCHEMAS_DIR = 'schemas';

/** Files regenerate reads from the project: its config and its schema files. */
export const isProjectInput = (path: string): boolean => path === PROJECT_CONFIG || path.startsWith(`${SCHEMAS_DIR}/`);

export interface ProjectConfig {
  options: ProjectOptions;
  /** The generator version that last wrote the file, when recorded. */
  generatorVersion?: string;
}

/** Reads `<projectDir>/scim.config.json`; errors name it as seen from `cwd`. */
export async function readProjectConfig(projectDir: string, cwd: string): Promise<ProjectConfig> {
  const file = relative(cwd, join(projectDir, PROJECT_CONFIG)) || PROJECT_CONFIG;
  const { document } = await readConfigFile(file, { cwd });
  const generatorVersion = typeof document.generatorVersion === 'string' ? document.generatorVersion : undefined;
  return { options: configProjectOptions(document, projectDir), ...(generatorVersion ? { generatorVersion } : {}) };
}
