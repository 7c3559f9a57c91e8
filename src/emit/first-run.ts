// What a newcomer must do before and after the first `npm run dev` of this variant: create the
// database, set the OAuth redirect URIs, replace the in-memory store. One list, printed by the
// CLI's closing message and written into the README's "Getting started".

import { selectAdapters } from '../adapters/index.js';
import type { ProjectOptions } from '../options.js';

export interface FirstRunStep {
  /** What to do, in a sentence (Markdown backticks allowed). */
  text: string;
  /** A shell command that does it, when there is one. */
  command?: string;
}

/** Where the API reference is served (templates/app/docs.ts). */
export const DOCS_PATH = '/docs';

/** Steps before the server can start, or before an identity provider can connect. */
export function firstRunSteps(options: Pick<ProjectOptions, 'database' | 'auth' | 'framework'>): FirstRunStep[] {
  const steps: FirstRunStep[] = [];
  const url = databaseUrlExample(options);
  if (options.database === 'postgres' && url) {
    steps.push({
      text: 'Create the PostgreSQL database named in `DATABASE_URL` (`.env`); the server creates its tables at start.',
      command: `createdb -h ${url.hostname} -p ${url.port || 5432}${url.username ? ` -U ${url.username}` : ''} ${url.pathname.slice(1)}`,
    });
  }
  if (options.database === 'mysql' && url) {
    steps.push({
      text: 'Create the MySQL/MariaDB database named in `DATABASE_URL` (`.env`); the server creates its tables at start.',
      command: `mysql -h ${url.hostname} -P ${url.port || 3306} -u ${url.username || 'root'} -e 'CREATE DATABASE ${url.pathname.slice(1)} CHARACTER SET utf8mb4'`,
    });
  }
  if (options.database === 'custom') {
    steps.push({
      text: 'The in-memory store loses everything on restart: return your own store from `src/store/index.ts` (see `docs/custom-store.md`).',
    });
  }
  if (options.auth === 'oauth2') {
    steps.push({
      text:
        'Before an identity provider connects with OAuth 2.0, allow its redirect URI in `.env`: ' +
        '`OAUTH_REDIRECT_URIS=https://portal.azure.com/TokenAuthorize` for Entra ID, ' +
        "`OAUTH_OKTA_APP_NAME=<your OIN app name>` for Okta's callbacks; then restart the server.",
    });
  }
  return steps;
}

function databaseUrlExample(options: Pick<ProjectOptions, 'database' | 'auth' | 'framework'>): URL | undefined {
  const example = selectAdapters(options).database.env.find((v) => v.name === 'DATABASE_URL')?.example;
  try {
    return example ? new URL(example) : undefined;
  } catch {
    return undefined;
  }
}
