// The cost of events (issue 13): POST /Users and PATCH active with the outbox off and on, and
// what the delivery loop achieves (events delivered per second, delivery lag p99).
//
//   node bench/events.mjs [--database sqlite,postgres] [--seconds 4] [--runs 3] [--before <cli>] [--before-delivered]
//
// Three servers per database, measured in turn within one run (Fastify, default answers):
//   before      a project of the generator before events (--before: its CLI, e.g. the main
//               checkout's bin/create-scim-server.js): no event written at all
//   written     this generator, no destination: each change writes its event row, nothing sends
//   delivered   this generator, a webhook destination (a local receiver in its own process):
//               each change writes its event, and the delivery loop fans out and sends it
// --before-delivered gives `before` the webhook destination too (for comparing two generators'
// delivery loops, e.g. a change to the loop against main).
// Each scenario: one warm-up run, then `--runs` runs of `--seconds` s, 50 connections; the
// median rate and p99, and the rate as a fraction of `before`'s (or `written`'s without it).
// Results: bench/results-events.md and .json.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { inParallel, scimClient } from './lib/client.mjs';
import { loadRun, median } from './lib/load.mjs';
import { boot, build, generate, installShared, projectHarness, REPO } from './lib/project.mjs';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'sqlite,postgres' },
    seconds: { type: 'string', default: '4' },
    runs: { type: 'string', default: '3' },
    before: { type: 'string' },
    'before-delivered': { type: 'boolean', default: false },
  },
});
const databases = values.database.split(',');
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const CONNECTIONS = 50;
const SEED = 2000;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const log = (line) => process.stdout.write(`[bench events] ${line}\n`);

/** The receiver, in a process of its own so the load generator's loop does not skew its clock. */
const RECEIVER = `
const http = require('node:http');
let count = 0, first = 0, last = 0; const lags = [];
http.createServer((req, res) => {
  if (req.method === 'GET') {
    const sorted = [...lags].sort((a, b) => a - b);
    const p = (q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
    res.end(JSON.stringify({ count, first, last, p50: p(0.5), p99: p(0.99) }));
    if (req.url === '/reset') { count = 0; first = 0; last = 0; lags.length = 0; }
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    const { data } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    count++; if (!first) first = now; last = now;
    lags.push(now - Date.parse(data.time));
    res.statusCode = 204; res.end();
  });
}).listen(0, '127.0.0.1', function () { console.log(this.address().port); });
`;

async function startReceiver() {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  const url = `http://127.0.0.1:${port}`;
  return {
    url: `${url}/hook`,
    stats: async (reset = false) => (await fetch(`${url}${reset ? '/reset' : '/stats'}`)).json(),
    stop: () => child.kill(),
  };
}

const userBody = () => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `bench-${randomBytes(8).toString('hex')}@example.com`,
  name: { givenName: 'Bench', familyName: 'User' },
  emails: [{ value: 'bench@example.com', type: 'work', primary: true }],
  active: true,
});

async function measure(project, database, variant, receiver) {
  const { testDatabase, testCredentials, basePath } = await projectHarness(project);
  const db = await testDatabase();
  const auth = testCredentials();
  const env = {
    ...db.env,
    ...auth.env,
    LOG_LEVEL: 'warn',
    SCIM_RATE_LIMIT_PER_SECOND: '0',
    SCIM_DOCS: 'off',
    ...(receiver ? { SCIM_WEBHOOK_URL: receiver.url, SCIM_WEBHOOK_SECRET: SECRET } : {}),
  };
  const server = await boot({ cwd: project, script: 'dist/server.js', env, healthPath: '/health', logFile: join(project, 'bench.log') });
  const results = {};
  try {
    const headers = await auth.headers({ origin: server.origin });
    const client = scimClient(server.origin, `${basePath}/`, headers);
    const ids = await inParallel(SEED, 32, async () => (await client.expect(201, 'POST', 'Users', userBody())).id);
    client.close();
    const base = basePath;
    const scenarios = {
      'post-user': { method: 'POST', setupRequest: (req) => ({ ...req, path: `${base}/Users`, body: JSON.stringify(userBody()) }) },
      'patch-active': {
        method: 'PATCH',
        setupRequest: (req) => ({
          ...req,
          path: `${base}/Users/${ids[Math.floor(Math.random() * ids.length)]}`,
          body: JSON.stringify({
            schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
            Operations: [{ op: 'replace', path: 'active', value: Math.random() < 0.5 }],
          }),
        }),
      },
    };
    for (const [name, request] of Object.entries(scenarios)) {
      await loadRun({ origin: server.origin, pid: server.pid, headers, request, connections: CONNECTIONS, seconds: 2 });
      const measured = [];
      let delivery;
      for (let i = 0; i < runs; i++) {
        if (receiver) await receiver.stats(true);
        measured.push(await loadRun({ origin: server.origin, pid: server.pid, headers, request, connections: CONNECTIONS, seconds }));
      }
      if (receiver) {
        // The last run's deliveries, once the backlog drained: rate over the run and lag.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const s = await receiver.stats();
        delivery = { delivered: s.count, perSecond: Math.round((s.count * 1000) / Math.max(1, s.last - s.first)), lagP50: s.p50, lagP99: s.p99 };
      }
      results[name] = {
        rps: median(measured.map((m) => m.rps)),
        p99: median(measured.map((m) => m.p99)),
        cpuUs: median(measured.map((m) => m.cpuUs)),
        errors: measured.reduce((n, m) => n + m.errors + m.non2xx, 0),
        ...(delivery ? { delivery } : {}),
      };
      log(`${database} ${variant} ${name}: ${JSON.stringify(results[name])}`);
    }
  } finally {
    await server.stop();
    await db.cleanup();
  }
  return results;
}

const workspace = await mkdtemp(join(tmpdir(), 'scim-bench-events-'));
const receiver = await startReceiver();
const all = {};
try {
  const projects = [];
  for (const database of databases) {
    const dir = await generate(workspace, 'fastify', database);
    projects.push({ database, variant: 'current', dir });
    if (values.before) {
      const beforeDir = join(workspace, `before-${database}`);
      await new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [values.before, `before-${database}`, '--yes', '--no-install', '--no-git', '--framework', 'fastify', '--database', database], {
          cwd: workspace,
          stdio: 'ignore',
        });
        child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`--before generator failed (${code})`))));
      });
      await rm(join(beforeDir, '.env'), { force: true });
      projects.push({ database, variant: 'before', dir: beforeDir });
    }
  }
  await installShared(projects.map((p) => p.dir), log);
  for (const p of projects) await build(p.dir);
  for (const database of databases) {
    all[database] = {};
    const current = projects.find((p) => p.database === database && p.variant === 'current').dir;
    const before = projects.find((p) => p.database === database && p.variant === 'before')?.dir;
    if (before) all[database].before = await measure(before, database, 'before', values['before-delivered'] ? receiver : undefined);
    all[database].written = await measure(current, database, 'written');
    all[database].delivered = await measure(current, database, 'delivered', receiver);
  }
} finally {
  receiver.stop();
  await rm(workspace, { recursive: true, force: true });
}

const lines = [
  '# Events benchmark',
  '',
  `Node ${process.version}, ${CONNECTIONS} connections, median of ${runs} runs of ${seconds} s, Fastify, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| database | scenario | variant | req/s | × baseline | p99 ms | CPU µs/req | delivered/s | lag p50 ms | lag p99 ms |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const [database, variants] of Object.entries(all)) {
  const baseline = variants.before ?? variants.written;
  for (const scenario of ['post-user', 'patch-active']) {
    for (const [variant, results] of Object.entries(variants)) {
      const r = results[scenario];
      const d = r.delivery;
      lines.push(
        `| ${database} | ${scenario} | ${variant} | ${r.rps} | ${(r.rps / baseline[scenario].rps).toFixed(2)} | ${r.p99} | ${r.cpuUs} | ${d ? d.perSecond : ''} | ${d ? d.lagP50 : ''} | ${d ? d.lagP99 : ''} |`,
      );
    }
  }
}
await writeFile(join(REPO, 'bench/results-events.md'), `${lines.join('\n')}\n`);
await writeFile(join(REPO, 'bench/results-events.json'), `${JSON.stringify({ node: process.version, runs, seconds, results: all }, null, 2)}\n`);
console.log(lines.join('\n'));
