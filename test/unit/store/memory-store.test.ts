// What the in-memory reference store promises beyond the shared contract (contract.test.ts runs
// that): callers never share its objects, a group's version follows its members' deletion, and
// every attribute a schema declares unique is unique, not just userName.

import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../templates/scim/registry.js';
import { createMemoryStore } from '../../../templates/database-custom/memory-store.js';
import { attr, groupSchema, groupType, USER_URN, userSchema, userType } from '../scim/fixtures.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { group, inTenant, registry, rejection, user } from './contract.js';

const User = registry.byName('User')!;
const Group = registry.byName('Group')!;

describe('memory store', () => {
  it('copies documents in and out, so nobody edits the store by accident', async () => {
    const store = inTenant(createMemoryStore({ registry }), DEFAULT_TENANT);
    const attributes = user('alice', { emails: [{ value: 'a@example.com' }] });
    const created = await store.create(User, attributes, []);
    (attributes.emails as Array<{ value: string }>)[0]!.value = 'changed@example.com';
    (created.attributes.emails as Array<{ value: string }>)[0]!.value = 'changed@example.com';
    const read = await store.get(User, created.id, { withMembers: false, withGroups: false });
    expect(read?.attributes.emails).toEqual([{ value: 'a@example.com' }]);
  });

  it("bumps a group's version when one of its members is deleted (its members changed)", async () => {
    const store = inTenant(createMemoryStore({ registry }), DEFAULT_TENANT);
    const ada = await store.create(User, user('ada'), []);
    const team = await store.create(Group, group('Team'), [ada.id]);
    await store.delete(User, ada.id, {});
    const after = await store.get(Group, team.id, { withMembers: true, withGroups: false });
    expect(after).toMatchObject({ version: team.version + 1, members: [] });
  });

  it('enforces every unique attribute, caseExact ones by exact value', async () => {
    const EXT = 'urn:example:params:scim:schemas:extension:badge:2.0:User';
    const badged = buildRegistry(
      [{ ...userType, schemaExtensions: [{ schema: EXT, required: false }] }, groupType],
      [userSchema, groupSchema, { id: EXT, name: 'Badge', attributes: [attr('badgeId', 'string', { caseExact: true, uniqueness: 'server' })] }],
    );
    const BadgedUser = badged.byName('User')!;
    const store = inTenant(createMemoryStore({ registry: badged }), DEFAULT_TENANT);
    const withBadge = (name: string, badgeId: string) => user(name, { schemas: [USER_URN, EXT], [EXT]: { badgeId } });
    await store.create(BadgedUser, withBadge('a', 'B-1'), []);
    expect(await rejection(store.create(BadgedUser, withBadge('b', 'B-1'), []))).toMatchObject({
      status: 409,
      message: expect.stringContaining('badgeId'),
    });
    expect((await store.create(BadgedUser, withBadge('c', 'b-1'), [])).version).toBe(1);
  });

  it('lists in creation order without sortBy, and keeps that order for equal sort keys', async () => {
    const store = inTenant(createMemoryStore({ registry }), DEFAULT_TENANT);
    for (const name of ['c', 'a', 'b']) await store.create(User, user(name, { title: 'same' }), []);
    const list = async (sortBy?: string) =>
      (await store.list(User, {
        sortOrder: 'descending',
        startIndex: 1,
        count: 10,
        withMembers: false,
        withGroups: false,
        ...(sortBy ? { sortBy: { attr: sortBy } } : {}),
      })).resources.map((r) => r.attributes.userName);
    expect(await list()).toEqual(['c', 'a', 'b']);
    expect(await list('title')).toEqual(['c', 'a', 'b']);
  });
});
