import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilePlan } from '../../../src/emit/plan.js';
import { writePlan } from '../../../src/write/write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const read = (path: string) => readFile(join(dir, path), 'utf8');

/** Every file under dir, relative, sorted. */
async function tree(): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

describe('writePlan', () => {
  it('creates directories and writes every file of a fresh project', async () => {
    const plan: FilePlan = [
      { path: 'src/generated/scim/schema.ts', content: 'a', owner: 'generated' },
      { path: 'src/hooks/users.ts', content: 'b', owner: 'user' },
    ];
    expect(await writePlan(plan, dir)).toEqual({
      written: ['src/generated/scim/schema.ts', 'src/hooks/users.ts'],
      skipped: [],
    });
    expect(await read('src/generated/scim/schema.ts')).toBe('a');
    expect(await read('src/hooks/users.ts')).toBe('b');
    expect(await tree()).toEqual(['src/generated/scim/schema.ts', 'src/hooks/users.ts']);
  });

  it.each([
    ['user', 'mine', 'skipped'],
    ['generated', 'new', 'written'],
  ] as const)('an existing %s file ends up %j (%s)', async (owner, want, outcome) => {
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src/file.ts'), 'mine');
    const result = await writePlan([{ path: 'src/file.ts', content: 'new', owner }], dir);
    expect(result[outcome]).toEqual(['src/file.ts']);
    expect(await read('src/file.ts')).toBe(want);
  });

  it.each([
    ['parent', '../outside.ts'],
    ['nested parent', 'src/../../outside.ts'],
    ['absolute', '/tmp/outside.ts'],
    ['windows absolute', 'C:\\outside.ts'],
    ['windows parent', '..\\outside.ts'],
    ['empty', ''],
    ['the directory itself', '.'],
  ])('refuses a %s path and writes nothing', async (_, path) => {
    const plan: FilePlan = [
      { path: 'ok.ts', content: 'x', owner: 'generated' },
      { path, content: 'x', owner: 'generated' },
    ];
    await expect(writePlan(plan, dir)).rejects.toThrow(/^Refusing to write ".*": planned paths must be relative/);
    expect(await tree()).toEqual([]);
  });

  it('refuses a plan that lists a path twice', async () => {
    const file = { path: 'a.ts', content: 'x', owner: 'generated' } as const;
    await expect(writePlan([file, { ...file, path: './a.ts' }], dir)).rejects.toThrow(/lists \.\/a\.ts twice/);
  });

  it.skipIf(process.platform === 'win32')('applies the mode, 0o644 by default', async () => {
    await writePlan(
      [
        { path: 'bin/run.js', content: '#!/usr/bin/env node\n', owner: 'generated', mode: 0o755 },
        { path: 'README.md', content: '# x\n', owner: 'user' },
      ],
      dir,
    );
    expect((await stat(join(dir, 'bin/run.js'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dir, 'README.md'))).mode & 0o777).toBe(0o644);
  });

  it('replaces a generated file whole and leaves no temporary file behind', async () => {
    await writePlan([{ path: 'a.ts', content: 'a long first version', owner: 'generated' }], dir);
    await writePlan([{ path: 'a.ts', content: 'short', owner: 'generated' }], dir);
    expect(await read('a.ts')).toBe('short');
    expect(await tree()).toEqual(['a.ts']);
  });

  it('names the file when it cannot be written', async () => {
    await mkdir(join(dir, 'taken/child'), { recursive: true });
    await expect(
      writePlan([{ path: 'taken', content: 'x', owner: 'generated' }], dir),
    ).rejects.toThrow(/Could not write .*taken/);
    expect(await tree()).toEqual([]);
  });
});
