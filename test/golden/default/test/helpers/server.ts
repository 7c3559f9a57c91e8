// Starts the real server on a free port with a fresh SQLite file, for one test file.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createScimServer } from '../../src/generated/app.js';
import { testCredentials } from '../../src/generated/auth/testing.js';
import { BASE_PATH } from '../../src/generated/project.gen.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** origin + base path, e.g. http://127.0.0.1:41234/scim/v2 */
  baseUrl: string;
  basePath: string;
  /** An Authorization header value the server accepts. */
  authorization: string;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'scim-test-'));
  const credentials = testCredentials();
  const server = await createScimServer({
    env: {
      DATABASE_PATH: join(dir, 'scim.sqlite'),
      ...credentials.env,
      LOG_LEVEL: 'silent',
      ...env,
    },
  });
  const origin = await server.listen({ port: 0, host: '127.0.0.1' });
  return {
    origin,
    baseUrl: origin + BASE_PATH,
    basePath: BASE_PATH,
    authorization: credentials.authorization,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
