// What regeneration knows about a project's past, so a schema change adds a numbered migration
// instead of editing one that databases have already applied.

import type { StoragePlan } from '../../templates/scim/storage.js';

/** Where the storage plan the project's migrations create is recorded. */
export const STORAGE_PLAN_PATH = '.scim-server/storage-plan.json';

export interface ProjectHistory {
  /**
   * The storage plan the project's existing migrations create (STORAGE_PLAN_PATH); undefined
   * when the project has none (generated before it was recorded).
   */
  storagePlan?: StoragePlan;
  /** Migration files already in the project, by POSIX path from its root ("migrations/sqlite/0001_initial.sql"). */
  migrations: ReadonlyMap<string, string>;
}
