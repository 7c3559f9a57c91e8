import type { FilePlan } from '../../emit/plan.js';
import type { Log } from '../log.js';

/** --dry-run: the plan as a sorted table (path, owner, size); the disk is not touched. */
export function printPlan(plan: FilePlan, targetDir: string, log: Log): void {
  const rows = [...plan]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) => ({ path: file.path, owner: file.owner, size: formatSize(Buffer.byteLength(file.content)) }));
  const pathWidth = Math.max(4, ...rows.map((r) => r.path.length));
  const sizeWidth = Math.max(4, ...rows.map((r) => r.size.length));
  log.info(`Dry run: ${plan.length} files would be written to ${targetDir}. Nothing was written.\n`);
  log.raw(`  ${'path'.padEnd(pathWidth)}  ${'owner'.padEnd(9)}  ${'size'.padStart(sizeWidth)}\n`);
  for (const row of rows) {
    log.raw(`  ${row.path.padEnd(pathWidth)}  ${row.owner.padEnd(9)}  ${row.size.padStart(sizeWidth)}\n`);
  }
}

export function formatSize(bytes: number): string {
  return bytes < 1000 ? `${bytes} B` : `${(bytes / 1000).toFixed(1)} kB`;
}
