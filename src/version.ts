// The generator's version, read from its own package.json: the one source for the headers of
// generated files, the manifest, scim.config.json, the project's `scim:generate` script and
// `--version`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './model/package-root.js';

export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }
).version;
