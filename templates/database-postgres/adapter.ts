import { postgresMigrations } from './generator/migrations.js';
import { postgresChange } from './generator/migrations-change.js';
import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'database',
  id: 'postgres',
  label: 'PostgreSQL',
  rank: 1,
  shared: ['database-sql'],
  dependencies: ['pg'],
  devDependencies: ['@types/pg'],
  env: [
    {
      name: 'DATABASE_URL',
      description:
        'PostgreSQL connection URL, e.g. postgres://user:password@host:5432/scim; add `?sslmode=require` for TLS. ' +
        'The database must exist. With a password in it, keep it in your secret store.',
      example: 'postgres://postgres@127.0.0.1:5432/scim',
      secret: false,
    },
    {
      name: 'DATABASE_POOL_SIZE',
      description:
        'Most connections the pool opens, per instance; keep the sum over instances below `max_connections` (100 by default).',
      example: '10',
    },
  ],
  migrations: { dir: 'postgres', build: postgresMigrations, change: postgresChange },
  summary: 'PostgreSQL',
  requirements: [
    'PostgreSQL 13 or later with ICU (every mainstream build and managed service has it), reachable at ' +
      '`DATABASE_URL`, with its database created (`createdb scim`); the server creates its tables at start. ' +
      '`npm test` creates and drops a database of its own on the server at `TEST_DATABASE_URL` (default ' +
      '`postgres://postgres@127.0.0.1:5432/postgres`), so that user needs CREATEDB.',
  ],
  deployNotes: [
    'Run as many instances as you like against one database: uniqueness (a case-insensitive `userName` included) ' +
      'is enforced by unique indexes, writes to one resource queue on its row lock, and only the first instance to ' +
      'start applies new migrations (under an advisory lock), each in one transaction.',
    'In a container, `127.0.0.1` is the container itself: point `DATABASE_URL` at the database host\'s name. ' +
      'The server needs no volume: all its state is in PostgreSQL.',
    'Size `DATABASE_POOL_SIZE` for the requests you expect at once: each request holds one connection while it runs, ' +
      'and a request that waits more than 10 seconds for one is answered 503, which identity providers retry. ' +
      'Behind PgBouncer, use session pooling (migrations take a session-level advisory lock).',
    'Back up with your platform\'s snapshots or `pg_dump --format=custom`; restore into an empty database and start ' +
      'the server, which finds the migrations already applied.',
    'A lost database connection (a restart, a failover) fails only the requests using it, with 503; the pool ' +
      'reconnects by itself.',
  ],
});
