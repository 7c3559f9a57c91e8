// The store factory the composition root calls: SQLite in a file, path from DATABASE_PATH.

import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResourceStore, StoreOptions } from '../scim/store.js';
import { openSqliteStore } from './store.js';

// Three levels up from src/generated/database (or dist/generated/database) is the project root.
const MIGRATIONS = fileURLToPath(new URL('../../../migrations/sqlite', import.meta.url));

export async function createStore(options: StoreOptions): Promise<ResourceStore> {
  const file = resolve(options.env.DATABASE_PATH?.trim() || './data/scim.sqlite');
  mkdirSync(dirname(file), { recursive: true });
  return openSqliteStore({ file, registry: options.registry, migrationsDir: MIGRATIONS, logger: options.logger });
}
