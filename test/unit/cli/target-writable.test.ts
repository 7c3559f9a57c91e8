// An unwritable target is refused before anything is written. Tests run as root here, where
// permission bits do not stop writes, so `access` answers as it would for a normal user.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

const denied = new Set<string>();
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    access: async (path: string, mode?: number) => {
      if (mode !== undefined && denied.has(path)) throw Object.assign(new Error(`EACCES: permission denied, access '${path}'`), { code: 'EACCES' });
      return real.access(path, mode);
    },
  };
});

const { main } = await import('../../../src/cli/main.js');
const { fake } = await import('./fakes.js');

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'scim-writable-'));
});
afterEach(async () => {
  denied.clear();
  await rm(cwd, { recursive: true, force: true });
});

describe('an unwritable target', () => {
  test('a new directory under one we cannot write to: named, nothing written, no install', async () => {
    denied.add(cwd);
    const f = fake({ cwd });
    expect(await main([join('deep', 'app')], f.deps)).toBe(1);
    expect(f.stderr()).toContain(`✖ Cannot write to ${cwd}, so ${join(cwd, 'deep', 'app')} cannot be created there. Choose a directory you can write to (the first argument).`);
    expect(f.written).toEqual([]);
    expect(f.commands).toEqual([]);
  });

  test('an existing empty directory we cannot write to', async () => {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(cwd, 'app'));
    denied.add(join(cwd, 'app'));
    const f = fake({ cwd });
    expect(await main(['app'], f.deps)).toBe(1);
    expect(f.stderr()).toContain(`✖ Cannot write to ${join(cwd, 'app')}`);
    expect(f.written).toEqual([]);
  });
});
