// The REST API facade example (src/store/rest-api-store.example.ts) proven end to end: the real
// server runs on it, the way it would once src/store/index.ts returns it, against a small fake of
// the user service it assumes, and an identity provider's requests reach that service mapped.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppUser, AppUserFields } from '../src/store/rest-api-store.example.js';
import { startServer, useScimServer } from './helpers/server.js';
import { expectScimError, newGroup, newUser, patchOp, URN } from './helpers/scim.js';

// Swaps the store exactly as the comment in src/store/index.ts describes.
vi.mock('../src/store/index.js', async () => {
  const { createRestApiStore } = await import('../src/store/rest-api-store.example.js');
  return { createStore: createRestApiStore };
});

const API_TOKEN = randomUUID();

/** A fake of the user service: the API the example's header describes, users in a Map. */
async function startUserService() {
  const users = new Map<string, AppUser>();
  let nextId = 1;
  const loginTaken = (login: string, except?: string) =>
    [...users.values()].some((u) => u.id !== except && u.login.toLowerCase() === login.toLowerCase());
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const fail = (res: ServerResponse, status: number, code: string) => send(res, status, { error: { code, message: code } });
  const readBody = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return JSON.parse(text) as AppUserFields;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization !== `Bearer ${API_TOKEN}`) return fail(res, 401, 'unauthorized');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [, collection, id] = url.pathname.split('/');
    if (collection !== 'users') return fail(res, 404, 'no_route');

    if (id === undefined) {
      if (req.method === 'POST') {
        const fields = await readBody(req);
        if (loginTaken(fields.login)) return fail(res, 409, 'login_taken');
        const now = new Date().toISOString();
        const user: AppUser = { ...fields, id: `usr_${nextId++}`, revision: 1, createdAt: now, updatedAt: now };
        users.set(user.id, user);
        return send(res, 201, user);
      }
      const q = url.searchParams;
      const found = [...users.values()].filter(
        (u) =>
          (!q.has('login') || u.login.toLowerCase() === q.get('login')!.toLowerCase()) &&
          (!q.has('email') || u.email?.toLowerCase() === q.get('email')!.toLowerCase()) &&
          (!q.has('externalId') || u.externalId === q.get('externalId')),
      );
      const offset = Number(q.get('offset') ?? 0);
      const limit = Number(q.get('limit') ?? 50);
      return send(res, 200, { users: found.slice(offset, offset + limit), total: found.length });
    }

    const user = users.get(id);
    if (!user) return fail(res, 404, 'not_found');
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== `"${user.revision}"`) return fail(res, 412, 'stale_revision');
    if (req.method === 'GET') return send(res, 200, user);
    if (req.method === 'DELETE') {
      users.delete(id);
      return send(res, 204);
    }
    if (req.method === 'PATCH') {
      const fields = await readBody(req);
      if (loginTaken(fields.login, id)) return fail(res, 409, 'login_taken');
      const updated: AppUser = { ...user, ...fields, revision: user.revision + 1, updatedAt: new Date().toISOString() };
      users.set(id, updated);
      return send(res, 200, updated);
    }
    return fail(res, 405, 'method_not_allowed');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => fail(res, 500, 'internal'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    users,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let api: Awaited<ReturnType<typeof startUserService>>;

beforeAll(async () => {
  api = await startUserService();
});

afterAll(async () => {
  await api?.close();
});

// Registered after the user service's hooks: it starts once api.url is known, and closes first.
const { client } = useScimServer(() => ({ API_BASE_URL: api.url, API_TOKEN }));

describe('a SCIM facade over an existing REST API', () => {
  let id: string;
  const body = newUser();

  it('POST /Users creates the user in the service, with its own field names', async () => {
    const res = await client.post('/Users', body);
    expect(res.status, res.text).toBe(201);
    id = res.body.id;
    expect(api.users.get(id)).toMatchObject({
      login: body.userName,
      email: body.userName,
      firstName: 'Ada',
      lastName: 'Lovelace',
      displayName: 'Ada Lovelace',
      enabled: true,
      externalId: body.externalId,
      revision: 1,
    });
    expect(res.body).toMatchObject({
      schemas: [URN.user],
      id,
      userName: body.userName,
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: body.userName, type: 'work', primary: true }],
      active: true,
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(res.body).not.toHaveProperty('password');
  });

  it('GET /Users/{id} reads it from the service', async () => {
    const res = await client.get(`/Users/${id}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id, userName: body.userName, externalId: body.externalId });
    expect(res.headers.get('etag')).toBe('W/"1"');
  });

  it('filters by userName eq (case-insensitively, like SCIM) and by externalId eq', async () => {
    for (const filter of [`userName eq "${String(body.userName).toUpperCase()}"`, `externalId eq "${body.externalId}"`]) {
      const res = await client.get('/Users', { query: { filter } });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ totalResults: 1, Resources: [{ id }] });
    }
    const none = await client.get('/Users', { query: { filter: 'userName eq "nobody@example.com"' } });
    expect(none.body).toMatchObject({ totalResults: 0 });
  });

  it('answers a filter the service cannot do with 400 invalidFilter saying which it can', async () => {
    const res = await client.get('/Users', { query: { filter: 'title sw "Chief"' } });
    expectScimError(res, 400, 'invalidFilter');
    expect(res.body.detail).toMatch(/userName eq/);
  });

  it('refuses a second user with the same userName in another case with 409 uniqueness', async () => {
    const res = await client.post('/Users', newUser({ userName: String(body.userName).toUpperCase() }));
    expectScimError(res, 409, 'uniqueness');
  });

  it("PATCH active false (Okta's deactivation) disables the user in the service", async () => {
    const res = await client.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ id, active: false, meta: { version: 'W/"2"' } });
    expect(api.users.get(id)).toMatchObject({ enabled: false, login: body.userName, revision: 2 });
  });

  it('passes If-Match through: a stale version is 412', async () => {
    const res = await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'A. L.' }), {
      headers: { 'If-Match': 'W/"1"' },
    });
    expectScimError(res, 412);
    expect(api.users.get(id)?.displayName).toBe('Ada Lovelace');
  });

  it('keeps no groups: lists none and refuses to create one with 501', async () => {
    const list = await client.get('/Groups', { query: { filter: 'displayName eq "Admins"' } });
    expect(list.status, list.text).toBe(200);
    expect(list.body).toMatchObject({ totalResults: 0 });
    expectScimError(await client.post('/Groups', newGroup()), 501);
  });

  it('DELETE /Users/{id} deletes the user in the service; then 404', async () => {
    const res = await client.delete(`/Users/${id}`);
    expect(res.status, res.text).toBe(204);
    expect(api.users.has(id)).toBe(false);
    expectScimError(await client.get(`/Users/${id}`), 404);
    expectScimError(await client.delete(`/Users/${id}`), 404);
  });

  it('answers 503 while the service is down', async () => {
    await api.close();
    expectScimError(await client.get('/Users', { query: { filter: 'userName eq "x@example.com"' } }), 503);
    expectScimError(await client.post('/Users', newUser()), 503);
  });
});

describe('starting without the service', () => {
  it('stops with a message naming the variable when API_BASE_URL is wrong', async () => {
    await expect(startServer({ API_BASE_URL: 'not a url', API_TOKEN })).rejects.toThrow(/API_BASE_URL/);
  });

  it('stops with a clear message when the service cannot be reached', async () => {
    const closed = await startUserService();
    await closed.close();
    await expect(startServer({ API_BASE_URL: closed.url, API_TOKEN })).rejects.toThrow(
      /Cannot reach the user service at .*: The user service is unreachable/,
    );
  });
});
