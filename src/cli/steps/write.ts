import type { FilePlan } from '../../emit/plan.js';
import { baseFiles } from '../../write/base-store.js';
import type { CliDeps } from '../context.js';
import type { Log } from '../log.js';

/** Commits the plan to disk; existing user-owned files are left alone by the writer. */
export async function writeFiles(
  plan: FilePlan,
  targetDir: string,
  writePlan: CliDeps['writePlan'],
  log: Log,
): Promise<void> {
  log.step(`Writing ${plan.length} files to ${targetDir}`);
  // With the base copies regeneration merges against (src/write/base-store.ts).
  const { skipped } = await writePlan([...plan, ...baseFiles(plan)], targetDir);
  log.success(`Wrote ${plan.length - skipped.length} files${skipped.length ? `; kept ${skipped.length} existing files you own` : ''}`);
}
