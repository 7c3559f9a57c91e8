// The SCIM 2.0 Interoperability Profile (draft-zollner-scim-interop-profile-01): one test per
// requirement it places on a service provider that can be checked over HTTP, named after its
// section. Where Okta or Entra ID send what the profile forbids, the server accepts it (the
// identity providers win) and the test says so; the README's conformance table lists the rest.

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_ATTRIBUTES } from '../src/generated/project.gen.js';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimContentType,
  expectScimError,
  fetchResource,
  memberIds,
  newUser,
  patchOp,
  resources,
  uniqueName,
  URN,
  type Json,
  type PatchOperation,
} from './helpers/scim.js';

const { client } = useScimServer();
const rejectsUnknown = UNKNOWN_ATTRIBUTES === 'reject';

const filterUsers = (filter: string) => client.get('/Users', { query: { filter } });

async function patched(id: string, ...operations: PatchOperation[]): Promise<Json> {
  const res = await client.patch(`/Users/${id}`, patchOp(...operations));
  expect(res.status, res.text).toBe(200);
  return res.body;
}

describe('§4 Scope and Conformance', () => {
  it('does not claim interopProfileConformant, since it accepts the path-less PATCH Okta and Entra ID send', async () => {
    const config = await fetchResource(client, '/ServiceProviderConfig');
    // "A Service Provider that does not conform MUST either omit this attribute or set it to false."
    expect(config.interopProfileConformant ?? false).toBe(false);
  });
});

describe('§5.1 Discovery Endpoints', () => {
  let types: Json[];
  let schemas: Json[];

  beforeAll(async () => {
    types = (await fetchResource(client, '/ResourceTypes')).Resources;
    schemas = (await fetchResource(client, '/Schemas')).Resources;
  });

  it('serves ServiceProviderConfig, Schemas and ResourceTypes as SCIM JSON', async () => {
    for (const path of ['/ServiceProviderConfig', '/Schemas', '/ResourceTypes']) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expectScimContentType(res);
    }
  });

  it('every ResourceType has an id equal to its name', () => {
    expect(types.length).toBeGreaterThan(0);
    for (const type of types) expect(type.id).toBe(type.name);
  });

  it('every schema a ResourceType references is served at /Schemas and /Schemas/{id}', async () => {
    const listed = new Set(schemas.map((s) => s.id));
    for (const type of types) {
      for (const urn of [type.schema, ...(type.schemaExtensions ?? []).map((e: Json) => e.schema)]) {
        expect(listed.has(urn), urn).toBe(true);
        expect((await client.get(`/Schemas/${urn}`)).status, urn).toBe(200);
      }
    }
  });

  it('publishes every attribute a stored User carries (the /Schemas list is accurate)', async () => {
    const user = await createUser(client);
    const userType = types.find((t) => t.endpoint === '/Users');
    const core = schemas.find((s) => s.id === userType.schema);
    const declared = new Set(core.attributes.map((a: Json) => a.name.toLowerCase()));
    const extensions = new Set((userType.schemaExtensions ?? []).map((e: Json) => e.schema));
    for (const key of Object.keys(user)) {
      if (['schemas', 'id', 'externalId', 'meta'].includes(key) || extensions.has(key)) continue;
      expect(declared.has(key.toLowerCase()), `"${key}" is returned but not in ${core.id}`).toBe(true);
    }
  });
});

describe('§5.2 Case Sensitivity', () => {
  it('userName: a filter ignores case, and so does the uniqueness check (JSmith and jsmith are one)', async () => {
    const name = `JSmith-${randomUUID()}`;
    await createUser(client, { userName: name });
    const found = await filterUsers(`userName eq "${name.toLowerCase()}"`);
    expect(found.status).toBe(200);
    expect(resources(found).map((r) => r.userName)).toEqual([name]);
    expectScimError(await client.post('/Users', newUser({ userName: name.toLowerCase() })), 409, 'uniqueness');
  });

  it('id: abc-123 and ABC-123 are distinct (another case of an id is not found)', async () => {
    const user = await createUser(client);
    const other = user.id.toUpperCase() === user.id ? user.id.toLowerCase() : user.id.toUpperCase();
    expectScimError(await client.get(`/Users/${other}`), 404);
  });

  it('externalId: ABC-123 and abc-123 are distinct', async () => {
    const externalId = `ABC-${randomUUID()}`;
    const upper = await createUser(client, { externalId });
    const lower = await createUser(client, { externalId: externalId.toLowerCase() });
    expect(resources(await filterUsers(`externalId eq "${externalId}"`)).map((r) => r.id)).toEqual([upper.id]);
    expect(resources(await filterUsers(`externalId eq "${externalId.toLowerCase()}"`)).map((r) => r.id)).toEqual([lower.id]);
  });
});

describe('§5.3 Attribute and Schema Handling', () => {
  // Registered for this project's setting only, so the suite skips nothing.
  if (rejectsUnknown) {
    it('an attribute no schema declares -> 400 invalidSyntax (POST, PUT and PATCH)', async () => {
      expectScimError(await client.post('/Users', newUser({ favouriteColour: 'blue' })), 400, 'invalidSyntax');
      const user = await createUser(client);
      expectScimError(await client.put(`/Users/${user.id}`, newUser({ userName: user.userName, favouriteColour: 'blue' })), 400, 'invalidSyntax');
      const patch = (op: PatchOperation) => client.patch(`/Users/${user.id}`, patchOp(op));
      expectScimError(await patch({ op: 'add', path: 'favouriteColour', value: 'blue' }), 400, 'invalidSyntax');
      expectScimError(await patch({ op: 'replace', value: { favouriteColour: 'blue' } }), 400, 'invalidSyntax');
    });

    it('a schema URI no resource type declares -> 400 invalidSyntax', async () => {
      const body = newUser();
      body.schemas = [URN.user, 'urn:example:params:scim:schemas:extension:unknown:2.0:User'];
      expectScimError(await client.post('/Users', body), 400, 'invalidSyntax');
    });
  } else {
    it('deviates: this project ("unknownAttributes": "ignore") drops them instead', async () => {
      const created = await createUser(client, { favouriteColour: 'blue' });
      expect(created).not.toHaveProperty('favouriteColour');
    });
  }
});

describe('§5.4 Canonical Values for Typed Attributes', () => {
  // RFC 7643 gives no type values for these three; the server declares none and accepts any.
  const WITHOUT_CANONICAL_TYPES = new Set(['roles', 'entitlements', 'x509certificates']);

  it('declares canonicalValues on the type of every multi-valued complex attribute that has one', async () => {
    const schemas: Json[] = (await fetchResource(client, '/Schemas')).Resources;
    const typed = schemas.flatMap((schema) =>
      schema.attributes
        .filter((a: Json) => a.multiValued && a.type === 'complex')
        .flatMap((a: Json) => {
          const type = (a.subAttributes ?? []).find((s: Json) => s.name === 'type');
          return type ? [{ name: `${schema.id}:${a.name}`, short: a.name.toLowerCase(), type }] : [];
        }),
    );
    expect(typed.map((t) => t.short)).toContain('emails');
    for (const { name, short, type } of typed) {
      if (WITHOUT_CANONICAL_TYPES.has(short)) continue;
      expect(type.canonicalValues?.length, `${name}.type`).toBeGreaterThan(0);
    }
  });
});

describe('§6.1 Endpoint Structure', () => {
  it('each resource type has its own endpoint, listing only its own resources', async () => {
    await createUser(client);
    await createGroup(client);
    for (const [path, type] of [['/Users', 'User'], ['/Groups', 'Group']] as const) {
      const res = await client.get(path, { query: { count: 50 } });
      expect(res.status).toBe(200);
      const listed = resources(res);
      expect(listed.length).toBeGreaterThan(0);
      for (const r of listed) expect(r.meta.resourceType).toBe(type);
    }
  });

  it('addresses a resource at /{endpoint}/{id} only, never by another attribute', async () => {
    const user = await createUser(client);
    expect(new URL(user.meta.location).pathname.endsWith(`/Users/${user.id}`)).toBe(true);
    expect((await client.get(`/Users/${user.id}`)).status).toBe(200);
    expectScimError(await client.get(`/Users/${encodeURIComponent(user.userName)}`), 404);
    expectScimError(await client.get(`/Users/${user.externalId}`), 404);
  });
});

describe('§6.2 Data Format and HTTP Headers', () => {
  it('answers with Content-Type application/scim+json: resources, lists, errors', async () => {
    const created = await client.post('/Users', newUser());
    expect(created.status).toBe(201);
    expectScimContentType(created);
    expectScimContentType(await client.get('/Users', { query: { count: 1 } }));
    expectScimContentType(await client.get(`/Users/${randomUUID()}`));
  });

  it('accepts request bodies sent as application/scim+json', async () => {
    const res = await client.post('/Users', newUser(), { contentType: 'application/scim+json' });
    expect(res.status, res.text).toBe(201);
  });
});

describe('§6.3 Filtering', () => {
  it('supports eq, and "and" between eq terms', async () => {
    const user = await createUser(client);
    const byName = await filterUsers(`userName eq "${user.userName}"`);
    expect(resources(byName).map((r) => r.id)).toEqual([user.id]);
    const both = await filterUsers(`userName eq "${user.userName}" and externalId eq "${user.externalId}"`);
    expect(resources(both).map((r) => r.id)).toEqual([user.id]);
    const neither = await filterUsers(`userName eq "${user.userName}" and externalId eq "other"`);
    expect(neither.body.totalResults).toBe(0);
  });

  it('a filter naming an attribute the resource type lacks -> 400 invalidFilter, on /Users and /Groups', async () => {
    for (const path of ['/Users', '/Groups']) {
      expectScimError(await client.get(path, { query: { filter: 'favouriteColour eq "blue"' } }), 400, 'invalidFilter');
    }
  });
});

describe('§6.4 Pagination', () => {
  const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
  let maxResults: number;
  /** Users with this prefix in their userName, for pages that hold only them. */
  const prefix = uniqueName('page');

  beforeAll(async () => {
    maxResults = (await fetchResource(client, '/ServiceProviderConfig')).filter.maxResults;
    // One more than the server's page maximum, made in /Bulk requests of 500.
    const total = maxResults + 1;
    for (let start = 0; start < total; start += 500) {
      const Operations = Array.from({ length: Math.min(500, total - start) }, (_, i) => ({
        method: 'POST',
        path: '/Users',
        bulkId: `u${start + i}`,
        data: newUser({ userName: `${prefix}-${start + i}@example.com` }),
      }));
      const res = await client.post('/Bulk', { schemas: [BULK_REQUEST], Operations });
      expect(res.status, res.text.slice(0, 500)).toBe(200);
      expect(res.body.Operations.every((op: Json) => op.status === '201')).toBe(true);
    }
  }, 120_000);

  const page = (query: Record<string, string | number>) =>
    client.get('/Users', { query: { filter: `userName sw "${prefix}"`, ...query } });

  it('offers index paging and cursor paging (RFC 9865)', async () => {
    const config = await fetchResource(client, '/ServiceProviderConfig');
    expect(config.pagination).toMatchObject({ index: true, cursor: true });
  });

  it('returns at least 100 results when count is omitted (SHOULD)', async () => {
    const res = await page({});
    expect(res.status).toBe(200);
    expect(resources(res).length).toBeGreaterThanOrEqual(100);
  });

  it('honours a count of 100', async () => {
    const res = await page({ count: 100 });
    expect(resources(res).length).toBe(100);
    expect(res.body.itemsPerPage).toBe(100);
  });

  it('returns fewer results than asked when count exceeds its maximum, and says so', async () => {
    const res = await page({ count: maxResults + 1 });
    expect(res.status).toBe(200);
    expect(res.body.totalResults).toBe(maxResults + 1);
    expect(resources(res).length).toBe(maxResults);
    expect(res.body.itemsPerPage).toBe(maxResults);
  });
});

describe('§6.5 Updating Resources', () => {
  it('advertises and supports PATCH', async () => {
    expect((await fetchResource(client, '/ServiceProviderConfig')).patch).toEqual({ supported: true });
    const user = await createUser(client);
    expect((await patched(user.id, { op: 'replace', path: 'displayName', value: 'Patched' })).displayName).toBe('Patched');
  });

  it('§6.5.1.1 deviates: a path-less operation is accepted, because Okta and Entra ID send them', async () => {
    // Okta deactivates with {"op":"replace","value":{"active":false}}; the profile asks for 400 invalidSyntax.
    const user = await createUser(client);
    expect((await patched(user.id, { op: 'replace', value: { active: false } })).active).toBe(false);
  });

  it('§6.5.1.2 applies one operation per attribute, several in one request', async () => {
    const user = await createUser(client);
    const body = await patched(
      user.id,
      { op: 'replace', path: 'displayName', value: 'Several' },
      { op: 'replace', path: 'title', value: 'Engineer' },
      { op: 'replace', path: 'active', value: false },
    );
    expect(body).toMatchObject({ displayName: 'Several', title: 'Engineer', active: false });
  });

  it('§6.5.2.1 treats add and replace alike on singular simple attributes', async () => {
    const user = await createUser(client);
    const added = await patched(user.id, { op: 'add', path: 'active', value: false }, { op: 'add', path: 'displayName', value: 'Added' });
    expect(added).toMatchObject({ active: false, displayName: 'Added' });
    const replaced = await patched(user.id, { op: 'replace', path: 'active', value: true }, { op: 'replace', path: 'displayName', value: 'Replaced' });
    expect(replaced).toMatchObject({ active: true, displayName: 'Replaced' });
    const renamed = `${uniqueName('renamed')}@example.com`;
    expect((await patched(user.id, { op: 'add', path: 'userName', value: renamed })).userName).toBe(renamed);
  });

  it('§6.5.2.1 replace of a whole complex attribute replaces it; sub-attributes not given are removed', async () => {
    const user = await createUser(client, { name: { givenName: 'Ada', familyName: 'Lovelace', middleName: 'King' } });
    const body = await patched(user.id, { op: 'replace', path: 'name', value: { givenName: 'Augusta', familyName: 'Byron' } });
    expect(body.name).toEqual({ givenName: 'Augusta', familyName: 'Byron' });
  });

  it('§6.5.2.1 add of a whole complex attribute merges; sub-attributes not given are kept', async () => {
    const user = await createUser(client, { name: { givenName: 'Ada', familyName: 'Lovelace' } });
    const body = await patched(user.id, { op: 'add', path: 'name', value: { middleName: 'King' } });
    expect(body.name).toEqual({ givenName: 'Ada', familyName: 'Lovelace', middleName: 'King' });
  });

  it('§6.5.2.1 a sub-attribute addressed by dot notation changes only that sub-attribute', async () => {
    const user = await createUser(client, { name: { givenName: 'Ada', familyName: 'Lovelace' } });
    const body = await patched(user.id, { op: 'replace', path: 'name.givenName', value: 'Augusta' });
    expect(body.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
  });

  it('§6.5.2.2 replace of a multi-valued attribute replaces the collection; add appends', async () => {
    const work = { value: `${uniqueName('w')}@example.com`, type: 'work', primary: true };
    const home = { value: `${uniqueName('h')}@example.org`, type: 'home' };
    const other = { value: `${uniqueName('o')}@example.net`, type: 'other' };
    const user = await createUser(client, { emails: [work] });
    const added = await patched(user.id, { op: 'add', path: 'emails', value: [home] });
    expect(added.emails).toEqual([work, home]);
    const replaced = await patched(user.id, { op: 'replace', path: 'emails', value: [other] });
    expect(replaced.emails).toEqual([other]);
  });

  it('§6.5.2.2 sets a sub-attribute of the element a filter selects', async () => {
    const user = await createUser(client, { emails: [{ value: 'old@example.com', type: 'work' }] });
    const body = await patched(user.id, { op: 'replace', path: 'emails[type eq "work"].value', value: 'new@example.com' });
    expect(body.emails).toEqual([{ value: 'new@example.com', type: 'work' }]);
  });

  it('§6.5.2.2 deviates: a filter selecting the element itself is accepted, because Okta removes members that way', async () => {
    const user = await createUser(client);
    const group = await createGroup(client, { members: [{ value: user.id }] });
    const res = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` }));
    expect([200, 204]).toContain(res.status);
    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual([]);
  });
});

describe('§6.6 Resource Lifecycle', () => {
  it('a PATCH never deletes: a deactivated user is still there and still listed', async () => {
    const user = await createUser(client);
    await patched(user.id, { op: 'replace', path: 'active', value: false });
    expect((await fetchResource(client, `/Users/${user.id}`)).active).toBe(false);
    expect(resources(await filterUsers(`userName eq "${user.userName}"`)).map((r) => r.id)).toEqual([user.id]);
  });

  it('a deleted resource is 404 to every operation and absent from every query', async () => {
    const user = await createUser(client);
    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    expectScimError(await client.get(`/Users/${user.id}`), 404);
    expectScimError(await client.put(`/Users/${user.id}`, newUser({ userName: user.userName })), 404);
    expectScimError(await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: true })), 404);
    expectScimError(await client.delete(`/Users/${user.id}`), 404);
    expect((await filterUsers(`userName eq "${user.userName}"`)).body.totalResults).toBe(0);
    expect((await filterUsers(`id eq "${user.id}"`)).body.totalResults).toBe(0);
  });

  it('a DELETE deletes (it does not deactivate), and frees the userName for a new resource', async () => {
    const user = await createUser(client);
    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    expect((await filterUsers(`externalId eq "${user.externalId}"`)).body.totalResults).toBe(0);
    const again = await client.post('/Users', newUser({ userName: user.userName }));
    expect(again.status, again.text).toBe(201);
    expect(again.body.id).not.toBe(user.id);
  });
});

describe('§6.7 Concurrency and Versioning', () => {
  it('serves writes without If-Match (clients following the profile send none)', async () => {
    const user = await createUser(client);
    expect((await client.put(`/Users/${user.id}`, newUser({ userName: user.userName, displayName: 'Put' }))).status).toBe(200);
    expect((await patched(user.id, { op: 'replace', path: 'displayName', value: 'Patched' })).displayName).toBe('Patched');
  });
});

describe('§6.8 Bulk Operations', () => {
  it('supports /Bulk (optional in the profile)', async () => {
    expect((await fetchResource(client, '/ServiceProviderConfig')).bulk.supported).toBe(true);
  });
});

describe('§6.9.1 Uniqueness Conflicts', () => {
  it('POST with a taken userName -> 409 uniqueness', async () => {
    const user = await createUser(client);
    expectScimError(await client.post('/Users', newUser({ userName: user.userName })), 409, 'uniqueness');
  });

  it('PATCH to a taken userName -> 409 uniqueness', async () => {
    const first = await createUser(client);
    const second = await createUser(client);
    const res = await client.patch(`/Users/${second.id}`, patchOp({ op: 'replace', path: 'userName', value: first.userName }));
    expectScimError(res, 409, 'uniqueness');
  });
});
