// The composition root: the engine plus the adapters chosen at generation time. Each adapter
// folder exports one well-known factory, so this file is the same for every variant.

import { createAuthenticator } from './auth/index.js';
import { schemas, resourceTypes } from './schemas.gen.js';
import { createHttpServer } from './framework/index.js';
import type { Hooks } from './hooks.gen.js';
import { readCoreSettings, type CoreSettings } from './scim/config.js';
import { CursorCodec } from './scim/cursor.js';
import { buildRegistry } from './scim/registry.js';
import { ScimService } from './scim/service.js';
import { createStore } from './database/index.js';
import { BASE_PATH, DEFAULT_PORT, UNKNOWN_ATTRIBUTES } from './project.gen.js';

export interface ScimServer {
  settings: CoreSettings;
  /** Listens on the configured (or given) port and host; resolves to the address. */
  listen(overrides?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting requests, waits for in-flight ones, then closes the database. */
  close(): Promise<void>;
}

export async function createScimServer(options: { env: NodeJS.ProcessEnv; hooks?: Hooks }): Promise<ScimServer> {
  const { env } = options;
  const settings = readCoreSettings(env, { port: DEFAULT_PORT });
  const registry = buildRegistry(resourceTypes, schemas);
  const store = await createStore({ env, registry });
  try {
    const authenticator = await createAuthenticator({ env, state: store.state, basePath: BASE_PATH });
    const service = new ScimService({
      registry,
      store,
      authenticator,
      hooks: options.hooks,
      patchStatus: settings.patchStatus,
      cursors: new CursorCodec(settings.cursorSecret, settings.cursorTimeoutSeconds),
      unknownAttributes: UNKNOWN_ATTRIBUTES,
    });
    const http = await createHttpServer({
      service,
      authenticator,
      basePath: BASE_PATH,
      bodyLimit: settings.bodyLimit,
      logLevel: settings.logLevel,
      publicUrl: settings.publicUrl,
      trustProxy: settings.trustProxy,
      ping: () => store.ping(),
    });

    let closed: Promise<void> | undefined;
    return {
      settings,
      listen: (overrides = {}) => http.listen(overrides.port ?? settings.port, overrides.host ?? settings.host),
      close: () =>
        (closed ??= (async () => {
          await http.close();
          await store.close();
        })()),
    };
  } catch (error) {
    // A bad auth setting must not leave a database pool open behind the error.
    await store.close();
    throw error;
  }
}
