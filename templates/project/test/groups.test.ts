// /Groups and membership (RFC 7643 §4.2, RFC 7644 §3.5.2): members carry value, display, an
// absolute $ref and type; membership changes by PUT and PATCH; deleting a user leaves its groups.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimContentType,
  expectScimError,
  fetchResource,
  ids,
  memberIds,
  newGroup,
  patchOp,
  searchRequest,
  URN,
  UUID,
  WEAK_ETAG,
  type Json,
} from './helpers/scim.js';

const { server, client } = useScimServer();
let alice: Json;
let bob: Json;
let carol: Json;

beforeAll(async () => {
  alice = await createUser(client, { displayName: 'Alice Example' });
  bob = await createUser(client, { displayName: 'Bob Example' });
  carol = await createUser(client, { displayName: 'Carol Example' });
});

const sorted = (...users: Json[]) => users.map((u) => u.id as string).sort();

describe('POST /Groups', () => {
  it('answers 201 with the group, Location, ETag and meta', async () => {
    const input = newGroup();
    const res = await client.post('/Groups', input);
    expect(res.status, res.text).toBe(201);
    expectScimContentType(res);
    expect(res.body.id).toMatch(UUID);
    expect(res.body.schemas).toEqual([URN.group]);
    expect(res.body.displayName).toBe(input.displayName);
    expect(res.body.members ?? []).toEqual([]);
    expect(res.headers.get('location')).toBe(`${server.baseUrl}/Groups/${res.body.id}`);
    expect(res.body.meta).toMatchObject({ resourceType: 'Group', location: res.headers.get('location') });
    expect(res.headers.get('etag')).toMatch(WEAK_ETAG);
    expect(res.body.meta.version).toBe(res.headers.get('etag'));
  });

  it('stores initial members and describes each with value, display, $ref and type', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    expect(group.members).toHaveLength(1);
    const [member] = group.members;
    expect(member.value).toBe(alice.id);
    expect(member.$ref).toBe(`${server.baseUrl}/Users/${alice.id}`);
    expect(member.type).toBe('User');
    expect([alice.displayName, alice.userName]).toContain(member.display);
  });

  it('stores a member listed twice once', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: alice.id }] });
    expect(memberIds(group)).toEqual([alice.id]);
  });

  it('accepts a group as a member, with type "Group" and a $ref to /Groups', async () => {
    const inner = await createGroup(client);
    const outer = await createGroup(client, { members: [{ value: inner.id, type: 'Group' }] });
    expect(outer.members).toEqual([
      expect.objectContaining({
        value: inner.id,
        type: 'Group',
        $ref: `${server.baseUrl}/Groups/${inner.id}`,
      }),
    ]);
  });

  it('refuses a member id that does not exist with 400 invalidValue', async () => {
    const res = await client.post('/Groups', newGroup({ members: [{ value: randomUUID() }] }));
    expectScimError(res, 400, 'invalidValue');
  });

  it('refuses a group without displayName with 400 invalidValue', async () => {
    expectScimError(await client.post('/Groups', { schemas: [URN.group], members: [] }), 400, 'invalidValue');
  });
});

describe('GET /Groups', () => {
  it('returns a group by id with its members', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: bob.id }] });
    const res = await client.get(`/Groups/${group.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(group);
    expect(memberIds(res.body)).toEqual(sorted(alice, bob));
  });

  it('finds a group by displayName, case-insensitively', async () => {
    const group = await createGroup(client);
    const res = await client.get('/Groups', {
      query: { filter: `displayName eq "${group.displayName.toUpperCase()}"` },
    });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([group.id]);
  });

  it('omits members with excludedAttributes=members', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const one = await client.get(`/Groups/${group.id}`, { query: { excludedAttributes: 'members' } });
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('members');
    expect(one.body.displayName).toBe(group.displayName);

    const list = await client.get('/Groups', {
      query: { excludedAttributes: 'members', filter: `displayName eq "${group.displayName}"` },
    });
    expect(list.body.Resources).toHaveLength(1);
    expect(list.body.Resources[0]).not.toHaveProperty('members');
    expect(list.body.Resources[0].id).toBe(group.id);
  });

  it('omits members with attributes=displayName', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.get(`/Groups/${group.id}`, { query: { attributes: 'displayName' } });
    expect(Object.keys(res.body).sort()).toEqual(['displayName', 'id', 'schemas']);
  });

  it('answers 404 for an unknown id', async () => {
    expectScimError(await client.get(`/Groups/${randomUUID()}`), 404);
  });
});

describe('PUT /Groups/{id}', () => {
  it('replaces displayName and the whole member list', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: bob.id }] });
    const res = await client.put(`/Groups/${group.id}`, {
      schemas: [URN.group],
      displayName: `${group.displayName} renamed`,
      members: [{ value: bob.id }, { value: carol.id }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe(`${group.displayName} renamed`);
    expect(memberIds(res.body)).toEqual(sorted(bob, carol));
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(bob, carol));
  });

  it('empties the group when members are left out', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.put(`/Groups/${group.id}`, {
      schemas: [URN.group],
      displayName: group.displayName,
    });
    expect(res.status).toBe(200);
    expect(memberIds(res.body)).toEqual([]);
  });

  it('stores a member listed twice once', async () => {
    const group = await createGroup(client);
    const res = await client.put(
      `/Groups/${group.id}`,
      newGroup({ members: [{ value: carol.id }, { value: carol.id }] }),
    );
    expect(res.status, res.text).toBe(200);
    expect(memberIds(res.body)).toEqual([carol.id]);
  });

  it('refuses an unknown member id with 400 invalidValue and changes nothing', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.put(`/Groups/${group.id}`, newGroup({ members: [{ value: randomUUID() }] }));
    expectScimError(res, 400, 'invalidValue');
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(stored.displayName).toBe(group.displayName);
    expect(memberIds(stored)).toEqual([alice.id]);
  });
});

describe('PATCH /Groups/{id} membership', () => {
  it('add members appends them', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(alice, bob));
  });

  it('adding an existing member does not duplicate it', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] }),
    );
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([alice.id]);
  });

  it('remove members[value eq "id"] removes only that member', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: bob.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${alice.id}"]` }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([bob.id]);
  });

  it('removing a non-member succeeds and changes nothing', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${carol.id}"]` }),
    );
    expect(res.status).toBeLessThan(300);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([alice.id]);
  });

  it('remove with path members removes every member', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: bob.id }] });
    const res = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: 'members' }));
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([]);
  });

  it('replace members sets exactly the given list', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: bob.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: 'members', value: [{ value: carol.id }] }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([carol.id]);
  });

  it('replace displayName leaves the members alone', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }, { value: bob.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Renamed' }),
    );
    expect(res.status).toBe(200);
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(stored.displayName).toBe('Renamed');
    expect(memberIds(stored)).toEqual(sorted(alice, bob));
  });

  it('a PATCH listing a new member twice adds it once', async () => {
    const group = await createGroup(client);
    await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }, { value: bob.id }] }),
    );
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([bob.id]);
  });

  it("member display follows the user's current displayName", async () => {
    const user = await createUser(client, { displayName: 'Before Rename' });
    const group = await createGroup(client, { members: [{ value: user.id }] });
    await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'After Rename' }),
    );
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(stored.members).toEqual([expect.objectContaining({ value: user.id, display: 'After Rename' })]);
  });

  it('refuses to add an unknown member id with 400 invalidValue', async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: randomUUID() }] }),
    );
    expectScimError(res, 400, 'invalidValue');
  });

  it('refuses to change a member value (immutable) with 400 mutability', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'replace', path: `members[value eq "${alice.id}"].value`, value: bob.id }),
    );
    expectScimError(res, 400, 'mutability');
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([alice.id]);
  });

  it('changes the group ETag when membership changes', async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] }),
    );
    expect(res.headers.get('etag')).not.toBe(group.meta.version);
    expect((await fetchResource(client, `/Groups/${group.id}`)).meta.version).not.toBe(group.meta.version);
  });

  it('answers a membership change 204 with the new ETag, reading no member list', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }),
    );
    expect(res.status, res.text).toBe(204);
    expect(res.text).toBe('');
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(res.headers.get('etag')).toBe(stored.meta.version);
  });

  it('answers with the whole group when ?attributes=members asks for it', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }),
      { query: { attributes: 'members' } },
    );
    expect(res.status, res.text).toBe(200);
    expect(memberIds(res.body)).toEqual(sorted(alice, bob));
    expect(res.body.id).toBe(group.id);
  });

  it('answers 200 without members when ?attributes names other attributes', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }),
      { query: { attributes: 'displayName' } },
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.displayName).toBe(group.displayName);
    expect(res.body.members).toBeUndefined();
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(alice, bob));
  });

  it("answers 204 to Okta's rename sent with a member add, and applies both", async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp(
        { op: 'replace', value: { id: group.id, displayName: 'Renamed with members' } },
        { op: 'add', path: 'members', value: [{ value: carol.id }] },
      ),
    );
    expect(res.status, res.text).toBe(204);
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(stored.displayName).toBe('Renamed with members');
    expect(memberIds(stored)).toEqual([carol.id]);
  });
});

describe('deleting', () => {
  it('a user removes it from every group', async () => {
    const doomed = await createUser(client);
    const first = await createGroup(client, { members: [{ value: doomed.id }, { value: alice.id }] });
    const second = await createGroup(client, { members: [{ value: doomed.id }] });

    expect((await client.delete(`/Users/${doomed.id}`)).status).toBe(204);

    expect(memberIds(await fetchResource(client, `/Groups/${first.id}`))).toEqual([alice.id]);
    expect(memberIds(await fetchResource(client, `/Groups/${second.id}`))).toEqual([]);
  });

  it('a group removes it from the groups it is a member of', async () => {
    const inner = await createGroup(client);
    const outer = await createGroup(client, {
      members: [{ value: inner.id, type: 'Group' }, { value: alice.id }],
    });
    expect((await client.delete(`/Groups/${inner.id}`)).status).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${outer.id}`))).toEqual([alice.id]);
  });

  it('a group answers 204, then 404, and leaves its members', async () => {
    const group = await createGroup(client, { members: [{ value: alice.id }] });
    const res = await client.delete(`/Groups/${group.id}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expectScimError(await client.get(`/Groups/${group.id}`), 404);
    expectScimError(await client.delete(`/Groups/${group.id}`), 404);
    expect((await client.get(`/Users/${alice.id}`)).status).toBe(200);
  });
});

describe('User groups attribute', () => {
  /** GET /Users/{id}: the user as the server shows it now. */
  const getUser = async (user: Json, query?: Record<string, string>) => {
    const res = await client.get(`/Users/${user.id}`, { query });
    expect(res.status, res.text).toBe(200);
    return res.body;
  };

  it('lists every group the user is a direct member of, with value, display, $ref and type', async () => {
    const user = await createUser(client);
    const first = await createGroup(client, { members: [{ value: user.id }] });
    const second = await createGroup(client);
    const add = patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] });
    expect((await client.patch(`/Groups/${second.id}`, add)).status).toBeLessThan(300);

    const body = await getUser(user);
    expect(body.groups).toEqual([
      { value: first.id, display: first.displayName, $ref: `${server.baseUrl}/Groups/${first.id}`, type: 'direct' },
      { value: second.id, display: second.displayName, $ref: `${server.baseUrl}/Groups/${second.id}`, type: 'direct' },
    ]);
  });

  it("changes the user's ETag when its groups change, so If-None-Match never serves a stale list", async () => {
    const user = await createUser(client);
    const group = await createGroup(client);
    const before = (await client.get(`/Users/${user.id}`)).headers.get('etag')!;
    const add = patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] });
    expect((await client.patch(`/Groups/${group.id}`, add)).status).toBeLessThan(300);

    const after = await client.get(`/Users/${user.id}`, { headers: { 'If-None-Match': before } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(before);
    expect(after.body.groups.map((g: Json) => g.value)).toEqual([group.id]);

    const rename = patchOp({ op: 'replace', value: { displayName: `${group.displayName} (renamed)` } });
    expect((await client.patch(`/Groups/${group.id}`, rename)).status).toBeLessThan(300);
    const renamed = await client.get(`/Users/${user.id}`, { headers: { 'If-None-Match': after.headers.get('etag')! } });
    expect(renamed.status).toBe(200);
    expect(renamed.body.groups[0].display).toBe(`${group.displayName} (renamed)`);
  });

  it('drops a membership once it is removed, and a group once it is deleted', async () => {
    const user = await createUser(client);
    const kept = await createGroup(client, { members: [{ value: user.id }] });
    const left = await createGroup(client, { members: [{ value: user.id }] });
    const deleted = await createGroup(client, { members: [{ value: user.id }] });
    const removal = patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` });
    expect((await client.patch(`/Groups/${left.id}`, removal)).status).toBeLessThan(300);
    expect((await client.delete(`/Groups/${deleted.id}`)).status).toBe(204);

    expect((await getUser(user)).groups.map((g: Json) => g.value)).toEqual([kept.id]);
  });

  it('is absent for a user in no group, and from a new user', async () => {
    const user = await createUser(client);
    expect(user).not.toHaveProperty('groups');
    expect(await getUser(user)).not.toHaveProperty('groups');
  });

  it('follows attributes and excludedAttributes', async () => {
    const user = await createUser(client);
    const group = await createGroup(client, { members: [{ value: user.id }] });
    expect(await getUser(user, { excludedAttributes: 'groups' })).not.toHaveProperty('groups');
    expect(await getUser(user, { attributes: 'userName' })).not.toHaveProperty('groups');
    const only = await getUser(user, { attributes: 'groups.value' });
    expect(only.groups).toEqual([{ value: group.id }]);
  });

  it('is in list and search responses, for every user of the page', async () => {
    const [one, two, none] = [await createUser(client), await createUser(client), await createUser(client)];
    const group = await createGroup(client, { members: [{ value: one.id }, { value: two.id }] });
    const filter = [one, two, none].map((u) => `id eq "${u.id}"`).join(' or ');
    const listed = await client.get('/Users', { query: { filter } });
    const searched = await client.post('/Users/.search', searchRequest({ filter }));
    for (const res of [listed, searched]) {
      expect(res.status, res.text).toBe(200);
      const byId = new Map(res.body.Resources.map((r: Json) => [r.id, r.groups]));
      expect(byId.get(one.id)).toEqual([expect.objectContaining({ value: group.id, type: 'direct' })]);
      expect(byId.get(two.id)).toEqual([expect.objectContaining({ value: group.id, type: 'direct' })]);
      expect(byId.get(none.id)).toBeUndefined();
    }
  });

  it('filters users by group, and refuses a filter on groups.$ref with 400 invalidFilter', async () => {
    const [member, other] = [await createUser(client), await createUser(client)];
    const group = await createGroup(client, { members: [{ value: member.id }] });
    const scope = `(id eq "${member.id}" or id eq "${other.id}")`;
    const res = await client.get('/Users', { query: { filter: `groups.value eq "${group.id}" and ${scope}` } });
    expect(ids(res)).toEqual([member.id]);
    const bad = await client.get('/Users', { query: { filter: `groups.$ref eq "${group.id}"` } });
    expectScimError(bad, 400, 'invalidFilter');
  });
});
