// Command-line flags (yargs). Values that can also be asked for have no yargs default, so
// "not given" stays undefined and prompts.ts knows what to ask; resolve-options.ts fills
// the defaults shown in --help.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { DEFAULT_AUTH_HEADER_NAME } from '../adapters/auth-custom-header.js';
import { choices } from '../adapters/index.js';
import { packageRoot } from '../model/package-root.js';
import { DEFAULT_PROJECT_OPTIONS } from '../options.js';
import { PACKAGE_MANAGERS, type PackageManager } from './commands.js';
import { UsageError } from './errors.js';

export const COMMAND = 'create-scim-server';

/** Flags as given: undefined means "not given" (ask, or use the default). */
export interface CliFlags {
  directory?: string;
  yes: boolean;
  basePath?: string;
  /** A string so a bad value can be quoted back in the error. */
  port?: string;
  enterpriseUser?: boolean;
  schema: string[];
  framework?: string;
  database?: string;
  auth?: string;
  authHeaderName?: string;
  install: boolean;
  git: boolean;
  dryRun: boolean;
  force: boolean;
  packageManager?: PackageManager;
  interactive?: boolean;
}

export type ParsedArgs = { kind: 'run'; flags: CliFlags } | { kind: 'exit'; output: string; exitCode: number };

const EPILOGUE = `Non-interactive usage:
  Without a terminal (CI, scripts) nothing is asked: pass the directory, and --yes takes the
  default for every other question. npm needs "--" before the flags:

    npm create scim-server@latest my-scim -- --yes
    npx create-scim-server my-scim --yes --base-path /api/scim/v2 --port 8080
    npx create-scim-server my-scim --yes --schema ./acme-user.schema.json --no-enterprise-user
    npx create-scim-server my-scim --yes --framework express --database postgres --auth oauth2
    npx create-scim-server my-scim --yes --auth custom-header --auth-header-name X-Api-Token
    npx create-scim-server my-scim --yes --no-install --no-git --package-manager pnpm
    npx create-scim-server my-scim --yes --dry-run`;

function parser() {
  const defaults = DEFAULT_PROJECT_OPTIONS;
  return yargs()
    .scriptName(COMMAND)
    .command('$0 [directory]', 'Create a SCIM 2.0 server project that Okta and Microsoft Entra ID can provision into.', (y) =>
      y.positional('directory', {
        type: 'string',
        describe: 'Where to create the project; its name becomes the package name',
      }),
    )
    .options({
      yes: { alias: 'y', type: 'boolean', default: false, describe: 'Use the default for every question; ask nothing' },
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
        describe: 'A SCIM schema JSON file (RFC 7643 §7) extending User or Group; repeatable',
      },
      framework: { choices: choices('framework'), describe: 'Web framework', defaultDescription: defaults.framework },
      database: { choices: choices('database'), describe: 'Database', defaultDescription: defaults.database },
      auth: { choices: choices('auth'), describe: 'How identity providers authenticate', defaultDescription: defaults.auth },
      'auth-header-name': {
        type: 'string',
        requiresArg: true,
        describe: 'The header carrying the secret, with --auth custom-header',
        defaultDescription: DEFAULT_AUTH_HEADER_NAME,
      },
      install: { type: 'boolean', default: true, describe: 'Install dependencies (--no-install to skip)' },
      git: { type: 'boolean', default: true, describe: 'Create a git repository with a first commit (--no-git to skip)' },
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
    })
    .epilogue(EPILOGUE)
    .version(readVersion())
    .help()
    .alias('help', 'h')
    .strict()
    .wrap(100)
    .exitProcess(false);
}

/** Parses argv; --help and --version become an "exit" result carrying their text. */
export async function parseArgs(argv: readonly string[]): Promise<ParsedArgs> {
  return new Promise((resolve, reject) => {
    void parser().parse([...argv], {}, (error, args, output) => {
      if (error) {
        reject(new UsageError(`${error.message}\nRun "${COMMAND} --help" for usage.`));
      } else if (args.help || args.version) {
        resolve({ kind: 'exit', output, exitCode: 0 });
      } else {
        resolve({ kind: 'run', flags: toFlags(args as Record<string, unknown>) });
      }
    });
  });
}

function toFlags(args: Record<string, unknown>): CliFlags {
  const str = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
  const bool = (key: string) => (typeof args[key] === 'boolean' ? (args[key] as boolean) : undefined);
  return {
    directory: str('directory'),
    yes: bool('yes') ?? false,
    basePath: str('basePath'),
    port: args.port === undefined ? undefined : String(args.port),
    enterpriseUser: bool('enterpriseUser'),
    schema: Array.isArray(args.schema) ? args.schema.map(String) : [],
    framework: str('framework'),
    database: str('database'),
    auth: str('auth'),
    authHeaderName: str('authHeaderName'),
    install: bool('install') ?? true,
    git: bool('git') ?? true,
    dryRun: bool('dryRun') ?? false,
    force: bool('force') ?? false,
    packageManager: str('packageManager') as PackageManager | undefined,
    interactive: bool('interactive'),
  };
}

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}
