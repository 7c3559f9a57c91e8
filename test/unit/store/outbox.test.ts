// The outbox's delivery state (templates/scim/outbox.ts) on every store: in memory, SQLite,
// PostgreSQL and MariaDB. Fan-out adds one delivery per destination; a claim hands out only the
// first pending delivery of each resource, leased; failures back off or go dead; redeliver
// makes a delivery pending again. On the SQL servers, two stores (two replicas) fanning out and
// claiming at once never take the same row.

import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../templates/database-custom/memory-store.js';
import { mysqlMigrations } from '../../../templates/database-mysql/generator/migrations.js';
import { openMysqlStore } from '../../../templates/database-mysql/index.js';
import { testDatabase as mysqlDatabase } from '../../../templates/database-mysql/testing.js';
import { postgresMigrations } from '../../../templates/database-postgres/generator/migrations.js';
import { openPostgresStore } from '../../../templates/database-postgres/index.js';
import { testDatabase as postgresDatabase } from '../../../templates/database-postgres/testing.js';
import { sqliteMigrations } from '../../../templates/database-sqlite/generator/migrations.js';
import { openSqliteStore } from '../../../templates/database-sqlite/store.js';
import type { EventDraft } from '../../../templates/scim/events.js';
import type { Outbox } from '../../../templates/scim/outbox.js';
import { storagePlan } from '../../../templates/scim/storage.js';
import type { ResourceStore } from '../../../templates/scim/store.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { registry, User, user } from './contract.js';

const dir = mkdtempSync(join(tmpdir(), 'scim-outbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function migrations(name: string, build: (plan: ReturnType<typeof storagePlan>) => Array<{ name: string; sql: string }>): string {
  const target = join(dir, name);
  mkdirSync(target, { recursive: true });
  for (const m of build(storagePlan(registry))) writeFileSync(join(target, m.name), m.sql);
  return target;
}

interface Engine {
  /** Opens `count` stores on one new database; `drop` removes it once they are closed. */
  open(count: number): Promise<{ stores: ResourceStore[]; drop(): Promise<void> }>;
  concurrent: boolean;
}

let files = 0;
const engines: Record<string, Engine> = {
  memory: {
    concurrent: false,
    open: async () => ({ stores: [await createMemoryStore({ registry })], drop: async () => undefined }),
  },
  sqlite: {
    concurrent: false,
    async open() {
      const migrationsDir = migrations('sqlite', sqliteMigrations);
      return { stores: [await openSqliteStore({ file: join(dir, `${++files}.sqlite`), registry, migrationsDir })], drop: async () => undefined };
    },
  },
  postgres: {
    concurrent: true,
    async open(count) {
      const migrationsDir = migrations('postgres', postgresMigrations);
      const db = await postgresDatabase();
      const url = new URL(db.env.DATABASE_URL!);
      const stores: ResourceStore[] = [];
      for (let i = 0; i < count; i++) stores.push(await openPostgresStore({ url, poolSize: 4, registry, migrationsDir }));
      return { stores, drop: () => db.cleanup() };
    },
  },
  mariadb: {
    concurrent: true,
    async open(count) {
      const migrationsDir = migrations('mysql', mysqlMigrations);
      const db = await mysqlDatabase();
      const url = new URL(db.env.DATABASE_URL!);
      const stores: ResourceStore[] = [];
      for (let i = 0; i < count; i++) stores.push(await openMysqlStore({ url, poolSize: 4, registry, migrationsDir }));
      return { stores, drop: () => db.cleanup() };
    },
  },
};

const draft = (kind: EventDraft['kind'], resourceId?: string): EventDraft => ({
  id: randomUUID(),
  time: new Date().toISOString(),
  resourceType: 'User',
  kind,
  attributes: ['userName'],
  ...(resourceId ? { resourceId } : {}),
  requestId: randomUUID(),
  actor: { credentialId: null, via: 'scim' },
});

/** A user created and patched `patches` times: its events, oldest first. */
async function history(store: ResourceStore, patches: number): Promise<string[]> {
  const create = draft('create');
  const created = await store.create(DEFAULT_TENANT, User, user(`u-${randomUUID()}`), [], create);
  const ids = [create.id];
  for (let i = 0; i < patches; i++) {
    const patch = draft('patch', created.id);
    await store.update(DEFAULT_TENANT, User, created.id, { attributes: user(`u-${randomUUID()}`), withMembers: false, withGroups: false }, patch);
    ids.push(patch.id);
  }
  return ids;
}

const LEASE = 30_000;

for (const [name, engine] of Object.entries(engines)) {
  describe(`outbox on ${name}`, { timeout: 30_000 }, () => {
    it('fans each event out once per destination, then claims only the first pending one of each resource', async () => {
      const { stores, drop } = await engine.open(1);
      const store = stores[0]!;
      const outbox = store.outbox as Outbox;
      try {
        const a = await history(store, 2);
        const b = await history(store, 1);
        expect(await outbox.undispatched()).toBeGreaterThanOrEqual(5);
        expect(await outbox.fanOut(['one', 'two'], 100)).toBeGreaterThanOrEqual(5);
        expect(await outbox.fanOut(['one', 'two'], 100)).toBe(0);
        expect(await outbox.undispatched()).toBe(0);
        expect((await outbox.deliveriesOf(a[0]!)).map((d) => d.destination)).toEqual(['one', 'two']);

        const now = Date.now();
        let claimed = (await outbox.claim('one', now, LEASE, 100)).map((d) => d.event.id);
        // The heads of both resources (and of any directory events), not their later changes.
        expect(claimed).toEqual(expect.arrayContaining([a[0], b[0]]));
        expect(claimed).not.toContain(a[1]);
        // Leased: not handed out again until the lease runs out.
        expect(await outbox.claim('one', now + 1, LEASE, 100)).toEqual([]);
        const first = (await outbox.deliveriesOf(a[0]!)).find((d) => d.destination === 'one')!;
        await outbox.delivered('one', [first.event.seq], now);
        claimed = (await outbox.claim('one', now + 2, LEASE, 100)).map((d) => d.event.id);
        expect(claimed).toEqual([a[1]]);
        // The other destination keeps its own queue.
        expect((await outbox.claim('two', now, LEASE, 100)).map((d) => d.event.id)).toEqual(expect.arrayContaining([a[0], b[0]]));
        // A lease that ran out: handed out again.
        expect((await outbox.claim('one', now + LEASE + 10, LEASE, 100)).map((d) => d.event.id)).toEqual(expect.arrayContaining([a[1], b[0]]));
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await drop();
      }
    });

    it('backs off after a failure, goes dead on the last, and redelivers on demand', async () => {
      const { stores, drop } = await engine.open(1);
      const store = stores[0]!;
      const outbox = store.outbox as Outbox;
      try {
        const ids = await history(store, 1);
        await outbox.fanOut(['hook'], 100);
        const now = Date.now();
        const [head] = (await outbox.claim('hook', now, LEASE, 100)).filter((d) => d.event.id === ids[0]);
        await outbox.failed('hook', head!.event.seq, 'receiver answered 500', now + 60_000);
        let [row] = await outbox.deliveriesOf(ids[0]!);
        expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'receiver answered 500', nextAttempt: now + 60_000 });
        // Not due yet, and it still holds back the resource's next change.
        expect((await outbox.claim('hook', now + 1, LEASE, 100)).map((d) => d.event.id)).not.toContain(ids[1]);
        expect((await outbox.claim('hook', now + 60_001, LEASE, 100)).map((d) => d.event.id)).toContain(ids[0]);
        await outbox.failed('hook', head!.event.seq, 'receiver answered 500', null);
        [row] = await outbox.deliveriesOf(ids[0]!);
        expect(row).toMatchObject({ status: 'dead', attempts: 2 });
        expect((await outbox.list({ status: 'dead', limit: 10 })).map((d) => d.event.id)).toEqual([ids[0]]);
        // A dead delivery no longer holds back the next change of its resource.
        expect((await outbox.claim('hook', now + 60_002, LEASE, 100)).map((d) => d.event.id)).toContain(ids[1]);

        expect(await outbox.redeliver(ids[0]!, now + 60_003)).toBe(1);
        [row] = await outbox.deliveriesOf(ids[0]!);
        expect(row).toMatchObject({ status: 'pending', attempts: 0, nextAttempt: now + 60_003 });
        expect(await outbox.redeliver(randomUUID(), now)).toBe(0);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await drop();
      }
    });

    it.runIf(engine.concurrent)('lets two replicas fan out and claim at once without taking the same row (SKIP LOCKED)', async () => {
      const { stores, drop } = await engine.open(2);
      const [a, b] = stores as [ResourceStore, ResourceStore];
      try {
        const events: string[] = [];
        for (let i = 0; i < 20; i++) events.push(...(await history(a, 0)));
        const taken = await Promise.all([a, b].flatMap((s) => [1, 2, 3].map(() => (s.outbox as Outbox).fanOut(['hook'], 3))));
        let total = taken.reduce((n, t) => n + t, 0);
        while ((await (a.outbox as Outbox).fanOut(['hook'], 100)) > 0) total++;
        for (const id of events) expect(await (a.outbox as Outbox).deliveriesOf(id)).toHaveLength(1);

        const now = Date.now();
        const claims = await Promise.all([a, b].flatMap((s) => [1, 2].map(() => (s.outbox as Outbox).claim('hook', now, LEASE, 5))));
        const seqs = claims.flat().map((d) => d.event.seq);
        expect(new Set(seqs).size).toBe(seqs.length);
        expect(total).toBeGreaterThan(0);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
        await drop();
      }
    });
  });
}

/** A session of its own that locks a table until `release`, the way a long transaction would. */
interface Locker {
  lock(table: string): Promise<void>;
  release(): Promise<void>;
}

const lockers: Record<string, { locker(url: URL): Promise<Locker>; store(url: URL): Promise<ResourceStore> }> = {
  PostgreSQL: {
    async locker(url) {
      const client = new pg.Client({ connectionString: url.href });
      await client.connect();
      return {
        lock: async (table) => void (await client.query(`BEGIN; LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`)),
        release: async () => {
          await client.query('ROLLBACK');
          await client.end();
        },
      };
    },
    store: (url) => openPostgresStore({ url, poolSize: 1, registry, migrationsDir: migrations('postgres', postgresMigrations) }),
  },
  MariaDB: {
    async locker(url) {
      const connection = await mysql.createConnection(url.href);
      return {
        lock: async (table) => void (await connection.query(`LOCK TABLES \`${table}\` WRITE`)),
        release: async () => {
          await connection.query('UNLOCK TABLES');
          await connection.end();
        },
      };
    },
    store: (url) => openMysqlStore({ url, poolSize: 1, registry, migrationsDir: migrations('mysql', mysqlMigrations) }),
  },
};

for (const [name, engine] of Object.entries(lockers)) {
  describe(`outbox on ${name}, its own connections`, { timeout: 30_000 }, () => {
    // The delivery loop's transactions do not wait for a pooled connection that requests hold:
    // with the one request connection stuck behind a lock, the outbox still fans out and claims.
    it('fans out and claims while every request connection is busy', async () => {
      const db = await (name === 'PostgreSQL' ? postgresDatabase() : mysqlDatabase());
      const url = new URL(db.env.DATABASE_URL!);
      const store = await engine.store(url);
      const locker = await engine.locker(url);
      let released = false;
      try {
        const events = await history(store, 1);
        const users = storagePlan(registry).tables.find((t) => t.resourceType === 'User')!.table;
        await locker.lock(users);
        // Holds the pool's only connection until the lock goes; a second read waits for the pool.
        const read = () => store.get(DEFAULT_TENANT, User, randomUUID(), { withMembers: false, withGroups: false });
        const stuck = [read(), read()];
        await new Promise((resolve) => setTimeout(resolve, 200));
        const outbox = store.outbox as Outbox;
        const within = <T>(work: Promise<T>) =>
          Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the outbox waited for a request connection')), 5000))]);
        expect(await within(outbox.fanOut(['hook'], 10))).toBe(events.length);
        const claimed = await within(outbox.claim('hook', Date.now(), LEASE, 10));
        expect(claimed.map((d) => d.event.id)).toEqual([events[0]]);
        await locker.release();
        released = true;
        await Promise.all(stuck);
      } finally {
        if (!released) await locker.release();
        await store.close();
        await db.cleanup();
      }
    });
  });
}
