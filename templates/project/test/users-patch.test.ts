// PATCH /Users/{id} (RFC 7644 §3.5.2): add, replace and remove, with and without a path,
// sub-attributes, value-path filters and multi-valued attributes.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createUser,
  expectScimContentType,
  expectScimError,
  fetchResource,
  patchOp,
  WEAK_ETAG,
  type Json,
  type PatchOperation,
} from './helpers/scim.js';

const { client } = useScimServer();

/** Creates a user, applies the operations, and returns the PATCH response body (200 expected). */
async function patched(overrides: Record<string, unknown>, ...operations: PatchOperation[]): Promise<Json> {
  const user = await createUser(client, overrides);
  const res = await client.patch(`/Users/${user.id}`, patchOp(...operations));
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const workEmail = { value: 'ada@work.example.com', type: 'work', primary: true };
const homeEmail = { value: 'ada@home.example.org', type: 'home' };

describe('PATCH response', () => {
  it('is 200 with the whole updated resource, equal to a later GET', async () => {
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Countess' }),
    );
    expect(res.status).toBe(200);
    expectScimContentType(res);
    expect(res.body.displayName).toBe('Countess');
    expect(res.body.userName).toBe(user.userName);
    expect(await fetchResource(client, `/Users/${user.id}`)).toEqual(res.body);
  });

  it('carries a new weak ETag equal to meta.version', async () => {
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'Analyst' }),
    );
    expect(res.headers.get('etag')).toMatch(WEAK_ETAG);
    expect(res.headers.get('etag')).toBe(res.body.meta.version);
    expect(res.body.meta.version).not.toBe(user.meta.version);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await client.patch(
      '/Users/2819c223-7f76-453a-919d-413861904646',
      patchOp({ op: 'replace', path: 'title', value: 'x' }),
    );
    expectScimError(res, 404);
  });
});

describe('single-valued attributes', () => {
  it('add with a path sets an absent attribute', async () => {
    const body = await patched({}, { op: 'add', path: 'nickName', value: 'Babs' });
    expect(body.nickName).toBe('Babs');
  });

  it('replace with a path overwrites it', async () => {
    const body = await patched({ title: 'Engineer' }, { op: 'replace', path: 'title', value: 'Director' });
    expect(body.title).toBe('Director');
  });

  it('remove with a path unassigns it', async () => {
    const body = await patched({ nickName: 'Babs' }, { op: 'remove', path: 'nickName' });
    expect(body).not.toHaveProperty('nickName');
  });

  it('replace active false deactivates, and the user stays readable', async () => {
    const body = await patched({}, { op: 'replace', path: 'active', value: false });
    expect(body.active).toBe(false);
    expect((await fetchResource(client, `/Users/${body.id}`)).active).toBe(false);
  });

  it('attribute names in paths are case-insensitive', async () => {
    const body = await patched({}, { op: 'replace', path: 'DISPLAYNAME', value: 'Shouted' });
    expect(body.displayName).toBe('Shouted');
  });
});

describe('without a path', () => {
  it('replace sets every attribute in the value object', async () => {
    const body = await patched({}, { op: 'replace', value: { displayName: 'A. King', title: 'Countess' } });
    expect(body).toMatchObject({ displayName: 'A. King', title: 'Countess' });
  });

  it('add sets every attribute in the value object', async () => {
    const body = await patched(
      {},
      { op: 'add', value: { nickName: 'Babs', profileUrl: 'https://example.com/ada' } },
    );
    expect(body).toMatchObject({ nickName: 'Babs', profileUrl: 'https://example.com/ada' });
  });

  it('add merges a complex value: sub-attributes not named are kept', async () => {
    const body = await patched({}, { op: 'add', value: { name: { middleName: 'Augusta' } } });
    expect(body.name).toEqual({ givenName: 'Ada', familyName: 'Lovelace', middleName: 'Augusta' });
  });

  it('add appends to multi-valued attributes instead of replacing them', async () => {
    const body = await patched({ emails: [workEmail] }, { op: 'add', value: { emails: [homeEmail] } });
    expect(body.emails).toHaveLength(2);
    expect(body.emails).toEqual(
      expect.arrayContaining([expect.objectContaining(workEmail), expect.objectContaining(homeEmail)]),
    );
  });
});

describe('complex attributes and sub-attributes', () => {
  it('replace name.givenName changes only that sub-attribute', async () => {
    const body = await patched({}, { op: 'replace', path: 'name.givenName', value: 'Augusta' });
    expect(body.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
  });

  it('replace name with an object replaces the whole name (interoperability profile §6.5.2.1)', async () => {
    const body = await patched({}, { op: 'replace', path: 'name', value: { givenName: 'Augusta' } });
    expect(body.name).toEqual({ givenName: 'Augusta' });
  });

  it('add name with an object keeps the sub-attributes it does not name (RFC 7644 §3.5.2.1)', async () => {
    const body = await patched({}, { op: 'add', path: 'name', value: { givenName: 'Augusta' } });
    expect(body.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
  });

  it('a path-less replace of name keeps the sub-attributes it does not name', async () => {
    const body = await patched({}, { op: 'replace', value: { name: { givenName: 'Augusta' } } });
    expect(body.name).toEqual({ givenName: 'Augusta', familyName: 'Lovelace' });
  });

  it('remove name.familyName removes only that sub-attribute', async () => {
    const body = await patched({}, { op: 'remove', path: 'name.familyName' });
    expect(body.name).toEqual({ givenName: 'Ada' });
  });
});

describe('multi-valued attributes', () => {
  it('add with path emails appends the new values', async () => {
    const body = await patched({ emails: [workEmail] }, { op: 'add', path: 'emails', value: [homeEmail] });
    expect(body.emails).toEqual(
      expect.arrayContaining([expect.objectContaining(workEmail), expect.objectContaining(homeEmail)]),
    );
    expect(body.emails).toHaveLength(2);
  });

  it('add of a value already present does not duplicate it', async () => {
    const body = await patched(
      { emails: [workEmail, homeEmail] },
      { op: 'add', path: 'emails', value: [homeEmail] },
    );
    expect(body.emails).toHaveLength(2);
  });

  it('replace with path emails replaces the whole list', async () => {
    const other = { value: 'ada@other.example.net', type: 'other' };
    const body = await patched(
      { emails: [workEmail, homeEmail] },
      { op: 'replace', path: 'emails', value: [other] },
    );
    expect(body.emails).toEqual([expect.objectContaining(other)]);
  });

  it('replace emails[type eq "work"].value changes only the work email', async () => {
    const body = await patched(
      { emails: [workEmail, homeEmail] },
      { op: 'replace', path: 'emails[type eq "work"].value', value: 'countess@work.example.com' },
    );
    expect(body.emails).toHaveLength(2);
    expect(body.emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'work', value: 'countess@work.example.com', primary: true }),
        expect.objectContaining(homeEmail),
      ]),
    );
  });

  it('replace on a value path with a complex value updates the matching element', async () => {
    const body = await patched(
      { emails: [workEmail, homeEmail] },
      { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'new@home.example.org' } },
    );
    expect(body.emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining(workEmail),
        expect.objectContaining({ type: 'home', value: 'new@home.example.org' }),
      ]),
    );
  });

  it('remove emails[type eq "home"] removes only the matching element', async () => {
    const body = await patched(
      { emails: [workEmail, homeEmail] },
      { op: 'remove', path: 'emails[type eq "home"]' },
    );
    expect(body.emails).toEqual([expect.objectContaining(workEmail)]);
  });

  it('remove with a value filter combining and', async () => {
    const body = await patched(
      { emails: [workEmail, homeEmail] },
      { op: 'remove', path: 'emails[type eq "work" and value co "@work."]' },
    );
    expect(body.emails).toEqual([expect.objectContaining(homeEmail)]);
  });

  it('remove of the last element leaves the attribute unassigned', async () => {
    const body = await patched({ emails: [workEmail] }, { op: 'remove', path: 'emails[type eq "work"]' });
    expect(body.emails ?? []).toEqual([]);
  });

  it('remove with path emails removes all of them', async () => {
    const body = await patched({ emails: [workEmail, homeEmail] }, { op: 'remove', path: 'emails' });
    expect(body).not.toHaveProperty('emails');
  });

  it('keeps at most one primary value: adding a new primary clears the old one', async () => {
    const body = await patched(
      { emails: [workEmail] },
      { op: 'add', path: 'emails', value: [{ value: 'new@home.example.org', type: 'home', primary: true }] },
    );
    const primaries = body.emails.filter((e: Json) => e.primary === true);
    expect(primaries).toEqual([expect.objectContaining({ value: 'new@home.example.org' })]);
  });
});

describe('several operations', () => {
  it('are applied in order', async () => {
    const body = await patched(
      {},
      { op: 'add', path: 'nickName', value: 'first' },
      { op: 'replace', path: 'nickName', value: 'second' },
      { op: 'add', path: 'title', value: 'Countess' },
      { op: 'remove', path: 'title' },
    );
    expect(body.nickName).toBe('second');
    expect(body).not.toHaveProperty('title');
  });

  it('are atomic: when one fails nothing is applied', async () => {
    const user = await createUser(client, { displayName: 'Before' });
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp(
        { op: 'replace', path: 'displayName', value: 'After' },
        { op: 'replace', path: 'noSuchAttribute', value: 1 },
      ),
    );
    expectScimError(res, 400, 'invalidSyntax');
    const stored = await fetchResource(client, `/Users/${user.id}`);
    expect(stored.displayName).toBe('Before');
    expect(stored.meta.version).toBe(user.meta.version);
  });
});

describe('password, read-only, required and unique attributes', () => {
  it('accepts a password replace (Okta password sync) without returning it', async () => {
    const body = await patched({}, { op: 'replace', value: { password: 'N3w!Secret' } });
    expect(body).not.toHaveProperty('password');
  });

  it('refuses to replace id with 400 mutability', async () => {
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'id', value: 'something-else' }),
    );
    expectScimError(res, 400, 'mutability');
  });

  it('refuses to replace meta.created with 400 mutability', async () => {
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'meta.created', value: '2001-01-01T00:00:00Z' }),
    );
    expectScimError(res, 400, 'mutability');
  });

  it('refuses to rename userName to a taken one (any case) with 409 uniqueness', async () => {
    const taken = await createUser(client);
    const user = await createUser(client);
    const res = await client.patch(
      `/Users/${user.id}`,
      patchOp({ op: 'replace', path: 'userName', value: taken.userName.toUpperCase() }),
    );
    expectScimError(res, 409, 'uniqueness');
  });

  it('refuses to remove the required userName', async () => {
    const user = await createUser(client);
    const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'remove', path: 'userName' }));
    expect(res.status).toBe(400);
    expect(['invalidValue', 'mutability']).toContain(res.body.scimType);
  });
});
