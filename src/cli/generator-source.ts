// Is this generator a clone (a git checkout run with `node bin/create-scim-server.js`) or the
// registry's package (npx, npm create)? A project made from a clone must call that clone from
// its scripts: until the package is published, `npx create-scim-server@<version>` finds nothing.

import { join, sep } from 'node:path';
import { REGISTRY, type GeneratorSource } from '../options.js';

/**
 * A clone is a git checkout (`.git`, a folder or a worktree's file) outside any node_modules;
 * npm installs (npx's cache, a project's dependency, a packed tarball) are inside one and have no .git.
 */
export function generatorSource(root: string, exists: (path: string) => boolean): GeneratorSource {
  const installed = root.split(sep).includes('node_modules');
  if (installed || !exists(join(root, '.git'))) return REGISTRY;
  return { kind: 'path', bin: join(root, 'bin', 'create-scim-server.js') };
}
