// Shared machinery for end-to-end cells: run the built CLI, install a generated project's
// dependencies once per (Node ABI, dependency set) and share them between cells, boot it.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { stripVTControlCharacters } from 'node:util';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'bin/create-scim-server.js');
/** Installs shared between cells and runs; keyed so a dependency change gets a fresh one. */
const CACHE = process.env.SCIM_E2E_CACHE ?? join(REPO, '.e2e-cache');

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Runs the generator's CLI the way a user would (built output, no TTY). */
export function runCli(args: string[], cwd: string) {
  return execa(process.execPath, [CLI, ...args], { cwd, reject: false, all: true, env: { CI: 'true' } });
}

/** The key of an install: Node's ABI plus the dependency lists of package.json. */
export function installKeyOf(packageJson: string): string {
  const pkg = JSON.parse(packageJson) as Record<string, unknown>;
  const deps = JSON.stringify([pkg.dependencies, pkg.devDependencies]);
  return `node${process.versions.modules}-${createHash('sha256').update(deps).digest('hex').slice(0, 16)}`;
}

async function installKey(projectDir: string): Promise<string> {
  return installKeyOf(await readFile(join(projectDir, 'package.json'), 'utf8'));
}

/** True when a shared install exists for a project with this package.json. */
export const hasSharedInstall = (packageJson: string) => existsSync(join(CACHE, installKeyOf(packageJson), 'node_modules'));

/**
 * Gives the project a node_modules: a link to a shared install when one exists for the same
 * key, otherwise `npm install` in the project (the real, slow path) whose result is then kept.
 */
export async function installDependencies(projectDir: string, log: (line: string) => void): Promise<'shared' | 'installed'> {
  const key = await installKey(projectDir);
  const shared = join(CACHE, key);
  if (existsSync(join(shared, 'node_modules'))) {
    await symlink(join(shared, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
    return 'shared';
  }
  log(`installing dependencies (${key})`);
  await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: projectDir, stdio: 'inherit' });
  await keep(projectDir, shared);
  return 'installed';
}

/** Moves a finished install into the cache and links it back. */
async function keep(projectDir: string, shared: string): Promise<void> {
  const staging = `${shared}.${process.pid}`;
  await mkdir(staging, { recursive: true });
  await cp(join(projectDir, 'node_modules'), join(staging, 'node_modules'), { recursive: true, verbatimSymlinks: true });
  await rename(staging, shared).catch(() => rm(staging, { recursive: true, force: true }));
  await rm(join(projectDir, 'node_modules'), { recursive: true, force: true });
  await symlink(join(shared, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
}

/** After the CLI installed into a project itself, keep that install for later cells. */
export async function shareInstall(projectDir: string): Promise<void> {
  const shared = join(CACHE, await installKey(projectDir));
  if (!existsSync(join(shared, 'node_modules'))) await keep(projectDir, shared);
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Runs a project-local binary; output without colour codes so tests can read it. */
export async function npx(projectDir: string, args: string[]) {
  const result = await execa('npx', ['--no-install', ...args], { cwd: projectDir, reject: false, all: true });
  return { exitCode: result.exitCode, all: stripVTControlCharacters(result.all ?? '') };
}

/** Starts the built server and resolves once /health answers. */
export async function boot(projectDir: string, env: Record<string, string>): Promise<{ process: ResultPromise; url: string }> {
  const port = await freePort();
  const child = execa(process.execPath, ['dist/server.js'], {
    cwd: projectDir,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    reject: false,
    all: true,
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health`)).ok) return { process: child, url };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  const result = await child;
  throw new Error(`The server did not start:\n${result.all}`);
}
