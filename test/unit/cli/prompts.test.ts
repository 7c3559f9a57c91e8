import type { PromptObject } from 'prompts';
import { describe, expect, test } from 'vitest';
import { choices } from '../../../src/adapters/index.js';
import type { CliFlags } from '../../../src/cli/args.js';
import { CancelledError, UsageError } from '../../../src/cli/errors.js';
import { collectAnswers, type Ask } from '../../../src/cli/prompts.js';

const flags = (overrides: Partial<CliFlags> = {}): CliFlags => ({
  yes: false,
  schema: [],
  adapterFlags: {},
  install: true,
  git: true,
  dryRun: false,
  force: false,
  ...overrides,
});

function scripted(answers: Record<string, unknown>): { ask: Ask; asked: PromptObject<string>[] } {
  const asked: PromptObject<string>[] = [];
  const ask: Ask = async (question) => {
    asked.push(question);
    const answer = answers[String(question.name)];
    if (answer === 'cancel') throw new CancelledError();
    return answer;
  };
  return { ask, asked };
}

const io = (stdinIsTTY: boolean) => ({ stdinIsTTY, cwd: '/work' });

describe('collectAnswers', () => {
  const silent = [
    { name: 'no TTY', flags: flags(), tty: false },
    { name: '--yes', flags: flags({ yes: true }), tty: true },
    { name: '--no-interactive', flags: flags({ interactive: false }), tty: true },
  ];
  test.each(silent)('asks nothing with $name', async ({ flags: given, tty }) => {
    const { ask, asked } = scripted({});
    expect(await collectAnswers(given, io(tty), ask)).toEqual({});
    expect(asked).toEqual([]);
  });

  const stack = { framework: 'hono', database: 'postgres', auth: 'bearer' };

  test('on a TTY asks for every missing answer, in order', async () => {
    const answers = { directory: 'acme', basePath: '/scim', port: 8080, enterpriseUser: false, ...stack, tenancy: 'multi' };
    const { ask, asked } = scripted(answers);
    expect(await collectAnswers(flags(), io(true), ask)).toEqual(answers);
    expect(asked.map((q) => q.name)).toEqual(['directory', 'basePath', 'port', 'enterpriseUser', 'framework', 'database', 'auth', 'tenancy']);
  });

  test('menus list every registered adapter, the default first selected', async () => {
    const { ask, asked } = scripted({ directory: 'x', ...stack });
    await collectAnswers(flags({ basePath: '/s', port: '1', enterpriseUser: true }), io(true), ask);
    const menu = (name: string) => asked.find((q) => q.name === name) as { choices: Array<{ value: string }>; initial: number };
    for (const layer of ['framework', 'database', 'auth'] as const) {
      expect(menu(layer).choices.map((c) => c.value)).toEqual(choices(layer));
    }
    expect(menu('framework').choices[0]?.value).toBe('fastify');
    expect(menu('database').choices[0]?.value).toBe('sqlite');
    expect(menu('auth').choices[0]?.value).toBe('bearer');
    expect(menu('auth').initial).toBe(0);
  });

  test('a custom header is asked for its name, validated like the flag', async () => {
    const { ask, asked } = scripted({ directory: 'x', ...stack, auth: 'custom-header', authHeaderName: 'X-Token' });
    const answers = await collectAnswers(flags({ basePath: '/s', port: '1', enterpriseUser: true }), io(true), ask);
    expect(answers.adapterOptions?.authHeaderName).toBe('X-Token');
    const question = asked.find((q) => q.name === 'authHeaderName')!;
    expect((question.validate as (v: string) => unknown)('Authorization')).toMatch(/^It is Authorization/);
    expect((question.validate as (v: string) => unknown)('X-API-Key')).toBe(true);
  });

  test('answers given as flags are not asked again', async () => {
    const { ask, asked } = scripted({ port: 3001 });
    await collectAnswers(
      flags({ directory: 'x', basePath: '/s', enterpriseUser: true, framework: 'fastify', database: 'sqlite', auth: 'basic', tenancy: 'single' }),
      io(true),
      ask,
    );
    expect(asked.map((q) => q.name)).toEqual(['port']);
  });

  test('question validation uses the same rules as the flags', async () => {
    const { ask, asked } = scripted({ directory: 'x', basePath: '/s', port: 1, enterpriseUser: true, ...stack });
    await collectAnswers(flags(), io(true), ask);
    const validate = (name: string, value: string) => {
      const question = asked.find((q) => q.name === name);
      return (question?.validate as (v: string) => unknown)(value);
    };
    expect(validate('basePath', '/scim_v2')).toBe('It must not contain "_" because Okta rejects base URLs with underscores');
    expect(validate('basePath', '/scim/v2')).toBe(true);
    expect(validate('port', '0')).toBe('expected a whole number from 1 to 65535');
    expect(validate('directory', 'Not Valid')).toMatch(/^The package name "not valid" is not a valid npm package name/);
    expect(validate('directory', 'ok-name')).toBe(true);
  });

  test('tenancy is a menu of single and multi, single first selected', async () => {
    const { ask, asked } = scripted({ tenancy: 'single' });
    await collectAnswers(
      flags({ directory: 'x', basePath: '/s', port: '1', enterpriseUser: true, framework: 'fastify', database: 'sqlite', auth: 'bearer' }),
      io(true),
      ask,
    );
    const menu = asked.find((q) => q.name === 'tenancy') as { choices: Array<{ value: string }>; initial: number };
    expect(menu.choices.map((c) => c.value)).toEqual(['single', 'multi']);
    expect(menu.initial).toBe(0);
  });

  test('cancelling propagates', async () => {
    const { ask } = scripted({ directory: 'x', basePath: 'cancel' });
    await expect(collectAnswers(flags(), io(true), ask)).rejects.toBeInstanceOf(CancelledError);
  });

  test('--interactive without a TTY is refused', async () => {
    const { ask } = scripted({});
    await expect(collectAnswers(flags({ interactive: true }), io(false), ask)).rejects.toThrowError(
      new UsageError('--interactive needs a terminal, but stdin is not one. Pass the answers as flags (see --help).'),
    );
  });
});
