// --config FILE through main(): answers from the file, flags over them, paths from the file's
// directory. The last test runs the real schema loader, generator and writer.

import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { choices } from '../../../src/adapters/index.js';
import type { CliDeps } from '../../../src/cli/context.js';
import { main } from '../../../src/cli/main.js';
import { readConfigFile } from '../../../src/config/read.js';
import { generate } from '../../../src/emit/generate.js';
import { loadSchemaModel, type LoadSchemaOptions } from '../../../src/model/load.js';
import type { ProjectOptions } from '../../../src/options.js';
import { writePlan } from '../../../src/write/write.js';
import { FAKE_PLAN, fake, type FakeOptions } from './fakes.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'scim-config-cli-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const put = async (path: string, content: unknown) => {
  await mkdir(dirname(join(cwd, path)), { recursive: true });
  await writeFile(join(cwd, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
};

/** fake() that also records what the schema loader and the generator were given. */
function recording(options: Omit<FakeOptions, 'cwd'> = {}) {
  const seen: { load?: LoadSchemaOptions; project?: ProjectOptions } = {};
  const f = fake({
    cwd,
    ...options,
    loadSchemaModel: async (load) => {
      seen.load = load;
      return { schemas: [], resourceTypes: [], sources: new Map() };
    },
  });
  f.deps.generate = async (project) => {
    seen.project = project;
    return FAKE_PLAN;
  };
  return { ...f, seen };
}

const ACME = {
  directory: '../out/acme-scim',
  projectName: 'acme-provisioning',
  basePath: '/api/scim/v2',
  port: 4100,
  enterpriseUser: false,
  schemaFiles: ['acme/badge.schema.json'],
  framework: 'express',
  database: 'postgres',
  auth: 'custom-header',
  authHeaderName: 'X-Acme-Key',
  install: false,
  git: false,
  packageManager: 'pnpm',
  tenancy: 'multi',
};

describe('--config', () => {
  beforeEach(async () => {
    await put('customers/acme.json', ACME);
    await put('customers/acme/badge.schema.json', '{}');
  });

  test('a complete config generates without a terminal, --yes or a directory argument', async () => {
    const f = recording();
    expect(await main(['--config', 'customers/acme.json'], f.deps)).toBe(0);
    expect(f.seen.project).toEqual({
      projectName: 'acme-provisioning',
      basePath: '/api/scim/v2',
      port: 4100,
      enterpriseUser: false,
      schemaFiles: ['schemas/badge.schema.json'],
      resourceTypeFiles: [],
      framework: 'express',
      database: 'postgres',
      auth: 'custom-header',
      adapterOptions: { authHeaderName: 'X-Acme-Key' },
      unknownAttributes: 'reject',
      tenancy: 'multi',
    });
    // Paths in the file are relative to it, not to where the command runs.
    expect(f.seen.load?.schemaFiles).toEqual([join('customers', 'acme', 'badge.schema.json')]);
    expect(await readdir(join(cwd, 'out', 'acme-scim'))).toContain('src');
    expect(f.commands).toEqual([]); // install: false, git: false
    expect(f.stdout()).toContain('✔ Answers from customers/acme.json\n');
    expect(f.stdout()).toContain('  2. pnpm install\n');
  });

  test('on a terminal nothing the file answers is asked', async () => {
    // fake()'s ask throws on any question it has no answer for.
    const f = recording({ tty: true });
    expect(await main(['--config', 'customers/acme.json'], f.deps)).toBe(0);
  });

  test('on a terminal only what the file leaves out is asked', async () => {
    await put('partial.json', { directory: 'p', framework: 'hono', auth: 'custom-header' });
    const f = recording({ tty: true, answers: { basePath: '/scim/v2', port: 3000, enterpriseUser: true, database: 'mysql', authHeaderName: 'X-K', tenancy: 'single' } });
    expect(await main(['--config', 'partial.json', '--no-install', '--no-git'], f.deps)).toBe(0);
    expect(f.seen.project).toMatchObject({ projectName: 'p', framework: 'hono', database: 'mysql', auth: 'custom-header', adapterOptions: { authHeaderName: 'X-K' } });
  });

  test('flags given as well override the file', async () => {
    const f = recording();
    const argv = ['--config', 'customers/acme.json', '--port', '9000', '--framework', 'hono', '--auth', 'bearer', '--install', '--git'];
    expect(await main(argv, f.deps)).toBe(0);
    // The file's header name went with its custom-header answer, which --auth replaced.
    expect(f.seen.project).toMatchObject({ port: 9000, framework: 'hono', auth: 'bearer', basePath: '/api/scim/v2' });
    expect(f.seen.project).not.toHaveProperty('adapterOptions');
    expect(f.commands.map((c) => `${c.file} ${c.args[0]}`)).toEqual(['pnpm --version', 'pnpm install', 'git --version', 'git rev-parse', 'git init', 'git add', 'git commit']);
  });

  test('--schema replaces the file\'s list, relative to the cwd as always', async () => {
    await put('local.schema.json', '{}');
    const f = recording();
    expect(await main(['--config', 'customers/acme.json', '--schema', 'local.schema.json'], f.deps)).toBe(0);
    expect(f.seen.load?.schemaFiles).toEqual(['local.schema.json']);
    expect(f.seen.project?.schemaFiles).toEqual(['schemas/local.schema.json']);
  });

  test('a directory argument overrides the file\'s directory and names the project', async () => {
    const f = recording();
    expect(await main(['globex-scim', '--config', 'customers/acme.json'], f.deps)).toBe(0);
    expect(f.seen.project?.projectName).toBe('globex-scim');
    expect(await readdir(cwd)).toContain('globex-scim');
  });

  test('without a directory anywhere and no terminal, the error says where to put one', async () => {
    await put('nodir.json', { framework: 'hono' });
    const f = recording();
    expect(await main(['--config', 'nodir.json'], f.deps)).toBe(1);
    expect(f.stderr()).toContain('No project directory given.');
  });

  test('a malformed file: every problem, with the file, the key and what was expected; nothing written', async () => {
    await put('bad.json', { directory: 'x', framework: 'fastfy', port: '8080', autHeaderName: 'X-Key' });
    const f = recording();
    expect(await main(['--config', 'bad.json'], f.deps)).toBe(1);
    expect(f.stderr()).toBe(
      [
        '✖ Invalid config file bad.json (3 problems):',
        `  - bad.json: $.framework: expected one of ${choices('framework').map((id) => `"${id}"`).join(', ')}, got "fastfy" (did you mean "fastify"?)`,
        '  - bad.json: $.port: expected a whole number from 1 to 65535, got "8080"',
        '  - bad.json: $.autHeaderName: unknown key (did you mean "authHeaderName"?)',
        '',
      ].join('\n'),
    );
    expect(f.written).toEqual([]);
    expect(await readdir(cwd)).not.toContain('x');
  });

  test('a missing file is reported, not a stack trace', async () => {
    const f = recording();
    expect(await main(['app', '--config', 'customers/globex.json'], f.deps)).toBe(1);
    expect(f.stderr()).toContain(`✖ Invalid config file customers/globex.json (1 problem):\n  - customers/globex.json: $: cannot read the file (no such file; looked at ${join(cwd, 'customers/globex.json')})`);
  });
});

describe('--config with the real generator', () => {
  test("a project made from a config, cloned from its scim.config.json, has the same generated files", async () => {
    await cp(join(import.meta.dirname, '../../fixtures/acme-user-extension.schema.json'), join(cwd, 'customers/acme/acme-user-extension.schema.json'), { recursive: true });
    await put('customers/acme.json', {
      $schema: '../node_modules/create-scim-server/config.schema.json',
      directory: '../acme-scim',
      basePath: '/api/scim/v2',
      schemaFiles: ['acme/acme-user-extension.schema.json'],
      auth: 'basic',
      install: false,
      git: false,
    });
    const real = (): CliDeps => ({ ...fake({ cwd }).deps, loadSchemaModel, generate: async (o, m) => generate(o, m), writePlan });

    expect(await main(['--config', 'customers/acme.json'], real())).toBe(0);
    const recorded = await readConfigFile('acme-scim/scim.config.json', { cwd });
    expect(recorded.document).toMatchObject({ projectName: 'acme-scim', basePath: '/api/scim/v2', auth: 'basic', schemaFiles: ['schemas/acme-user-extension.schema.json'] });

    // The clone reads the copied schema from acme-scim/schemas/, relative to that scim.config.json.
    expect(await main(['clone', '--config', 'acme-scim/scim.config.json', '--no-install', '--no-git'], real())).toBe(0);
    const generatedFiles = async (dir: string) =>
      (await readdir(join(cwd, dir), { recursive: true })).filter((p) => p.startsWith(join('src', 'generated'))).sort();
    const files = await generatedFiles('acme-scim');
    expect(files.length).toBeGreaterThan(10);
    expect(await generatedFiles('clone')).toEqual(files);
    for (const file of files.filter((p) => p.endsWith('.ts') && !p.endsWith('project.gen.ts'))) {
      expect(await readFile(join(cwd, 'clone', file), 'utf8'), file).toBe(await readFile(join(cwd, 'acme-scim', file), 'utf8'));
    }
    const clone = await readConfigFile('clone/scim.config.json', { cwd });
    expect({ ...clone.document, projectName: 'acme-scim' }).toEqual(recorded.document);
  });
});
