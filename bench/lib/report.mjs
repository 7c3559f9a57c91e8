// Turns the measurements into the Markdown table the README shows, and checks the targets
// set for the default Fastify + SQLite server.

/** Thresholds of the targets (issue 3, "Measured, not assumed"). */
export const TARGETS = {
  /** GET by id and the userName filter, as a fraction of the bare node:http baseline. */
  minRatio: 0.35,
  /** Cost at the smallest size over the cost at the largest: "the same", within run-to-run noise. */
  minScaling: 0.85,
  /** Adding a member to the big group may take at most this much longer than to the small one. */
  maxAddSlowdown: 1.5,
};

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => (n < 10 ? n.toFixed(1) : int(n));
const ratio = (n) => n.toFixed(2);
const cpu = (n) => (Number.isFinite(n) ? int(n) : '–');

/** A scenario's figures, or undefined when it was not measured. */
const figures = (phase, name) => phase.scenarios[name];

function cellTable(cell, baseline, scenarios) {
  const head = ['request', ...cell.phases.flatMap((p) => [`${int(p.users)} users: req/s`, 'p99 ms', '× bare', 'CPU µs/req'])];
  const rows = [head, head.map(() => '---')];
  const bare = [int(baseline.rps), ms(baseline.p99), '1.00', cpu(baseline.cpuUs)];
  rows.push(['bare `node:http`, fixed user JSON', ...cell.phases.flatMap(() => bare)]);
  for (const scenario of scenarios) {
    if (!cell.phases.some((p) => p.scenarios[scenario.name])) continue;
    const cells = cell.phases.flatMap((phase) => {
      const f = figures(phase, scenario.name);
      if (!f) return ['–', '–', '–', '–'];
      const warn = f.non2xx || f.errors ? ` ⚠ ${f.non2xx} non-2xx, ${f.errors} errors` : f.exhausted ? ' ⚠ ran out of new users' : '';
      return [int(f.rps) + warn, ms(f.p99), ratio(f.ratio), cpu(f.cpuUs)];
    });
    rows.push([scenario.label, ...cells]);
  }
  return rows.map((r) => `| ${r.join(' | ')} |`).join('\n');
}

function cellNotes(cell) {
  const notes = [];
  const how = (s) => (s.sql ? ' with SQL straight into the database (--seed-sql: copies of a user the server wrote)' : ' over HTTP');
  const seeded = cell.seeding.map((s) => `${int(s.created)} users${how(s)} in ${s.seconds} s (${int(s.perSecond)}/s)`).join(', then ');
  if (seeded) notes.push(`Seeded: ${seeded}.`);
  for (const phase of cell.phases) {
    const big = phase.scenarios['add-member-big']?.groupSize;
    const small = phase.scenarios['add-member-small']?.groupSize;
    if (big !== undefined || small !== undefined) {
      notes.push(
        `At ${int(phase.users)} users, after their last runs (each run starts from 10,000 and 10 members): ` +
          `the big group had ${big === undefined ? '?' : int(big)} members, the small one ${small === undefined ? '?' : int(small)}.`,
      );
    }
  }
  return notes.map((n) => `- ${n}`).join('\n');
}

/** The default server's cell, when it was measured. */
const defaultCell = (results) =>
  results.cells.find((c) => c.framework === 'fastify' && c.database === 'sqlite' && c.status === 'measured' && c.phases.length > 0);

/** GET by id and the filter at each size, as a fraction of the bare server's rate. */
function ratioChecks(cell, name, label) {
  return cell.phases.flatMap((phase) => {
    const f = figures(phase, name);
    if (!f) return [];
    return [
      {
        target: `${label} at ${int(phase.users)} users ≥ ${TARGETS.minRatio} × bare`,
        measured: `${ratio(f.ratio)} (${int(f.rps)} req/s)`,
        met: f.ratio >= TARGETS.minRatio,
      },
    ];
  });
}

/**
 * The same rate at the largest size as at the smallest. Judged on the server's CPU time per
 * request where measured: req/s follows whatever else the machine does, while an index lookup
 * costs about the same CPU at any table size and a scan does not.
 */
function scalingCheck(cell, name, label) {
  const first = cell.phases[0].scenarios[name];
  const last = cell.phases.at(-1).scenarios[name];
  if (!first || !last || cell.phases.length < 2) return [];
  const byRate = last.ratio / first.ratio;
  // CPU per request as a share of the bare server's in the runs around it: the machine's own
  // speed moves raw CPU time between the two phases (minutes apart) by more than the target allows.
  const byCpu = Number.isFinite(first.cpuRatio) && Number.isFinite(last.cpuRatio) && first.cpuRatio > 0 ? last.cpuRatio / first.cpuRatio : undefined;
  const scale = byCpu ?? byRate;
  return [
    {
      target: `${label}: the same at ${int(cell.phases.at(-1).users)} users as at ${int(cell.phases[0].users)} (≥ ${TARGETS.minScaling}×)`,
      measured:
        (byCpu === undefined
          ? ''
          : `${ratio(byCpu)} by CPU/request against the bare server's (${cpu(first.cpuUs)} µs, ${ratio(first.cpuRatio)} × bare → ` +
            `${cpu(last.cpuUs)} µs, ${ratio(last.cpuRatio)} × bare); `) +
        `${ratio(byRate)} by req/s (${ratio(first.ratio)} → ${ratio(last.ratio)} × bare)`,
      met: scale >= TARGETS.minScaling,
    },
  ];
}

/** Adding a member to the 10,000-member group against the same add to the 10-member group. */
function memberAddChecks(cell) {
  return cell.phases.flatMap((phase) => {
    const big = phase.scenarios['add-member-big'];
    const small = phase.scenarios['add-member-small'];
    if (!big || !small) return [];
    const slowdown = small.ratio / big.ratio;
    return [
      {
        target: `member add at ${int(phase.users)} users: 10,000-member group within ${TARGETS.maxAddSlowdown}× of the 10-member group`,
        measured: `${ratio(slowdown)}× (${ratio(big.ratio)} vs ${ratio(small.ratio)} × bare; ${int(big.rps)} vs ${int(small.rps)} req/s; p99 ${ms(big.p99)} vs ${ms(small.p99)} ms)`,
        met: slowdown <= TARGETS.maxAddSlowdown,
      },
    ];
  });
}

/** The targets for the default server, each with what was measured and whether it is met. */
export function checkTargets(results) {
  const cell = defaultCell(results);
  if (!cell) return [];
  return [
    ...ratioChecks(cell, 'get-user', 'GET by id'),
    ...ratioChecks(cell, 'filter-userName', '`userName eq` filter'),
    ...scalingCheck(cell, 'get-user', 'GET by id'),
    ...scalingCheck(cell, 'filter-userName', '`userName eq` filter'),
    ...memberAddChecks(cell),
  ];
}

export function markdown(results, scenarios) {
  const { machine, settings, baseline } = results;
  const lines = [
    '# SCIM server benchmark',
    '',
    `${results.date} · ${machine.cpu} (${machine.cores} cores), ${machine.memoryGiB} GiB · ${machine.os} · Node ${machine.node} · ` +
      `load average ${machine.loadAverage.start} at the start, ${machine.loadAverage.end} at the end`,
    '',
    `autocannon, ${settings.connections} connections. Each scenario: a ${settings.warmup} s warm-up, then ` +
      `${settings.repeat} run${settings.repeat === 1 ? '' : 's'} of ${settings.duration} s, each between two runs of the bare \`node:http\` server; medians ` +
      'reported, "× bare" being the median of each run\'s rate over the mean of the bare runs around it. ' +
      'Servers run their built JS with LOG_LEVEL=warn. ' +
      `Bare server over all ${baseline.runs.length} runs: ${int(baseline.rps)} req/s (median; ` +
      `${int(Math.min(...baseline.runs.map((r) => r.rps)))}–${int(Math.max(...baseline.runs.map((r) => r.rps)))}), ` +
      `p99 ${ms(baseline.p99)} ms. "CPU µs/req" is the server process's CPU time per request, steadier than req/s ` +
      'when other work shares the machine.',
  ];
  for (const cell of results.cells) {
    lines.push('', `## ${cell.framework} + ${cell.database}`, '');
    if (cell.status !== 'measured') {
      lines.push(`Not measured: ${cell.error}`);
      continue;
    }
    lines.push(cellTable(cell, baseline, scenarios), '', cellNotes(cell));
  }
  const checks = checkTargets(results);
  if (checks.length > 0) {
    lines.push('', '## Targets (Fastify + SQLite)', '', '| target | measured | met |', '| --- | --- | --- |');
    for (const c of checks) lines.push(`| ${c.target} | ${c.measured} | ${c.met ? 'yes' : '**no**'} |`);
  }
  return lines.join('\n') + '\n';
}
