// The real process behind CliDeps: terminal, prompts, file system, child processes.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { packageRoot } from '../model/package-root.js';
import { generatorSource } from './generator-source.js';
import { CommandError, type CliDeps, type Exec } from './context.js';
import { CancelledError } from './errors.js';
import type { Ask } from './prompts.js';

// prompts and execa are imported on first use: a scaffold with --yes, --no-install and --no-git
// uses neither, and loading them is a measurable share of its start-up.
const ask: Ask = async (question) => {
  const { default: prompts } = await import('prompts');
  let cancelled = false;
  const answers = await prompts(question, {
    onCancel: () => {
      cancelled = true;
      return false;
    },
  });
  if (cancelled) throw new CancelledError();
  return answers[String(question.name)];
};

const exec: Exec = async (file, args, { cwd, stream }) => {
  const { execa, ExecaError } = await import('execa');
  try {
    await execa(file, [...args], { cwd, stdio: stream ? 'inherit' : 'pipe' });
  } catch (error) {
    if (!(error instanceof ExecaError)) throw error;
    throw new CommandError(error.shortMessage, error.code === 'ENOENT');
  }
};

export function nodeDeps(): CliDeps {
  return {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      stdinIsTTY: Boolean(process.stdin.isTTY),
      env: process.env,
      cwd: process.cwd(),
    },
    ask,
    // Imported on first use: --help and --version should not load ts-morph and the emitters.
    loadSchemaModel: async (options) => (await import('../model/load.js')).loadSchemaModel(options),
    generate: async (options, model, generator) => (await import('../emit/generate.js')).generate(options, model, undefined, undefined, generator),
    generatorSource: generatorSource(packageRoot(import.meta.url), existsSync),
    writePlan: async (plan, targetDir) => (await import('../write/write.js')).writePlan(plan, targetDir),
    exec,
    randomToken: () => randomBytes(32).toString('base64url'),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
    fetch: globalThis.fetch,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text),
  };
}
