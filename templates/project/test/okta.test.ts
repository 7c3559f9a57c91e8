// Okta's provisioning dialect, request by request as Okta sends it (user lifecycle, Group Push)
// plus the checks of Okta's SPEC test suite.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimError,
  fetchResource,
  memberIds,
  patchOp,
  resources,
  URN,
  type Json,
  type RequestOptions,
} from './helpers/scim.js';

const { server, client } = useScimServer();

/** The headers Okta's provisioning client sends. */
const okta: RequestOptions = {
  contentType: 'application/scim+json; charset=utf-8',
  headers: { 'User-Agent': 'Okta SCIM Client 1.0.0', 'Accept-Charset': 'utf-8' },
};

const get = (path: string, query?: Record<string, string | number>) => client.get(path, { ...okta, query });
const post = (path: string, body: unknown) => client.post(path, body, okta);
const put = (path: string, body: unknown) => client.put(path, body, okta);
const patch = (path: string, body: unknown) => client.patch(path, body, okta);

/** What Okta POSTs on assignment. */
function oktaUser(): Json {
  const login = `${randomUUID()}@okta-test.example.com`;
  return {
    schemas: [URN.user],
    userName: login,
    name: { givenName: 'Isaac', familyName: 'Brock' },
    emails: [{ primary: true, value: login, type: 'work' }],
    displayName: 'Isaac Brock',
    locale: 'en-US',
    // Okta sends its own user id ("00u...") as externalId.
    externalId: `00u${randomUUID().replaceAll('-', '').slice(0, 17)}`,
    groups: [],
    password: '1mz050nq',
    active: true,
  };
}

const lookup = (userName: string) =>
  get('/Users', { filter: `userName eq "${userName}"`, startIndex: 1, count: 100 });

describe('user lifecycle', () => {
  it('looks up an unassigned user: 200 with totalResults 0', async () => {
    const res = await lookup(oktaUser().userName);
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
    expect(res.body.totalResults).toBe(0);
    expect(resources(res)).toEqual([]);
  });

  it('creates with password and groups: [] -> 201 with the full resource and no password', async () => {
    const input = oktaUser();
    const res = await post('/Users', input);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      userName: input.userName,
      name: input.name,
      emails: input.emails,
      displayName: input.displayName,
      locale: input.locale,
      externalId: input.externalId,
      active: true,
    });
    expect(res.body.schemas).toContain(URN.user);
    expect(res.body).not.toHaveProperty('password');
  });

  it('finds the created user by userName, with the fields Okta reads', async () => {
    const input = oktaUser();
    const created = (await post('/Users', input)).body;
    const res = await lookup(input.userName);
    expect(res.body.totalResults).toBe(1);
    expect(res.body.Resources[0]).toMatchObject({
      id: created.id,
      userName: input.userName,
      name: { givenName: 'Isaac', familyName: 'Brock' },
      emails: [expect.objectContaining({ value: input.userName })],
      active: true,
    });
  });

  it('finds the user by the uppercased userName (SPEC "Username Case Sensitivity Check")', async () => {
    const input = oktaUser();
    const created = (await post('/Users', input)).body;
    const res = await lookup(input.userName.toUpperCase());
    expect(res.status).toBe(200);
    expect(res.body.Resources.map((r: Json) => r.id)).toEqual([created.id]);
  });

  it('answers a repeated create with 409 and a SCIM error', async () => {
    const input = oktaUser();
    expect((await post('/Users', input)).status).toBe(201);
    expectScimError(
      await post('/Users', {
        ...input,
        emails: [{ primary: true, value: 'other@example.com', type: 'work' }],
      }),
      409,
      'uniqueness',
    );
  });

  it('deactivates with a path-less replace {"active": false}; the user stays readable', async () => {
    const created = (await post('/Users', oktaUser())).body;
    const res = await patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.active).toBe(false);

    const read = await get(`/Users/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
  });

  it('reactivates with a path-less replace {"active": true}', async () => {
    const created = (await post('/Users', oktaUser())).body;
    await patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { active: false } }));
    const res = await patch(`/Users/${created.id}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(res.status).toBe(200);
    expect((await fetchResource(client, `/Users/${created.id}`)).active).toBe(true);
  });

  it('updates the profile by GET then PUT of the whole object', async () => {
    const created = (await post('/Users', oktaUser())).body;
    const current = (await get(`/Users/${created.id}`)).body;
    const res = await put(`/Users/${created.id}`, {
      ...current,
      name: { ...current.name, givenName: 'Isaac Kirk' },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.name.givenName).toBe('Isaac Kirk');
    expect((await fetchResource(client, `/Users/${created.id}`)).name).toEqual({
      givenName: 'Isaac Kirk',
      familyName: 'Brock',
    });
  });

  it('deactivates and reactivates by PUT (App Integration Wizard apps)', async () => {
    const created = (await post('/Users', oktaUser())).body;
    const off = await put(`/Users/${created.id}`, { ...created, active: false });
    expect(off.status, off.text).toBe(200);
    expect((await fetchResource(client, `/Users/${created.id}`)).active).toBe(false);

    const on = await put(`/Users/${created.id}`, { ...created, active: true });
    expect(on.status).toBe(200);
    expect((await fetchResource(client, `/Users/${created.id}`)).active).toBe(true);
  });

  it('syncs a password with a path-less replace and never returns it', async () => {
    const created = (await post('/Users', oktaUser())).body;
    const res = await patch(
      `/Users/${created.id}`,
      patchOp({ op: 'replace', value: { password: 't1meMa$heen' } }),
    );
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('t1meMa$heen');
  });
});

describe('SPEC test checks', () => {
  it('GET /Users?count=1&startIndex=1 returns one user with the fields Okta requires', async () => {
    await createUser(client);
    const res = await get('/Users', { count: 1, startIndex: 1 });
    expect(res.status).toBe(200);
    expect(res.body.schemas).toContain(URN.listResponse);
    expect(res.body.itemsPerPage).toBe(1);
    expect(res.body.startIndex).toBe(1);
    expect(Number.isInteger(res.body.totalResults)).toBe(true);
    const [first] = res.body.Resources;
    expect(first.id).toBeTruthy();
    expect(first.name.familyName).toBeTruthy();
    expect(first.name.givenName).toBeTruthy();
    expect(first.userName).toBeTruthy();
    expect(typeof first.active).toBe('boolean');
    expect(first.emails[0].value).toBeTruthy();
  });

  it('GET /Users/00919288221112222 -> 404 with status "404" and detail', async () => {
    expectScimError(await get('/Users/00919288221112222'), 404);
  });

  it('GET /Groups answers 200 quickly', async () => {
    const started = performance.now();
    const res = await get('/Groups');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(600);
  });
});

describe('Group Push', () => {
  let alice: Json;
  let bob: Json;
  let carol: Json;

  beforeAll(async () => {
    alice = await createUser(client);
    bob = await createUser(client);
    carol = await createUser(client);
  });

  const sorted = (...users: Json[]) => users.map((u) => u.id as string).sort();
  const member = (u: Json) => ({ value: u.id, display: u.userName });

  it('creates a group with members: [] -> 201, then finds it by displayName', async () => {
    const displayName = `Okta Group ${randomUUID()}`;
    const res = await post('/Groups', { schemas: [URN.group], displayName, members: [] });
    expect(res.status, res.text).toBe(201);
    expect(res.body.displayName).toBe(displayName);

    const found = await get('/Groups', {
      filter: `displayName eq "${displayName}"`,
      startIndex: 1,
      count: 100,
    });
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(res.body.id);
  });

  it('renames with a path-less replace whose value carries the id', async () => {
    const group = await createGroup(client);
    const res = await patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', value: { id: group.id, displayName: 'Renamed by Okta' } }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe('Renamed by Okta');
    expect(res.body.id).toBe(group.id);
  });

  it('adds members sent without type ({value, display})', async () => {
    const group = await createGroup(client);
    const res = await patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [member(alice), member(bob)] }),
    );
    expect(res.status, res.text).toBe(204);
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(memberIds(stored)).toEqual(sorted(alice, bob));
    for (const m of stored.members) {
      expect(m.type).toBe('User');
      expect(m.$ref).toBe(`${server.baseUrl}/Users/${m.value}`);
    }
  });

  it('sends the rename together with a membership change', async () => {
    const group = await createGroup(client);
    const res = await patch(
      `/Groups/${group.id}`,
      patchOp(
        { op: 'replace', value: { id: group.id, displayName: group.displayName } },
        { op: 'add', path: 'members', value: [member(carol)] },
      ),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([carol.id]);
  });

  it('removes a member with members[value eq "id"]', async () => {
    const group = await createGroup(client, { members: [member(alice), member(bob)] });
    const res = await patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${alice.id}"]` }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([bob.id]);
  });

  it('empties the group with replace members [] ("Push now" on an empty group)', async () => {
    const group = await createGroup(client, { members: [member(alice), member(bob)] });
    const res = await patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'members', value: [] }));
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([]);
  });

  it('syncs the full member list with replace members [...]', async () => {
    const group = await createGroup(client, { members: [member(alice), member(bob)] });
    const res = await patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: 'members', value: [member(bob), member(carol)] }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(bob, carol));
  });

  it('syncs members with a path-less replace {"members": [...]}', async () => {
    const group = await createGroup(client, { members: [member(alice)] });
    const res = await patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', value: { members: [member(carol)] } }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([carol.id]);
  });

  it('replaces the group with PUT and the full member list (App Integration Wizard apps)', async () => {
    const group = await createGroup(client, { members: [member(alice)] });
    const res = await put(`/Groups/${group.id}`, {
      schemas: [URN.group],
      id: group.id,
      displayName: group.displayName,
      members: [member(alice), member(bob), member(carol)],
    });
    expect(res.status, res.text).toBe(200);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(alice, bob, carol));
  });

  it('deletes the group (unlink with "delete in target app") -> 204', async () => {
    const group = await createGroup(client, { members: [member(alice)] });
    const res = await client.delete(`/Groups/${group.id}`, okta);
    expect(res.status).toBe(204);
    expectScimError(await get(`/Groups/${group.id}`), 404);
  });
});
