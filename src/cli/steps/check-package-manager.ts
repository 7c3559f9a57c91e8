import { CommandError, type Exec } from '../context.js';
import type { PackageManager } from '../commands.js';
import { UsageError } from '../errors.js';

/** Before writing anything: the package manager that will install must be there. */
export async function checkPackageManager(packageManager: PackageManager, chosenByFlag: boolean, cwd: string, exec: Exec): Promise<void> {
  try {
    await exec(packageManager, ['--version'], { cwd, stream: false });
  } catch (error) {
    if (!(error instanceof CommandError && error.notFound)) throw error;
    const why = chosenByFlag ? `--package-manager ${packageManager}` : `${packageManager} (the one running create)`;
    throw new UsageError(
      `${why} is not installed or not on PATH. Install it, choose another with --package-manager, or pass --no-install. Nothing was written.`,
    );
  }
}
