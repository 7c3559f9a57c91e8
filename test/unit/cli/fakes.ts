// Test doubles for CliDeps: captured output, scripted prompt answers, recorded commands.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { FilePlan } from '../../../src/emit/plan.js';
import type { SchemaModel } from '../../../src/model/ir.js';
import { CommandError, type CliDeps, type ExecOptions } from '../../../src/cli/context.js';
import { CancelledError } from '../../../src/cli/errors.js';
import { REGISTRY } from '../../../src/options.js';

export const TOKEN = 'test-token-1234567890';

export const FAKE_PLAN: FilePlan = [
  { path: 'src/server.ts', content: 'export {};\n', owner: 'user' },
  { path: '.env.example', content: '# Bearer token.\n# generate: token\nSCIM_BEARER_TOKEN=\n\nPORT=3000\n', owner: 'user' },
  { path: 'src/generated/scim/a.gen.ts', content: 'x'.repeat(1500), owner: 'generated' },
];

const FAKE_MODEL: SchemaModel = { schemas: [], resourceTypes: [], sources: new Map() };

export interface Fake {
  deps: CliDeps;
  stdout: () => string;
  stderr: () => string;
  commands: { file: string; args: readonly string[]; options: ExecOptions }[];
  written: FilePlan[];
  /** Presses Ctrl-C: calls the handlers registered with onInterrupt. */
  interrupt: () => void;
}

export interface FakeOptions {
  cwd: string;
  tty?: boolean;
  /** Prompt answers by question name; "cancel" cancels at that question. */
  answers?: Record<string, unknown>;
  /** Commands (e.g. "npm install", "git --version") that fail; "missing:git" means not installed. */
  failing?: string[];
  /** Whether `git rev-parse --is-inside-work-tree` succeeds (default: not inside a repository). */
  insideGitRepo?: boolean;
  plan?: FilePlan;
  env?: Record<string, string>;
  loadSchemaModel?: CliDeps['loadSchemaModel'];
}

export function fake(options: FakeOptions): Fake {
  let out = '';
  let err = '';
  const commands: Fake['commands'] = [];
  const written: FilePlan[] = [];
  const interrupts: Array<() => void> = [];
  const deps: CliDeps = {
    io: {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      stdinIsTTY: options.tty ?? false,
      env: options.env ?? {},
      cwd: options.cwd,
    },
    ask: async (question) => {
      const name = String(question.name);
      const answer = options.answers?.[name];
      if (answer === 'cancel') throw new CancelledError();
      if (answer === undefined) throw new Error(`unexpected question "${name}"`);
      return answer;
    },
    loadSchemaModel: options.loadSchemaModel ?? (async () => FAKE_MODEL),
    generate: async () => options.plan ?? FAKE_PLAN,
    generatorSource: REGISTRY,
    writePlan: async (plan, targetDir) => {
      written.push(plan);
      for (const file of plan) {
        await mkdir(dirname(join(targetDir, file.path)), { recursive: true });
        await writeFile(join(targetDir, file.path), file.content);
      }
      return { written: plan.map((f) => f.path), skipped: [] };
    },
    exec: async (file, args, execOptions) => {
      commands.push({ file, args, options: execOptions });
      const line = [file, ...args].join(' ');
      if (options.failing?.includes(`missing:${file}`)) throw new CommandError(`spawn ${file} ENOENT`, true);
      const failing = [...(options.failing ?? []), ...(options.insideGitRepo ? [] : ['git rev-parse'])];
      if (failing.some((f) => line.startsWith(f))) throw new CommandError(`Command failed with exit code 1: ${line}`, false);
    },
    randomToken: () => TOKEN,
    onInterrupt: (handler) => {
      interrupts.push(handler);
      return () => void interrupts.splice(interrupts.indexOf(handler), 1);
    },
    fetch: globalThis.fetch,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text),
  };
  return { deps, stdout: () => out, stderr: () => err, commands, written, interrupt: () => [...interrupts].forEach((h) => h()) };
}
