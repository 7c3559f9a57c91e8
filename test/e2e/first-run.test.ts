// A newcomer's first hour with the default project (issue 16): the API reference renders in a
// real browser (Debian's Chromium via playwright-core) from this server alone, with every other
// host blocked; `npm run dev` on a busy port says so in one line and exits instead of waiting;
// switching the auth mode and regenerating adds the new secret to .env, names the stale test
// and says to restart.

import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execa } from 'execa';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm } from 'node:fs/promises';
import { boot, installDependencies, npx, projectRuntime, runCli, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e first-run] ${line}\n`);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('first run of the default project', () => {
  let workspace: string;
  let project: string;
  let env: Record<string, string>;
  let browser: Browser | undefined;

  beforeAll(async () => {
    workspace = await tempDir('scim-e2e-first-');
    project = join(workspace, 'first-scim');
    const generated = await runCli(['first-scim', '--yes', '--no-install', '--no-git'], workspace);
    if (generated.exitCode !== 0) throw new Error(`the CLI failed\n${generated.all}`);
    expect(generated.all).toContain('API docs:      http://localhost:3000/docs');
    log(`dependencies ${await installDependencies(project, log)}`);
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    if (build.exitCode !== 0) throw new Error(`the build failed\n${build.all}`);
    env = { ...parseEnv(await readFile(join(project, '.env'), 'utf8')), DATABASE_PATH: join(workspace, 'first.sqlite'), LOG_LEVEL: 'warn' };
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (workspace && !process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
  });

  it('prints where everything is when it starts', async () => {
    const server = await boot(project, env);
    server.process.kill('SIGTERM');
    const exit = await server.process;
    const out = String(exit.all);
    expect(out).toMatch(/ {2}SCIM base URL: http:\/\/localhost:\d+\/scim\/v2/);
    expect(out).toContain('  Authentication: OAuth Bearer Token');
    expect(out).toMatch(/ {2}API docs: http:\/\/localhost:\d+\/docs/);
    expect(out).toContain('  Applied migrations: 0001_init.sql');
  });

  it('renders the API reference in Chromium from this server alone, listing the SCIM endpoints', async () => {
    const server = await boot(project, env);
    const context = await browser!.newContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      const elsewhere: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      // No CDN, no font host, no validator: anything not from this server is refused and recorded.
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith(server.url)) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });

      const response = await page.goto(`${server.url}/docs`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('SCIM API reference');
      const paths = page.locator('.opblock-summary-path');
      await paths.first().waitFor({ timeout: 30_000 });
      const shown = await paths.allTextContents();
      const clean = shown.map((p) => p.replace(/\u200b/g, '').trim());
      expect(clean).toContain('/Users');
      expect(clean).toContain('/Users/{id}');
      expect(clean).toContain('/Groups');
      expect(clean).toContain('/ServiceProviderConfig');
      // The server the page would call is this one.
      await expect(page.locator('.servers select, .servers').first().textContent()).resolves.toContain(`${server.url}/scim/v2`);
      expect(elsewhere).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      server.process.kill('SIGTERM');
      await server.process;
    }
  });

  it('npm run dev on a busy port prints one line and exits, instead of waiting for a change', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const { env: runtime } = await projectRuntime();
      const started = Date.now();
      const dev = await execa('npm', ['run', 'dev'], {
        cwd: project,
        env: { ...runtime, ...env, PORT: String(port), HOST: '127.0.0.1' },
        reject: false,
        all: true,
        timeout: 60_000,
      });
      expect(dev.timedOut, dev.all).toBe(false);
      expect(Date.now() - started).toBeLessThan(60_000);
      const out = dev.all ?? '';
      expect(out).toContain(`Cannot start: port ${port} is in use. Stop what runs there, or set PORT in .env to a free port.`);
      // No stack trace.
      expect(out).not.toMatch(/^\s+at /m);
    } finally {
      busy.close();
    }
  });

  it('regenerating with another auth mode adds its secret to .env, names the stale test, says to restart', async () => {
    const configPath = join(project, 'scim.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(configPath, JSON.stringify({ ...config, auth: 'basic' }, null, 2) + '\n');
    // The user had adapted the bearer test: it is kept, and no longer fits.
    const bearerTest = join(project, 'test/auth-bearer.test.ts');
    await writeFile(bearerTest, (await readFile(bearerTest, 'utf8')) + '\n// my own addition\n');
    const before = await readFile(join(project, '.env'), 'utf8');

    const result = await runCli(['regenerate'], project);
    expect(result.exitCode, result.all).toBe(0);
    const out = result.all ?? '';
    expect(out).toContain('Added SCIM_BASIC_PASSWORD to .env with a new random value (no existing value was changed).');
    expect(out).toContain('Added SCIM_BASIC_USERNAME=okta to .env');
    expect(out).toContain('test/auth-bearer.test.ts: the generator no longer writes it');
    expect(out).toContain('Restart the server');

    const after = await readFile(join(project, '.env'), 'utf8');
    expect(after.startsWith(before.trimEnd())).toBe(true);
    expect(after).toMatch(/^SCIM_BASIC_PASSWORD=\S{40,}$/m);
  });
});

function parseEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  return env;
}
