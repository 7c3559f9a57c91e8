import { mysqlMigrations } from './generator/migrations.js';
import { mysqlChange } from './generator/migrations-change.js';
import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'database',
  id: 'mysql',
  label: 'MySQL 8 / MariaDB',
  rank: 2,
  shared: ['database-sql'],
  dependencies: ['mysql2'],
  devDependencies: [],
  env: [
    {
      name: 'DATABASE_URL',
      description:
        'MySQL or MariaDB connection URL, e.g. mysql://user:password@host:3306/scim (mariadb:// works too). The database must exist.',
      example: 'mysql://root@127.0.0.1:3306/scim',
    },
    {
      name: 'DATABASE_POOL_SIZE',
      description: 'Most connections the pool opens, per instance; keep the sum over instances below max_connections.',
      example: '10',
    },
  ],
  migrations: { dir: 'mysql', build: mysqlMigrations, change: mysqlChange },
  summary: 'MySQL or MariaDB',
  requirements: [
    'MySQL 8.0.17 or later (8.4 LTS recommended), or MariaDB 10.6 or later, reachable at `DATABASE_URL`, with ' +
      'its database created (`CREATE DATABASE scim CHARACTER SET utf8mb4`); the server creates its tables at ' +
      'start. `npm test` creates and drops a database of its own on the server at `TEST_DATABASE_URL` ' +
      '(default `mysql://root@127.0.0.1:3306/test`), so that user needs CREATE and DROP.',
  ],
  deployNotes: [
    'Run as many instances as you like against one database: uniqueness (a case-insensitive `userName` included) ' +
      'is enforced by unique keys, and only the first instance to start applies new migrations (under `GET_LOCK`).',
    'MySQL and MariaDB commit schema changes as they run: if a migration fails halfway, undo its first ' +
      'statements (or finish it by hand) before restarting; the error says which one failed.',
    'Values of the indexed attributes (`userName`, `externalId`, `displayName`, unique extension attributes) ' +
      'are limited to 767 characters, the longest an InnoDB key holds after the tenant; longer ones are refused with 400. ' +
      'Trailing spaces do not count when they are compared (`utf8mb4_bin` pads), so "bob" and "bob " are the same `userName`.',
    'Email values are indexed in a table of their own, `users_emails_value` (each user\'s emails, case-folded), ' +
      'which the server rewrites with every write to a user: `emails.value eq`, `emails.value sw` and ' +
      '`emails[type eq "work" and value eq ...]` filters start from it. Anything else that inserts or changes ' +
      'users in the database must keep it in step, or those filters will not find them.',
  ],
});
