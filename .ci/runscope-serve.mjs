// Starts a built generated project for Okta's Runscope suites the way its own tests do: a
// database of its own from the project's database/testing.js, credentials from its
// auth/testing.js, one seed user (the SPEC suite expects one). Prints `BASE=<url>` and
// `AUTH=<Authorization value>` once ready; on SIGTERM stops the server and drops the database.
// Knows no framework, database or auth mode: .ci/runscope runs it in each project.
// A multi-tenant project is tested on a tenant's own URL with that tenant's credential, both made
// through the admin API, beside a second tenant holding the same seed user: the suites must see
// only their own tenant.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = resolve(process.argv[2] ?? '.');
const load = (path) => import(pathToFileURL(join(dir, 'dist', path)).href);
const [{ testDatabase }, { testCredentials }, { BASE_PATH, TENANCY }] = await Promise.all([
  load('generated/database/testing.js'),
  load('generated/auth/testing.js'),
  load('generated/project.gen.js'),
]);

const port = await new Promise((done) => {
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => done(free));
  });
});
const database = await testDatabase();
const credentials = testCredentials();
const adminToken = `admin_${randomBytes(24).toString('base64url')}`;
const server = spawn(process.execPath, ['dist/server.js'], {
  cwd: dir,
  env: {
    ...process.env,
    ...database.env,
    ...credentials.env,
    SCIM_ADMIN_TOKEN: adminToken,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
let stopping = false;
const stop = async (code) => {
  stopping = true;
  server.kill('SIGTERM');
  await new Promise((done) => (server.exitCode === null ? server.once('exit', done) : done()));
  await database.cleanup();
  process.exit(code);
};
process.on('SIGTERM', () => void stop(0));
server.once('exit', (code) => {
  if (stopping) return;
  console.error(`the server exited (${code}) before it was stopped`);
  void database.cleanup().finally(() => process.exit(1));
});

const origin = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  if (await fetch(`${origin}/health`).then((r) => r.ok, () => false)) break;
  if (i === 100) await stop(1);
  await new Promise((done) => setTimeout(done, 100));
}
/** A new tenant through the admin API: its base URL and the Authorization its credential makes. */
async function addTenant(slug) {
  const response = await fetch(`${origin}/admin/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slug, idp: 'okta' }),
  });
  if (response.status !== 201) {
    console.error(`the admin API answered ${response.status} to adding tenant ${slug}: ${await response.text()}`);
    await stop(1);
  }
  const { credential } = await response.json();
  const authorization = credential.token
    ? `Bearer ${credential.token}`
    : credential.username
      ? `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`
      : undefined;
  if (!authorization) {
    console.error('this auth mode issues no credential the Runscope runner can send');
    await stop(1);
  }
  return { base: `${origin}${BASE_PATH}/${slug}`, headers: { authorization } };
}

async function defaultTenant() {
  const headers = await credentials.headers({ origin });
  const authorization = headers.authorization ?? headers.Authorization;
  if (!authorization) {
    console.error('this auth mode sends no Authorization header; the Runscope runner needs one');
    await stop(1);
  }
  return { base: `${origin}${BASE_PATH}`, headers: { ...headers, authorization } };
}

async function seed({ base, headers }) {
  const response = await fetch(`${base}/Users`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'seed.user@example.com',
      name: { givenName: 'Seed', familyName: 'User' },
      emails: [{ value: 'seed.user@example.com', type: 'work', primary: true }],
      active: true,
    }),
  });
  if (response.status !== 201) {
    console.error(`seeding ${base} answered ${response.status}`);
    await stop(1);
  }
}

const tested = TENANCY === 'multi' ? await addTenant('acme') : await defaultTenant();
if (TENANCY === 'multi') await seed(await addTenant('globex'));
await seed(tested);
console.log(`BASE=${tested.base}`);
console.log(`AUTH=${tested.headers.authorization}`);
