// The regeneration report: one line per file that changes (every file with --dry-run), the
// reason where the action alone does not say it, then a summary.

import { CHANGES, CONFLICT_SUFFIX, type Action, type Decision } from '../../write/apply-plan.js';
import { isInternal } from '../../write/base-store.js';
import type { Log } from '../log.js';

/** Decisions that change a project file (the generator's own .scim-server/ files aside). */
export const projectChanges = (decisions: readonly Decision[]): Decision[] =>
  decisions.filter((d) => CHANGES.has(d.action) && !isInternal(d.path));

export function printDecisions(decisions: readonly Decision[], log: Log, options: { all: boolean }): void {
  const shown = decisions.filter((d) => !isInternal(d.path) && (options.all || d.action !== 'unchanged' || d.reason));
  const width = Math.max(...shown.map((d) => d.action.length), 0);
  for (const d of shown) {
    const target = d.action === 'conflict' ? `${d.path} (new version in ${d.path}${CONFLICT_SUFFIX})` : d.path;
    log.raw(`  ${d.action.padEnd(width)}  ${target}${d.reason ? `: ${d.reason}` : ''}\n`);
  }
}

export function summary(decisions: readonly Decision[]): string {
  const count = new Map<Action, number>();
  for (const d of decisions) if (!isInternal(d.path)) count.set(d.action, (count.get(d.action) ?? 0) + 1);
  const order: Action[] = ['create', 'update', 'merge', 'conflict', 'delete', 'keep', 'unchanged'];
  return order.filter((a) => count.get(a)).map((a) => `${count.get(a)} ${a}`).join(', ');
}
