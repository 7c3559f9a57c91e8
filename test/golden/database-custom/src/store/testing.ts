// The database of each test server the generated tests start (test/helpers/server.ts calls
// testDatabase() once per test file). This file is yours, like the store it serves.
//
// The in-memory store needs nothing: every server starts empty. A store over your own service
// returns here the environment that points it at a test instance of that service (for example
// { API_BASE_URL: process.env.TEST_API_BASE_URL, API_TOKEN: process.env.TEST_API_TOKEN }) and
// removes what the tests created in cleanup().

import type { TestDatabase } from '../generated/scim/testing.js';

export async function testDatabase(): Promise<TestDatabase> {
  return { env: {}, cleanup: async () => {} };
}
