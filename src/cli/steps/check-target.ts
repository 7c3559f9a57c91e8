import { readdir } from 'node:fs/promises';
import type { RunOptions } from '../../options.js';
import { UsageError } from '../errors.js';
import type { Log } from '../log.js';

/** Refuses a target that is a file, or a non-empty directory unless --force. */
export async function checkTarget(run: Pick<RunOptions, 'targetDir' | 'force'>, log: Log): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(run.targetDir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UsageError(`${run.targetDir} is a file. Choose a new or empty directory.`);
    throw error;
  }
  // An empty repository (just .git) is a normal place to start a project.
  const existing = entries.filter((name) => name !== '.git');
  if (existing.length === 0) return;
  if (!run.force) {
    const shown = existing.slice(0, 3).join(', ') + (existing.length > 3 ? ', ...' : '');
    throw new UsageError(
      `The directory ${run.targetDir} is not empty (${shown}). ` +
        'Choose a new or empty directory, or pass --force to generate into it anyway.',
    );
  }
  log.warn(`${run.targetDir} is not empty; generating into it because of --force.`);
}
