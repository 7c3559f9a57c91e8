import { sqliteMigrations } from '../emit/migrations.js';
import { defineAdapter } from './types.js';

export const sqlite = defineAdapter({
  layer: 'database',
  id: 'sqlite',
  label: 'SQLite (embedded, no server needed)',
  templateDir: 'store-sqlite',
  target: 'src/generated/store',
  dependencies: ['better-sqlite3'],
  devDependencies: ['@types/better-sqlite3'],
  env: [
    {
      name: 'DATABASE_PATH',
      description: 'SQLite database file; created with its folder on first start.',
      example: './data/scim.sqlite',
    },
  ],
  migrations: { dir: 'sqlite', build: sqliteMigrations },
  docker: {
    volume: '/data',
    env: { DATABASE_PATH: '/data/scim.sqlite' },
  },
});
