// `create-scim-server regenerate`: its own flags. The creation flags (--framework, --schema...)
// are global in yargs, so they parse here too; they are refused, because a generated project's
// answers live in its scim.config.json and regenerating from anything else would drift from it.

import type { Argv } from 'yargs';
import { adapterQuestions, flagKey } from '../adapters/questions.js';
import { UsageError } from './errors.js';

export const REGENERATE_COMMAND = 'regenerate [directory]';
export const REGENERATE_DESCRIPTION =
  'Regenerate a generated project from its scim.config.json and schemas/ (run inside it, or name it)';

export interface RegenerateFlags {
  /** The project; the current directory when absent. */
  directory?: string;
  /** Change nothing; exit 1 when regenerating would change any file (for CI). */
  check: boolean;
  /** Print the plan per file; write nothing. */
  dryRun: boolean;
  /** Exit 0 even when a file had to be left in conflict (its new version written as <file>.new). */
  keepGoing: boolean;
}

export function regenerateBuilder(y: Argv): Argv {
  // Still parsed (to refuse them clearly), but not offered in `regenerate --help`.
  for (const key of Object.keys(CREATE_ONLY)) y.hide(kebab(key));
  return y
    .positional('directory', { type: 'string', describe: 'The generated project', defaultDescription: 'the current directory' })
    .options({
      check: {
        type: 'boolean',
        default: false,
        describe: 'Write nothing; exit 1 and list the files when regenerating would change any (for CI)',
      },
      'keep-going': {
        type: 'boolean',
        default: false,
        describe: 'Exit 0 even when an edited file conflicts (its new version is written beside it as <file>.new)',
      },
    })
    .example('$0 regenerate', 'inside the project, after editing scim.config.json or schemas/ (= npm run scim:generate)')
    .example('$0 regenerate --dry-run', 'show what would change, per file')
    .example('$0 regenerate --check', 'in CI: fail when the generated files are out of date');
}

/** Creation flags given on the command line, by their yargs (camelCase) key. */
const CREATE_ONLY: Record<string, (value: unknown) => boolean> = {
  config: given,
  yes: (v) => v === true,
  basePath: given,
  port: given,
  enterpriseUser: given,
  schema: nonEmpty,
  resourceType: nonEmpty,
  extend: nonEmpty,
  framework: given,
  database: given,
  auth: given,
  unknownAttributes: given,
  tenancy: given,
  ...Object.fromEntries(adapterQuestions().map(({ question }) => [flagKey(question), given])),
  install: given,
  git: given,
  packageManager: given,
  force: (v) => v === true,
  interactive: given,
};

export function toRegenerateFlags(args: Record<string, unknown>): RegenerateFlags {
  const misplaced = Object.keys(CREATE_ONLY).filter((key) => CREATE_ONLY[key]!(args[key]));
  if (misplaced.length > 0) {
    const names = misplaced.map((k) => `--${kebab(k)}`).join(', ');
    throw new UsageError(
      `${names} ${misplaced.length === 1 ? 'does' : 'do'} not apply to regenerate: it reads the project's answers from ` +
        'scim.config.json. Edit that file (and the schema files it lists), then run regenerate again.',
    );
  }
  return {
    ...(typeof args.directory === 'string' ? { directory: args.directory } : {}),
    check: args.check === true,
    dryRun: args.dryRun === true,
    keepGoing: args.keepGoing === true,
  };
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function given(value: unknown): boolean {
  return value !== undefined;
}

function nonEmpty(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
