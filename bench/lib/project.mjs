// Generated projects for the benchmark: generate one per cell with the built CLI, give them all
// one shared dependency install, compile them, and boot the built server (dist/server.js).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO = join(import.meta.dirname, '../..');
const CLI = join(REPO, 'bin/create-scim-server.js');
/** Installs kept between runs, keyed by Node major and dependency set. */
const CACHE = join(REPO, 'bench/.cache');

/** Environment for child processes: this Node first on PATH, so npm and tsc run on it too. */
const childEnv = (extra = {}) => ({ PATH: [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), ...extra });

/** Runs a command to completion; rejects with its output when it fails. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: childEnv(), ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output.slice(-4000)}`)),
    );
  });
}

/** Generates a default-answer project with this framework and database. */
export async function generate(workspace, framework, database) {
  const name = `${framework}-${database}`;
  const dir = join(workspace, name);
  await run(process.execPath, [CLI, name, '--yes', '--no-install', '--no-git', '--framework', framework, '--database', database], {
    cwd: workspace,
  });
  // Credentials and database come from the project's own testing helpers; nothing is read from .env.
  await rm(join(dir, '.env'), { force: true });
  return dir;
}

/**
 * One install for every generated project: the union of their runtime dependencies plus what
 * compiling needs (typescript, @types/*), installed once per dependency set and Node major
 * under bench/.cache, then linked into each project as node_modules.
 */
export async function installShared(projectDirs, log) {
  const wanted = {};
  for (const dir of projectDirs) {
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    const build = Object.entries(pkg.devDependencies ?? {}).filter(([n]) => n === 'typescript' || n.startsWith('@types/'));
    for (const [name, range] of [...Object.entries(pkg.dependencies ?? {}), ...build]) {
      if (wanted[name] && wanted[name] !== range) throw new Error(`Projects disagree on ${name}: ${wanted[name]} vs ${range}`);
      wanted[name] = range;
    }
  }
  const dependencies = Object.fromEntries(Object.entries(wanted).sort(([a], [b]) => a.localeCompare(b)));
  const major = process.versions.node.split('.')[0];
  const key = `node${major}-${createHash('sha256').update(JSON.stringify(dependencies)).digest('hex').slice(0, 12)}`;
  const root = join(CACHE, key);
  const done = join(root, 'node_modules/.bench-installed');
  if (!existsSync(done)) {
    log(`installing ${Object.keys(dependencies).length} packages into bench/.cache/${key} (once)`);
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'scim-bench-deps', private: true, dependencies }, null, 2));
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: root });
    await writeFile(done, '');
  }
  const modules = join(root, 'node_modules');
  for (const dir of projectDirs) await symlink(modules, join(dir, 'node_modules'), 'dir');
  return modules;
}

/** Compiles a project the way its `npm run build` does. */
export async function build(dir) {
  await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir });
}

/** The project's own test helpers: a fresh database of its kind and credentials its auth accepts. */
export async function projectHarness(dir) {
  const load = (path) => import(pathToFileURL(join(dir, 'dist/generated', path)).href);
  const [{ testDatabase }, { testCredentials }, { BASE_PATH }] = await Promise.all([
    load('database/testing.js'),
    load('auth/testing.js'),
    load('project.gen.js'),
  ]);
  return { testDatabase, testCredentials, basePath: BASE_PATH };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <script>` and resolves once `healthPath` answers 200. `stop()` sends SIGTERM and
 * waits for the exit (servers close their database then, and --cpu-prof writes its profile).
 */
export async function boot({ cwd, script, env, nodeArgs = [], healthPath, logFile }) {
  const port = await freePort();
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const origin = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  for (let attempt = 0; attempt < 300 && child.exitCode === null; attempt++) {
    try {
      if ((await fetch(origin + healthPath)).ok) return { origin, pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  const output = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(`${script} did not start:\n${output.slice(-3000)}`);
}
