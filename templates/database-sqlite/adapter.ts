import { sqliteMigrations } from './generator/migrations.js';
import { sqliteChange } from './generator/migrations-change.js';
import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'database',
  id: 'sqlite',
  label: 'SQLite (embedded, no server needed)',
  rank: 0,
  dependencies: ['better-sqlite3'],
  devDependencies: ['@types/better-sqlite3'],
  env: [
    {
      name: 'DATABASE_PATH',
      description: 'SQLite database file; created with its folder on first start.',
      example: './data/scim.sqlite',
    },
  ],
  migrations: { dir: 'sqlite', build: sqliteMigrations, change: sqliteChange },
  summary: 'an SQLite file',
  requirements: [
    'Nothing else: the database is a file (`DATABASE_PATH`). On Node.js 20, `better-sqlite3` compiles from source during `npm install` (Python and a C++ compiler needed).',
  ],
  deployNotes: [
    'Run one instance per database file: SQLite lives on one machine, so scale up, not out.',
    'Back up the database file (for example with `sqlite3 <file> ".backup <copy>"`), not by copying it while the server writes.',
  ],
  docker: {
    volume: '/data',
    env: { DATABASE_PATH: '/data/scim.sqlite' },
  },
});
