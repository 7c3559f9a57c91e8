// Test doubles for runCheck: captured output and the real fetch.

import { readFile, writeFile } from 'node:fs/promises';
import type { CheckDeps } from '../../../src/check/index.js';

export function checkDeps(env: Record<string, string> = {}, cwd = process.cwd()) {
  let out = '';
  let err = '';
  const deps: CheckDeps = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    cwd,
    fetch: globalThis.fetch,
    readFile: (path) => readFile(path, 'utf8'),
    writeFile: (path, text) => writeFile(path, text),
  };
  return { deps, stdout: () => out, stderr: () => err };
}
