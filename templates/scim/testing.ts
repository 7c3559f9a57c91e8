// Contracts of the test support every adapter ships (auth/testing.ts, store/testing.ts), so the
// generated tests run unchanged against any framework, database and auth mode.

import type { IssuedCredential } from './admin.js';

/** How the tests authenticate. */
export interface TestCredentials {
  /** Environment that configures the auth mode. */
  env: Record<string, string>;
  /** Headers that carry valid credentials, obtained from the running server if need be. */
  headers(server: { origin: string }): Promise<Record<string, string>>;
  /** Headers that present a credential the admin CLI or API issued (a tenant's token, password or client). */
  headersFor(credential: IssuedCredential, server: { origin: string }): Promise<Record<string, string>>;
}

/** A database of its own for one test server. */
export interface TestDatabase {
  /** Environment that points the store at it (DATABASE_PATH, DATABASE_URL, ...). */
  env: Record<string, string>;
  /** Drops it. */
  cleanup(): Promise<void>;
  /**
   * Every row of every table as text, as a copy of the database would show it (binary values as
   * UTF-8), for tests asserting what is not stored. Absent where a file search does it (SQLite).
   */
  dump?(): Promise<string>;
}

/** One row as text: strings as they are, binary as UTF-8, anything else as JSON. */
export function rowText(row: Record<string, unknown>): string {
  return Object.values(row)
    .map((value) => (typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : JSON.stringify(value)))
    .join('\t');
}
