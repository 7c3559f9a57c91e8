// Command-line options of the benchmark. Every value has a default, so `npm run bench` alone
// measures every framework x database at the sizes the README reports.

import { parseArgs } from 'node:util';

export const FRAMEWORKS = ['fastify', 'express', 'hono', 'nestjs'];
export const DATABASES = ['sqlite', 'postgres', 'mysql'];

const USAGE = `Usage: npm run bench -- [options]

  --framework LIST    fastify,express,hono,nestjs (default: all; repeatable)
  --database LIST     sqlite,postgres,mysql (default: all; repeatable)
  --scenario LIST     only these scenarios (default: all; see bench/README.md)
  --sizes LIST        user counts measured in turn (default: 10000,100000)
  --quick             short runs for a smoke test: --warmup 1 --duration 3 --repeat 1
  --warmup SECONDS    warm-up run before each scenario, not counted (default: 3)
  --duration SECONDS  length of each measured run (default: 4)
  --repeat N          measured runs per scenario; the median is reported (default: 3)
  --connections N     concurrent connections (default: 50)
  --out PATH          results file prefix, .md and .json are added (default: bench/results)
  --cpu-prof          start servers with --cpu-prof; profiles go to bench/.profiles/
  --keep              keep the generated projects and databases' folder
  --seed-sql          seed users beyond the first 10,000 with SQL, straight into the database
                      (SQLite, PostgreSQL): copies of a user the server wrote; for 1,000,000-user runs
  --help`;

/** Splits "a,b" and repeated flags into one list. */
const list = (values) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

function positiveInteger(name, raw, fallback) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return value;
}

function oneOf(name, values, allowed) {
  const unknown = values.find((v) => !allowed.includes(v));
  if (unknown) throw new Error(`--${name} ${unknown} is not one of ${allowed.join(', ')}`);
  return values.length > 0 ? [...new Set(values)] : allowed;
}

export function readOptions(argv, scenarioNames) {
  const { values } = parseArgs({
    args: argv,
    options: {
      framework: { type: 'string', multiple: true },
      database: { type: 'string', multiple: true },
      scenario: { type: 'string', multiple: true },
      sizes: { type: 'string' },
      quick: { type: 'boolean', default: false },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      repeat: { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string', default: 'bench/results' },
      'cpu-prof': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      'seed-sql': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const sizes = list(values.sizes ? [values.sizes] : ['10000,100000']).map((s) => positiveInteger('sizes', s));
  if (sizes.some((s, i) => i > 0 && s <= sizes[i - 1])) throw new Error('--sizes must increase');
  return {
    frameworks: oneOf('framework', list(values.framework), FRAMEWORKS),
    databases: oneOf('database', list(values.database), DATABASES),
    scenarios: oneOf('scenario', list(values.scenario), scenarioNames),
    sizes,
    warmup: positiveInteger('warmup', values.warmup, quick ? 1 : 3),
    duration: positiveInteger('duration', values.duration, quick ? 3 : 4),
    repeat: positiveInteger('repeat', values.repeat, quick ? 1 : 3),
    connections: positiveInteger('connections', values.connections, 50),
    out: values.out,
    cpuProf: values['cpu-prof'],
    keep: values.keep,
    seedSql: values['seed-sql'],
  };
}
