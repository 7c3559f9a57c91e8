// The generator's resolved options: every default filled, every value validated. Produced
// once by src/cli/resolve-options.ts (from flags, prompts or a config file); nothing after
// that reads raw flags.

export type FrameworkId = 'fastify' | 'express' | 'hono';
export type DatabaseId = 'sqlite' | 'postgres' | 'mysql' | 'custom';
export type AuthId = 'bearer' | 'header' | 'basic' | 'custom-header' | 'oauth2';

/** What decides the generated files. Recorded in the project's scim.config.json. */
export interface ProjectOptions {
  /** npm package name of the generated project. */
  projectName: string;
  /** SCIM base path, e.g. "/scim/v2": leading slash, no trailing slash, no "_". */
  basePath: string;
  /** Default port written to .env / .env.example. */
  port: number;
  /** Include urn:ietf:params:scim:schemas:extension:enterprise:2.0:User on /Users. */
  enterpriseUser: boolean;
  /** Extra schema files given with --schema, as paths relative to the project root once copied. */
  schemaFiles: string[];
  /**
   * Custom resource types (RFC 7643 §6 ResourceType JSON) given with --resource-type, as paths
   * relative to the project root once copied (`schemas/<name>`).
   */
  resourceTypeFiles: string[];
  /**
   * Extension schemas attached to a resource type by --extend URN=ResourceTypeName: those whose
   * URN does not end in the type's name and that no ResourceType file lists. Omitted when empty.
   */
  extend?: Record<string, string>;
  framework: FrameworkId;
  database: DatabaseId;
  auth: AuthId;
  /** The header carrying the secret when auth is "custom-header", e.g. "X-API-Key". */
  authHeaderName?: string;
}

/** What only the CLI run needs (not recorded, not part of the file plan). */
export interface RunOptions {
  /** Absolute path of the directory to generate into. */
  targetDir: string;
  install: boolean;
  git: boolean;
  dryRun: boolean;
  /** Allow generating into a non-empty directory. */
  force: boolean;
  packageManager: 'npm' | 'pnpm' | 'yarn' | 'bun';
}

export const DEFAULT_PROJECT_OPTIONS: Omit<ProjectOptions, 'projectName'> = {
  basePath: '/scim/v2',
  port: 3000,
  enterpriseUser: true,
  schemaFiles: [],
  resourceTypeFiles: [],
  framework: 'fastify',
  database: 'sqlite',
  auth: 'bearer',
};
