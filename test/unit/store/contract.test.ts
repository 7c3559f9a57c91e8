// The ResourceStore contract run against the in-memory reference store and the SQLite store: the
// same cases, so the reference store is proven to behave like a database-backed one.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, vi } from 'vitest';
import { sqliteMigrations } from '../../../templates/database-sqlite/generator/migrations.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import { createMemoryStore } from '../../../templates/database-custom/memory-store.js';
import { openSqliteStore } from '../../../templates/database-sqlite/store.js';
import { describeStoreContract, registry } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'scim-contract-'));
const migrationsDir = join(dir, 'migrations');
mkdirSync(migrationsDir);
for (const m of sqliteMigrations(storagePlan(registry))) writeFileSync(join(migrationsDir, m.name), m.sql);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
describeStoreContract('memory', async () => createMemoryStore({ registry }));
describeStoreContract('sqlite', {
  database: async () => {
    const file = join(dir, `${++files}.sqlite`);
    return {
      open: () => openSqliteStore({ file, registry, migrationsDir }),
      reopens: true,
      async countRows(table, column, values) {
        const db = new Database(file, { readonly: true });
        try {
          const sql = `SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" IN (${values.map(() => '?').join(', ')})`;
          return (db.prepare(sql).get(...values) as { n: number }).n;
        } finally {
          db.close();
        }
      },
    };
  },
  // Reads go through a statement's `get` or `all`; `run` (writes, BEGIN and COMMIT) is not counted.
  countQueries() {
    const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Database.Statement;
    const spies = [vi.spyOn(statement, 'get'), vi.spyOn(statement, 'all')];
    return {
      get count() {
        return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
      },
    };
  },
});
