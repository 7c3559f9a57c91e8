// The OpenID IPSIE SCIM 2.0 profile, Draft 00: AL1 (user deprovisioning) and AL2 (users and
// groups), one test per requirement on the application (the SCIM service provider) that can be
// checked over HTTP, named after its section. AL3 (roles) has no requirements yet. What depends
// on the auth mode (OAuth 2.0, RFC 8414 metadata) and what the application itself must do
// (revoke sessions on deactivation) is in the README's conformance table.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimError,
  fetchResource,
  memberIds,
  newGroup,
  newUser,
  patchOp,
  resources,
  uniqueName,
  URN,
  type Json,
} from './helpers/scim.js';

const { client } = useScimServer();

const ids = (res: { body: Json }) => ((res.body?.Resources ?? []) as Json[]).map((r) => r.id as string);
const filtered = (path: string, filter: string) => client.get(path, { query: { filter } });

describe('§4.2 SCIM Interoperability Requirements', () => {
  it('is held to the interoperability profile too: see profile-interop.test.ts', async () => {
    // Not repeated here; one probe that the two share a server behaviour.
    expectScimError(await client.post('/Users', newUser({ favouriteColour: 'blue' })), 400);
  });
});

describe('§4.3 Performance and Efficiency', () => {
  describe('rate limits', () => {
    const limited = useScimServer({ SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: '2' });

    it('enforces rate limits on every SCIM endpoint: 429, a SCIM error and an integer Retry-After', async () => {
      for (const path of ['/Users', '/Groups', '/ServiceProviderConfig']) {
        let answer = await limited.client.get(path);
        for (let i = 0; i < 5 && answer.status !== 429; i++) answer = await limited.client.get(path);
        expectScimError(answer, 429);
        expect(answer.headers.get('retry-after'), path).toMatch(/^[1-9]\d*$/);
      }
    });
  });

  it('supports /Bulk', async () => {
    const res = await client.post('/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'one', data: newUser() }],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.Operations[0].status).toBe('201');
  });

  it('supports a PATCH updating several attributes in one request', async () => {
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp(
        { op: 'replace', path: 'displayName', value: 'Several' },
        { op: 'replace', path: 'name.givenName', value: 'Grace' },
        { op: 'add', path: 'title', value: 'Rear Admiral' },
      ),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Several', name: { givenName: 'Grace' }, title: 'Rear Admiral' });
  });
});

describe('§5.1 AL1: Deactivate or Reactivate User (PATCH /Users/{id})', () => {
  it('deactivates with PATCH active=false, and the user stays readable', async () => {
    const user = await createUser(client);
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.active).toBe(false);
    expect((await fetchResource(client, `/Users/${user.id}`)).active).toBe(false);
  });

  it('allows reactivation of a deactivated user', async () => {
    const user = await createUser(client, { active: false });
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(res.status, res.text).toBe(200);
    expect((await fetchResource(client, `/Users/${user.id}`)).active).toBe(true);
  });
});

describe('§5.2 AL1: Delete User (DELETE /Users/{id})', () => {
  it('deletes, then allows a new user with the same username', async () => {
    const user = await createUser(client);
    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    const again = await client.post('/Users', newUser({ userName: user.userName }));
    expect(again.status, again.text).toBe(201);
  });
});

describe('§5.3 AL1: Get User By ID (GET /Users/{id})', () => {
  it('returns the user', async () => {
    const user = await createUser(client);
    expect((await fetchResource(client, `/Users/${user.id}`)).userName).toBe(user.userName);
  });
});

describe('§5.4 AL1: List Users By Alternate Identifier (GET /Users?)', () => {
  let user: Json;
  let email: string;

  beforeAll(async () => {
    email = `${uniqueName('ipsie')}@example.com`;
    // A second e-mail of another type, so a type condition has something to exclude.
    user = await createUser(client, {
      emails: [{ value: email, type: 'work', primary: true }, { value: `home-${email}`, type: 'home' }],
    });
  });

  it('username eq {username} (attribute names are case-insensitive)', async () => {
    expect(ids(await filtered('/Users', `username eq "${user.userName}"`))).toEqual([user.id]);
  });

  it('externalId eq {externalId}', async () => {
    expect(ids(await filtered('/Users', `externalId eq "${user.externalId}"`))).toEqual([user.id]);
  });

  it('emails[value eq {email}]', async () => {
    expect(ids(await filtered('/Users', `emails[value eq "${email}"]`))).toEqual([user.id]);
  });

  it('emails[type eq "work" and value eq {email}]', async () => {
    expect(ids(await filtered('/Users', `emails[type eq "work" and value eq "${email}"]`))).toEqual([user.id]);
    expect(ids(await filtered('/Users', `emails[type eq "work" and value eq "home-${email}"]`))).toEqual([]);
  });
});

describe('§6.1.1 AL2: User Schema', () => {
  it('declares userName, displayName and active; supports externalId', async () => {
    const schema = await fetchResource(client, `/Schemas/${URN.user}`);
    const names = schema.attributes.map((a: Json) => a.name);
    expect(names).toEqual(expect.arrayContaining(['userName', 'displayName', 'active']));
    const externalId = `ext-${randomUUID()}`;
    const user = await createUser(client, { externalId });
    expect((await fetchResource(client, `/Users/${user.id}`)).externalId).toBe(externalId);
  });
});

describe('§6.1.2 AL2: Passwords and other credentials', () => {
  it('deviates: accepts the placeholder password Okta sends, but never stores or returns it', async () => {
    const created = await client.post('/Users', newUser({ password: 'Pl4ceholder!Secret' }));
    expect(created.status, created.text).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    expect(await fetchResource(client, `/Users/${created.body.id}`)).not.toHaveProperty('password');
    // Never stored, so no filter can find a user by it.
    const found = await filtered('/Users', 'password eq "Pl4ceholder!Secret"');
    expect(found.body.totalResults ?? 0).toBe(0);
  });
});

describe('§6.1.3-5 AL2: Create, Update and Get All Users', () => {
  it('POST /Users creates', async () => {
    expect((await client.post('/Users', newUser())).status).toBe(201);
  });

  it('PATCH /Users/{id} updates attribute values', async () => {
    const user = await createUser(client);
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Updated' }));
    expect(res.status).toBe(200);
    expect(res.body.displayName).toBe('Updated');
  });

  it('GET /Users lists all users, never more than 1,000 a page, and offers cursors', async () => {
    await createUser(client);
    const all = await client.get('/Users', { query: { count: 5000 } });
    expect(all.status).toBe(200);
    expect(all.body.itemsPerPage).toBeLessThanOrEqual(1000);
    const config = await fetchResource(client, '/ServiceProviderConfig');
    expect(config.filter.maxResults).toBeLessThanOrEqual(1000);
    expect(config.pagination.cursor).toBe(true);
    const first = await client.get('/Users', { query: { cursor: '', count: 1 } });
    expect(first.status, first.text).toBe(200);
    expect(typeof first.body.nextCursor).toBe('string');
  });
});

describe('§6.2.1 AL2: Group Schema', () => {
  it('declares displayName and members; supports externalId', async () => {
    const schema = await fetchResource(client, `/Schemas/${URN.group}`);
    expect(schema.attributes.map((a: Json) => a.name)).toEqual(expect.arrayContaining(['displayName', 'members']));
    const externalId = `ext-${randomUUID()}`;
    const group = await createGroup(client, { externalId });
    expect((await fetchResource(client, `/Groups/${group.id}`)).externalId).toBe(externalId);
  });

  it('deviates (SHOULD): two groups may share a displayName, because Entra ID allows and provisions both', async () => {
    const displayName = uniqueName('same');
    await createGroup(client, { displayName });
    expect((await client.post('/Groups', newGroup({ displayName }))).status).toBe(201);
  });
});

describe('§6.2.2 AL2: Create Group (POST /Groups)', () => {
  it('creates a group with zero members', async () => {
    const res = await client.post('/Groups', newGroup({ members: [] }));
    expect(res.status, res.text).toBe(201);
    expect(memberIds(res.body)).toEqual([]);
    const bare = { schemas: [URN.group], displayName: uniqueName('bare') };
    expect((await client.post('/Groups', bare)).status).toBe(201);
  });
});

describe('§6.2.3-4 AL2: Get All Groups, Get Group By ID', () => {
  it('GET /Groups lists groups, and excludedAttributes=members leaves members out', async () => {
    const user = await createUser(client);
    const group = await createGroup(client, { members: [{ value: user.id }] });
    const res = await client.get('/Groups', { query: { excludedAttributes: 'members', count: 1000 } });
    expect(res.status).toBe(200);
    const listed = resources(res).find((g) => g.id === group.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('members');
  });

  it('GET /Groups/{id} returns the group with its members', async () => {
    const user = await createUser(client);
    const group = await createGroup(client, { members: [{ value: user.id }] });
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([user.id]);
  });
});

describe('§6.2.5 AL2: List Groups By Alternate Identifier (GET /Groups?)', () => {
  let user: Json;
  let group: Json;

  beforeAll(async () => {
    user = await createUser(client);
    group = await createGroup(client, { externalId: `ext-${randomUUID()}`, members: [{ value: user.id }] });
    await createGroup(client); // another group, without that member
  });

  it('displayName eq {displayName}', async () => {
    expect(ids(await filtered('/Groups', `displayName eq "${group.displayName}"`))).toEqual([group.id]);
  });

  it('externalId eq {externalId}', async () => {
    expect(ids(await filtered('/Groups', `externalId eq "${group.externalId}"`))).toEqual([group.id]);
  });

  it('members[value eq {memberId}]', async () => {
    expect(ids(await filtered('/Groups', `members[value eq "${user.id}"]`))).toEqual([group.id]);
  });
});

describe('§6.2.6 AL2: Update Group (PATCH /Groups/{id})', () => {
  it('updates attribute values', async () => {
    const group = await createGroup(client);
    const displayName = uniqueName('renamed');
    const res = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: displayName }));
    expect([200, 204]).toContain(res.status);
    expect((await fetchResource(client, `/Groups/${group.id}`)).displayName).toBe(displayName);
  });

  it('takes at least 50 add and 50 remove operations on members in one PATCH', async () => {
    const users: Json[] = [];
    for (let i = 0; i < 100; i++) users.push(await createUser(client));
    const [first, second] = [users.slice(0, 50), users.slice(50)];
    const group = await createGroup(client, { members: first.map((u) => ({ value: u.id })) });
    const res = await client.patch(
      `/Groups/${group.id}`,
      patchOp(
        ...second.map((u) => ({ op: 'add', path: 'members', value: [{ value: u.id }] })),
        ...first.map((u) => ({ op: 'remove', path: `members[value eq "${u.id}"]` })),
      ),
    );
    expect([200, 204], res.text).toContain(res.status);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(second.map((u) => u.id).sort());
  });
});

describe('§8 Security Considerations', () => {
  it('Error Handling: errors use the SCIM format and leak no internals', async () => {
    const res = await client.post('/Users', undefined, { rawBody: '{"userName": ' });
    expectScimError(res, 400, 'invalidSyntax');
    expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\/src\/|SQLITE|ECONN|stack/i);
    const missing = await client.get(`/Users/${randomUUID()}`);
    expectScimError(missing, 404);
    expect(missing.text).not.toMatch(/SELECT|node_modules|stack/i);
  });
});
