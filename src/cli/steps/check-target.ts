import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunOptions } from '../../options.js';
import { UsageError } from '../errors.js';
import type { Log } from '../log.js';

/** What was at the target before this run: what an interrupted run may remove, and what not. */
export type TargetBefore = 'missing' | 'empty' | 'not-empty';

/**
 * Refuses a target that is a file, a non-empty directory unless --force, or a place this user
 * cannot write to; all before anything is written.
 */
export async function checkTarget(run: Pick<RunOptions, 'targetDir' | 'force'>, log: Log): Promise<TargetBefore> {
  let entries: string[];
  try {
    entries = await readdir(run.targetDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await requireWritable(await nearestExisting(dirname(run.targetDir)), run.targetDir);
      return 'missing';
    }
    if (code === 'ENOTDIR') throw new UsageError(`${run.targetDir} is a file. Choose a new or empty directory.`);
    if (code === 'EACCES' || code === 'EPERM') throw notWritable(run.targetDir, run.targetDir);
    throw error;
  }
  await requireWritable(run.targetDir, run.targetDir);
  // An empty repository (just .git) is a normal place to start a project.
  const existing = entries.filter((name) => name !== '.git');
  if (existing.length === 0) return 'empty';
  if (!run.force) {
    const shown = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ', ...' : '');
    throw new UsageError(
      `The directory ${run.targetDir} is not empty (${shown}). ` +
        'Choose a new or empty directory, or pass --force to generate into it anyway.',
    );
  }
  log.warn(`${run.targetDir} is not empty; generating into it because of --force.`);
  return 'not-empty';
}

/** The closest directory above a path that does not exist yet: where mkdir will have to write. */
async function nearestExisting(dir: string): Promise<string> {
  for (let current = dir; ; current = dirname(current)) {
    try {
      await access(current);
      return current;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) return current;
    }
  }
}

async function requireWritable(dir: string, target: string): Promise<void> {
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw notWritable(dir, target);
    throw error;
  }
}

const notWritable = (dir: string, target: string) =>
  new UsageError(`Cannot write to ${dir}, so ${target} cannot be created there. Choose a directory you can write to (the first argument).`);
