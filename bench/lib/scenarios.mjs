// What is measured: each scenario is one kind of request an identity provider sends, built per
// request by autocannon's setupRequest so every request names a different user.

import { addMembers, patchBody, userBody, userName } from './dataset.mjs';

/** A created resource's id, read from the response without parsing all of it. */
const ID = /"id":"([^"]+)"/;
let posted = 0;
let bulked = 0;

/** Operations in one /Bulk request of the `bulk-create` scenario. */
export const BULK_SIZE = 100;

const get = (path) => ({ method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) });
const send = (method, path, body) => ({
  method,
  setupRequest: (req) => ({ ...req, path: path(), body: JSON.stringify(body()) }),
});

/**
 * One new member per request: the next user in `spare` from `cursor`. Running out would turn
 * requests into no-op re-adds, so that is recorded and reported rather than hidden.
 */
function memberAdd(ctx, group, cursor, query = '') {
  return send(
    'PATCH',
    () => `${ctx.base}/Groups/${group().id}${query}`,
    () => {
      const spare = ctx.dataset.spare;
      if (cursor.next >= spare.length) cursor.exhausted = true;
      return addMembers([spare[cursor.next++ % spare.length]]);
    },
  );
}

/** Enough users in no group for one run of an add scenario, estimated from this phase's PATCH rate. */
async function reserveSpare(ctx) {
  const rate = ctx.rateOf('patch-active') ?? 3000;
  await ctx.dataset.ensureSpare(Math.ceil(rate * ctx.secondsPerRun * 1.5) + 1000);
}

/**
 * Before every run of an add scenario: the group back to its original members, so it has its
 * nominal size when the run starts, and the run's adds take spare users from the start again.
 */
async function resetGroup(ctx, group, cursor) {
  await ctx.dataset.resetGroup(group);
  cursor.next = 0;
}

export const scenarios = [
  {
    name: 'get-user',
    label: 'GET /Users/{id}',
    kind: 'read',
    request: (ctx) => get(() => `${ctx.base}/Users/${ctx.dataset.randomUser().id}`),
  },
  {
    name: 'filter-userName',
    label: 'GET /Users?filter=userName eq "…"',
    kind: 'read',
    request: (ctx) =>
      get(() => `${ctx.base}/Users?filter=${encodeURIComponent(`userName eq "${userName(ctx.dataset.randomUser().n)}"`)}`),
  },
  {
    name: 'list-page',
    label: 'GET /Users?count=100 (a page of 100)',
    kind: 'read',
    request: (ctx) => get(() => `${ctx.base}/Users?count=100`),
  },
  {
    name: 'get-group',
    label: 'GET /Groups/{10,000-member group}?excludedAttributes=members',
    kind: 'read',
    request: (ctx) => get(() => `${ctx.base}/Groups/${ctx.dataset.bigGroup.id}?excludedAttributes=members`),
  },
  {
    name: 'post-user',
    label: 'POST /Users',
    kind: 'write',
    request: (ctx) => ({
      ...send('POST', () => `${ctx.base}/Users`, () => userBody(posted++, 'post')),
      // The users created here are in no group: later member adds take them.
      onResponse: (status, body) => {
        if (status === 201) ctx.dataset.spare.push(ID.exec(body)?.[1]);
      },
    }),
  },
  {
    name: 'bulk-create',
    label: `POST /Bulk of ${BULK_SIZE} user creates (compare users/s with POST /Users)`,
    kind: 'write',
    // Each request creates this many users: the report's users/s is req/s times this.
    perRequest: BULK_SIZE,
    // 50 connections each with 100 creates in flight: a request takes seconds, so runs shorter
    // than this complete too few of them to count (--quick's 3 s completes none).
    minSeconds: 20,
    request: (ctx) =>
      send(
        'POST',
        () => `${ctx.base}/Bulk`,
        () => ({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
          Operations: Array.from({ length: BULK_SIZE }, () => {
            const n = bulked++;
            return { method: 'POST', path: '/Users', bulkId: `u${n}`, data: userBody(n, 'bulk') };
          }),
        }),
      ),
  },
  {
    name: 'patch-active',
    label: 'PATCH /Users/{id} active',
    kind: 'write',
    request: (ctx) =>
      send(
        'PATCH',
        () => `${ctx.base}/Users/${ctx.dataset.randomUser().id}`,
        () => patchBody([{ op: 'replace', path: 'active', value: Math.random() < 0.5 }]),
      ),
  },
  {
    name: 'add-member-big',
    // As Okta and Entra ID send it: no query string, answered 204.
    label: 'PATCH add 1 member to the 10,000-member group, as Okta and Entra ID send it',
    kind: 'write',
    prepare: reserveSpare,
    beforeRun: (ctx) => resetGroup(ctx, ctx.dataset.bigGroup, ctx.bigCursor),
    request: (ctx) => memberAdd(ctx, () => ctx.dataset.bigGroup, ctx.bigCursor),
    after: async (ctx) => ({ groupSize: await ctx.dataset.groupSize(ctx.dataset.bigGroup.id) }),
  },
  {
    name: 'add-member-small',
    label: 'the same add to the 10-member group',
    kind: 'write',
    prepare: reserveSpare,
    beforeRun: (ctx) => resetGroup(ctx, ctx.dataset.smallGroup, ctx.smallCursor),
    request: (ctx) => memberAdd(ctx, () => ctx.dataset.smallGroup, ctx.smallCursor),
    after: async (ctx) => ({ groupSize: await ctx.dataset.groupSize(ctx.dataset.smallGroup.id) }),
  },
  {
    name: 'add-member-big-full',
    label: 'the big-group add with ?attributes=members, answered with every member (5 connections)',
    kind: 'write',
    // Each answer carries 10,000+ members: at 50 connections a request would queue for seconds.
    connections: 5,
    prepare: reserveSpare,
    beforeRun: (ctx) => resetGroup(ctx, ctx.dataset.bigGroup, ctx.bigCursor),
    request: (ctx) => memberAdd(ctx, () => ctx.dataset.bigGroup, ctx.bigCursor, '?attributes=members'),
  },
];
