// Commits a file plan to disk. Generated files are always rewritten; user-owned files are
// created once and then left alone. Each file is written to a temporary sibling and renamed
// into place, so an interrupted run never leaves a half-written file behind.

import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep, win32 } from 'node:path';
import type { FilePlan, PlannedFile } from '../emit/plan.js';

export interface WriteResult {
  /** Plan paths written, in plan order. */
  written: string[];
  /** Plan paths left as they were (user-owned files that already exist). */
  skipped: string[];
}

type Action = 'write' | 'skip';

const DEFAULT_MODE = 0o644;

export async function writePlan(plan: FilePlan, targetDir: string): Promise<WriteResult> {
  const root = resolve(targetDir);
  // Check every path before touching the disk: a bad plan writes nothing.
  const targets = plan.map((file) => ({ file, dest: destination(root, file.path) }));
  const seen = new Set<string>();
  for (const { file, dest } of targets) {
    if (seen.has(dest)) throw new Error(`The file plan lists ${file.path} twice`);
    seen.add(dest);
  }

  const result: WriteResult = { written: [], skipped: [] };
  for (const { file, dest } of targets) {
    if (decide(file, await exists(dest)) === 'skip') {
      result.skipped.push(file.path);
      continue;
    }
    await writeAtomically(dest, file.content, file.mode ?? DEFAULT_MODE);
    result.written.push(file.path);
  }
  return result;
}

/** The one place that decides what happens to a planned file (regeneration will add cases). */
function decide(file: PlannedFile, existsOnDisk: boolean): Action {
  if (file.owner === 'user' && existsOnDisk) return 'skip';
  return 'write';
}

/** The absolute destination of a plan path, refusing any path that leaves the target dir. */
export function destination(root: string, path: string): string {
  const escapes =
    path === '' ||
    path.includes('\0') ||
    isAbsolute(path) ||
    win32.isAbsolute(path) ||
    path.split(/[\\/]/).includes('..');
  const dest = resolve(root, path);
  const rel = relative(root, dest);
  if (escapes || rel === '' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(
      `Refusing to write "${path}": planned paths must be relative, ` +
        `without '..', and inside ${root}`,
    );
  }
  return dest;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

export async function writeAtomically(dest: string, content: string, mode: number): Promise<void> {
  const temp = `${dest}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(dest), { recursive: true });
    await writeFile(temp, content, { flag: 'wx', mode });
    // writeFile's mode is filtered by the umask; the plan's mode is what the file must have.
    await chmod(temp, mode);
    await rename(temp, dest);
  } catch (error) {
    await rm(temp, { force: true });
    throw new Error(`Could not write ${dest}: ${(error as Error).message}`, { cause: error });
  }
}
