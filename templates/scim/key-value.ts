// A small key-value store with expiry in the project's database, for server-side state that is
// not a SCIM resource: OAuth 2.0 authorization codes, access and refresh tokens (stored under a
// hash of the secret, never the secret itself). Every database adapter implements it over one
// table, so such state survives restarts and is shared by every instance of the server.

export interface KeyValueStore {
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Inserts or replaces; the entry is gone (as if deleted) after `expiresAt`. */
  set(key: string, value: string, expiresAt: Date): Promise<void>;
  /**
   * Deletes the entry and returns its value, atomically: of two concurrent takes of one key,
   * exactly one gets the value. How single-use secrets (codes, rotated refresh tokens) are spent.
   */
  take(key: string): Promise<string | undefined>;
  delete(key: string): Promise<void>;
  /** Deletes expired entries; returns how many. The server calls it now and then. */
  purgeExpired(): Promise<number>;
}
