import type { PackageManager } from '../commands.js';
import { cdCommand, installCommand } from '../commands.js';
import type { Exec } from '../context.js';
import type { Log } from '../log.js';

/** Runs `<pm> install`, streaming its progress. Returns false (after saying how to retry) on failure. */
export async function installDependencies(
  targetDir: string,
  cwd: string,
  packageManager: PackageManager,
  exec: Exec,
  log: Log,
): Promise<boolean> {
  log.step(`Installing dependencies with ${packageManager}`);
  try {
    await exec(packageManager, ['install'], { cwd: targetDir, stream: true });
  } catch (error) {
    const retry = [cdCommand(cwd, targetDir), installCommand(packageManager)].filter(Boolean).join(' && ');
    log.error(`Installing dependencies failed: ${(error as Error).message}`);
    log.info(`The project is complete except its dependencies: keep it, and finish the install with:\n  ${retry}`);
    return false;
  }
  log.success('Dependencies installed');
  return true;
}
