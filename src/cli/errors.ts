// The CLI's error kinds and how each one ends the process.

import { ConfigError } from '../config/errors.js';
import { SchemaValidationError } from '../model/errors.js';
import type { Log } from './log.js';

/** Bad input from flags, answers or the file system: the message says what to change. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The user pressed Ctrl-C (or Esc) in a prompt. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('Operation cancelled.');
  }
}

/** Exit code 130 is the shell convention for "terminated by Ctrl-C". */
export const EXIT_CANCELLED = 130;

/** Prints an error for a human and returns the exit code. Stacks only with DEBUG set. */
export function reportError(error: unknown, log: Log, env: Readonly<Record<string, string | undefined>>): number {
  if (error instanceof CancelledError) {
    log.error(error.message);
    return EXIT_CANCELLED;
  }
  if (error instanceof UsageError || error instanceof SchemaValidationError || error instanceof ConfigError) {
    log.error(error.message);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  log.error(`Unexpected error: ${message}`);
  if (env.DEBUG && error instanceof Error && error.stack) log.raw(`${error.stack}\n`);
  else log.info('Run again with DEBUG=1 to see the stack trace.');
  return 1;
}
