#!/usr/bin/env node
// Generator start-up: wall time of a scaffold without install (`--yes --no-install --no-git`) and
// of `regenerate` on the result, run after `npm run build`. With --before <package folder> (a
// built checkout of another version), both are measured in the same run, interleaved, so a busy
// machine slows both sides alike. `node -e 0` is measured the same way, as the floor.
//
//   node bench/scaffold.mjs                       # this build, 15 runs of each
//   node bench/scaffold.mjs --before ../old --runs 21

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    runs: { type: 'string', default: '15' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: node bench/scaffold.mjs [--before <built package folder>] [--runs N]');
  process.exit(0);
}

const runs = Number(values.runs);
const work = mkdtempSync(join(tmpdir(), 'scaffold-bench-'));
const builds = [['this build', resolve(import.meta.dirname, '..')]];
if (values.before) builds.push(['before', resolve(values.before)]);

/** Milliseconds one command takes, its output discarded. */
function time(args, cwd = work) {
  const started = process.hrtime.bigint();
  execFileSync(process.execPath, args, { cwd, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const samples = new Map([['node -e 0', []]]);
for (const [name] of builds) {
  samples.set(`${name}: scaffold`, []);
  samples.set(`${name}: regenerate`, []);
}

console.log(`load average at the start: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
let n = 0;
// One untimed round first: the file system cache, not the generator, would be measured.
for (let round = -1; round < runs; round++) {
  const record = (key, ms) => round >= 0 && samples.get(key).push(ms);
  record('node -e 0', time(['-e', '0']));
  for (const [name, root] of builds) {
    const dir = join(work, `p${n++}`);
    const cli = join(root, 'bin/create-scim-server.js');
    record(`${name}: scaffold`, time([cli, dir, '--yes', '--no-install', '--no-git']));
    record(`${name}: regenerate`, time([cli, 'regenerate', dir]));
    rmSync(dir, { recursive: true, force: true });
  }
}
rmSync(work, { recursive: true, force: true });

console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`${runs} runs each, interleaved; median (min-max) ms`);
for (const [key, xs] of samples) {
  console.log(`${key.padEnd(28)} ${median(xs).toFixed(0).padStart(6)}  (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`);
}
