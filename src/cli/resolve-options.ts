// Flags + prompt answers + environment -> validated options with every default filled.
// Pure: nothing after this reads raw flags. Invalid input becomes a UsageError that names the
// flag or argument to change.

import { basename, resolve } from 'node:path';
import { choices, selectAdapters } from '../adapters/index.js';
import { adapterQuestions } from '../adapters/questions.js';
import { closest } from '../model/did-you-mean.js';
import { BUNDLED_RESOURCE_TYPE_FILES, BUNDLED_SCHEMA_FILES } from '../model/load.js';
import {
  basePathError,
  DEFAULT_DIRECTORY,
  DEFAULT_PROJECT_OPTIONS,
  portError,
  projectNameError,
  type ProjectOptions,
  type RunOptions,
  type Tenancy,
  TENANCY_MODES,
  type UnknownAttributesPolicy,
  UNKNOWN_ATTRIBUTES_POLICIES,
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
  tenancy?: Tenancy;
  /** Answers to the chosen adapters' own questions, by question key. */
  adapterOptions?: Record<string, string>;
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
  // --yes takes the default for every question, the directory's included.
  const directory = flags.directory ?? answers.directory ?? (flags.yes ? DEFAULT_DIRECTORY : undefined);
  if (directory === undefined || directory.trim() === '') {
    throw new UsageError(
      'No project directory given. Pass it as the first argument, e.g. ' +
        `\`npm create scim-server@latest my-scim-server\`, pass --yes to create ./${DEFAULT_DIRECTORY}, or run in a terminal to be asked.`,
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
  const layers = {
    framework: pick('framework', flags.framework ?? answers.framework, DEFAULT_PROJECT_OPTIONS.framework),
    database: pick('database', flags.database ?? answers.database, DEFAULT_PROJECT_OPTIONS.database),
    auth: pick('auth', flags.auth ?? answers.auth, DEFAULT_PROJECT_OPTIONS.auth),
  };
  const adapterOptions = resolveAdapterOptions(layers, flags.adapterFlags, answers.adapterOptions ?? {});
  return {
    project: {
      projectName,
      basePath,
      port,
      enterpriseUser: flags.enterpriseUser ?? answers.enterpriseUser ?? DEFAULT_PROJECT_OPTIONS.enterpriseUser,
      schemaFiles: copies.slice(0, schemaPaths.length),
      resourceTypeFiles: copies.slice(schemaPaths.length),
      ...(Object.keys(extend).length > 0 ? { extend } : {}),
      ...layers,
      ...(Object.keys(adapterOptions).length > 0 ? { adapterOptions } : {}),
      unknownAttributes: pickPolicy(flags.unknownAttributes),
      tenancy: pickTenancy(flags.tenancy ?? answers.tenancy),
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

/**
 * The chosen adapters' answers (each question's flag, else its prompt answer, else its default),
 * validated; a flag of an adapter that was not chosen is refused, naming the choice it needs.
 */
function resolveAdapterOptions(
  layers: Pick<ProjectOptions, 'framework' | 'database' | 'auth'>,
  flags: Readonly<Record<string, string>>,
  answers: Readonly<Record<string, string>>,
): Record<string, string> {
  const options: Record<string, string> = {};
  for (const { adapter, question } of adapterQuestions()) {
    const flag = flags[question.key];
    if (layers[adapter.layer] !== adapter.id) {
      if (flag !== undefined) {
        throw new UsageError(
          `--${question.flag} only applies to --${adapter.layer} ${adapter.id}, but --${adapter.layer} is "${layers[adapter.layer]}". ` +
            `Add --${adapter.layer} ${adapter.id} or remove --${question.flag}.`,
        );
      }
      continue;
    }
    const value = (flag ?? answers[question.key] ?? question.default).trim();
    const problem = question.problem(value);
    if (problem) throw new UsageError(`Invalid --${question.flag} "${value}": it ${problem}.`);
    options[question.key] = value;
  }
  // Every adapter resolves with its answers now, so a bad combination fails here, not mid-write.
  selectAdapters({ ...layers, adapterOptions: options });
  return options;
}

function pickPolicy(value: string | undefined): UnknownAttributesPolicy {
  if (value === undefined) return DEFAULT_PROJECT_OPTIONS.unknownAttributes;
  const found = UNKNOWN_ATTRIBUTES_POLICIES.find((p) => p === value);
  if (!found) throw new UsageError(`Invalid --unknown-attributes "${value}": expected "reject" or "ignore".`);
  return found;
}

function pickTenancy(value: string | undefined): Tenancy {
  if (value === undefined) return DEFAULT_PROJECT_OPTIONS.tenancy;
  const found = TENANCY_MODES.find((t) => t === value);
  if (!found) {
    const meant = closest(value, TENANCY_MODES);
    throw new UsageError(`Invalid --tenancy "${value}": expected "single" or "multi"${meant ? ` (did you mean "${meant}"?)` : ''}.`);
  }
  return found;
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
    const meant = closest(id, allowed);
    throw new UsageError(
      `Invalid --${layer} "${id}": expected one of ${allowed.map((c) => `"${c}"`).join(', ')}${meant ? ` (did you mean "${meant}"?)` : ''}.`,
    );
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
