// The deprovisioning policy and how long the server keeps what it no longer serves: the audit
// log (events) and soft-deleted resources. Read from the environment at start (a wrong value
// stops the server naming the variable); pruned in the background, hourly, by one unref'd timer
// that never keeps the process alive.

import { choiceSetting, integerSetting } from './config.js';
import type { ResourceStore } from './store.js';

export interface RetentionSettings {
  /** SCIM_DELETE: `hard` removes a deleted resource's row at once; `soft` keeps it aside. */
  deletePolicy: 'hard' | 'soft';
  /** SCIM_DELETE_RETENTION_DAYS: how long soft-deleted resources are kept (default 30). */
  deleteRetentionDays: number;
  /** SCIM_AUDIT_RETENTION_DAYS: how long events are kept once delivered (default 90). */
  auditRetentionDays: number;
}

const DAY_MS = 24 * 3600 * 1000;
/** How often the pruner runs. */
export const PRUNE_INTERVAL_MS = 3600 * 1000;

export function readRetentionSettings(env: NodeJS.ProcessEnv): RetentionSettings {
  return {
    deletePolicy: choiceSetting(env, 'SCIM_DELETE', ['hard', 'soft'], 'hard'),
    deleteRetentionDays: integerSetting(env, 'SCIM_DELETE_RETENTION_DAYS', 30, 0, 36_500),
    auditRetentionDays: integerSetting(env, 'SCIM_AUDIT_RETENTION_DAYS', 90, 1, 36_500),
  };
}

type Prunable = Pick<ResourceStore, 'events' | 'purgeDeleted'>;

/** One pass: events past the audit retention (deliveries settled), then expired soft deletes. */
export async function pruneOnce(store: Prunable, settings: RetentionSettings, now = Date.now()): Promise<{ events: number; deleted: number }> {
  const eventsBefore = new Date(now - settings.auditRetentionDays * DAY_MS).toISOString();
  let events = 0;
  // A store may prune in batches: again until a pass finds nothing (bounded, the next hour goes on).
  for (let pass = 0; pass < 100; pass++) {
    const pruned = await store.events.prune(eventsBefore);
    events += pruned;
    if (pruned === 0) break;
  }
  const deleted = await store.purgeDeleted(new Date(now - settings.deleteRetentionDays * DAY_MS).toISOString());
  return { events, deleted };
}

/**
 * Prunes now (soon after start) and then every PRUNE_INTERVAL_MS. A failed pass (database down)
 * is logged by the error's name only and tried again at the next one.
 */
export function startPruner(
  store: Prunable,
  settings: RetentionSettings,
  log: { warn(obj: object, msg?: string): void },
  intervalMs = PRUNE_INTERVAL_MS,
): { stop(): void } {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      await pruneOnce(store, settings);
    } catch (error) {
      log.warn({ error: error instanceof Error ? error.name : typeof error }, 'pruning old events and soft-deleted resources failed; retried later');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void run(), Math.min(intervalMs, 5_000));
  const timer = setInterval(() => void run(), intervalMs);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
