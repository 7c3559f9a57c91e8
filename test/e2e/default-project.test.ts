// The default variant end to end: the CLI generates a project, which installs, type-checks,
// passes its own test suite, builds, boots, answers real SCIM requests and shuts down cleanly.

import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/emit/generate.js';
import { loadSchemaModel } from '../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS } from '../../src/options.js';
import { boot, hasSharedInstall, installDependencies, npx, projectRuntime, runCli, shareInstall, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

describe('default project (Fastify + SQLite + bearer)', () => {
  let workspace: string;
  let project: string;

  beforeAll(async () => {
    log(`generated projects run on Node ${(await projectRuntime()).version}`);
    workspace = await tempDir('scim-e2e-');
    project = join(workspace, 'acme-scim');
  });

  afterAll(async () => {
    // SCIM_E2E_KEEP=1 leaves the generated project for inspection.
    if (!process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
  });

  it('generates with --yes and no TTY, writing .env with a token', async () => {
    // The first run on a machine goes through the CLI's own `npm install` (the user's path);
    // later runs reuse that install, because compiling better-sqlite3 takes minutes.
    const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: workspace });
    const plan = generate({ ...DEFAULT_PROJECT_OPTIONS, projectName: 'acme-scim' }, model);
    const packageJson = plan.find((f) => f.path === 'package.json')!.content;
    const install = (await hasSharedInstall(packageJson)) ? '--no-install' : '--install';
    log(`generating with ${install}`);
    const result = await runCli(['acme-scim', '--yes', install, '--no-git'], workspace);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toContain('SCIM_BEARER_TOKEN');
    const env = await readFile(join(project, '.env'), 'utf8');
    const token = /^SCIM_BEARER_TOKEN=(.+)$/m.exec(env)?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(40);
    // The token is only in .env, never printed.
    expect(result.all).not.toContain(token);
  });

  it('has its dependencies installed', async () => {
    if (!existsSync(join(project, 'node_modules'))) log(`dependencies ${await installDependencies(project, log)}`);
    expect(existsSync(join(project, 'node_modules', 'fastify', 'package.json'))).toBe(true);
  });

  it('type-checks', async () => {
    const result = await npx(project, ['tsc', '--noEmit']);
    expect(result.exitCode, result.all).toBe(0);
  });

  it('passes its own test suite', async () => {
    const result = await npx(project, ['vitest', 'run']);
    if (result.exitCode !== 0) log(result.all ?? '');
    expect(result.exitCode).toBe(0);
    expect(result.all).toMatch(/Tests\s+\d+ passed/);
  });

  it('builds, boots, answers SCIM requests and shuts down on SIGTERM', async () => {
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);

    const env = await readFile(join(project, '.env'), 'utf8');
    const token = /^SCIM_BEARER_TOKEN=(.+)$/m.exec(env)![1]!;
    const server = await boot(project, {
      SCIM_BEARER_TOKEN: token,
      DATABASE_PATH: join(workspace, 'boot.sqlite'),
      LOG_LEVEL: 'info',
    });
    const base = `${server.url}/scim/v2`;
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };

    const spc = await fetch(`${base}/ServiceProviderConfig`, { headers });
    expect(spc.status).toBe(200);
    expect(spc.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(((await spc.json()) as { patch: { supported: boolean } }).patch.supported).toBe(true);

    const schemas = (await (await fetch(`${base}/Schemas`, { headers })).json()) as { Resources: Array<{ id: string }> };
    expect(schemas.Resources.map((s) => s.id).sort()).toEqual([
      'urn:ietf:params:scim:schemas:core:2.0:Group',
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ]);

    const created = await fetch(`${base}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName: 'Boot.Check@example.com',
        name: { givenName: 'Boot', familyName: 'Check' },
        emails: [{ value: 'boot.check@example.com', type: 'work', primary: true }],
        password: 'never-stored-1!',
        active: true,
      }),
    });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string; password?: string };
    expect(user.password).toBeUndefined();

    const found = await fetch(`${base}/Users?filter=${encodeURIComponent('userName eq "boot.check@EXAMPLE.com"')}`, { headers });
    const list = (await found.json()) as { totalResults: number; Resources: Array<{ id: string }> };
    expect(list.totalResults).toBe(1);
    expect(list.Resources[0]!.id).toBe(user.id);

    const anonymous = await fetch(`${base}/Users`);
    expect(anonymous.status).toBe(401);

    server.process.kill('SIGTERM');
    const exit = await server.process;
    expect(exit.exitCode, String(exit.all)).toBe(0);
    // Structured logs with request ids, and the token never in them.
    expect(exit.all).toContain('"reqId"');
    expect(exit.all).not.toContain(token);
    expect(exit.all).not.toContain('never-stored-1!');
  });

  it('keeps its install for later cells', async () => {
    await shareInstall(project);
  });
});
