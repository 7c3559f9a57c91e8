// The ResourceStore contract run against the in-memory reference store and the SQLite store: the
// same cases, so the reference store is proven to behave like a database-backed one.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { sqliteMigrations } from '../../../src/emit/migrations.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import { createMemoryStore } from '../../../templates/store-custom/memory-store.js';
import { openSqliteStore } from '../../../templates/store-sqlite/store.js';
import { describeStoreContract, registry } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'scim-contract-'));
const migrationsDir = join(dir, 'migrations');
mkdirSync(migrationsDir);
for (const m of sqliteMigrations(storagePlan(registry))) writeFileSync(join(migrationsDir, m.name), m.sql);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
describeStoreContract('memory', async () => createMemoryStore({ registry }));
describeStoreContract('sqlite', () => openSqliteStore({ file: join(dir, `${++files}.sqlite`), registry, migrationsDir }));
