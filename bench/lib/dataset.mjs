// The data a server is measured against, created over HTTP through the server's own SCIM API
// (concurrent POSTs and PATCHes, exactly what an identity provider sends), so seeding exercises
// the same validation, store and indexes as the measured requests.

import { inParallel } from './client.mjs';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Requests in flight while seeding. */
const SEED_CONCURRENCY = 32;
/** Members added per PATCH when filling the big group. */
const MEMBERS_PER_PATCH = 1000;
export const BIG_GROUP_SIZE = 10_000;
export const SMALL_GROUP_SIZE = 10;

export const userName = (n) => `user${n}@bench.example.com`;

/** A user as Okta provisions one: names, a work email, externalId, active. */
export function userBody(n, prefix = 'user') {
  const name = prefix === 'user' ? userName(n) : `${prefix}${n}@bench.example.com`;
  return {
    schemas: [USER_SCHEMA],
    userName: name,
    externalId: `ext-${prefix}-${n}`,
    name: { givenName: `Given${n}`, familyName: `Family${n}` },
    displayName: `Bench User ${n}`,
    emails: [{ value: name, type: 'work', primary: true }],
    active: true,
  };
}

export const patchBody = (operations) => ({ schemas: [PATCH_SCHEMA], Operations: operations });
export const addMembers = (ids) => patchBody([{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }]);

export class Dataset {
  /** Seeded users in creation order: { id, n } with userName(n). */
  users = [];
  /** Ids of users that are in no group: each member-add request takes a new one. */
  spare = [];
  bigGroup;
  smallGroup;
  /** Seconds spent seeding and the users/s achieved, per call of growTo. */
  seeding = [];
  #next = 0;

  /** `sqlSeeder` (sql-seed.mjs, `--seed-sql`): writes the users beyond the first 10,000 straight into the database. */
  constructor(client, sqlSeeder) {
    this.client = client;
    this.sqlSeeder = sqlSeeder;
  }

  async totalUsers() {
    return (await this.client.expect(200, 'GET', '/Users?count=0')).totalResults;
  }

  /** Creates users until the server holds `size`; the first call also creates both groups. */
  async growTo(size) {
    const started = performance.now();
    const missing = size - (await this.totalUsers());
    const direct = this.sqlSeeder && this.users.length >= BIG_GROUP_SIZE && missing > 0;
    const created = direct ? await this.seedDirectly(missing) : await this.createUsers(Math.max(0, missing));
    // One by one: a million arguments to push() overflow the stack.
    for (const user of created) this.users.push(user);
    if (!this.bigGroup) await this.createGroups();
    else for (const user of created) this.spare.push(user.id);
    const seconds = (performance.now() - started) / 1000;
    this.seeding.push({ size, created: created.length, seconds: round(seconds), perSecond: round(created.length / seconds), ...(direct ? { sql: true } : {}) });
    return { users: await this.totalUsers(), created: created.length };
  }

  async createUsers(count) {
    return inParallel(count, SEED_CONCURRENCY, async () => {
      const n = this.#next++;
      const { id } = await this.client.expect(201, 'POST', '/Users', userBody(n));
      return { id, n };
    });
  }

  async seedDirectly(count) {
    const first = this.#next;
    this.#next += count;
    return this.sqlSeeder.createUsers(first, count);
  }

  /** Users in no group, creating more when fewer than `count` are left. */
  async ensureSpare(count) {
    if (this.spare.length >= count) return;
    const created = await this.createUsers(count - this.spare.length);
    this.spare.push(...created.map((u) => u.id));
  }

  async createGroups() {
    const big = await this.client.expect(201, 'POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'bench-big' });
    const members = this.users.slice(0, BIG_GROUP_SIZE).map((u) => u.id);
    for (let start = 0; start < members.length; start += MEMBERS_PER_PATCH) {
      const chunk = members.slice(start, start + MEMBERS_PER_PATCH);
      // A membership PATCH answers 204 (no member list) unless ?attributes asks for the group.
      await this.client.expect(204, 'PATCH', `/Groups/${big.id}`, addMembers(chunk));
    }
    this.bigGroup = { id: big.id, members };
    const smallMembers = this.users.slice(0, SMALL_GROUP_SIZE).map((u) => u.id);
    const small = await this.client.expect(201, 'POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'bench-small',
      members: smallMembers.map((value) => ({ value })),
    });
    this.smallGroup = { id: small.id, members: smallMembers };
    // Users beyond the big group's members are in no group yet.
    this.spare.push(...this.users.slice(BIG_GROUP_SIZE).map((u) => u.id));
  }

  /** Puts a group back to the members it was created with (one PATCH replacing `members`). */
  async resetGroup(group) {
    const body = patchBody([{ op: 'replace', path: 'members', value: group.members.map((value) => ({ value })) }]);
    await this.client.expect(204, 'PATCH', `/Groups/${group.id}`, body);
  }

  /** Member count of a group (reads its member list: call it between runs, not during one). */
  async groupSize(id) {
    const group = await this.client.expect(200, 'GET', `/Groups/${id}?attributes=members`);
    return group.members?.length ?? 0;
  }

  randomUser() {
    return this.users[Math.floor(Math.random() * this.users.length)];
  }
}

const round = (x) => Math.round(x * 10) / 10;
