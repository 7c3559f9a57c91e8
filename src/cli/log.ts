// Console output for the CLI: plain lines, styled only when writing to a terminal.

import { styleText } from 'node:util';

export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Log {
  /** Plain information. */
  info(message: string): void;
  /** A unit of slow work starting. */
  step(message: string): void;
  success(message: string): void;
  warn(message: string): void;
  /** To stderr. */
  error(message: string): void;
  /** Unformatted text to stdout (help, file lists). */
  raw(text: string): void;
}

type Style = Parameters<typeof styleText>[0];

export function createLog(
  io: { stdout: Output; stderr: Output; env: Readonly<Record<string, string | undefined>> },
): Log {
  const colour = (stream: Output) => Boolean(stream.isTTY) && !io.env.NO_COLOR;
  const line = (stream: Output, style: Style, prefix: string, message: string) => {
    // We decide about colour per stream ourselves, so styleText must not second-guess it.
    const head = colour(stream) ? styleText(style, prefix, { validateStream: false }) : prefix;
    stream.write(`${head}${message}\n`);
  };
  return {
    info: (m) => io.stdout.write(`${m}\n`),
    step: (m) => line(io.stdout, 'cyan', '- ', m),
    success: (m) => line(io.stdout, 'green', '✔ ', m),
    warn: (m) => line(io.stdout, 'yellow', '! ', m),
    error: (m) => line(io.stderr, 'red', '✖ ', m),
    raw: (t) => io.stdout.write(t),
  };
}
