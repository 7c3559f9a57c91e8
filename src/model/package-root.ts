// The generator's own install directory. Modules run from src/model/ under vitest and from
// dist/src/model/ once built, so we walk up to our package.json instead of counting "../".

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'create-scim-server';

export function packageRoot(moduleUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the ${PACKAGE_NAME} package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}

function isOurs(manifest: string): boolean {
  const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
  return name === PACKAGE_NAME;
}
