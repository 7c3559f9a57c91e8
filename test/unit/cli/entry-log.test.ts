import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { invokedAsCli } from '../../../src/cli/entry.js';
import { createLog } from '../../../src/cli/log.js';

describe('invokedAsCli', () => {
  const mainUrl = new URL('../../../src/cli/main.ts', import.meta.url).href;
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  test.each([
    { name: 'the main module itself', script: fileURLToPath(mainUrl), want: true },
    { name: 'the bin shim', script: join(root, 'bin', 'create-scim-server.js'), want: true },
    { name: 'a test runner', script: join(root, 'node_modules', 'vitest', 'vitest.mjs'), want: false },
    { name: 'no script (node -e)', script: undefined, want: false },
  ])('$name -> $want', ({ script, want }) => {
    expect(invokedAsCli(mainUrl, script)).toBe(want);
  });

  test('a module URL outside any create-scim-server package is an error, not a guess', () => {
    expect(() => invokedAsCli(pathToFileURL('/no/such/main.js').href, fileURLToPath(mainUrl))).toThrow(
      /Cannot find the create-scim-server package\.json/,
    );
  });
});

describe('createLog', () => {
  const capture = (isTTY: boolean, env: Record<string, string> = {}) => {
    let out = '';
    let err = '';
    const log = createLog({
      stdout: { write: (t: string) => (out += t), isTTY },
      stderr: { write: (t: string) => (err += t), isTTY },
      env,
    });
    log.success('done');
    log.error('bad');
    return { out, err };
  };

  test('plain text when not a terminal', () => {
    expect(capture(false)).toEqual({ out: '✔ done\n', err: '✖ bad\n' });
  });

  test('styled on a terminal unless NO_COLOR', () => {
    expect(capture(true).out).toMatch(/^\u001b\[32m✔ \u001b\[39mdone\n$/);
    expect(capture(true, { NO_COLOR: '1' })).toEqual({ out: '✔ done\n', err: '✖ bad\n' });
  });
});
