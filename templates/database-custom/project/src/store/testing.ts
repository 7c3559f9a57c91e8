// The database of each test server the generated tests start (test/helpers/server.ts calls
// testDatabase() once per test file). This file is yours, like the store it serves.
//
// The in-memory store gets a name of its own, so the servers a test restarts and the tenant CLI
// it runs beside them share one store, as they would share a database. A store over your own
// service returns here the environment that points it at a test instance of that service (for
// example { API_BASE_URL: process.env.TEST_API_BASE_URL, API_TOKEN: process.env.TEST_API_TOKEN })
// and removes what the tests created in cleanup().

import { randomUUID } from 'node:crypto';
import { dropMemoryStore } from '../generated/database/memory-store.js';
import type { TestDatabase } from '../generated/scim/testing.js';

export async function testDatabase(): Promise<TestDatabase> {
  const name = randomUUID();
  return { env: { SCIM_MEMORY_STORE: name }, cleanup: async () => dropMemoryStore(name) };
}
