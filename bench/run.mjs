#!/usr/bin/env node
// Benchmark of generated servers (issue 3, "Measured, not assumed"): generates a project per
// framework x database, installs their dependencies once, boots each built server against a
// fresh database, seeds users and groups over HTTP, and measures SCIM requests under load next
// to a bare node:http server measured in the same run. `npm run bench -- --help` lists options.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { readOptions } from './lib/args.mjs';
import { scimClient } from './lib/client.mjs';
import { Dataset } from './lib/dataset.mjs';
import { loadRun, median } from './lib/load.mjs';
import { boot, build, generate, installShared, projectHarness, REPO } from './lib/project.mjs';
import { markdown } from './lib/report.mjs';
import { scenarios } from './lib/scenarios.mjs';
import { sqlSeeder } from './lib/sql-seed.mjs';

const started = Date.now();
const log = (line) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s] ${line}`);

const options = readOptions(process.argv.slice(2), scenarios.map((s) => s.name));
const selected = scenarios.filter((s) => options.scenarios.includes(s.name));
const workspace = await mkdtemp(join(os.tmpdir(), 'scim-bench-'));
const results = {
  date: new Date().toISOString().slice(0, 10),
  machine: {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    // Other work on the machine shows here; the ratios to the bare server absorb some of it.
    loadAverage: { start: os.loadavg()[0].toFixed(1), end: '' },
  },
  settings: {
    connections: options.connections,
    warmup: options.warmup,
    duration: options.duration,
    repeat: options.repeat,
    sizes: options.sizes,
    seedSql: options.seedSql,
  },
  baseline: { runs: [], rps: 0, p99: 0 },
  cells: [],
};

let baselineServer;
try {
  log(`workspace ${workspace}`);
  const cells = await prepareCells();
  baselineServer = await boot({
    cwd: REPO,
    script: join(REPO, 'bench/baseline-server.mjs'),
    env: {},
    healthPath: '/health',
    logFile: join(workspace, 'baseline.log'),
  });
  await measureBaseline(options.warmup, false);
  for (const cell of cells) {
    results.cells.push(cell);
    if (cell.status === 'measured') await measureCell(cell);
  }
} finally {
  await baselineServer?.stop();
  if (!options.keep) await rm(workspace, { recursive: true, force: true });
}
results.machine.loadAverage.end = os.loadavg()[0].toFixed(1);
summariseBaseline();
await writeResults();

/** Generates, installs and builds every selected cell; a cell that cannot be built is reported, not fatal. */
async function prepareCells() {
  const cells = [];
  for (const framework of options.frameworks) {
    for (const database of options.databases) {
      const cell = { framework, database, status: 'measured', seeding: [], phases: [] };
      try {
        cell.dir = await generate(workspace, framework, database);
      } catch (error) {
        markFailed(cell, 'unavailable', error, 'generate');
      }
      cells.push(cell);
    }
  }
  const generated = cells.filter((c) => c.dir);
  if (generated.length > 0) await installShared(generated.map((c) => c.dir), log);
  for (const cell of generated) {
    log(`building ${cell.framework} + ${cell.database}`);
    await build(cell.dir).catch((error) => markFailed(cell, 'unavailable', error, 'build'));
  }
  return cells;
}

function markFailed(cell, status, error, step) {
  cell.status = status;
  const first = String(error.message ?? error).split('\n').find((l) => l.trim() && !/ failed \(\d+\):$/.test(l)) ?? 'unknown error';
  cell.error = `${step} failed: ${first.trim()}`;
  log(`${cell.framework} + ${cell.database}: ${cell.error}`);
  if (process.env.BENCH_DEBUG) console.error(error);
}

async function measureBaseline(seconds, keep = true) {
  const request = { method: 'GET', setupRequest: (req) => ({ ...req, path: `/scim/v2/Users/${Math.random()}` }) };
  const run = await loadRun({ origin: baselineServer.origin, pid: baselineServer.pid, headers: {}, request, connections: options.connections, seconds });
  if (keep) results.baseline.runs.push(run);
  return run;
}

function summariseBaseline() {
  const runs = results.baseline.runs;
  if (runs.length === 0) return;
  results.baseline.rps = median(runs.map((r) => r.rps));
  results.baseline.p99 = median(runs.map((r) => r.p99));
  results.baseline.cpuUs = median(runs.map((r) => r.cpuUs));
}

async function measureCell(cell) {
  const name = `${cell.framework} + ${cell.database}`;
  const { testDatabase, testCredentials, basePath } = await projectHarness(cell.dir);
  const database = await testDatabase();
  const credentials = testCredentials();
  let server;
  let seeder;
  try {
    const profileDir = resolve(REPO, 'bench/.profiles', `${cell.framework}-${cell.database}`);
    if (options.cpuProf) await mkdir(profileDir, { recursive: true });
    server = await boot({
      cwd: cell.dir,
      script: 'dist/server.js',
      // The benchmark measures the server, not its per-credential rate limit.
      env: { ...database.env, ...credentials.env, LOG_LEVEL: 'warn', SCIM_RATE_LIMIT_PER_SECOND: '0' },
      nodeArgs: options.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
      healthPath: '/health',
      logFile: join(workspace, `${cell.framework}-${cell.database}.log`),
    });
    const headers = await credentials.headers({ origin: server.origin });
    const client = scimClient(server.origin, basePath, headers);
    seeder = options.seedSql ? await sqlSeeder(cell.database, database.env, client) : undefined;
    if (options.seedSql && !seeder) log(`${name}: --seed-sql does not handle ${cell.database}; seeding over HTTP`);
    const dataset = new Dataset(client, seeder);
    const ctx = {
      base: basePath,
      dataset,
      bigCursor: { next: 0 },
      smallCursor: { next: 0 },
      secondsPerRun: Math.max(options.warmup, options.duration),
      rateOf: () => undefined,
      // For scenarios that prepare data through the API (the cursor walk).
      client,
      log,
    };
    for (const size of options.sizes) {
      log(`${name}: seeding to ${size.toLocaleString('en-US')} users`);
      const { users } = await dataset.growTo(size);
      const phase = { users, scenarios: {} };
      cell.phases.push(phase);
      // A fresh server runs unoptimised code at first: one untimed pass over the reads compiles the shared paths.
      if (cell.phases.length === 1) await warmUp(ctx, server, headers);
      ctx.rateOf = (scenario) => phase.scenarios[scenario]?.rps;
      // Reads first, at exactly `size` users; the writes add users and members after them.
      for (const scenario of [...selected.filter((s) => s.kind === 'read'), ...selected.filter((s) => s.kind === 'write')]) {
        const m = (phase.scenarios[scenario.name] = await measureScenario(scenario, ctx, server, headers));
        log(
          `${name} @ ${users}: ${scenario.name} ${m.rps} req/s (${m.ratio.toFixed(2)} × bare), ` +
            `p99 ${m.p99} ms, ${m.cpuUs} µs CPU/request`,
        );
        const single = phase.scenarios['post-user'];
        if (scenario.perRequest && single) {
          m.speedupOverSingle = (m.rps * scenario.perRequest) / single.rps;
          log(`${name} @ ${users}: ${scenario.name} creates ${m.rps * scenario.perRequest} users/s, ${m.speedupOverSingle.toFixed(2)} × POST /Users`);
        }
      }
    }
    cell.seeding = dataset.seeding;
    client.close();
  } catch (error) {
    markFailed(cell, 'failed', error, 'measuring');
  } finally {
    await seeder?.close().catch(() => undefined);
    await server?.stop();
    await database.cleanup();
  }
}

async function warmUp(ctx, server, headers) {
  for (const scenario of selected.filter((s) => s.kind === 'read')) {
    await scenario.prepare?.(ctx);
    const request = scenario.request(ctx);
    await loadRun({ origin: server.origin, pid: server.pid, headers, request, connections: options.connections, seconds: options.warmup });
  }
}

/**
 * A warm-up run, then `repeat` runs of the scenario, each between two runs of the bare server.
 * Each gives the scenario's rate as a fraction of the mean of the bare server's rates just before
 * and just after, so a minute in which other work slows the machine moves both sides of the ratio
 * alike. Medians are reported.
 */
async function measureScenario(scenario, ctx, server, headers) {
  await scenario.prepare?.(ctx);
  const request = scenario.request(ctx);
  const connections = scenario.connections ?? options.connections;
  const seconds = Math.max(options.duration, scenario.minSeconds ?? 0);
  const warmup = Math.max(options.warmup, Math.ceil((scenario.minSeconds ?? 0) / 2));
  const load = async (seconds) => {
    await scenario.beforeRun?.(ctx);
    return loadRun({ origin: server.origin, pid: server.pid, headers, request, connections, seconds });
  };
  await load(warmup);
  const runs = [];
  let before = await measureBaseline(options.duration);
  for (let i = 0; i < options.repeat; i++) {
    const run = await load(seconds);
    const after = await measureBaseline(options.duration);
    const bare = { rps: (before.rps + after.rps) / 2, cpuUs: (before.cpuUs + after.cpuUs) / 2 };
    runs.push({ ...run, bare });
    before = after;
  }
  const exhausted = ctx.bigCursor.exhausted || ctx.smallCursor.exhausted;
  ctx.bigCursor.exhausted = ctx.smallCursor.exhausted = false;
  return {
    rps: median(runs.map((r) => r.rps)),
    /** Rate over the bare server's rate in the same pair. */
    ratio: median(runs.map((r) => r.rps / r.bare.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuUs: median(runs.map((r) => r.cpuUs)),
    /** The bare server's CPU per request over this one's, in the same pair. */
    cpuRatio: median(runs.map((r) => r.bare.cpuUs / r.cpuUs)),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    ...(exhausted ? { exhausted } : {}),
    ...(await scenario.after?.(ctx)),
    runs,
  };
}

async function writeResults() {
  const md = markdown(results, selected);
  const out = resolve(REPO, options.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.md`, md);
  // A cell's project folder is gone once the run ends.
  await writeFile(`${out}.json`, JSON.stringify(results, (key, value) => (key === 'dir' ? undefined : value), 2) + '\n');
  console.log('\n' + md);
  log(`wrote ${out}.md and ${out}.json`);
}
