// Concurrency: uniqueness is decided by the database, not by read-then-write, and membership
// PATCHes are applied as deltas, so parallel requests never lose updates.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import {
  createGroup,
  createUser,
  expectScimError,
  fetchResource,
  memberIds,
  newUser,
  patchOp,
} from './helpers/scim.js';

const { client } = useScimServer();

describe('parallel requests', () => {
  it('10 POSTs of one new userName create it exactly once (one 201, nine 409)', async () => {
    const body = newUser();
    const responses = await Promise.all(Array.from({ length: 10 }, () => client.post('/Users', body)));

    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array<number>(9).fill(409)]);
    for (const res of responses.filter((r) => r.status === 409)) expectScimError(res, 409, 'uniqueness');

    const list = await client.get('/Users', { query: { filter: `userName eq "${body.userName}"` } });
    expect(list.body.totalResults).toBe(1);
  });

  it('10 POSTs differing only in userName case create it exactly once', async () => {
    const base = newUser();
    const variants = Array.from({ length: 10 }, (_, i) =>
      newUser({ userName: i % 2 === 0 ? String(base.userName).toUpperCase() : base.userName }),
    );
    const responses = await Promise.all(variants.map((v) => client.post('/Users', v)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(9);
  });

  it('20 single-member PATCH adds to one group keep all 20 members', async () => {
    const group = await createGroup(client);
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser(client)));

    const responses = await Promise.all(
      users.map((u) =>
        client.patch(
          `/Groups/${group.id}`,
          patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }),
        ),
      ),
    );
    for (const res of responses) expect(res.status, res.text).toBe(204);

    const stored = await fetchResource(client, `/Groups/${group.id}`);
    expect(memberIds(stored)).toEqual(users.map((u) => u.id as string).sort());
  });

  it('parallel adds and removes on one group apply every delta', async () => {
    const users = await Promise.all(Array.from({ length: 10 }, () => createUser(client)));
    const stay = users.slice(0, 5);
    const leave = users.slice(5);
    const group = await createGroup(client, { members: leave.map((u) => ({ value: u.id })) });

    const responses = await Promise.all([
      ...stay.map((u) =>
        client.patch(
          `/Groups/${group.id}`,
          patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] }),
        ),
      ),
      ...leave.map((u) =>
        client.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${u.id}"]` })),
      ),
    ]);
    for (const res of responses) expect(res.status, res.text).toBe(204);

    expect(memberIds(await fetchResource(client, `/Groups/${group.id}`))).toEqual(
      stay.map((u) => u.id as string).sort(),
    );
  });

  it('parallel PATCHes to one user each apply (no lost update)', async () => {
    const user = await createUser(client);
    const emails = Array.from({ length: 10 }, (_, i) => ({
      value: `parallel-${i}@example.com`,
      type: 'other',
    }));
    const responses = await Promise.all(
      emails.map((e) =>
        client.patch(`/Users/${user.id}`, patchOp({ op: 'add', path: 'emails', value: [e] })),
      ),
    );
    for (const res of responses) expect(res.status, res.text).toBe(200);

    const stored = await fetchResource(client, `/Users/${user.id}`);
    const values = stored.emails.map((e: { value: string }) => e.value);
    expect(values).toEqual(expect.arrayContaining(emails.map((e) => e.value)));
  });

  it('a PUT racing Group Push adds of the same user never fails with 412 (no If-Match sent)', async () => {
    // Adding a user to a group changes its `groups`, so its version; a PUT without If-Match
    // must not lose to that race (Okta's App Integration Wizard apps update users with PUT).
    // With a synchronous store (SQLite) requests cannot interleave inside one write, so this
    // guards asynchronous stores; the engine's own unit tests force the race deterministically.
    const user = await createUser(client);
    const groups = await Promise.all(Array.from({ length: 8 }, () => createGroup(client)));
    const add = patchOp({ op: 'add', path: 'members', value: [{ value: user.id }] });
    const updates = Array.from({ length: 8 }, (_, i) => ({ ...newUser({ userName: user.userName }), title: `Title ${i}` }));
    const responses = await Promise.all([
      ...groups.map((g) => client.patch(`/Groups/${g.id}`, add)),
      ...updates.map((body) => client.put(`/Users/${user.id}`, body)),
    ]);
    for (const res of responses) expect(res.status, res.text).toBeLessThan(300);

    const stored = await fetchResource(client, `/Users/${user.id}`);
    expect(stored.groups.map((g: { value: string }) => g.value).sort()).toEqual(groups.map((g) => g.id).sort());
  });
});
