// ETags and conditional requests (RFC 7644 §3.14): a weak ETag on every single-resource
// response equal to meta.version; If-None-Match -> 304; a stale If-Match -> 412.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimError,
  fetchResource,
  newUser,
  patchOp,
  WEAK_ETAG,
  type Json,
} from './helpers/scim.js';

const { client } = useScimServer();

/** A user whose stored version has moved on from the returned `stale` one. */
async function userWithStaleVersion(): Promise<{ user: Json; stale: string; current: string }> {
  const user = await createUser(client);
  const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'v2' }));
  expect(res.status).toBe(200);
  return { user, stale: user.meta.version, current: res.headers.get('etag') ?? '' };
}

describe('ETag header', () => {
  it('is weak and equal to meta.version on GET, POST, PUT and PATCH', async () => {
    const posted = await client.post('/Users', newUser());
    const id = posted.body.id as string;
    const got = await client.get(`/Users/${id}`);
    const put = await client.put(`/Users/${id}`, newUser({ userName: posted.body.userName }));
    const patched = await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }));

    for (const res of [posted, got, put, patched]) {
      expect(res.headers.get('etag')).toMatch(WEAK_ETAG);
      expect(res.headers.get('etag')).toBe(res.body.meta.version);
    }
  });

  it('changes with every modification and not otherwise', async () => {
    const user = await createUser(client);
    const again = await client.get(`/Users/${user.id}`);
    expect(again.headers.get('etag')).toBe(user.meta.version);

    const changed = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'x' }),
    );
    expect(changed.headers.get('etag')).not.toBe(user.meta.version);
  });

  it('is on groups too', async () => {
    const group = await createGroup(client);
    const res = await client.get(`/Groups/${group.id}`);
    expect(res.headers.get('etag')).toMatch(WEAK_ETAG);
    expect(res.headers.get('etag')).toBe(group.meta.version);
  });

  it("changes on a group when one of its members is deleted, since its member list did", async () => {
    const user = await createUser(client);
    const group = await createGroup(client, { members: [{ value: user.id }] });
    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    const stale = await client.get(`/Groups/${group.id}`, { headers: { 'If-None-Match': group.meta.version } });
    expect(stale.status).toBe(200);
    expect(stale.body.members ?? []).toEqual([]);
  });
});

describe('If-None-Match', () => {
  it('with the current ETag answers 304 with no body', async () => {
    const user = await createUser(client);
    const res = await client.get(`/Users/${user.id}`, { headers: { 'If-None-Match': user.meta.version } });
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
  });

  it('with a stale ETag answers 200 with the resource', async () => {
    const { user, stale, current } = await userWithStaleVersion();
    const res = await client.get(`/Users/${user.id}`, { headers: { 'If-None-Match': stale } });
    expect(res.status).toBe(200);
    expect(res.body.meta.version).toBe(current);
  });
});

describe('If-Match', () => {
  it('with a stale ETag refuses PUT with 412 and changes nothing', async () => {
    const { user, stale, current } = await userWithStaleVersion();
    const res = await client.put(
      `/Users/${user.id}`,
      newUser({ userName: user.userName, title: 'lost update' }),
      {
        headers: { 'If-Match': stale },
      },
    );
    expectScimError(res, 412);
    const stored = await fetchResource(client, `/Users/${user.id}`);
    expect(stored.title).toBe('v2');
    expect(stored.meta.version).toBe(current);
  });

  it('with a stale ETag refuses PATCH with 412', async () => {
    const { user, stale } = await userWithStaleVersion();
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'lost' }),
      {
        headers: { 'If-Match': stale },
      },
    );
    expectScimError(res, 412);
    expect((await fetchResource(client, `/Users/${user.id}`)).title).toBe('v2');
  });

  it('with a stale ETag refuses DELETE with 412', async () => {
    const { user, stale } = await userWithStaleVersion();
    expectScimError(await client.delete(`/Users/${user.id}`, { headers: { 'If-Match': stale } }), 412);
    expect((await client.get(`/Users/${user.id}`)).status).toBe(200);
  });

  it('with the current ETag lets PUT, PATCH and DELETE through', async () => {
    const user = await createUser(client);
    const put = await client.put(`/Users/${user.id}`, newUser({ userName: user.userName }), {
      headers: { 'If-Match': user.meta.version },
    });
    expect(put.status, put.text).toBe(200);

    const patched = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'ok' }),
      {
        headers: { 'If-Match': put.headers.get('etag') ?? '' },
      },
    );
    expect(patched.status, patched.text).toBe(200);

    const deleted = await client.delete(`/Users/${user.id}`, {
      headers: { 'If-Match': patched.headers.get('etag') ?? '' },
    });
    expect(deleted.status).toBe(204);
  });

  it('with a stale ETag refuses a group PATCH with 412', async () => {
    const group = await createGroup(client);
    const renamed = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: `${group.displayName}-2` }),
    );
    expect(renamed.status).toBe(200);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'lost' }),
      {
        headers: { 'If-Match': group.meta.version },
      },
    );
    expectScimError(res, 412);
  });
});
