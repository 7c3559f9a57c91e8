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

/** Users in a page of the cursor and index walk scenarios. */
export const PAGE_SIZE = 100;
/** The deep scenarios take their pages from the last tenth of the table. */
const DEEP = 0.9;

/**
 * Walks every user with RFC 9865 cursors, one page after another as a client would, and keeps
 * each page's cursor with its depth, so the walk scenarios can ask for any page again (cursors
 * are stateless and stay valid for SCIM_CURSOR_TIMEOUT, 10 minutes). Checks that the walk saw
 * every user once. Reused while the table has not grown and the cursors are young.
 */
async function walkWithCursors(ctx) {
  const fresh = ctx.walk && ctx.walk.users === ctx.dataset.users.length && Date.now() - ctx.walk.at < 5 * 60_000;
  if (fresh) return ctx.walk;
  const pages = [];
  const seen = new Set();
  const started = performance.now();
  let cursor = '';
  let total = 0;
  while (cursor !== undefined) {
    const page = await ctx.client.expect(200, 'GET', `/Users?count=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}&attributes=userName`);
    pages.push({ cursor, depth: seen.size });
    for (const user of page.Resources ?? []) seen.add(user.id);
    total = page.totalResults;
    cursor = page.nextCursor;
  }
  const seconds = (performance.now() - started) / 1000;
  if (seen.size !== total) throw new Error(`the cursor walk saw ${seen.size} users of ${total}`);
  ctx.walk = { users: ctx.dataset.users.length, at: Date.now(), total, pages, seconds };
  ctx.log?.(`cursor walk: ${total} users in ${pages.length} pages of ${PAGE_SIZE}, ${seconds.toFixed(1)} s, ${((seconds * 1000) / pages.length).toFixed(1)} ms a page, one client`);
  return ctx.walk;
}

/** A page of the walk at random: from anywhere, or from the last tenth when `deep`. */
function randomPage(walk, deep) {
  const from = deep ? Math.floor(walk.pages.length * DEEP) : 0;
  return walk.pages[from + Math.floor(Math.random() * (walk.pages.length - from))];
}

const cursorPage = (ctx, deep) =>
  get(() => {
    const page = ctx.walk ? randomPage(ctx.walk, deep) : { cursor: '' };
    return `${ctx.base}/Users?count=${PAGE_SIZE}&cursor=${encodeURIComponent(page.cursor)}`;
  });

/** The same depths as cursorPage, by startIndex: the page that starts at a walk page's depth. */
const indexPage = (ctx, deep) =>
  get(() => {
    const page = ctx.walk ? randomPage(ctx.walk, deep) : { depth: 0 };
    return `${ctx.base}/Users?count=${PAGE_SIZE}&startIndex=${page.depth + 1}`;
  });

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
    name: 'cursor-walk',
    label: `GET /Users?count=${PAGE_SIZE}&cursor=… (a page of a cursor walk, any depth)`,
    kind: 'read',
    prepare: walkWithCursors,
    request: (ctx) => cursorPage(ctx, false),
    after: (ctx) => ({ walk: { users: ctx.walk.total, pages: ctx.walk.pages.length, seconds: ctx.walk.seconds } }),
  },
  {
    name: 'index-walk',
    label: `GET /Users?count=${PAGE_SIZE}&startIndex=… (the same depths by index)`,
    kind: 'read',
    prepare: walkWithCursors,
    request: (ctx) => indexPage(ctx, false),
  },
  {
    name: 'cursor-page-deep',
    label: 'a cursor page from the last tenth of the users',
    kind: 'read',
    prepare: walkWithCursors,
    request: (ctx) => cursorPage(ctx, true),
  },
  {
    name: 'index-page-deep',
    label: 'the same pages by startIndex',
    kind: 'read',
    prepare: walkWithCursors,
    request: (ctx) => indexPage(ctx, true),
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
