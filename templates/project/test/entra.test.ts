// Microsoft Entra ID's provisioning dialect, as its documentation and SCIM validator send it:
// capitalised ops, "True"/"False" strings, dotted keys in path-less values, member removal with
// a value array, filtered adds that create the element, and the probes Entra runs.
// (Enterprise-extension forms are in enterprise-user.test.ts.)

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  fetchResource,
  ids,
  memberIds,
  patchOp,
  resources,
  URN,
  type Json,
} from './helpers/scim.js';

const { server, client } = useScimServer();

const LEGACY_GROUP_URN = 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group';

/** What Entra POSTs to create a user (core schema only). */
function entraUser(): Json {
  const upn = `${randomUUID()}@contoso.example.com`;
  return {
    schemas: [URN.user],
    externalId: randomUUID().slice(0, 8),
    userName: upn,
    active: true,
    emails: [{ primary: true, type: 'work', value: upn }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Ryan Leenay', familyName: 'Leenay', givenName: 'Ryan' },
    roles: [],
  };
}

/** Creates a user the Entra way and applies one PATCH, returning the PATCH response. */
async function patchNewUser(operations: Json[], overrides: Record<string, unknown> = {}) {
  const created = await client.post('/Users', { ...entraUser(), ...overrides });
  expect(created.status, created.text).toBe(201);
  const res = await client.patch(`/Users/${created.body.id}`, patchOp(...operations));
  expect(res.status, res.text).toBe(200);
  return { id: created.body.id as string, body: res.body as Json };
}

describe('probes', () => {
  it('random-user lookup -> 200 ListResponse with totalResults 0', async () => {
    const res = await client.get('/Users', { query: { filter: `userName eq "${randomUUID()}"` } });
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
    expect(res.body.totalResults).toBe(0);
  });

  it('random-group lookup -> 200 ListResponse with totalResults 0', async () => {
    const res = await client.get('/Groups', {
      query: { excludedAttributes: 'members', filter: `displayName eq "${randomUUID()}"` },
    });
    expect(res.status).toBe(200);
    expect(res.body.schemas).toEqual([URN.listResponse]);
    expect(res.body.totalResults).toBe(0);
  });
});

describe('users', () => {
  it('creates the user Entra sends (meta.resourceType, name.formatted, roles: [])', async () => {
    const input = entraUser();
    const res = await client.post('/Users', input);
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      userName: input.userName,
      externalId: input.externalId,
      name: input.name,
      active: true,
    });
  });

  it('matches users by externalId and by work email', async () => {
    const input = entraUser();
    const created = (await client.post('/Users', input)).body;
    const byExternalId = await client.get('/Users', {
      query: { filter: `externalId eq "${input.externalId}"` },
    });
    expect(ids(byExternalId)).toEqual([created.id]);
    const byEmail = await client.get('/Users', {
      query: { filter: `emails[type eq "work"].value eq "${input.userName}"` },
    });
    expect(ids(byEmail)).toEqual([created.id]);
  });

  it('Replace active "False" disables the user; the user is still returned', async () => {
    const { id, body } = await patchNewUser([{ op: 'Replace', path: 'active', value: 'False' }]);
    expect(body.active).toBe(false);
    const read = await fetchResource(client, `/Users/${id}`);
    expect(read.active).toBe(false);
    const filtered = await client.get('/Users', { query: { filter: `userName eq "${read.userName}"` } });
    expect(resources(filtered)[0].active).toBe(false);
  });

  it('Replace active "True" restores the user', async () => {
    const { id } = await patchNewUser([{ op: 'Replace', path: 'active', value: 'False' }]);
    const res = await client.patch(`/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'True' }));
    expect(res.status).toBe(200);
    expect((await fetchResource(client, `/Users/${id}`)).active).toBe(true);
  });

  it('replace active false (aadOptscim062020) disables the user', async () => {
    const { body } = await patchNewUser([{ op: 'replace', path: 'active', value: false }]);
    expect(body.active).toBe(false);
  });

  it('Add with a capitalised op sets a single-valued attribute', async () => {
    const { body } = await patchNewUser([{ op: 'Add', path: 'nickName', value: 'Babs' }]);
    expect(body.nickName).toBe('Babs');
  });

  it('Remove with a capitalised op unassigns an attribute', async () => {
    const { body } = await patchNewUser([{ op: 'Remove', path: 'nickName' }], { nickName: 'Babs' });
    expect(body).not.toHaveProperty('nickName');
  });

  it('one Replace per path, including emails[type eq "work"].value and name.givenName', async () => {
    const { body } = await patchNewUser([
      { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updated@contoso.example.com' },
      { op: 'Replace', path: 'name.givenName', value: 'Barbara' },
      { op: 'Replace', path: 'name.familyName', value: 'Jensen' },
    ]);
    expect(body.emails).toEqual([
      expect.objectContaining({ type: 'work', value: 'updated@contoso.example.com', primary: true }),
    ]);
    expect(body.name).toMatchObject({ givenName: 'Barbara', familyName: 'Jensen' });
  });

  it('path-less replace with dotted keys (aadOptscim062020)', async () => {
    const { body } = await patchNewUser([
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'updated@contoso.example.com' },
      {
        op: 'replace',
        value: { 'name.givenName': 'Barbara', 'name.familyName': 'Jensen', displayName: 'Babs' },
      },
    ]);
    expect(body.name).toMatchObject({ givenName: 'Barbara', familyName: 'Jensen', formatted: 'Ryan Leenay' });
    expect(body.displayName).toBe('Babs');
    expect(body).not.toHaveProperty(['name.givenName']);
  });

  it('add emails[type eq "work"].value creates the missing work email', async () => {
    const { body } = await patchNewUser(
      [{ op: 'add', path: 'emails[type eq "work"].value', value: 'new@contoso.example.com' }],
      {
        emails: [{ type: 'home', value: 'home@example.org' }],
      },
    );
    expect(body.emails).toHaveLength(2);
    expect(body.emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'work', value: 'new@contoso.example.com' }),
        expect.objectContaining({ type: 'home', value: 'home@example.org' }),
      ]),
    );
  });

  it('add emails[type eq "work"].value creates it on a user with no email at all', async () => {
    const { body } = await patchNewUser(
      [{ op: 'Add', path: 'emails[type eq "work"].value', value: 'first@contoso.example.com' }],
      {
        emails: undefined,
      },
    );
    expect(body.emails).toEqual([
      expect.objectContaining({ type: 'work', value: 'first@contoso.example.com' }),
    ]);
  });

  it('add emails[type eq "work"].value replaces the existing work email rather than adding one', async () => {
    const { body } = await patchNewUser([
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'again@contoso.example.com' },
    ]);
    expect(body.emails).toEqual([
      expect.objectContaining({ type: 'work', value: 'again@contoso.example.com' }),
    ]);
  });

  it('accepts primary "True" as a string boolean in an added email', async () => {
    const { body } = await patchNewUser([
      { op: 'Add', path: 'emails', value: [{ type: 'home', value: 'home@example.org', primary: 'True' }] },
    ]);
    const home = body.emails.find((e: Json) => e.type === 'home');
    expect(home.primary).toBe(true);
    expect(body.emails.filter((e: Json) => e.primary === true)).toHaveLength(1);
  });
});

describe('groups', () => {
  let users: Json[];

  beforeAll(async () => {
    users = [];
    for (let i = 0; i < 4; i += 1) users.push(await createUser(client));
  });

  const sorted = (...list: Json[]) => list.map((u) => u.id as string).sort();

  it('creates a group with the legacy ADSCIM schema URI in schemas', async () => {
    const displayName = `Entra Group ${randomUUID()}`;
    const res = await client.post('/Groups', {
      schemas: [URN.group, LEGACY_GROUP_URN],
      externalId: randomUUID(),
      displayName,
      members: [],
    });
    expect(res.status, res.text).toBe(201);
    expect(res.body.displayName).toBe(displayName);
    expect(res.body.schemas).toContain(URN.group);
  });

  it('GET /Groups/{id}?excludedAttributes=members has no members', async () => {
    const group = await createGroup(client, { members: [{ value: users[0].id }] });
    const res = await client.get(`/Groups/${group.id}`, { query: { excludedAttributes: 'members' } });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('members');
    expect(res.body.id).toBe(group.id);
  });

  it('GET /Groups?excludedAttributes=members&filter=displayName eq "..." finds it without members', async () => {
    const group = await createGroup(client, { members: [{ value: users[0].id }] });
    const res = await client.get('/Groups', {
      query: { excludedAttributes: 'members', filter: `displayName eq "${group.displayName}"` },
    });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([group.id]);
    expect(res.body.Resources[0]).not.toHaveProperty('members');
  });

  it('Add members with $ref: null', async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: users[0].id }] }),
    );
    expect(res.status, res.text).toBe(204);
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(memberIds(stored)).toEqual([users[0].id]);
    expect(stored.members[0].$ref).toBe(`${server.baseUrl}/Users/${users[0].id}`);
  });

  it('adds several members in one PATCH', async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Add', path: 'members', value: users.map((u) => ({ value: u.id })) }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(...users));
  });

  it('adds members in several operations of one PATCH', async () => {
    const group = await createGroup(client);
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp(
        { op: 'Add', path: 'members', value: [{ value: users[0].id }] },
        { op: 'Add', path: 'members', value: [{ value: users[1].id }] },
      ),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(users[0], users[1]));
  });

  it('Remove path members with a value array removes only those members', async () => {
    const group = await createGroup(client, { members: users.map((u) => ({ value: u.id })) });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Remove', path: 'members', value: [{ value: users[1].id }] }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(
      sorted(users[0], users[2], users[3]),
    );
  });

  it('Remove path members with $ref: null entries removes only those members', async () => {
    const group = await createGroup(client, { members: users.map((u) => ({ value: u.id })) });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({
        op: 'Remove',
        path: 'members',
        value: [
          { $ref: null, value: users[0].id },
          { $ref: null, value: users[3].id },
        ],
      }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(sorted(users[1], users[2]));
  });

  it('remove members[value eq "id"] (aadOptscim062020) removes that member', async () => {
    const group = await createGroup(client, { members: [{ value: users[0].id }, { value: users[1].id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'remove', path: `members[value eq "${users[0].id}"]` }),
    );
    expect(res.status, res.text).toBe(204);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([users[1].id]);
  });

  it('Replace displayName renames the group and keeps its members', async () => {
    const group = await createGroup(client, { members: [{ value: users[0].id }] });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp({ op: 'Replace', path: 'displayName', value: 'Renamed by Entra' }),
    );
    expect(res.status, res.text).toBe(200);
    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(stored.displayName).toBe('Renamed by Entra');
    expect(memberIds(stored)).toEqual([users[0].id]);
  });
});
