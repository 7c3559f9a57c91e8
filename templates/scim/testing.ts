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
}
