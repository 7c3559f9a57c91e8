// Flags + prompt answers + environment -> validated options with every default filled.
// Pure: nothing after this reads raw flags. Invalid input becomes a UsageError that names the
// flag or argument to change.

import { basename, resolve } from 'node:path';
import { DEFAULT_AUTH_HEADER_NAME } from '../adapters/auth-custom-header.js';
import { choices } from '../adapters/index.js';
import { BUNDLED_RESOURCE_TYPE_FILES, BUNDLED_SCHEMA_FILES } from '../model/load.js';
import {
  DEFAULT_PROJECT_OPTIONS,
  type AuthId,
  type DatabaseId,
  type FrameworkId,
  type ProjectOptions,
  type RunOptions,
} from '../options.js';
import type { CliFlags } from './args.js';
import { packageManagerFromUserAgent } from './commands.js';
import { UsageError } from './errors.js';

/** What the prompts collected; only questions whose flag was missing are present. */
export interface Answers {
  directory?: string;
  basePath?: string;
  port?: number;
  enterpriseUser?: boolean;
  framework?: string;
  database?: string;
  auth?: string;
  authHeaderName?: string;
}

export interface ResolveEnv {
  cwd: string;
  /** Set by npm, pnpm, yarn and bun when they run `create`. */
  npmConfigUserAgent?: string;
}

export interface ResolvedOptions {
  project: ProjectOptions;
  run: RunOptions;
  /**
   * The --schema files as given (relative to the cwd), to load before they are copied.
   * project.schemaFiles[i] is where schemaPaths[i] lands: `schemas/<its file name>`.
   */
  schemaPaths: string[];
  /** The --resource-type files as given; project.resourceTypeFiles[i] is where each lands. */
  resourceTypePaths: string[];
}

export function resolveOptions(flags: CliFlags, answers: Answers, env: ResolveEnv): ResolvedOptions {
  const directory = flags.directory ?? answers.directory;
  if (directory === undefined || directory.trim() === '') {
    throw new UsageError(
      'No project directory given. Pass it as the first argument, e.g. ' +
        '`npm create scim-server@latest my-scim-server`, or run in a terminal to be asked.',
    );
  }
  const targetDir = resolve(env.cwd, directory);
  const projectName = flags.projectName ?? basename(targetDir).toLowerCase();
  const nameProblem = projectNameError(projectName);
  if (nameProblem) {
    throw new UsageError(
      `The project name "${projectName}" comes from the directory "${directory}" and ${nameProblem}. ` +
        `Choose another directory (the first argument)${suggestion(projectName)}.`,
    );
  }

  const basePath = flags.basePath ?? answers.basePath ?? DEFAULT_PROJECT_OPTIONS.basePath;
  const basePathProblem = basePathError(basePath);
  if (basePathProblem) throw new UsageError(`Invalid --base-path "${basePath}": it ${basePathProblem}.`);

  const portText = flags.port ?? (answers.port !== undefined ? String(answers.port) : undefined);
  const port = portText === undefined ? DEFAULT_PROJECT_OPTIONS.port : Number(portText);
  const portProblem = portText === undefined ? undefined : portError(portText);
  if (portProblem) throw new UsageError(`Invalid --port "${portText}": ${portProblem}.`);

  const schemaPaths = [...flags.schema];
  const resourceTypePaths = [...(flags.resourceType ?? [])];
  const copies = projectSchemaFiles([
    ...schemaPaths.map((path) => ({ flag: '--schema', path })),
    ...resourceTypePaths.map((path) => ({ flag: '--resource-type', path })),
  ]);
  const extend = parseExtend(flags.extend ?? []);
  const auth = pick('auth', flags.auth ?? answers.auth, DEFAULT_PROJECT_OPTIONS.auth) as AuthId;
  const authHeaderName = resolveAuthHeaderName(auth, flags.authHeaderName, answers.authHeaderName);
  return {
    project: {
      projectName,
      basePath,
      port,
      enterpriseUser: flags.enterpriseUser ?? answers.enterpriseUser ?? DEFAULT_PROJECT_OPTIONS.enterpriseUser,
      schemaFiles: copies.slice(0, schemaPaths.length),
      resourceTypeFiles: copies.slice(schemaPaths.length),
      ...(Object.keys(extend).length > 0 ? { extend } : {}),
      framework: pick('framework', flags.framework ?? answers.framework, DEFAULT_PROJECT_OPTIONS.framework) as FrameworkId,
      database: pick('database', flags.database ?? answers.database, DEFAULT_PROJECT_OPTIONS.database) as DatabaseId,
      auth,
      ...(authHeaderName ? { authHeaderName } : {}),
    },
    run: {
      targetDir,
      install: flags.install ?? true,
      git: flags.git ?? true,
      dryRun: flags.dryRun,
      force: flags.force,
      packageManager: flags.packageManager ?? packageManagerFromUserAgent(env.npmConfigUserAgent) ?? 'npm',
    },
    schemaPaths,
    resourceTypePaths,
  };
}

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

/** The custom header's name: only with --auth custom-header, where it defaults. */
function resolveAuthHeaderName(auth: AuthId, flag: string | undefined, answer: string | undefined): string | undefined {
  if (auth !== 'custom-header') {
    if (flag !== undefined) {
      throw new UsageError(
        `--auth-header-name only applies to --auth custom-header, but --auth is "${auth}". ` +
          'Add --auth custom-header or remove --auth-header-name.',
      );
    }
    return undefined;
  }
  const name = (flag ?? answer ?? DEFAULT_AUTH_HEADER_NAME).trim();
  const problem = authHeaderNameError(name);
  if (problem) throw new UsageError(`Invalid --auth-header-name "${name}": it ${problem}.`);
  return name;
}

/** Headers a client or proxy sets for its own purposes: a secret there would be lost or leaked. */
const RESERVED_HEADERS = new Set([
  'accept', 'accept-encoding', 'connection', 'content-length', 'content-type', 'cookie', 'forwarded', 'host',
  'if-match', 'if-none-match', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'user-agent', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-request-id',
]);

/** Why `name` cannot carry the API key ("it ..."), or undefined when it can. */
export function authHeaderNameError(name: string): string | undefined {
  // RFC 9110 token characters.
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return 'is not a valid HTTP header name (letters, digits and - _ . ! # $ % & \' * + ^ ` | ~)';
  if (name.toLowerCase() === 'authorization') return 'is Authorization: use --auth header (raw token) or --auth bearer instead';
  if (RESERVED_HEADERS.has(name.toLowerCase())) return 'is a header clients and proxies set themselves; choose another, e.g. X-API-Key';
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

/** A valid name close to `name`, as a hint ("e.g. my-scim"). */
function suggestion(name: string): string {
  const fixed = name
    .trim()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '');
  return fixed && !projectNameError(fixed) ? `, e.g. "${fixed}"` : '';
}

function pick(layer: 'framework' | 'database' | 'auth', value: string | undefined, fallback: string): string {
  const id = value ?? fallback;
  const allowed = choices(layer);
  if (!allowed.includes(id)) {
    throw new UsageError(`Invalid --${layer} "${id}": expected one of ${allowed.map((c) => `"${c}"`).join(', ')}.`);
  }
  return id;
}

/** Each --schema and --resource-type file is copied to schemas/<name>, so names must not collide there. */
function projectSchemaFiles(files: ReadonlyArray<{ flag: string; path: string }>): string[] {
  const taken = new Map<string, string>(
    [...Object.values(BUNDLED_SCHEMA_FILES), ...BUNDLED_RESOURCE_TYPE_FILES].map((f) => [f.toLowerCase(), 'a bundled schema']),
  );
  return files.map(({ flag, path }) => {
    const name = basename(path);
    const clash = taken.get(name.toLowerCase());
    if (clash) {
      throw new UsageError(
        `${flag} "${path}" would be copied to schemas/${name}, which is already used by ${clash}. Rename the file.`,
      );
    }
    taken.set(name.toLowerCase(), `${flag} "${path}"`);
    return `schemas/${name}`;
  });
}

/** --extend URN=ResourceTypeName, repeatable; whether both exist is the schema loader's to say. */
export function parseExtend(values: readonly string[]): Record<string, string> {
  const extend: Record<string, string> = {};
  for (const value of values) {
    const at = value.lastIndexOf('=');
    const urn = value.slice(0, Math.max(at, 0)).trim();
    const type = value.slice(at + 1).trim();
    if (at < 0 || !/^urn:\S+$/i.test(urn) || !/^[A-Za-z][A-Za-z0-9]*$/.test(type)) {
      throw new UsageError(
        `Invalid --extend "${value}": expected URN=ResourceTypeName, e.g. ` +
          '--extend urn:example:params:scim:schemas:extension:badge:2.0:Badge=User.',
      );
    }
    const before = Object.keys(extend).find((k) => k.toLowerCase() === urn.toLowerCase());
    if (before !== undefined && extend[before] !== type) {
      throw new UsageError(`--extend names "${urn}" twice, for ${extend[before]} and ${type}: an extension is attached once per flag, pass one.`);
    }
    extend[before ?? urn] = type;
  }
  return extend;
}
