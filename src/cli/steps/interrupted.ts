import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from '../log.js';
import type { TargetBefore } from './check-target.js';

/**
 * After Ctrl-C while writing or installing: remove what this run made, so that running it again
 * finds the directory as it was; a directory that held the user's files (--force) stays, and we
 * say so.
 */
export async function undoInterrupted(targetDir: string, before: TargetBefore, log: Log): Promise<void> {
  if (before === 'missing') {
    await rm(targetDir, { recursive: true, force: true });
    log.warn(`Interrupted: removed ${targetDir}, which this run had created. Run the same command again to start over.`);
  } else if (before === 'empty') {
    // Only .git was there before.
    const made = (await readdir(targetDir)).filter((name) => name !== '.git');
    await Promise.all(made.map((name) => rm(join(targetDir, name), { recursive: true, force: true })));
    log.warn(`Interrupted: emptied ${targetDir} again (it was empty before). Run the same command again to start over.`);
  } else {
    log.warn(`Interrupted: ${targetDir} already held files, so nothing was removed; it now holds a partial project. Run again with --force to finish it.`);
  }
}
