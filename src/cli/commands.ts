// Shell commands shown to the user, spelled for their package manager and shell.

import { isAbsolute, relative } from 'node:path';
import { PACKAGE_MANAGERS, type RunOptions } from '../options.js';

export type PackageManager = RunOptions['packageManager'];

/** "pnpm/9.1.0 npm/? node/v22.1.0 linux x64" -> "pnpm": the manager that ran `create`. */
export function packageManagerFromUserAgent(userAgent: string | undefined): PackageManager | undefined {
  const name = userAgent?.split(' ')[0]?.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm === name);
}

export const installCommand = (pm: PackageManager): string => `${pm} install`;

/** `npm start` and `pnpm start` are built in; bun needs `run` for package scripts. */
export const runCommand = (pm: PackageManager, script: string): string =>
  pm === 'bun' || (pm === 'npm' && script !== 'start' && script !== 'test') ? `${pm} run ${script}` : `${pm} ${script}`;

/** `cd <dir>` relative to where the user is, quoted when the path has spaces or shell characters. */
export function cdCommand(cwd: string, targetDir: string): string | undefined {
  const rel = relative(cwd, targetDir);
  if (rel === '') return undefined;
  // Outside the current directory an absolute path reads better than a chain of "../".
  return `cd ${quote(rel.startsWith('..') || isAbsolute(rel) ? targetDir : rel)}`;
}

export function quote(path: string): string {
  return /^[\w./\\:@%+=,-]+$/.test(path) ? path : `"${path.replace(/(["$`])/g, '\\$1')}"`;
}
