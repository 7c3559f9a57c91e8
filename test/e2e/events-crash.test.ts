// Events through crashes (issue 13): a generated project on SQLite and on PostgreSQL takes a
// load of concurrent creates, patches, membership changes and deletes while it is killed with
// SIGKILL and restarted several times and its webhook receiver is down part of the time. At the
// end every acknowledged change has exactly one event delivered (after de-duplication by
// webhook-id), in commit order per resource; a refused request has none; a request cut by the
// kill has at most one. Then two replicas on one PostgreSQL database: every event delivered,
// duplicates before de-duplication counted and reported.
//
// Each request carries its own x-request-id, which the server records as the event's requestId:
// that is how an event is matched to the request that made it.

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, installDependencies, npx, projectRuntime, requireService, runCli, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e events] ${line}\n`);
const TOKEN = `scim_${randomBytes(32).toString('base64url')}`;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

interface EventData {
  id: string;
  seq: number;
  kind: string;
  resourceId: string;
  requestId: string;
  version: number | null;
}

/** The webhook receiver: verifies every signature, records every delivery, can be down. */
class Receiver {
  /** Every delivery, duplicates included, in arrival order. */
  readonly all: EventData[] = [];
  readonly byId = new Map<string, EventData>();
  /** Per resource, the distinct events in the order they first arrived. */
  readonly order = new Map<string, EventData[]>();
  badSignatures = 0;
  private server: Server | undefined;
  private port = 0;
  private readonly verifier = new Webhook(SECRET);

  get url() {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const { data } = this.verifier.verify(body, req.headers as Record<string, string>) as { data: EventData };
          this.all.push(data);
          if (!this.byId.has(data.id)) {
            this.byId.set(data.id, data);
            const list = this.order.get(data.resourceId) ?? [];
            list.push(data);
            this.order.set(data.resourceId, list);
          }
          res.statusCode = 204;
        } catch {
          this.badSignatures++;
          res.statusCode = 400;
        }
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

type Outcome = 'acknowledged' | 'refused' | 'unknown';
interface Op {
  request: string;
  requestId: string;
  resourceId?: string;
  outcome: Outcome;
}

/** The load: several clients at once, each a loop of creates, patches, memberships and deletes. */
class Load {
  readonly ops: Op[] = [];
  private readonly users: string[] = [];
  private readonly groups: string[] = [];
  private readonly members = new Map<string, Set<string>>();
  private running = false;

  constructor(private readonly base: () => string) {}

  private async send(method: string, path: string, body: unknown, resourceId?: string): Promise<{ status: number; json: { id?: string } }> {
    const requestId = randomUUID();
    const op: Op = { request: `${method} ${path}`, requestId, outcome: 'unknown', ...(resourceId ? { resourceId } : {}) };
    this.ops.push(op);
    try {
      const res = await fetch(`${this.base()}${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json', 'x-request-id': requestId },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      const json = (text ? JSON.parse(text) : {}) as { id?: string };
      if (res.status < 300) {
        op.outcome = 'acknowledged';
        if (json.id) op.resourceId = json.id;
      } else if (res.status < 500) op.outcome = 'refused';
      return { status: res.status, json };
    } catch {
      // The server is down (killed, restarting): try again shortly, as a client would.
      await sleep(100);
      return { status: 0, json: {} };
    }
  }

  private pick(list: string[]): string | undefined {
    return list[Math.floor(Math.random() * list.length)];
  }

  private async step(): Promise<void> {
    const roll = Math.random();
    const user = this.pick(this.users);
    const group = this.pick(this.groups);
    if (roll < 0.3 || !user) {
      const res = await this.send('POST', '/Users', { schemas: [USER], userName: `u-${randomBytes(5).toString('hex')}`, active: true });
      if (res.json.id) this.users.push(res.json.id);
    } else if (roll < 0.38 || !group) {
      const res = await this.send('POST', '/Groups', { schemas: [GROUP], displayName: `g-${randomBytes(5).toString('hex')}` });
      if (res.json.id) this.groups.push(res.json.id);
    } else if (roll < 0.6) {
      // Always a change (a PATCH that changes nothing writes no event): a new title, and `active`
      // set either way, so some are activations and deactivations.
      const operations = [
        { op: 'replace', path: 'active', value: Math.random() < 0.5 },
        { op: 'replace', path: 'title', value: randomBytes(4).toString('hex') },
      ];
      await this.send('PATCH', `/Users/${user}`, { schemas: [PATCH], Operations: operations }, user);
    } else if (roll < 0.72) {
      await this.send('PATCH', `/Users/${user}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'title', value: randomBytes(3).toString('hex') }] }, user);
    } else if (roll < 0.86) {
      // A user not yet in the group: re-adding a member changes nothing.
      const members = this.members.get(group) ?? new Set<string>();
      this.members.set(group, members);
      if (members.has(user)) return;
      members.add(user);
      await this.send('PATCH', `/Groups/${group}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: user }] }] }, group);
    } else if (roll < 0.9) {
      // Refused: a userName that exists (409). No event may exist for it.
      await this.send('POST', '/Users', { schemas: [USER], userName: 'taken-by-the-first' });
    } else {
      this.users.splice(this.users.indexOf(user), 1);
      await this.send('DELETE', `/Users/${user}`, undefined, user);
    }
  }

  async run(clients: number, untilStopped: () => boolean): Promise<void> {
    this.running = true;
    await this.send('POST', '/Users', { schemas: [USER], userName: 'taken-by-the-first' });
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (this.running && !untilStopped()) await this.step();
      }),
    );
  }

  stop(): void {
    this.running = false;
  }
}

/** Checks the receiver's record against the requests' outcomes and the database's events. */
function verdict(load: Load, receiver: Receiver, eventCount: number): void {
  const byRequest = new Map<string, EventData[]>();
  for (const e of receiver.byId.values()) byRequest.set(e.requestId, [...(byRequest.get(e.requestId) ?? []), e]);
  const counts = { acknowledged: 0, refused: 0, unknown: 0 };
  for (const op of load.ops) {
    counts[op.outcome]++;
    // The request's own resource: a membership change may tell the member's story elsewhere.
    const events = (byRequest.get(op.requestId) ?? []).filter((e) => !op.resourceId || e.resourceId === op.resourceId);
    if (op.outcome === 'acknowledged') expect(events.length, `acknowledged ${op.request} ${op.requestId}`).toBe(1);
    if (op.outcome === 'refused') expect(events.length, `refused ${op.request} ${op.requestId}`).toBe(0);
    if (op.outcome === 'unknown') expect(events.length, `cut ${op.request} ${op.requestId}`).toBeLessThanOrEqual(1);
  }
  for (const [resource, events] of receiver.order) {
    const seqs = events.map((e) => e.seq);
    expect(seqs, `order of ${resource}`).toEqual([...seqs].sort((a, b) => a - b));
  }
  expect(receiver.badSignatures).toBe(0);
  // None lost: every event the database holds was delivered.
  expect(receiver.byId.size).toBe(eventCount);
  log(
    `requests ${JSON.stringify(counts)}; events ${eventCount}; deliveries ${receiver.all.length} ` +
      `(${receiver.all.length - receiver.byId.size} duplicates before de-duplication)`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function generateProject(workspace: string, name: string, args: string[]): Promise<string> {
  const result = await runCli([name, '--yes', '--no-install', '--no-git', ...args], workspace);
  expect(result.exitCode, result.all).toBe(0);
  const project = join(workspace, name);
  log(`${name}: dependencies ${await installDependencies(project, log)}`);
  const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
  expect(build.exitCode, build.all).toBe(0);
  return project;
}

/** The crash scenario on one project: load, kills, restarts, receiver outages, then the verdict. */
async function crashScenario(project: string, databaseEnv: Record<string, string>, counts: () => Promise<{ events: number; open: number }>) {
  const receiver = new Receiver();
  await receiver.up();
  const env = {
    ...databaseEnv,
    SCIM_BEARER_TOKEN: TOKEN,
    SCIM_WEBHOOK_URL: receiver.url,
    SCIM_WEBHOOK_SECRET: SECRET,
    SCIM_WEBHOOK_MAX_ATTEMPTS: '100',
    SCIM_WEBHOOK_RETRY_MAX_MS: '1000',
    SCIM_RATE_LIMIT_PER_SECOND: '0',
    LOG_LEVEL: 'warn',
  };
  let server = await boot(project, env);
  const load = new Load(() => `${server.url}/scim/v2`);
  let stopped = false;
  const running = load.run(6, () => stopped);
  for (let round = 0; round < 3; round++) {
    await sleep(1500);
    if (round === 1) await receiver.down();
    await sleep(1000);
    server.process.kill('SIGKILL');
    await server.process;
    server = await boot(project, env);
    if (round === 1) {
      await sleep(800);
      await receiver.up();
    }
  }
  await sleep(1500);
  stopped = true;
  load.stop();
  await running;
  await until(async () => (await counts()).open === 0, 60_000, 'every delivery to settle');
  const { events } = await counts();
  await until(async () => receiver.byId.size >= events, 10_000, 'the receiver to see every event');
  server.process.kill('SIGTERM');
  await server.process;
  await receiver.down();
  verdict(load, receiver, events);
}

describe('events through crashes', () => {
  let workspace: string;

  beforeAll(async () => {
    log(`generated projects run on Node ${(await projectRuntime()).version}`);
    workspace = await tempDir('scim-e2e-events-');
  });

  afterAll(async () => {
    if (!process.env.SCIM_E2E_KEEP && workspace) await rm(workspace, { recursive: true, force: true });
  });

  it('SQLite: every acknowledged change delivered once, in order, through SIGKILLs and an outage', async () => {
    const project = await generateProject(workspace, 'events-sqlite', []);
    const file = join(workspace, 'events.sqlite');
    const counts = async () => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
        const open = (db.prepare(`SELECT (SELECT COUNT(*) FROM events WHERE dispatched = 0) + (SELECT COUNT(*) FROM event_deliveries WHERE status <> 'delivered') AS n`).get() as { n: number }).n;
        return { events, open };
      } finally {
        db.close();
      }
    };
    await crashScenario(project, { DATABASE_PATH: file }, counts);
  }, 240_000);

  describe('PostgreSQL', () => {
    const database = `scim_events_${randomBytes(6).toString('hex')}`;
    const url = `postgres://postgres@127.0.0.1:5432/${database}`;
    let project: string;

    const onServer = async (sql: string, target = PG_SERVER) => {
      const client = new pg.Client({ connectionString: target });
      await client.connect();
      try {
        return (await client.query(sql)).rows as Array<Record<string, unknown>>;
      } finally {
        await client.end();
      }
    };
    const counts = async () => {
      const [row] = await onServer(
        `SELECT (SELECT COUNT(*) FROM events) AS events, ` +
          `(SELECT COUNT(*) FROM events WHERE dispatched = 0) + (SELECT COUNT(*) FROM event_deliveries WHERE status <> 'delivered') AS open`,
        url,
      );
      return { events: Number(row!.events), open: Number(row!.open) };
    };

    beforeAll(async () => {
      await requireService('PostgreSQL', 5432, 'docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:17');
      project = await generateProject(workspace, 'events-postgres', ['--framework', 'express', '--database', 'postgres']);
    }, 240_000);

    afterAll(async () => {
      await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    });

    it('every acknowledged change delivered once, in order, through SIGKILLs and an outage', async () => {
      await onServer(`CREATE DATABASE ${database}`);
      await crashScenario(project, { DATABASE_URL: url }, counts);
    }, 240_000);

    it('two replicas on one database: every event delivered, by one of them', async () => {
      await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await onServer(`CREATE DATABASE ${database}`);
      const receiver = new Receiver();
      await receiver.up();
      const env = {
        DATABASE_URL: url,
        SCIM_BEARER_TOKEN: TOKEN,
        SCIM_WEBHOOK_URL: receiver.url,
        SCIM_WEBHOOK_SECRET: SECRET,
        SCIM_RATE_LIMIT_PER_SECOND: '0',
        LOG_LEVEL: 'warn',
      };
      const replicas = [await boot(project, env)];
      replicas.push(await boot(project, env));
      let turn = 0;
      const load = new Load(() => `${replicas[turn++ % 2]!.url}/scim/v2`);
      let stopped = false;
      const running = load.run(6, () => stopped);
      await sleep(5000);
      stopped = true;
      load.stop();
      await running;
      await until(async () => (await counts()).open === 0, 60_000, 'every delivery to settle');
      const { events } = await counts();
      await until(async () => receiver.byId.size >= events, 10_000, 'the receiver to see every event');
      for (const replica of replicas) {
        replica.process.kill('SIGTERM');
        await replica.process;
      }
      await receiver.down();
      verdict(load, receiver, events);
      // Nobody was killed: a duplicate would mean two replicas sent one delivery.
      expect(receiver.all.length - receiver.byId.size).toBe(0);
    }, 120_000);
  });
});
