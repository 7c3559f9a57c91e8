// Starts the real server on a free port with a database of its own, for one test file.

import { createScimServer } from '../../src/generated/app.js';
import { testCredentials } from '../../src/generated/auth/testing.js';
import { BASE_PATH } from '../../src/generated/project.gen.js';
import { testDatabase } from '../../src/generated/database/testing.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** origin + base path, e.g. http://127.0.0.1:41234/scim/v2 */
  baseUrl: string;
  basePath: string;
  /** Headers carrying credentials the server accepts (Authorization, or a custom header). */
  credentials: Record<string, string>;
  /** The environment the server was started with (its secrets included). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const database = await testDatabase();
  const auth = testCredentials();
  const env = { ...database.env, ...auth.env, LOG_LEVEL: 'silent', ...overrides };
  const server = await createScimServer({ env }).catch(async (error: unknown) => {
    await database.cleanup();
    throw error;
  });
  const close = async () => {
    await server.close();
    await database.cleanup();
  };
  try {
    const origin = await server.listen({ port: 0, host: '127.0.0.1' });
    const credentials = await auth.headers({ origin });
    return { origin, baseUrl: origin + BASE_PATH, basePath: BASE_PATH, credentials, env, close };
  } catch (error) {
    await close();
    throw error;
  }
}
