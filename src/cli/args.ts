// Command-line flags (yargs). Values that can also be asked for have no yargs default, so
// "not given" stays undefined and prompts.ts knows what to ask; resolve-options.ts fills
// the defaults shown in --help.

import yargs, { type Options } from 'yargs';
import { choices } from '../adapters/index.js';
import { adapterQuestions, flagKey } from '../adapters/questions.js';
import { DEFAULT_PROJECT_OPTIONS } from '../options.js';
import { GENERATOR_VERSION } from '../version.js';
import { PACKAGE_MANAGERS, TENANCY_MODES, UNKNOWN_ATTRIBUTES_POLICIES } from '../options.js';
import type { PackageManager } from './commands.js';
import { CHECK_COMMAND, CHECK_DESCRIPTION } from '../check/args.js';
import { closest } from '../model/did-you-mean.js';
import { UsageError } from './errors.js';
import { REGENERATE_COMMAND, REGENERATE_DESCRIPTION, regenerateBuilder, toRegenerateFlags, type RegenerateFlags } from './regenerate-args.js';

export const COMMAND = 'create-scim-server';

/** Flags as given: undefined means "not given" (ask, or use the default). */
export interface CliFlags {
  directory?: string;
  /** --config FILE: answers read from a JSON file (src/config); flags given too override them. */
  config?: string;
  /** No flag: only a config file that also names the directory sets it (else the directory's name). */
  projectName?: string;
  yes: boolean;
  basePath?: string;
  /** A string so a bad value can be quoted back in the error. */
  port?: string;
  enterpriseUser?: boolean;
  schema: string[];
  /** --resource-type files; absent means none. */
  resourceType?: string[];
  /** --extend `URN=ResourceTypeName` pairs, checked in resolve-options.ts; absent means none. */
  extend?: string[];
  framework?: string;
  database?: string;
  auth?: string;
  unknownAttributes?: string;
  tenancy?: string;
  /** Flags of the adapters' own questions (--auth-header-name), by question key; only those given. */
  adapterFlags: Record<string, string>;
  /** Undefined when not given, so a config file's answer can apply; true by default. */
  install?: boolean;
  git?: boolean;
  dryRun: boolean;
  force: boolean;
  packageManager?: PackageManager;
  interactive?: boolean;
}

export type ParsedArgs =
  | { kind: 'run'; flags: CliFlags }
  | { kind: 'regenerate'; flags: RegenerateFlags }
  | { kind: 'exit'; output: string; exitCode: number };

const EPILOGUE = `Non-interactive usage:
  Without a terminal (CI, scripts) nothing is asked: pass the directory, and --yes takes the
  default for every other question. npm needs "--" before the flags:

    npm create scim-server@latest my-scim -- --yes
    npx create-scim-server my-scim --yes --base-path /api/scim/v2 --port 8080
    npx create-scim-server my-scim --yes --schema ./acme-user.schema.json --no-enterprise-user
    npx create-scim-server my-scim --yes --schema Entitlement.schema.json --resource-type Entitlement.resource-type.json
    npx create-scim-server my-scim --yes --framework express --database postgres --auth oauth2
    npx create-scim-server my-scim --yes --auth custom-header --auth-header-name X-Api-Token
    npx create-scim-server my-scim --yes --tenancy multi --database postgres
    npx create-scim-server my-scim --yes --no-install --no-git --package-manager pnpm
    npx create-scim-server my-scim --yes --dry-run

  Per-customer projects: --config FILE answers the questions from a JSON file (its JSON Schema is
  config.schema.json in this package). Flags given as well override it; paths in it are relative
  to its directory. A generated project's scim.config.json is such a file, so it clones a project:

    npx create-scim-server --config customers/acme.json
    npx create-scim-server globex-scim --config acme-scim/scim.config.json --no-install`;

/** The creation flags, for yargs and for npm-flags.ts (which of them npm can take for its own). */
function createOptions() {
  const defaults = DEFAULT_PROJECT_OPTIONS;
  return {
    yes: { alias: 'y', type: 'boolean', default: false, describe: 'Use the default for every question; ask nothing' },
    config: {
      type: 'string',
      requiresArg: true,
      describe: 'A JSON file of answers (config.schema.json); flags override it',
    },
    'base-path': {
      type: 'string',
      requiresArg: true,
      describe: 'SCIM base path (leading "/", no trailing "/", no "_")',
      defaultDescription: defaults.basePath,
    },
    port: { type: 'string', requiresArg: true, describe: 'Port the server listens on', defaultDescription: String(defaults.port) },
    'enterprise-user': {
      type: 'boolean',
      describe: 'Include the Enterprise User extension on /Users (--no-enterprise-user to leave it out)',
      defaultDescription: String(defaults.enterpriseUser),
    },
    schema: {
      type: 'string',
      array: true,
      requiresArg: true,
      default: [],
      defaultDescription: 'none',
      describe: 'A SCIM schema JSON file (RFC 7643 §7): an extension, or the core schema of a --resource-type; repeatable',
    },
    'resource-type': {
      type: 'string',
      array: true,
      requiresArg: true,
      default: [],
      defaultDescription: 'none',
      describe: 'A ResourceType JSON file (RFC 7643 §6) adding an endpoint such as /Entitlements; repeatable',
    },
    extend: {
      type: 'string',
      array: true,
      requiresArg: true,
      default: [],
      defaultDescription: 'none',
      describe: 'URN=ResourceTypeName: attach an extension schema whose URN does not end in the type\'s name; repeatable',
    },
    framework: { choices: choices('framework'), describe: 'Web framework', defaultDescription: defaults.framework },
    database: { choices: choices('database'), describe: 'Database', defaultDescription: defaults.database },
    auth: { choices: choices('auth'), describe: 'How identity providers authenticate', defaultDescription: defaults.auth },
    ...adapterFlagOptions(),
    'unknown-attributes': {
      choices: UNKNOWN_ATTRIBUTES_POLICIES,
      describe: 'Request attributes no schema declares: reject (400) or ignore (drop and log)',
      defaultDescription: defaults.unknownAttributes,
    },
    tenancy: {
      choices: TENANCY_MODES,
      describe: 'single: one customer at the base path; multi: one server for many customers, each at <base-path>/<tenant>',
      defaultDescription: defaults.tenancy,
    },
    // No yargs default: "not given" must stay visible so a config file's answer can apply.
    install: { type: 'boolean', defaultDescription: 'true', describe: 'Install dependencies (--no-install to skip)' },
    git: { type: 'boolean', defaultDescription: 'true', describe: 'Create a git repository with a first commit (--no-git to skip)' },
    'package-manager': {
      choices: PACKAGE_MANAGERS,
      describe: 'Package manager for install and the printed commands',
      defaultDescription: 'the one running create, else npm',
    },
    'dry-run': { type: 'boolean', default: false, describe: 'Print the files that would be written; write nothing' },
    force: { type: 'boolean', default: false, describe: 'Allow a target directory that is not empty' },
    interactive: {
      type: 'boolean',
      describe: 'Ask for answers not given as flags (--no-interactive never asks)',
      defaultDescription: 'when stdin is a terminal',
    },
  } satisfies Record<string, Options>;
}

/** The creation flags by long name, and whether each takes a value. */
export function createFlagNames(): Array<{ name: string; takesValue: boolean }> {
  return Object.entries(createOptions()).map(([name, o]) => ({ name, takesValue: (o as { type?: string }).type !== 'boolean' }));
}

function parser() {
  return yargs()
    .scriptName(COMMAND)
    .command('$0 [directory]', 'Create a SCIM 2.0 server project that Okta and Microsoft Entra ID can provision into.', (y) =>
      y.positional('directory', {
        type: 'string',
        describe: 'Where to create the project; its name becomes the package name',
      }),
    )
    .command(REGENERATE_COMMAND, REGENERATE_DESCRIPTION, regenerateBuilder)
    // Parsed by src/check/args.ts (main.ts hands it over); here for the command list of --help.
    .command(CHECK_COMMAND, CHECK_DESCRIPTION)
    .options(createOptions())
    .epilogue(EPILOGUE)
    .version(GENERATOR_VERSION)
    .help()
    .alias('help', 'h')
    .strict()
    .wrap(100)
    .exitProcess(false);
}

/** One string flag per adapter question, described with the choice it belongs to. */
function adapterFlagOptions() {
  return Object.fromEntries(
    adapterQuestions().map(({ adapter, question }) => [
      question.flag,
      {
        type: 'string' as const,
        requiresArg: true,
        describe: `${question.message}, with --${adapter.layer} ${adapter.id}`,
        defaultDescription: question.default,
      },
    ]),
  );
}


/** Parses argv; --help and --version become an "exit" result carrying their text. */
export async function parseArgs(argv: readonly string[]): Promise<ParsedArgs> {
  return new Promise((resolve, reject) => {
    void parser().parse([...argv], {}, (error, args, output) => {
      if (error) {
        reject(new UsageError(`${withSuggestion(error.message, argv)}\nRun "${COMMAND} --help" for usage.`));
      } else if (args.help || args.version) {
        resolve({ kind: 'exit', output, exitCode: 0 });
      } else if (args._[0] === 'regenerate') {
        try {
          resolve({ kind: 'regenerate', flags: toRegenerateFlags(args as Record<string, unknown>) });
        } catch (problem) {
          reject(problem);
        }
      } else {
        resolve({ kind: 'run', flags: toFlags(args as Record<string, unknown>) });
      }
    });
  });
}

/**
 * yargs' "Unknown argument: framwork" and "Invalid values: Argument: framework, Given: "expres""
 * with the flag or value most likely meant.
 */
export function withSuggestion(message: string, argv: readonly string[] = []): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    const names = [...createFlagNames().map((f) => f.name), 'help', 'version'];
    const given = unknown[1]!.split(', ');
    const hints = given.flatMap((arg) => {
      const name = arg.replace(/^-+/, '').replace(/^no-/, '');
      const match = closest(name, names);
      if (!match) return [];
      // yargs names --no-instal "instal".
      const flag = `--${argv.includes(`--no-${name}`) ? 'no-' : ''}${match}`;
      return [given.length > 1 ? `${flag} (for ${arg})` : flag];
    });
    return hints.length > 0 ? `${message}. Did you mean ${hints.join(', ')}?` : message;
  }
  const invalid = /Argument: ([\w-]+), Given: "([^"]*)", Choices: (.+)$/m.exec(message);
  if (invalid) {
    const choices = [...invalid[3]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    const match = closest(invalid[2]!, choices);
    return `Invalid --${invalid[1]} "${invalid[2]}": expected one of ${invalid[3]}${match ? ` (did you mean "${match}"?)` : ''}.`;
  }
  return message;
}

function toFlags(args: Record<string, unknown>): CliFlags {
  const str = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
  const bool = (key: string) => (typeof args[key] === 'boolean' ? (args[key] as boolean) : undefined);
  return {
    directory: str('directory'),
    config: str('config'),
    yes: bool('yes') ?? false,
    basePath: str('basePath'),
    port: args.port === undefined ? undefined : String(args.port),
    enterpriseUser: bool('enterpriseUser'),
    schema: Array.isArray(args.schema) ? args.schema.map(String) : [],
    resourceType: Array.isArray(args.resourceType) ? args.resourceType.map(String) : [],
    extend: Array.isArray(args.extend) ? args.extend.map(String) : [],
    framework: str('framework'),
    database: str('database'),
    auth: str('auth'),
    unknownAttributes: str('unknownAttributes'),
    tenancy: str('tenancy'),
    adapterFlags: Object.fromEntries(
      adapterQuestions().flatMap(({ question }) => {
        const value = str(flagKey(question));
        return value === undefined ? [] : [[question.key, value]];
      }),
    ),
    install: bool('install'),
    git: bool('git'),
    dryRun: bool('dryRun') ?? false,
    force: bool('force') ?? false,
    packageManager: str('packageManager') as PackageManager | undefined,
    interactive: bool('interactive'),
  };
}
