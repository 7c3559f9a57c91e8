import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatorSource } from '../../../src/cli/generator-source.js';

describe('generatorSource', () => {
  const exists = (paths: string[]) => (path: string) => paths.includes(path);

  it('a git checkout is a clone: projects call its bin script', () => {
    expect(generatorSource('/home/me/create-scim-server', exists(['/home/me/create-scim-server/.git']))).toEqual({
      kind: 'path',
      bin: join('/home/me/create-scim-server', 'bin', 'create-scim-server.js'),
    });
  });

  it('an npm install (npx cache, tarball) is the registry, even with a .git around it', () => {
    const root = '/home/me/.npm/_npx/abc/node_modules/create-scim-server';
    expect(generatorSource(root, exists([join(root, '.git')]))).toEqual({ kind: 'registry' });
    expect(generatorSource('/opt/create-scim-server', exists([]))).toEqual({ kind: 'registry' });
  });
});
