// The server your own tests run against. This file is yours: create-scim-server wrote it once
// and regeneration never touches it. The generated suite beside it (the other files under test/)
// is regenerated with the project; put your own tests in files of your own, like example.test.ts.
//
// Each call starts the real server (with its own database and test credentials) before the
// tests of the file or describe block that makes it, and stops it after them. Add here what
// your tests share: environment variables, seed data, a client for your own API.

import { beforeAll } from 'vitest';
import { useScimServer as useGeneratedServer, type ScimServerHandle } from './helpers/server.js';
import type { ScimClient } from './helpers/scim.js';

export interface ScimServerOptions {
  /** Environment variables on top of the test defaults, e.g. `{ SCIM_PATCH_STATUS: '204' }`. */
  env?: Record<string, string>;
  /** Runs once the server is up, before the tests: create the users and groups they expect. */
  seed?: (client: ScimClient) => Promise<void>;
}

/** Environment every test server of yours starts with; `options.env` wins over it. */
const ENV: Record<string, string> = {};

export function useScimServer(options: ScimServerOptions = {}): ScimServerHandle {
  const handle = useGeneratedServer({ ...ENV, ...options.env });
  const { seed } = options;
  if (seed) beforeAll(() => seed(handle.client));
  return handle;
}
