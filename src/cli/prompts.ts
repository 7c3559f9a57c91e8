// Asks for every answer not given as a flag, all before any slow work starts. Only on a
// terminal, and never with --yes or --no-interactive.

import { basename, resolve } from 'node:path';
import type { PromptObject } from 'prompts';
import { adapters } from '../adapters/index.js';
import { adapterQuestions } from '../adapters/questions.js';
import type { Layer } from '../adapters/types.js';
import { basePathError, DEFAULT_DIRECTORY, DEFAULT_PROJECT_OPTIONS, portError, projectNameError, TENANCY_MODES, type Tenancy } from '../options.js';
import type { CliFlags } from './args.js';
import { UsageError } from './errors.js';
import type { Answers } from './resolve-options.js';

/** Asks one question and returns its answer; throws CancelledError when the user cancels. */
export type Ask = (question: PromptObject<string>) => Promise<unknown>;

export async function collectAnswers(
  flags: CliFlags,
  io: { stdinIsTTY: boolean; cwd: string },
  ask: Ask,
): Promise<Answers> {
  if (flags.yes || flags.interactive === false) return {};
  if (!io.stdinIsTTY) {
    if (flags.interactive) {
      throw new UsageError('--interactive needs a terminal, but stdin is not one. Pass the answers as flags (see --help).');
    }
    return {};
  }

  const defaults = DEFAULT_PROJECT_OPTIONS;
  const answers: Answers = {};
  if (flags.directory === undefined) {
    answers.directory = (await ask({
      type: 'text',
      name: 'directory',
      message: 'Where should the project be created?',
      initial: DEFAULT_DIRECTORY,
      validate: (value: string) => {
        if (value.trim() === '') return 'Enter a directory';
        const name = basename(resolve(io.cwd, value)).toLowerCase();
        const problem = projectNameError(name);
        return problem ? `The package name "${name}" ${problem}` : true;
      },
    })) as string;
  }
  if (flags.basePath === undefined) {
    answers.basePath = (await ask({
      type: 'text',
      name: 'basePath',
      message: 'SCIM base path',
      initial: defaults.basePath,
      validate: (value: string) => (basePathError(value) ? `It ${basePathError(value)}` : true),
    })) as string;
  }
  if (flags.port === undefined) {
    answers.port = (await ask({
      type: 'text',
      name: 'port',
      message: 'Port',
      initial: String(defaults.port),
      validate: (value: string) => portError(value) ?? true,
      format: (value: string) => Number(value),
    })) as number;
  }
  if (flags.enterpriseUser === undefined) {
    answers.enterpriseUser = (await ask({
      type: 'confirm',
      name: 'enterpriseUser',
      message: 'Include the Enterprise User extension (employeeNumber, department, manager, ...)?',
      initial: defaults.enterpriseUser,
    })) as boolean;
  }
  for (const layer of ['framework', 'database', 'auth'] as const satisfies readonly Layer[]) {
    const options = adapters[layer];
    // A one-entry menu only costs a keypress; it appears once a second adapter is registered.
    if (flags[layer] !== undefined || options.length < 2) continue;
    answers[layer] = (await ask({
      type: 'select',
      name: layer,
      message: LAYER_QUESTIONS[layer],
      choices: options.map((a) => ({ title: a.label, value: a.id })),
      initial: Math.max(0, options.findIndex((a) => a.id === defaults[layer])),
    })) as string;
  }
  if (flags.tenancy === undefined) {
    answers.tenancy = (await ask({
      type: 'select',
      name: 'tenancy',
      message: 'How many customers will this server provision for?',
      choices: [
        { title: 'One (single-tenant: one identity provider, served at the base path)', value: 'single' },
        { title: 'Many (multi-tenant: each customer at <base path>/<tenant> with its own credentials)', value: 'multi' },
      ],
      initial: TENANCY_MODES.indexOf(defaults.tenancy),
    })) as Tenancy;
  }
  // Then what the chosen adapters ask of their own (a custom header's name, say).
  for (const { adapter, question } of adapterQuestions()) {
    const chosen = flags[adapter.layer] ?? answers[adapter.layer] ?? defaults[adapter.layer];
    if (chosen !== adapter.id || flags.adapterFlags[question.key] !== undefined) continue;
    const answer = (await ask({
      type: 'text',
      name: question.key,
      message: question.message,
      initial: question.default,
      validate: (value: string) => {
        const problem = question.problem(value.trim());
        return problem ? `It ${problem}` : true;
      },
    })) as string;
    answers.adapterOptions = { ...answers.adapterOptions, [question.key]: answer };
  }
  return answers;
}

const LAYER_QUESTIONS: Record<Layer, string> = {
  framework: 'Web framework',
  database: 'Database',
  auth: 'How will identity providers authenticate?',
};
