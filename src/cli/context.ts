// Everything the CLI touches outside itself, passed in so tests can run main() with fakes.

import type { FilePlan } from '../emit/plan.js';
import type { SchemaModel } from '../model/ir.js';
import type { LoadSchemaOptions } from '../model/load.js';
import type { GeneratorSource, ProjectOptions } from '../options.js';
import type { Output } from './log.js';
import type { Ask } from './prompts.js';

export interface Io {
  stdout: Output;
  stderr: Output;
  stdinIsTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

export interface ExecOptions {
  cwd: string;
  /** Show the command's own output (install progress) instead of capturing it. */
  stream: boolean;
}

/** Runs a program; rejects with CommandError when it cannot start or exits non-zero. */
export type Exec = (file: string, args: readonly string[], options: ExecOptions) => Promise<void>;

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    message: string,
    /** The program is not installed (ENOENT), as opposed to failing. */
    readonly notFound: boolean,
  ) {
    super(message);
  }
}

export interface CliDeps {
  io: Io;
  ask: Ask;
  loadSchemaModel: (options: LoadSchemaOptions) => Promise<SchemaModel>;
  /** src/emit/generate.ts's generate(); async so the emitters load only when needed (not for --help). */
  generate: (options: ProjectOptions, model: SchemaModel, generator: GeneratorSource) => Promise<FilePlan>;
  /** Where this generator runs from: a clone's bin script, or the registry's package. */
  generatorSource: GeneratorSource;
  /** The contract of src/write/write.ts. */
  writePlan: (plan: FilePlan, targetDir: string) => Promise<{ written: string[]; skipped: string[] }>;
  exec: Exec;
  /** A strong random secret for the generated .env. */
  randomToken: () => string;
  /** Calls `handler` on Ctrl-C (SIGINT) until the returned function is called. */
  onInterrupt: (handler: () => void) => () => void;
  /** For `check`: the network, and the files it reads (--env-file) and writes (--junit). */
  fetch: typeof fetch;
  readFile: (path: string) => Promise<string>;
  writeFile: (path: string, text: string) => Promise<void>;
}
