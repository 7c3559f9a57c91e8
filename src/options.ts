// The generator's resolved options: every default filled, every value validated. Produced
// once by src/cli/resolve-options.ts (from flags, prompts or a config file); nothing after
// that reads raw flags.

// Adapter ids are whatever the registry (src/adapters/index.ts) found in templates/: checked
// against it when options are resolved, so they are plain strings here.
export type FrameworkId = string;
export type DatabaseId = string;
export type AuthId = string;

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
  /**
   * Attributes and schema URNs in requests that no schema declares: "reject" (400
   * invalidSyntax naming them) or "ignore" (dropped, never stored, and logged by name).
   */
  unknownAttributes: UnknownAttributesPolicy;
  /**
   * "single": one tenant (`default`), served at the base path itself. "multi": each tenant at
   * `<basePath>/<slug>`, the un-prefixed base path still answering for tenant `default`.
   */
  tenancy: Tenancy;
  /**
   * Answers to the chosen adapters' own questions, by question key (e.g. custom-header's
   * `authHeaderName`); scim.config.json keeps them as top-level keys. Omitted when empty.
   */
  adapterOptions?: Record<string, string>;
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

/**
 * Where a generated project's scripts (scim:generate, scim:check) find the generator: the
 * registry, pinned to the version that made the project; or, for a project made from a clone
 * of the generator (not published yet, or being worked on), that clone's bin script.
 */
export type GeneratorSource = { kind: 'registry' } | { kind: 'path'; bin: string };

export const REGISTRY: GeneratorSource = { kind: 'registry' };

/** The directory `--yes` creates when none is given, and the prompt's suggestion. */
export const DEFAULT_DIRECTORY = 'scim-server';

export const DEFAULT_PROJECT_OPTIONS: Omit<ProjectOptions, 'projectName'> = {
  basePath: '/scim/v2',
  port: 3000,
  enterpriseUser: true,
  schemaFiles: [],
  resourceTypeFiles: [],
  framework: 'fastify',
  database: 'sqlite',
  auth: 'bearer',
  unknownAttributes: 'reject',
  tenancy: 'single',
};

export const UNKNOWN_ATTRIBUTES_POLICIES = ['reject', 'ignore'] as const;
export type UnknownAttributesPolicy = (typeof UNKNOWN_ATTRIBUTES_POLICIES)[number];

export const TENANCY_MODES = ['single', 'multi'] as const;
export type Tenancy = (typeof TENANCY_MODES)[number];

export const PACKAGE_MANAGERS: ReadonlyArray<RunOptions['packageManager']> = ['npm', 'pnpm', 'yarn', 'bun'];

// Why a value is not a valid option ("it ..."), or undefined when it is: shared by the flags,
// the prompts and the config file, so all three give the same reason.

/** Why `value` is not a usable SCIM base path ("it ..."), or undefined when it is. */
export function basePathError(value: string): string | undefined {
  if (!value.startsWith('/')) return 'must start with "/", e.g. "/scim/v2"';
  if (value === '/') return 'must name a path below the root, e.g. "/scim/v2"';
  // Checked before the character set so the reason is the real one.
  if (value.includes('_')) return 'must not contain "_" because Okta rejects base URLs with underscores';
  if (value.endsWith('/')) return 'must not end with "/"';
  const segments = value.slice(1).split('/');
  if (segments.includes('')) return 'must not contain an empty segment ("//")';
  if (segments.some((s) => s === '.' || s === '..')) return 'must not contain "." or ".." segments';
  // RFC 3986 pchar: unreserved, sub-delims, ":" and "@", or a %XX escape.
  const bad = segments.join('').replace(/%[0-9A-Fa-f]{2}/g, '').match(/[^A-Za-z0-9\-.~!$&'()*+,;=:@]/);
  if (bad) return `may only contain letters, digits and - . ~ ! $ & ' ( ) * + , ; = : @ (or %XX escapes), not "${bad[0]}"`;
  return undefined;
}

/** Why `value` is not a TCP port, or undefined when it is. */
export function portError(value: string): string | undefined {
  const n = Number(value);
  return /^\d+$/.test(value.trim()) && n >= 1 && n <= 65535 ? undefined : 'expected a whole number from 1 to 65535';
}

/** Why `name` cannot be an npm package name ("it ..."), or undefined when it can. */
export function projectNameError(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 214) return 'is longer than the 214 characters npm allows';
  if (name === 'node_modules' || name === 'favicon.ico') return 'is a name npm reserves';
  if (!/^[a-z0-9~-][a-z0-9._~-]*$/.test(name)) {
    return 'is not a valid npm package name (use lowercase letters, digits, "-", "." and "_", not starting with "." or "_")';
  }
  return undefined;
}
