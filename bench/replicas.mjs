#!/usr/bin/env node
// Two server processes on one PostgreSQL database against one: does req/s grow from one to two?
// Generates a Fastify + PostgreSQL project, seeds 10,000 users over HTTP through the first
// server, starts a second on the same database, then for each scenario alternates runs of one
// process (50 connections) and of both (25 connections each, at the same time), so both sides
// see the same machine. Reports medians and the two-over-one ratio (bench/results-replicas.md).
//
//   node bench/replicas.mjs [--repeat 3] [--duration 4] [--scenario get-user,patch-active]
//
// On a 2-core machine the database, autocannon and the servers share two cores: two processes
// can at most use what one leaves idle. The ratio says how much of that they find.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { scimClient } from './lib/client.mjs';
import { Dataset } from './lib/dataset.mjs';
import { loadRun, median } from './lib/load.mjs';
import { boot, build, generate, installShared, projectHarness, REPO } from './lib/project.mjs';
import { scenarios } from './lib/scenarios.mjs';

const { values } = parseArgs({
  options: {
    repeat: { type: 'string', default: '3' },
    duration: { type: 'string', default: '4' },
    scenario: { type: 'string', default: 'get-user,patch-active' },
    users: { type: 'string', default: '10000' },
  },
});
const repeat = Number(values.repeat);
const seconds = Number(values.duration);
const CONNECTIONS = 50;
const log = (line) => console.log(`[replicas] ${line}`);

const workspace = await mkdtemp(join(os.tmpdir(), 'scim-replicas-'));
const servers = [];
let database;
const rows = [];
try {
  const dir = await generate(workspace, 'fastify', 'postgres');
  await installShared([dir], log);
  await build(dir);
  const { testDatabase, testCredentials, basePath } = await projectHarness(dir);
  database = await testDatabase();
  const credentials = testCredentials();
  const env = { ...database.env, ...credentials.env, LOG_LEVEL: 'warn', SCIM_RATE_LIMIT_PER_SECOND: '0' };
  const start = (i) => boot({ cwd: dir, script: 'dist/server.js', env, healthPath: '/health', logFile: join(workspace, `server-${i}.log`) });
  servers.push(await start(0));
  const headers = await credentials.headers({ origin: servers[0].origin });
  const dataset = new Dataset(scimClient(servers[0].origin, basePath, headers));
  log(`seeding ${values.users} users`);
  await dataset.growTo(Number(values.users));
  servers.push(await start(1));
  const ctx = { base: basePath, dataset, bigCursor: { next: 0 }, smallCursor: { next: 0 }, secondsPerRun: seconds, rateOf: () => undefined };

  for (const name of values.scenario.split(',')) {
    const scenario = scenarios.find((s) => s.name === name);
    if (!scenario) throw new Error(`no scenario ${name}`);
    const request = scenario.request(ctx);
    const on = (server, connections, s) => loadRun({ origin: server.origin, pid: server.pid, headers, request, connections, seconds: s });
    const one = () => on(servers[0], CONNECTIONS, seconds);
    const two = async () => {
      const [a, b] = await Promise.all(servers.map((server) => on(server, CONNECTIONS / 2, seconds)));
      return { rps: a.rps + b.rps, cpuUs: Math.round((a.cpuUs * a.requests + b.cpuUs * b.requests) / (a.requests + b.requests)) };
    };
    await one(); // warm-up of both processes' code paths
    await two();
    const pairs = [];
    for (let i = 0; i < repeat; i++) {
      const single = await one();
      const both = await two();
      pairs.push({ single, both, ratio: both.rps / single.rps });
      log(`${name}: one ${single.rps} req/s, two ${both.rps} req/s (${(both.rps / single.rps).toFixed(2)}×)`);
    }
    rows.push({
      name,
      one: median(pairs.map((p) => p.single.rps)),
      two: median(pairs.map((p) => p.both.rps)),
      ratio: median(pairs.map((p) => p.ratio)),
      cpuOne: median(pairs.map((p) => p.single.cpuUs)),
      cpuTwo: median(pairs.map((p) => p.both.cpuUs)),
    });
  }
} finally {
  for (const server of servers) await server.stop();
  await database?.cleanup();
  await rm(workspace, { recursive: true, force: true });
}

const md = [
  '# Two server processes on one PostgreSQL',
  '',
  `${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model.trim()} (${os.cpus().length} cores) · Node ${process.version} · load average ${os.loadavg()[0].toFixed(1)} at the end`,
  '',
  `Fastify + PostgreSQL, ${Number(values.users).toLocaleString('en-US')} users. Alternating runs of ${seconds} s: one process with ${CONNECTIONS} connections, then two processes with ${CONNECTIONS / 2} each at once; medians of ${repeat} pairs, and the median of each pair's two-over-one ratio.`,
  '',
  '| request | one process: req/s | CPU µs/req | two processes: req/s | CPU µs/req | two / one |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.name} | ${r.one.toLocaleString('en-US')} | ${r.cpuOne} | ${r.two.toLocaleString('en-US')} | ${r.cpuTwo} | ${r.ratio.toFixed(2)} |`),
  '',
].join('\n');
await writeFile(resolve(REPO, 'bench/results-replicas.md'), md);
console.log(md);
