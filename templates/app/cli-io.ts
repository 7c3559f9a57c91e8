// What the project's admin CLIs (tenant-cli, events-cli, audit-cli) share: where their output
// goes, the error that means "wrong command line", and how a failure becomes an exit code.

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Whether a person can answer a confirmation; absent means nobody can. */
  interactive?: boolean;
}

export const CONSOLE_IO: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  interactive: Boolean(process.stdin.isTTY),
};

/** Prints why a command failed (with the usage when the command line was wrong); returns its exit code. */
export function reportFailure(error: unknown, usage: string, io: CliIo): number {
  if (error instanceof UsageError) {
    io.err(`${error.message}\n\n${usage}`);
    return 2;
  }
  io.err(`Error: ${(error as Error).message}`);
  return 1;
}
