import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilePlan } from '../../../src/emit/plan.js';
import { MANIFEST_PATH, buildManifest, sha256 } from '../../../src/emit/manifest.js';
import { readManifest } from '../../../src/write/manifest.js';
import { writePlan } from '../../../src/write/write.js';

const plan: FilePlan = [
  { path: 'src/generated/types.gen.ts', content: 'export {};\n', owner: 'generated' },
  { path: 'src/server.ts', content: 'start();\n', owner: 'user' },
  { path: '.gitignore', content: 'node_modules\n', owner: 'generated' },
];
const meta = { generatorVersion: '1.2.3', options: { port: 3000, basePath: '/scim/v2', nested: { b: 1, a: 2 } } };

describe('sha256', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('%j', (text, want) => {
    expect(sha256(text)).toBe(want);
  });
});

describe('buildManifest', () => {
  const file = buildManifest(plan, meta);
  const parsed = JSON.parse(file.content) as { files: Record<string, unknown> };

  it('is a generated JSON file at .scim-server/manifest.json ending in a newline', () => {
    expect(file.path).toBe(MANIFEST_PATH);
    expect(file.owner).toBe('generated');
    expect(file.content.endsWith('}\n')).toBe(true);
  });

  it('hashes every planned file, user-owned included', () => {
    expect(parsed.files).toEqual({
      'src/generated/types.gen.ts': { sha256: sha256('export {};\n'), owner: 'generated' },
      'src/server.ts': { sha256: sha256('start();\n'), owner: 'user' },
      '.gitignore': { sha256: sha256('node_modules\n'), owner: 'generated' },
    });
  });

  it('sorts keys at every level, so plan order does not matter', () => {
    expect(Object.keys(parsed)).toEqual(['files', 'generatorVersion', 'options']);
    expect(Object.keys(parsed.files)).toEqual(['.gitignore', 'src/generated/types.gen.ts', 'src/server.ts']);
    expect(file.content).toContain('"nested": {\n      "a": 2,\n      "b": 1\n    }');
    expect(buildManifest([...plan].reverse(), meta).content).toBe(file.content);
  });

  it('does not list itself', () => {
    const again = buildManifest([...plan, file], meta);
    expect(again.content).toBe(file.content);
  });
});

describe('readManifest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scim-manifest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is undefined when the project has none', async () => {
    expect(await readManifest(dir)).toBeUndefined();
  });

  it('reads back what was written', async () => {
    await writePlan([...plan, buildManifest(plan, meta)], dir);
    const manifest = await readManifest(dir);
    expect(manifest?.generatorVersion).toBe('1.2.3');
    expect(manifest?.options).toEqual(meta.options);
    expect(manifest?.files['src/server.ts']).toEqual({ sha256: sha256('start();\n'), owner: 'user' });
  });

  it.each([
    ['not JSON', '{', /manifest\.json is not a valid create-scim-server manifest/],
    ['an array', '[]', /not a JSON object/],
    ['no version', '{"options":{},"files":{}}', /"generatorVersion" is not a string/],
    ['bad entry', '{"generatorVersion":"1","options":{},"files":{"a":{"sha256":"x","owner":"me"}}}', /entry for "a"/],
  ])('rejects %s with the path and what to do', async (_, text, want) => {
    await mkdir(join(dir, '.scim-server'));
    await writeFile(join(dir, MANIFEST_PATH), text);
    await expect(readManifest(dir)).rejects.toThrow(want);
    await expect(readManifest(dir)).rejects.toThrow(/Restore it from version control, or delete it/);
  });
});
