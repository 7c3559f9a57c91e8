import { CommandError, type Exec } from '../context.js';
import type { Log } from '../log.js';

const COMMIT_MESSAGE = 'Initial commit from create-scim-server';

/** git init + a first commit. Quietly skipped without git, or inside an existing repository. */
export async function initGit(targetDir: string, exec: Exec, log: Log): Promise<void> {
  const git = (...args: string[]) => exec('git', args, { cwd: targetDir, stream: false });
  try {
    await git('--version');
  } catch (error) {
    if (!(error instanceof CommandError && error.notFound)) throw error;
    log.info('Note: git is not installed, so no repository was created.');
    return;
  }
  if (await succeeds(git('rev-parse', '--is-inside-work-tree'))) {
    log.info('Note: the project is inside an existing git repository; no new one was created.');
    return;
  }
  log.step('Creating a git repository');
  await git('init', '--quiet');
  try {
    await git('add', '--all');
    await git('commit', '--quiet', '--message', COMMIT_MESSAGE);
  } catch (error) {
    // Usually user.name/user.email are not configured; the repository itself is fine.
    log.warn(`Created a git repository, but the first commit failed: ${(error as Error).message}`);
    log.info(`Commit yourself: git add --all && git commit -m "${COMMIT_MESSAGE}"`);
    return;
  }
  log.success('Created a git repository with a first commit');
}

/** Whether a command exits 0; a non-zero exit is an answer here, not a failure. */
async function succeeds(run: Promise<void>): Promise<boolean> {
  return run.then(
    () => true,
    (error: unknown) => {
      if (error instanceof CommandError) return false;
      throw error;
    },
  );
}
