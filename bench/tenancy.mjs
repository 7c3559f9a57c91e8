#!/usr/bin/env node
// Tenancy benchmark (issue 12): the real store and authentication functions of a generated
// multi-tenant project, in process, on real SQLite files or PostgreSQL databases. Not part of
// `npm test`.
//
//   node bench/tenancy.mjs --project <dir> [--tenants 1000] [--users 1000] [--single 100000] [--ops 2000] [--batches 5]
//
// <dir> is a generated project (`--tenancy multi`, SQLite or PostgreSQL, bearer) with node_modules,
// built with `npx tsc -p tsconfig.build.json`. Two databases are made (SQLite: in a temporary
// folder; PostgreSQL: by the project's own test helper, on TEST_DATABASE_URL's server, dropped after):
//   multi:  --tenants tenants x --users users each (1,000 x 1,000 = 1,000,000 users);
//   single: tenant 1 alone with --single users (100,000), which is what a single-tenant project
//           is (every project has tenants; a single-tenant one has exactly one).
// Tenants and credentials are made through the store's own TenantDirectory. Users are inserted
// with SQL straight into the users table (SQLite: one transaction of prepared inserts;
// PostgreSQL: one INSERT ... SELECT over generate_series), as the store would write them: seeding
// a million users through POST /Users would take hours on a 2-core machine. The measured reads
// then go through the store's own code.
//
// Measured, per operation, as the median of --batches batches of --ops operations each:
//   get-user         store.get(tenant, User, id) of a random user of a random tenant
//   get-user, one tenant   the same, every read in one tenant (200 of its users)
// About 200,000 users are sampled in each database, spread over all of it.
//   filter-userName  store.list(tenant, User, filter userName eq "...") likewise
//   authenticate     the server's own authenticate(headers, { path }): the rate-limit check, the
//                    credential lookup by hash (one indexed read of credentials joined to
//                    tenants), the tenant check against the URL's slug, and the bucket take
// Wall time and CPU time (process.cpuUsage: this process, SQLite included, as it runs in it).

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    project: { type: 'string' },
    tenants: { type: 'string', default: '1000' },
    users: { type: 'string', default: '1000' },
    single: { type: 'string', default: '100000' },
    ops: { type: 'string', default: '2000' },
    batches: { type: 'string', default: '5' },
  },
});
if (!values.project) {
  console.error('usage: node bench/tenancy.mjs --project <generated multi-tenant SQLite project, built>');
  process.exit(2);
}
const project = resolve(values.project);
const TENANTS = Number(values.tenants);
const USERS = Number(values.users);
const SINGLE = Number(values.single);
const OPS = Number(values.ops);
const BATCHES = Number(values.batches);

const load = (path) => import(pathToFileURL(join(project, 'dist/generated', path)).href);
const { createStore } = await load('database/index.js');
const { buildRegistry } = await load('scim/registry.js');
const { schemas, resourceTypes } = await load('schemas.gen.js');
const { parseFilter } = await load('scim/filter/parse.js');
const { newSecret, secretHash, secretMaterial } = await load('scim/credentials.js');
const { createScim } = await load('app.js');
const { BASE_PATH } = await load('project.gen.js');
const { testDatabase } = await load('database/testing.js');
const postgres = (await import(pathToFileURL(join(project, 'package.json')).href, { with: { type: 'json' } })).default.dependencies.pg !== undefined;
const driver = (name, path) => import(pathToFileURL(join(project, 'node_modules', name, path)).href);

const registry = buildRegistry(resourceTypes, schemas);
const User = registry.byName('User');
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const log = (line) => process.stderr.write(`[tenancy bench] ${line}\n`);

/** A database of the project's kind: its env, and how it is dropped. */
async function newDatabase(dir, name) {
  if (!postgres) return { env: { DATABASE_PATH: join(dir, `${name}.sqlite`) }, cleanup: async () => undefined };
  return testDatabase();
}

/** Makes `tenants` tenants (tenant 1 alone when `tenants` is 1) with a credential and `users` users each. */
async function seed(env, tenants, users) {
  const store = await createStore({ env, registry });
  const made = [];
  const started = Date.now();
  for (let i = 0; i < tenants; i++) {
    const tenant = tenants === 1 ? await store.tenants.getTenant(1) : await store.tenants.createTenant({ slug: `t${i}`, name: `Tenant ${i}`, idp: 'okta' });
    const token = newSecret();
    await store.tenants.addCredential({ tenant: tenant.key, kind: 'token', label: 'bench', secretHash: secretHash(secretMaterial.token(token)) });
    made.push({ key: tenant.key, slug: tenant.slug, token, ids: [], names: [] });
  }
  await store.close();
  // The same userNames in every tenant: per-tenant uniqueness, and no lookup helped by rarity.
  // About 200,000 users sampled in either database, so neither reads from a small, hot set.
  const step = Math.max(1, Math.floor((tenants * users) / 200_000));
  const sampled = Array.from({ length: Math.ceil(users / step) }, (_, k) => `user${k * step}@example.com`);
  const byKey = new Map(made.map((t) => [t.key, t]));
  if (postgres) {
    const { default: pg } = await driver('pg', 'lib/index.js');
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    await client.query(`SET scim.migrating = 'on'`);
    await client.query(
      `INSERT INTO users (id, tenant, version, created, last_modified, document, user_name, user_name_fold, display_name, display_name_fold)
       SELECT gen_random_uuid()::text, t.id, 1, $1, $1,
              jsonb_build_object('schemas', jsonb_build_array($2::text), 'userName', 'user' || u || '@example.com',
                'displayName', 'User ' || u, 'name', jsonb_build_object('givenName', 'User', 'familyName', u::text), 'active', true),
              'user' || u || '@example.com', 'user' || u || '@example.com', 'User ' || u, 'user ' || u
       FROM tenants t CROSS JOIN generate_series(0, $3::int - 1) AS u
       WHERE t.id = ANY($4::bigint[])`,
      [new Date().toISOString(), CORE, users, made.map((t) => t.key)],
    );
    await client.query('ANALYZE users');
    const rows = await client.query('SELECT tenant, id, user_name FROM users WHERE user_name = ANY($1)', [sampled]);
    for (const row of rows.rows) {
      const tenant = byKey.get(Number(row.tenant));
      tenant.ids.push(row.id);
      tenant.names.push(row.user_name);
    }
    await client.end();
  } else {
    const { default: Database } = await driver('better-sqlite3', 'lib/index.js');
    const db = new Database(env.DATABASE_PATH);
    const insert = db.prepare(
      `INSERT INTO users (id, tenant, version, created, last_modified, document, user_name, user_name_fold, display_name, display_name_fold)
       VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const at = new Date().toISOString();
    db.transaction(() => {
      for (const tenant of made) {
        for (let u = 0; u < users; u++) {
          const userName = `user${u}@example.com`;
          const id = randomUUID();
          const displayName = `User ${u}`;
          const document = { schemas: [CORE], userName, displayName, name: { givenName: 'User', familyName: String(u) }, active: true };
          insert.run(id, tenant.key, at, at, JSON.stringify(document), userName, userName.toLowerCase(), displayName, displayName.toLowerCase());
          if (u % step === 0) {
            tenant.ids.push(id);
            tenant.names.push(userName);
          }
        }
      }
    })();
    db.pragma('optimize');
    db.close();
  }
  log(`${tenants} tenant(s) x ${users} users seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return made;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median over batches of wall and CPU microseconds per operation. */
async function measure(operation) {
  for (let i = 0; i < OPS; i++) await operation(); // warm-up, not counted
  const wall = [];
  const cpu = [];
  for (let b = 0; b < BATCHES; b++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (let i = 0; i < OPS; i++) await operation();
    const c = process.cpuUsage(c0);
    wall.push(Number(process.hrtime.bigint() - t0) / 1000 / OPS);
    cpu.push((c.user + c.system) / OPS);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

async function measureDatabase(env, tenants) {
  const store = await createStore({ env, registry });
  const read = { withMembers: false, withGroups: false };
  const getUser = await measure(async () => {
    const tenant = pick(tenants);
    const found = await store.get(tenant.key, User, pick(tenant.ids), read);
    if (!found) throw new Error('seeded user not found');
  });
  // The same reads, all in one tenant: on PostgreSQL a pooled connection then keeps its
  // row-level-security tenant setting instead of changing it (one more round trip) per read.
  const oneTenant = tenants[0];
  const oneTenantIds = oneTenant.ids.slice(0, 200);
  const getUserOneTenant = await measure(async () => {
    const found = await store.get(oneTenant.key, User, pick(oneTenantIds), read);
    if (!found) throw new Error('seeded user not found');
  });
  const filters = tenants.map((t) => t.names.map((n) => parseFilter(`userName eq "${n}"`)));
  const filterUserName = await measure(async () => {
    const i = Math.floor(Math.random() * tenants.length);
    const result = await store.list(tenants[i].key, User, { ...read, filter: pick(filters[i]), sortOrder: 'ascending', startIndex: 1, count: 100 });
    if (result.totalResults !== 1) throw new Error(`expected one user, got ${result.totalResults}`);
  });
  await store.close();

  // The server's own authentication, as routes.ts runs it for every SCIM request.
  // A rate limit high enough never to refuse, so its bucket is taken as in a server with the default.
  const limits = { SCIM_RATE_LIMIT_PER_SECOND: '1000000', SCIM_RATE_LIMIT_BURST: '1000000' };
  const scim = await createScim({ env: { ...env, LOG_LEVEL: 'silent', ...limits } });
  const multi = tenants.length > 1;
  const authenticate = await measure(async () => {
    const tenant = pick(tenants);
    const access = await scim.authenticate(
      { authorization: `Bearer ${tenant.token}` },
      { path: multi ? `/${tenant.slug}/Users` : '/Users', remoteAddress: '127.0.0.1' },
    );
    if (!access.principal) throw new Error('authentication refused');
  });
  await scim.close();
  return { getUser, getUserOneTenant, filterUserName, authenticate };
}

const dir = await mkdtemp(join(tmpdir(), 'scim-tenancy-bench-'));
const databases = [];
try {
  log(`project ${project} (${postgres ? 'PostgreSQL' : 'SQLite'}), base path ${BASE_PATH}; ${OPS} operations x ${BATCHES} batches per figure`);
  const multiDb = await newDatabase(dir, 'multi');
  databases.push(multiDb);
  const multi = await measureDatabase(multiDb.env, await seed(multiDb.env, TENANTS, USERS));
  await multiDb.cleanup();
  databases.pop();
  const singleDb = await newDatabase(dir, 'single');
  databases.push(singleDb);
  const single = await measureDatabase(singleDb.env, await seed(singleDb.env, 1, SINGLE));

  const us = (x) => x.toFixed(1);
  const rows = [
    ['get-user', 'getUser'],
    ['get-user, one tenant', 'getUserOneTenant'],
    ['filter-userName', 'filterUserName'],
    ['authenticate', 'authenticate'],
  ].map(([name, key]) => {
    const m = multi[key];
    const s = single[key];
    return `| ${name} | ${us(s.wall)} | ${us(s.cpu)} | ${us(m.wall)} | ${us(m.cpu)} | ${(m.wall / s.wall).toFixed(2)} | ${(m.cpu / s.cpu).toFixed(2)} |`;
  });
  const table = [
    `| operation | 1 tenant x ${SINGLE.toLocaleString('en')}: µs wall | µs CPU | ${TENANTS.toLocaleString('en')} tenants x ${USERS.toLocaleString('en')}: µs wall | µs CPU | wall ratio | CPU ratio |`,
    '| --- | --: | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
  console.log(table);
  console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, database: postgres ? 'postgres' : 'sqlite', tenants: TENANTS, users: USERS, single: SINGLE, ops: OPS, batches: BATCHES, multi, singleTenant: single }));
} finally {
  for (const database of databases) await database.cleanup().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
}
