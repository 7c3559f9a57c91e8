// Starts the real server on a free port with a database of its own, for one test file (or one
// describe block) at a time.

import { afterAll, beforeAll } from 'vitest';
import { createScimServer } from '../../src/generated/app.js';
import { testCredentials } from '../../src/generated/auth/testing.js';
import { BASE_PATH } from '../../src/generated/project.gen.js';
import type { IssuedCredential } from '../../src/generated/scim/admin.js';
import { testDatabase } from '../../src/generated/database/testing.js';
import { scim, type ScimClient } from './scim.js';

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
  /** Headers presenting a credential the admin API issued (a tenant's token, password or client). */
  headersFor(credential: IssuedCredential): Promise<Record<string, string>>;
  /** Every row of the server's database as text (PostgreSQL, MySQL); undefined where there is no dump. */
  dumpDatabase?(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Environment variables on top of the test defaults; a function when they are known only in beforeAll. */
export type EnvOverrides = Record<string, string> | (() => Record<string, string> | Promise<Record<string, string>>);

export interface ScimServerHandle {
  /** The running server. Its fields can be read once beforeAll has run: in tests and hooks. */
  server: TestServer;
  /** A SCIM client for it, sending the credentials it accepts. */
  client: ScimClient;
}

/**
 * A server for the tests of the enclosing file or describe block: started in beforeAll, closed
 * in afterAll. Hooks registered after this call see it running, and their afterAll runs before
 * it closes.
 *
 *   const { server, client } = useScimServer({ SCIM_PATCH_STATUS: '204' });
 */
export function useScimServer(env: EnvOverrides = {}): ScimServerHandle {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startServer(typeof env === 'function' ? await env() : env);
  });
  afterAll(async () => {
    await started?.close();
  });

  const running = (): TestServer => {
    if (!started) throw new Error('useScimServer(): the server starts in beforeAll; use it inside tests and hooks');
    return started;
  };
  // Stands for the server before it exists, so the handle can be destructured at the top of a file.
  const server: TestServer = {
    get origin() {
      return running().origin;
    },
    get baseUrl() {
      return running().baseUrl;
    },
    get basePath() {
      return running().basePath;
    },
    get credentials() {
      return running().credentials;
    },
    get env() {
      return running().env;
    },
    headersFor: (credential) => running().headersFor(credential),
    dumpDatabase: () => running().dumpDatabase?.() ?? Promise.resolve(undefined),
    close: () => running().close(),
  };
  return { server, client: scim(server) };
}

/** Starts a server now; the caller closes it. For a test that needs one of its own. */
export async function startServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const database = await testDatabase();
  const auth = testCredentials();
  // The suite sends requests far faster than any identity provider, from one credential:
  // rate-limit.test.ts turns the limit on for itself.
  const env = { ...database.env, ...auth.env, LOG_LEVEL: 'silent', SCIM_RATE_LIMIT_PER_SECOND: '0', ...overrides };
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
    const headersFor = (credential: IssuedCredential) => auth.headersFor(credential, { origin });
    const dumpDatabase = async () => database.dump?.();
    return { origin, baseUrl: origin + BASE_PATH, basePath: BASE_PATH, credentials, env, headersFor, dumpDatabase, close };
  } catch (error) {
    await close();
    throw error;
  }
}
