// Listing (RFC 7644 §3.4.2): ListResponse shape, 1-based paging that is stable across pages,
// sorting, attribute projection honouring `returned`, and POST /.search.
// This file's server holds only the users and group created below, so counts are exact.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimContentType,
  expectScimError,
  ids,
  resources,
  searchRequest,
  URN,
  type Json,
} from './helpers/scim.js';

const { server, client } = useScimServer();
const tag = randomUUID().slice(0, 8);
const TOTAL = 7;
let created: Json[] = [];

beforeAll(async () => {
  // userNames in a known order that differs from creation order, so sorting is observable;
  // mixed case, because userName (caseExact false) sorts case-insensitively.
  const letters = ['G', 'c', 'E', 'a', 'f', 'B', 'd'];
  created = [];
  for (const letter of letters) {
    created.push(
      await createUser(client, {
        userName: `${letter}-${tag}@example.com`,
        name: { givenName: letter.toUpperCase(), familyName: `Family-${letter.toLowerCase()}` },
        title: 'Listed',
      }),
    );
  }
});

/** Ids in case-insensitive userName order. */
const byUserName = () =>
  [...created]
    .sort((a, b) => (a.userName.toLowerCase() < b.userName.toLowerCase() ? -1 : 1))
    .map((u) => u.id as string);

describe('ListResponse', () => {
  it('has the ListResponse schema and integer counts', async () => {
    const res = await client.get('/Users');
    expect(res.status).toBe(200);
    expectScimContentType(res);
    expect(res.body.schemas).toEqual([URN.listResponse]);
    expect(res.body.totalResults).toBe(TOTAL);
    expect(res.body.startIndex).toBe(1);
    expect(res.body.itemsPerPage).toBe(TOTAL);
    expect(res.body.Resources).toHaveLength(TOTAL);
  });

  it('answers an empty result with totalResults 0 (not 404)', async () => {
    const res = await client.get('/Users', { query: { filter: `userName eq "${randomUUID()}"` } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ schemas: [URN.listResponse], totalResults: 0, startIndex: 1 });
    expect(resources(res)).toEqual([]);
  });

  it('lists resources with id, schemas and meta', async () => {
    for (const resource of resources(await client.get('/Users'))) {
      expect(resource.schemas).toContain(URN.user);
      expect(resource.meta.resourceType).toBe('User');
      expect(resource.meta.location).toBe(`${server.baseUrl}/Users/${resource.id}`);
    }
  });
});

describe('paging', () => {
  it('returns count resources from startIndex (1-based)', async () => {
    const all = ids(await client.get('/Users'));
    const res = await client.get('/Users', { query: { startIndex: 3, count: 2 } });
    expect(res.body).toMatchObject({ totalResults: TOTAL, startIndex: 3, itemsPerPage: 2 });
    expect(ids(res)).toEqual(all.slice(2, 4));
  });

  it('visits every resource exactly once when paging through', async () => {
    const seen: string[] = [];
    for (let startIndex = 1; startIndex <= TOTAL; startIndex += 2) {
      const res = await client.get('/Users', { query: { startIndex, count: 2 } });
      expect(res.body.totalResults).toBe(TOTAL);
      expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
      seen.push(...ids(res));
    }
    expect(seen).toHaveLength(TOTAL);
    expect([...seen].sort()).toEqual(created.map((u) => u.id).sort());
  });

  it('keeps the same order on repeated requests', async () => {
    const first = ids(await client.get('/Users', { query: { startIndex: 1, count: 100 } }));
    const second = ids(await client.get('/Users', { query: { startIndex: 1, count: 100 } }));
    expect(second).toEqual(first);
  });

  it.each([0, -5])('treats startIndex=%i as 1', async (startIndex) => {
    const res = await client.get('/Users', { query: { startIndex, count: 3 } });
    expect(res.status).toBe(200);
    expect(res.body.startIndex).toBe(1);
    expect(res.body.Resources).toHaveLength(3);
  });

  it('returns no resources past the end, with the right totalResults', async () => {
    const res = await client.get('/Users', { query: { startIndex: TOTAL + 10 } });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(TOTAL);
    expect(res.body.itemsPerPage).toBe(0);
    expect(resources(res)).toEqual([]);
  });

  it.each([0, -1])('count=%i returns only totalResults', async (count) => {
    const res = await client.get('/Users', { query: { count } });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(TOTAL);
    expect(res.body.itemsPerPage).toBe(0);
    expect(resources(res)).toEqual([]);
  });

  it('caps a count above filter.maxResults instead of refusing it', async () => {
    const config = (await client.get('/ServiceProviderConfig')).body;
    const res = await client.get('/Users', { query: { count: config.filter.maxResults + 1000 } });
    expect(res.status).toBe(200);
    expect(res.body.itemsPerPage).toBeLessThanOrEqual(config.filter.maxResults);
    expect(res.body.Resources).toHaveLength(Math.min(TOTAL, config.filter.maxResults));
  });

  it("answers Okta's first import page (startIndex=1&count=100)", async () => {
    const res = await client.get('/Users', { query: { startIndex: 1, count: 100 } });
    expect(res.body).toMatchObject({ totalResults: TOTAL, startIndex: 1, itemsPerPage: TOTAL });
  });
});

describe('sorting', () => {
  it('sortBy=userName sorts ascending by default, ignoring case', async () => {
    const res = await client.get('/Users', { query: { sortBy: 'userName' } });
    expect(ids(res)).toEqual(byUserName());
  });

  it('sortOrder=descending reverses it', async () => {
    const res = await client.get('/Users', { query: { sortBy: 'userName', sortOrder: 'descending' } });
    expect(ids(res)).toEqual(byUserName().reverse());
  });

  it('sorts by a sub-attribute and pages the sorted list', async () => {
    const res = await client.get('/Users', { query: { sortBy: 'name.familyName', startIndex: 2, count: 3 } });
    expect(ids(res)).toEqual(byUserName().slice(1, 4));
  });

  it('accepts sortBy in any case', async () => {
    const res = await client.get('/Users', { query: { sortBy: 'USERNAME', sortOrder: 'ascending' } });
    expect(ids(res)).toEqual(byUserName());
  });
});

describe('attributes and excludedAttributes', () => {
  it('attributes=userName returns only userName plus id and schemas', async () => {
    const res = await client.get('/Users', { query: { attributes: 'userName' } });
    expect(res.body.Resources).toHaveLength(TOTAL);
    for (const resource of res.body.Resources) {
      expect(Object.keys(resource).sort()).toEqual(['id', 'schemas', 'userName']);
    }
  });

  it('attributes=name.givenName returns only that sub-attribute', async () => {
    const user = created[0];
    const res = await client.get(`/Users/${user.id}`, { query: { attributes: 'name.givenName' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      schemas: res.body.schemas,
      id: user.id,
      name: { givenName: user.name.givenName },
    });
  });

  it('attribute names in attributes are case-insensitive', async () => {
    const res = await client.get(`/Users/${created[0].id}`, {
      query: { attributes: 'USERNAME,Name.FamilyName' },
    });
    expect(res.body.userName).toBe(created[0].userName);
    expect(res.body.name).toEqual({ familyName: created[0].name.familyName });
    expect(res.body).not.toHaveProperty('emails');
  });

  it('excludedAttributes removes the named attributes only', async () => {
    const res = await client.get(`/Users/${created[0].id}`, { query: { excludedAttributes: 'emails,name' } });
    expect(res.body).not.toHaveProperty('emails');
    expect(res.body).not.toHaveProperty('name');
    expect(res.body.userName).toBe(created[0].userName);
    expect(res.body.meta).toBeDefined();
  });

  it('never excludes id or schemas (returned "always")', async () => {
    const res = await client.get(`/Users/${created[0].id}`, {
      query: { excludedAttributes: 'id,schemas,userName' },
    });
    expect(res.body.id).toBe(created[0].id);
    expect(res.body.schemas).toContain(URN.user);
    expect(res.body).not.toHaveProperty('userName');
  });

  it('never returns password, even when asked for', async () => {
    const res = await client.get('/Users', { query: { attributes: 'password' } });
    for (const resource of res.body.Resources) {
      expect(Object.keys(resource).sort()).toEqual(['id', 'schemas']);
    }
  });

  it('applies to the response of POST', async () => {
    const res = await client.post(
      '/Users',
      { schemas: [URN.user], userName: `projected-${tag}@example.com`, title: 'x' },
      { query: { attributes: 'userName' } },
    );
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['id', 'schemas', 'userName']);
    expect((await client.delete(`/Users/${res.body.id}`)).status).toBe(204);
  });

  it('excludedAttributes=members omits group members', async () => {
    const group = await createGroup(client, { members: [{ value: created[0].id }] });
    const res = await client.get('/Groups', { query: { excludedAttributes: 'members' } });
    const listed = resources(res).find((g) => g.id === group.id);
    expect(listed.displayName).toBe(group.displayName);
    expect(listed).not.toHaveProperty('members');
    expect((await client.delete(`/Groups/${group.id}`)).status).toBe(204);
  });
});

describe('POST /.search', () => {
  it('on /Users filters, sorts, pages and projects like GET', async () => {
    const res = await client.post(
      '/Users/.search',
      searchRequest({
        filter: 'title eq "Listed"',
        sortBy: 'userName',
        sortOrder: 'descending',
        startIndex: 1,
        count: 2,
        attributes: ['userName'],
      }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({
      schemas: [URN.listResponse],
      totalResults: TOTAL,
      startIndex: 1,
      itemsPerPage: 2,
    });
    expect(ids(res)).toEqual(byUserName().reverse().slice(0, 2));
    expect(Object.keys(res.body.Resources[0]).sort()).toEqual(['id', 'schemas', 'userName']);
  });

  it('honours excludedAttributes', async () => {
    const res = await client.post('/Users/.search', searchRequest({ excludedAttributes: ['emails'] }));
    expect(res.status).toBe(200);
    for (const resource of res.body.Resources) expect(resource).not.toHaveProperty('emails');
  });

  it('at the root searches every resource type', async () => {
    const shared = `Shared ${tag}`;
    const user = await createUser(client, { displayName: shared });
    const group = await createGroup(client, { displayName: shared });

    const res = await client.post('/.search', searchRequest({ filter: `displayName eq "${shared}"` }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.totalResults).toBe(2);
    const found = resources(res).map((r) => [r.meta.resourceType, r.id]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['User', user.id],
        ['Group', group.id],
      ]),
    );

    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await client.delete(`/Groups/${group.id}`)).status).toBe(204);
  });

  it('refuses a body that is not a SearchRequest object', async () => {
    expectScimError(await client.post('/Users/.search', ['filter']), 400);
  });
});
