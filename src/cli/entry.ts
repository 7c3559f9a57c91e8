// Whether this process was started as the CLI (via the bin shim or this file directly), so
// importing main.ts from tests does not run it.

import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';

export function invokedAsCli(mainModuleUrl: string, script: string | undefined = process.argv[1]): boolean {
  if (!script || !existsSync(script)) return false;
  // npm links the bin into node_modules/.bin, so compare real paths.
  const started = realpathSync(script);
  const bin = join(packageRoot(mainModuleUrl), 'bin', 'create-scim-server.js');
  return started === realpathSync(fileURLToPath(mainModuleUrl)) || (existsSync(bin) && started === realpathSync(bin));
}
