// Cursor pagination (RFC 9865) beside index paging: what ServiceProviderConfig advertises, a walk
// with nextCursor that sees every user once while users come and go, the same on
// POST /.search, and the SCIM errors for cursors this server did not issue for the query.
// This file's server holds only the users created below, so counts are exact.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { createUser, expectScimContentType, expectScimError, searchRequest, sleep, URN, type Json } from './helpers/scim.js';

const { client } = useScimServer();
const tag = randomUUID().slice(0, 8);
const TOTAL = 9;
let created: Json[] = [];

beforeAll(async () => {
  created = [];
  for (const letter of ['G', 'c', 'E', 'a', 'f', 'B', 'd', 'i', 'H']) {
    created.push(await createUser(client, { userName: `${letter}-${tag}@example.com`, title: 'Walked' }));
  }
});

/** Follows nextCursor from an empty cursor to the last page; returns the pages' userNames. */
async function walk(query: Record<string, string | number>, between?: () => Promise<void>): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor = '';
  for (;;) {
    const res = await client.get('/Users', { query: { ...query, cursor } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.startIndex).toBeUndefined();
    pages.push(res.body.Resources.map((r: Json) => r.userName));
    if (res.body.nextCursor === undefined) return pages;
    expect(res.body.nextCursor).toMatch(/^[A-Za-z0-9._~-]+$/);
    cursor = res.body.nextCursor;
    await between?.();
    if (pages.length > 50) throw new Error('the walk does not end');
  }
}

describe('ServiceProviderConfig pagination (RFC 9865 §4)', () => {
  it('advertises cursor and index paging, index by default, with page sizes and the cursor timeout', async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(res.status).toBe(200);
    const { pagination } = res.body;
    expect(pagination).toMatchObject({ cursor: true, index: true, defaultPaginationMethod: 'index' });
    for (const field of ['defaultPageSize', 'maxPageSize', 'cursorTimeout']) {
      expect(Number.isInteger(pagination[field]) && pagination[field] > 0, field).toBe(true);
    }
  });
});

describe('a cursor walk', () => {
  it('starts with an empty cursor and follows nextCursor to a last page without one', async () => {
    const first = await client.get('/Users', { query: { cursor: '', count: 4 } });
    expect(first.status).toBe(200);
    expectScimContentType(first);
    expect(first.body).toMatchObject({ schemas: [URN.listResponse], totalResults: TOTAL, itemsPerPage: 4 });
    expect(typeof first.body.nextCursor).toBe('string');
    expect(first.body.previousCursor).toBeUndefined();
    const pages = await walk({ count: 4 });
    expect(pages.map((p) => p.length)).toEqual([4, 4, 1]);
    expect(new Set(pages.flat()).size).toBe(TOTAL);
  });

  it('sorts as index paging does, in both orders, with a filter', async () => {
    for (const sortOrder of ['ascending', 'descending']) {
      const query = { filter: `title eq "Walked"`, sortBy: 'userName', sortOrder };
      const indexed = await client.get('/Users', { query: { ...query, count: 100 } });
      const all = indexed.body.Resources.map((r: Json) => r.userName);
      expect((await walk({ ...query, count: 2 })).flat()).toEqual(all);
    }
  });

  it('sees every user present throughout exactly once while users are created and deleted', async () => {
    const doomed = [...created].reverse().slice(0, 3);
    const stable = created.filter((u) => !doomed.includes(u)).map((u) => u.userName as string);
    const added: Json[] = [];
    const pages = await walk({ sortBy: 'userName', count: 2 }, async () => {
      const gone = doomed.shift();
      if (gone) expect((await client.delete(`/Users/${gone.id}`)).status).toBe(204);
      added.push(await createUser(client, { userName: `0-${randomUUID()}@example.com` }));
      added.push(await createUser(client, { userName: `z-${randomUUID()}@example.com` }));
    });
    const seen = pages.flat();
    expect(new Set(seen).size).toBe(seen.length);
    for (const userName of stable) expect(seen).toContain(userName);
    for (const user of added) expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    created = created.filter((u) => stable.includes(u.userName));
  });

  it('walks on POST /Users/.search with cursor and count in the body', async () => {
    const body = { filter: 'title eq "Walked"', sortBy: 'userName', count: 2 };
    const seen: string[] = [];
    let cursor = '';
    for (let i = 0; i < 20; i++) {
      const res = await client.post('/Users/.search', searchRequest({ ...body, cursor }));
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.Resources.map((r: Json) => r.userName));
      if (res.body.nextCursor === undefined) break;
      cursor = res.body.nextCursor;
    }
    expect(seen).toHaveLength(created.length);
    expect(new Set(seen).size).toBe(created.length);
  });

  it('leaves index paging as it was: startIndex, no nextCursor', async () => {
    const res = await client.get('/Users', { query: { startIndex: 2, count: 2 } });
    expect(res.status).toBe(200);
    expect(res.body.startIndex).toBe(2);
    expect(res.body.nextCursor).toBeUndefined();
  });
});

describe('bad cursors (RFC 9865 §2.1)', () => {
  let cursor = '';
  beforeAll(async () => {
    const res = await client.get('/Users', { query: { cursor: '', count: 1, sortBy: 'userName' } });
    cursor = res.body.nextCursor;
  });

  it('refuses an altered cursor with 400 invalidCursor', async () => {
    const altered = (cursor[0] === 'A' ? 'B' : 'A') + cursor.slice(1);
    expectScimError(await client.get('/Users', { query: { cursor: altered, count: 1, sortBy: 'userName' } }), 400, 'invalidCursor');
    expectScimError(await client.get('/Users', { query: { cursor: 'not-a-cursor', count: 1 } }), 400, 'invalidCursor');
  });

  it('refuses a cursor from another query or resource type with 400 invalidCursor', async () => {
    expectScimError(await client.get('/Users', { query: { cursor, count: 1, sortBy: 'title' } }), 400, 'invalidCursor');
    expectScimError(await client.get('/Users', { query: { cursor, count: 1, sortBy: 'userName', filter: 'title pr' } }), 400, 'invalidCursor');
    expectScimError(await client.get('/Groups', { query: { cursor, count: 1, sortBy: 'userName' } }), 400, 'invalidCursor');
  });

  it('refuses count=0 with a cursor with 400 invalidCount', async () => {
    expectScimError(await client.get('/Users', { query: { cursor: '', count: 0 } }), 400, 'invalidCount');
  });

  it('refuses cursor together with startIndex with 400 invalidValue (RFC 9865 leaves it undefined)', async () => {
    expectScimError(await client.get('/Users', { query: { cursor: '', startIndex: 1 } }), 400, 'invalidValue');
    expectScimError(await client.post('/Users/.search', searchRequest({ cursor: '', startIndex: 1 })), 400, 'invalidValue');
  });

  it('refuses a cursor on the root POST /.search, which pages several types as one list', async () => {
    expectScimError(await client.post('/.search', searchRequest({ cursor: '' })), 400, 'invalidCursor');
  });
});

describe('cursor timeout', () => {
  const short = useScimServer({ SCIM_CURSOR_TIMEOUT: '1' });

  it('refuses a cursor older than cursorTimeout with 400 expiredCursor', async () => {
    await createUser(short.client);
    await createUser(short.client);
    const first = await short.client.get('/Users', { query: { cursor: '', count: 1 } });
    expect((await short.client.get('/ServiceProviderConfig')).body.pagination.cursorTimeout).toBe(1);
    await sleep(2100);
    expectScimError(await short.client.get('/Users', { query: { cursor: first.body.nextCursor, count: 1 } }), 400, 'expiredCursor');
  });
});
