import { describe, expect, test } from 'vitest';
import { cdCommand, packageManagerFromUserAgent, quote, runCommand } from '../../../src/cli/commands.js';
import { fillTokens } from '../../../src/cli/steps/env.js';
import { formatSize } from '../../../src/cli/steps/dry-run.js';

describe('fillTokens', () => {
  let n = 0;
  const token = () => `T${++n}`;
  const cases = [
    { name: 'marked empty key', given: '# generate: token\nA=\n', want: '# generate: token\nA=T\n', keys: ['A'] },
    { name: 'marker anywhere in the comment block', given: '# Token.\n# generate: token\n# Secret.\nA=\n', want: '# Token.\n# generate: token\n# Secret.\nA=T\n', keys: ['A'] },
    { name: 'unmarked key stays empty', given: '# The port.\nA=\n', want: '# The port.\nA=\n', keys: [] },
    { name: 'a key with a value is kept', given: '# generate: token\nA=set\n', want: '# generate: token\nA=set\n', keys: [] },
    { name: 'the marker covers only the next key', given: '# generate: token\nA=\nB=\n', want: '# generate: token\nA=T\nB=\n', keys: ['A'] },
    { name: 'a blank line ends the block', given: '# generate: token\n\nA=\n', want: '# generate: token\n\nA=\n', keys: [] },
    { name: 'CRLF line endings', given: '# generate: token\r\nA=\r\n', want: '# generate: token\r\nA=T\r\n', keys: ['A'] },
  ];
  test.each(cases)('$name', ({ given, want, keys }) => {
    const result = fillTokens(given, token);
    expect(result.tokenKeys).toEqual(keys);
    expect(result.text.replace(/=T\d+/g, '=T')).toBe(want);
  });

  test('each key gets its own token', () => {
    const { text } = fillTokens('# generate: token\nA=\n# generate: token\nB=\n', token);
    const [a, b] = [...text.matchAll(/=(T\d+)/g)].map((m) => m[1]);
    expect(a).toBeDefined();
    expect(a).not.toBe(b);
  });
});

describe('commands', () => {
  test.each([
    { cwd: '/w', target: '/w', want: undefined },
    { cwd: '/w', target: '/w/app', want: 'cd app' },
    { cwd: '/w', target: '/w/my app', want: 'cd "my app"' },
    { cwd: '/w', target: '/w/a/b', want: 'cd a/b' },
    { cwd: '/w/x', target: '/w/app', want: 'cd /w/app' },
    { cwd: '/w', target: '/w/say "hi"', want: 'cd "say \\"hi\\""' },
  ])('cd from $cwd to $target', ({ cwd, target, want }) => {
    expect(cdCommand(cwd, target)).toBe(want);
  });

  test.each([
    { pm: 'npm', want: 'npm start' },
    { pm: 'pnpm', want: 'pnpm start' },
    { pm: 'yarn', want: 'yarn start' },
    { pm: 'bun', want: 'bun run start' },
  ] as const)('$pm start', ({ pm, want }) => {
    expect(runCommand(pm, 'start')).toBe(want);
  });

  test('npm needs "run" for custom scripts', () => {
    expect(runCommand('npm', 'scim:generate')).toBe('npm run scim:generate');
  });

  test('quote leaves plain paths alone', () => {
    expect(quote('a/b-c.d')).toBe('a/b-c.d');
    expect(quote('a b')).toBe('"a b"');
  });

  test('user agent parsing ignores unknown managers', () => {
    expect(packageManagerFromUserAgent('pnpm/9 npm/? node/v22')).toBe('pnpm');
    expect(packageManagerFromUserAgent('deno/2')).toBeUndefined();
    expect(packageManagerFromUserAgent(undefined)).toBeUndefined();
  });
});

test('formatSize', () => {
  expect([0, 999, 1000, 1549, 25_000].map(formatSize)).toEqual(['0 B', '999 B', '1.0 kB', '1.5 kB', '25.0 kB']);
});
