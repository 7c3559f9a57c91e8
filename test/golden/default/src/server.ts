// Starts the SCIM server. This file is yours: create-scim-server wrote it once and never
// touches it again (add TLS, metrics or your own routes here, or mount the SCIM endpoints into
// an app you already run: see "Mounting into your own app" in the README).

import { existsSync } from 'node:fs';
import { createScimServer } from './generated/app.js';
import { exitOnStartupError } from './generated/startup.js';
import { hooks } from './hooks/index.js';

// Local development reads .env; in production the platform provides the environment.
if (existsSync('.env')) process.loadEnvFile('.env');

// A bad setting, an unreachable database or a busy port: one line that says what to do, no stack.
const server = await createScimServer({ env: process.env, hooks }).catch(exitOnStartupError);
const address = await server.listen().catch(async (error: unknown) => {
  await server.close();
  return exitOnStartupError(error);
});
for (const line of server.startupLines(address)) console.log(line);

// Finish in-flight requests and close the database cleanly when the platform stops us.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: Error) => {
        console.error(`Shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  });
}
