// The package as the registry will serve it: `npm pack` (which builds it, as publishing does),
// checked for what a published package must and must not contain, then run as `npm create
// scim-server` runs it (npm exec of the tarball, in a clean directory), and the project it makes
// installed (the shared e2e install), built and tested.

import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installDependencies, npx, projectRuntime, REPO, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

describe('the packed tarball', () => {
  let workspace: string;
  let tarball: string;
  let files: string[];
  let manifest: Record<string, any>;

  beforeAll(async () => {
    workspace = await tempDir('scim-pack-');
    const { env } = await projectRuntime();
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', workspace], { cwd: REPO, env });
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(workspace, info!.filename);
    files = info!.files.map((f) => f.path);
    manifest = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as Record<string, any>;
  });

  afterAll(async () => {
    if (!process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
  });

  it('ships a LICENSE, the built CLI and the templates, and no source maps without sources', () => {
    expect(files).toContain('LICENSE');
    expect(files).toContain('bin/create-scim-server.js');
    expect(files).toContain('dist/src/cli/main.js');
    expect(files).toContain('templates/scim/service.ts');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('test/') || f.startsWith('src/'))).toEqual([]);
  });

  it('has no install scripts, and says where it comes from', () => {
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts[script], script).toBeUndefined();
    expect(manifest.license).toBe('MIT');
    expect(manifest.repository.url).toMatch(/^git\+https:/);
    expect(manifest.homepage).toBeTruthy();
    expect(manifest.bugs.url).toBeTruthy();
    expect(manifest.keywords).toContain('scim');
  });

  it('runs as npm create does, and the project it makes installs, builds and passes its tests', async () => {
    const { env } = await projectRuntime();
    const clean = join(workspace, 'clean');
    await mkdir(clean);
    // `npm create scim-server my-scim -- ...` is `npm exec create-scim-server my-scim ...` of the registry's package.
    const created = await execa(
      'npm',
      ['exec', '--yes', `--package=${tarball}`, '--', 'create-scim-server', 'my-scim', '--yes', '--no-install', '--no-git'],
      { cwd: clean, env: { ...env, npm_config_update_notifier: 'false' }, reject: false, all: true },
    );
    expect(created.exitCode, created.all).toBe(0);
    const project = join(clean, 'my-scim');
    const pkg = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // Installed from the registry (here, its tarball): the scripts call the registry's version.
    expect(pkg.scripts['scim:generate']).toBe(`npx create-scim-server@${manifest.version} regenerate`);
    expect(pkg.scripts['scim:check']).toMatch(new RegExp(`^npx create-scim-server@${manifest.version.replace(/\./g, '\\.')} check `));

    log(`dependencies ${await installDependencies(project, log)}`);
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);
    const tests = await npx(project, ['vitest', 'run']);
    expect(tests.exitCode, tests.all.slice(-3000)).toBe(0);
    expect(tests.all).toMatch(/Tests\s+\d+ passed/);
  });
});
