// /Users create, read, replace and delete (RFC 7644 §3.3, §3.4.1, §3.5.1, §3.6), including the
// rules identity providers depend on: case-insensitive userName uniqueness, password never
// returned, read-only input ignored, deactivated users still served.

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createUser,
  expectScimContentType,
  expectScimError,
  fetchResource,
  ids,
  newUser,
  URN,
  UUID,
  WEAK_ETAG,
} from './helpers/scim.js';

const { server, client } = useScimServer();

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('POST /Users', () => {
  it('answers 201 with the full resource as Okta sends it', async () => {
    const input = newUser();
    const res = await client.post('/Users', input);

    expect(res.status, res.text).toBe(201);
    expectScimContentType(res);
    expect(res.body.id).toMatch(UUID);
    expect(res.body.schemas).toContain(URN.user);
    expect(res.body).toMatchObject({
      userName: input.userName,
      name: input.name,
      emails: input.emails,
      displayName: input.displayName,
      locale: input.locale,
      externalId: input.externalId,
      active: true,
    });
  });

  it('sets Location to the absolute URL of the new resource, equal to meta.location', async () => {
    const res = await client.post('/Users', newUser());
    expect(res.headers.get('location')).toBe(`${server.baseUrl}/Users/${res.body.id}`);
    expect(res.body.meta.location).toBe(res.headers.get('location'));
  });

  it('sets a weak ETag equal to meta.version', async () => {
    const res = await client.post('/Users', newUser());
    expect(res.headers.get('etag')).toMatch(WEAK_ETAG);
    expect(res.body.meta.version).toBe(res.headers.get('etag'));
  });

  it('fills meta with resourceType and ISO 8601 timestamps', async () => {
    const before = Date.now();
    const { meta } = (await client.post('/Users', newUser())).body;
    expect(meta.resourceType).toBe('User');
    expect(meta.created).toMatch(ISO_DATE_TIME);
    expect(meta.lastModified).toMatch(ISO_DATE_TIME);
    expect(Date.parse(meta.created)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(meta.lastModified)).toBeGreaterThanOrEqual(Date.parse(meta.created));
  });

  it('ignores client-supplied id and meta (readOnly)', async () => {
    const res = await client.post(
      '/Users',
      newUser({
        id: 'chosen-by-client',
        meta: { created: '2001-01-01T00:00:00Z', resourceType: 'Group', version: 'W/"x"' },
      }),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body.id).toMatch(UUID);
    expect(res.body.meta.resourceType).toBe('User');
    expect(res.body.meta.created.startsWith('2001')).toBe(false);
    expect(res.body.meta.version).not.toBe('W/"x"');
  });

  it('ignores the readOnly groups attribute (Okta sends groups: [])', async () => {
    const res = await client.post(
      '/Users',
      newUser({ groups: [{ value: '2819c223-7f76-453a-919d-413861904646' }] }),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body.groups ?? []).toEqual([]);
  });

  it.each([
    { name: 'missing', userName: undefined },
    { name: 'empty', userName: '' },
    { name: 'null', userName: null },
  ])('refuses a $name userName with 400 invalidValue', async ({ userName }) => {
    // JSON.stringify drops the undefined key, so the first case sends no userName at all.
    expectScimError(await client.post('/Users', newUser({ userName })), 400, 'invalidValue');
  });

  it('refuses two primary emails with 400 invalidValue', async () => {
    const emails = [
      { value: 'one@example.com', type: 'work', primary: true },
      { value: 'two@example.com', type: 'home', primary: true },
    ];
    expectScimError(await client.post('/Users', newUser({ emails })), 400, 'invalidValue');
  });

  it('preserves the case of userName as sent', async () => {
    const userName = `Mixed.Case.${randomUUID()}@Example.COM`;
    const created = await createUser(client, { userName });
    expect(created.userName).toBe(userName);
    expect((await fetchResource(client, `/Users/${created.id}`)).userName).toBe(userName);
  });
});

describe('userName uniqueness', () => {
  it('answers 409 uniqueness to a second POST with the same userName', async () => {
    const input = newUser();
    expect((await client.post('/Users', input)).status).toBe(201);
    expectScimError(await client.post('/Users', newUser({ userName: input.userName })), 409, 'uniqueness');
  });

  it('treats userName case-insensitively (uppercased duplicate -> 409)', async () => {
    const input = newUser();
    expect((await client.post('/Users', input)).status).toBe(201);
    const upper = newUser({ userName: String(input.userName).toUpperCase() });
    expectScimError(await client.post('/Users', upper), 409, 'uniqueness');
  });

  it('answers 409 when PUT renames a user to a taken userName', async () => {
    const first = await createUser(client);
    const second = await createUser(client);
    const res = await client.put(`/Users/${second.id}`, newUser({ userName: first.userName.toUpperCase() }));
    expectScimError(res, 409, 'uniqueness');
  });

  it('frees the userName once the user is deleted', async () => {
    const input = newUser();
    const created = (await client.post('/Users', input)).body;
    expect((await client.delete(`/Users/${created.id}`)).status).toBe(204);
    expect((await client.post('/Users', input)).status).toBe(201);
  });
});

describe('password is write-only', () => {
  it('is accepted on create but absent from the response', async () => {
    const res = await client.post('/Users', newUser({ password: 'S3cret!pass' }));
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty('password');
    expect(res.text).not.toContain('S3cret!pass');
  });

  it('is absent from GET, list, and when asked for with attributes=password', async () => {
    const created = await createUser(client, { password: 'S3cret!pass' });
    const responses = [
      await client.get(`/Users/${created.id}`),
      await client.get(`/Users/${created.id}`, { query: { attributes: 'password' } }),
      await client.get('/Users', { query: { filter: `id eq "${created.id}"` } }),
      await client.get('/Users', {
        query: { filter: `id eq "${created.id}"`, attributes: 'password,userName' },
      }),
    ];
    for (const res of responses) {
      expect(res.status, res.text).toBe(200);
      expect(res.text).not.toContain('S3cret!pass');
      expect(res.text).not.toMatch(/"password"/);
    }
  });
});

describe('GET /Users/{id}', () => {
  it('returns the same representation POST returned', async () => {
    const created = await createUser(client);
    const res = await client.get(`/Users/${created.id}`);
    expect(res.status).toBe(200);
    expectScimContentType(res);
    expect(res.body).toEqual(created);
    expect(res.headers.get('etag')).toBe(created.meta.version);
  });

  it('answers 404 for an unknown id', async () => {
    expectScimError(await client.get('/Users/00919288221112222'), 404);
    expectScimError(await client.get(`/Users/${randomUUID()}`), 404);
  });

  it('matches ids case-sensitively', async () => {
    const created = await createUser(client);
    expectScimError(await client.get(`/Users/${created.id.toUpperCase()}`), 404);
  });
});

describe('PUT /Users/{id}', () => {
  it('replaces the resource: attributes left out are removed', async () => {
    const created = await createUser(client, { title: 'Engineer', nickName: 'Ada' });
    const replacement = newUser({ userName: created.userName, displayName: 'Ada King' });
    delete replacement.password;

    const res = await client.put(`/Users/${created.id}`, replacement);
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe('Ada King');
    expect(res.body).not.toHaveProperty('title');
    expect(res.body).not.toHaveProperty('nickName');

    const stored = await fetchResource(client, `/Users/${created.id}`);
    expect(stored).toEqual(res.body);
  });

  it('keeps id and meta.created and advances version and lastModified', async () => {
    const created = await createUser(client);
    const res = await client.put(`/Users/${created.id}`, newUser({ userName: created.userName }));
    expect(res.body.id).toBe(created.id);
    expect(res.body.meta.created).toBe(created.meta.created);
    expect(Date.parse(res.body.meta.lastModified)).toBeGreaterThanOrEqual(
      Date.parse(created.meta.lastModified),
    );
    expect(res.body.meta.version).not.toBe(created.meta.version);
    expect(res.headers.get('etag')).toBe(res.body.meta.version);
  });

  it('ignores a different id in the body (readOnly)', async () => {
    const created = await createUser(client);
    const res = await client.put(
      `/Users/${created.id}`,
      newUser({ userName: created.userName, id: randomUUID() }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.id).toBe(created.id);
  });

  it('refuses a replacement without userName with 400 invalidValue', async () => {
    const created = await createUser(client);
    const body = newUser();
    delete body.userName;
    expectScimError(await client.put(`/Users/${created.id}`, body), 400, 'invalidValue');
  });

  it('deactivates with active: false (Okta App Integration Wizard apps)', async () => {
    const created = await createUser(client);
    const res = await client.put(`/Users/${created.id}`, {
      ...newUser({ userName: created.userName }),
      active: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
  });

  it('answers 404 for an unknown id', async () => {
    expectScimError(await client.put(`/Users/${randomUUID()}`, newUser()), 404);
  });
});

describe('deactivated users', () => {
  it('stay retrievable and filterable with active false', async () => {
    const created = await createUser(client, { active: false });
    expect(created.active).toBe(false);

    expect((await fetchResource(client, `/Users/${created.id}`)).active).toBe(false);
    const list = await client.get('/Users', {
      query: { filter: `userName eq "${created.userName}" and active eq false` },
    });
    expect(ids(list)).toEqual([created.id]);
  });
});

describe('DELETE /Users/{id}', () => {
  it('answers 204 with no body, then the user is gone', async () => {
    const created = await createUser(client);
    const res = await client.delete(`/Users/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');

    expectScimError(await client.get(`/Users/${created.id}`), 404);
    const list = await client.get('/Users', { query: { filter: `userName eq "${created.userName}"` } });
    expect(list.body.totalResults).toBe(0);
  });

  it('answers 404 to a second DELETE', async () => {
    const created = await createUser(client);
    expect((await client.delete(`/Users/${created.id}`)).status).toBe(204);
    expectScimError(await client.delete(`/Users/${created.id}`), 404);
  });
});
