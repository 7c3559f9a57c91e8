// Every committed change is an event, written in the change's transaction, and read back here
// the way an operator reads the audit log: GET /admin/v1/audit (and `npm run audit`). Exactly
// one event per change, none for a request that fails; the deprovisioning policy (active:false
// keeps the user, SCIM_DELETE=soft frees its userName at once); and no secret anywhere: not in
// an event, not in the database.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from '../src/generated/audit-cli.js';
import type { CliIo } from '../src/generated/cli-io.js';
import { newGroup, newUser, patchOp, URN, type Json } from './helpers/scim.js';
import { useScimServer } from './helpers/server.js';
import { newAdminToken } from './helpers/tenants.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

describe('events and the audit log', () => {
  const { server, client } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken(), SCIM_DELETE: 'soft' });

  /** GET /admin/v1/audit with these parameters; fails the test unless 200. */
  async function audit(query: Record<string, string>): Promise<{ events: Json[]; next?: number }> {
    const response = await fetch(`${server.origin}/admin/v1/audit?${new URLSearchParams(query)}`, {
      headers: { authorization: `Bearer ${server.env.SCIM_ADMIN_TOKEN}` },
    });
    const body = (await response.json()) as { events: Json[]; next?: number };
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body;
  }

  /** A resource's events, oldest first. */
  const history = async (id: string) => (await audit({ resource: id })).events.reverse();

  it('writes exactly one event per change, each kind with its version, attributes and actor', async () => {
    const created = await client.post('/Users', newUser());
    expect(created.status).toBe(201);
    const id = created.body.id;
    const user = { ...created.body, title: 'Engineer' };
    delete user.meta;
    expect((await client.put(`/Users/${id}`, user)).status).toBe(200);
    expect((await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Ada L.' }))).status).toBe(200);
    expect((await client.patch(`/Users/${id}`, patchOp({ op: 'replace', value: { active: false } }))).status).toBe(200);

    // Deactivated, not gone: retrievable and found by `active eq false`.
    const inactive = await client.get(`/Users/${id}`);
    expect(inactive.status).toBe(200);
    expect(inactive.body.active).toBe(false);
    const found = await client.get('/Users', { query: { filter: `userName eq "${created.body.userName}" and active eq false` } });
    expect(found.body.totalResults).toBe(1);

    // Reactivation keeps the same id.
    const again = await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: true }));
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(id);
    expect((await client.delete(`/Users/${id}`)).status).toBe(204);

    const events = await history(id);
    expect(events.map((e) => e.kind)).toEqual(['create', 'replace', 'patch', 'deactivate', 'activate', 'delete']);
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4, 5, null]);
    expect(events[1].attributes).toEqual(['title']);
    expect(events[2].attributes).toEqual(['displayName']);
    expect(events[3].attributes).toEqual(['active']);
    for (const event of events) {
      expect(event).toMatchObject({ resourceType: 'User', resourceId: id, actor: { via: 'scim' } });
      expect(typeof event.actor.credentialId).toBe('string');
      expect(event.attributes).not.toContain('password');
      expect(new Date(event.time).toISOString()).toBe(event.time);
    }
    // Commit order.
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('records membership changes with their deltas, and /Bulk operations like any other request', async () => {
    const alice = (await client.post('/Users', newUser())).body;
    const group = await client.post('/Groups', newGroup({ members: [{ value: alice.id }] }));
    expect(group.status).toBe(201);
    const remove = patchOp({ op: 'remove', path: `members[value eq "${alice.id}"]` });
    expect((await client.patch(`/Groups/${group.body.id}`, remove)).status).toBeLessThan(300);
    const events = await history(group.body.id);
    expect(events.map((e) => e.kind)).toEqual(['create', 'patch']);
    expect(events[0].members).toEqual({ added: [alice.id], removed: [], removedAll: false });
    expect(events[1]).toMatchObject({ attributes: ['members'], members: { added: [], removed: [alice.id], removedAll: false } });

    const bulk = await client.post('/Bulk', {
      schemas: [BULK_REQUEST],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'b1', data: newUser() }],
    });
    expect(bulk.status).toBe(200);
    const location: string = bulk.body.Operations[0].location;
    const bulkId = location.slice(location.lastIndexOf('/') + 1);
    expect((await history(bulkId)).map((e) => e.kind)).toEqual(['create']);
  });

  it('writes no event for a request that fails', async () => {
    const user = (await client.post('/Users', newUser())).body;
    const group = (await client.post('/Groups', newGroup())).body;
    const before = (await audit({ count: '1000' })).events.length;
    const duplicate = await client.post('/Users', newUser({ userName: user.userName }));
    expect(duplicate.status).toBe(409);
    const stale = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }), {
      headers: { 'If-Match': 'W/"999"' },
    });
    expect(stale.status).toBe(412);
    const unknownMember = await client.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: '00000000-0000-4000-8000-000000000000' }] }));
    expect(unknownMember.status).toBe(400);
    expect((await client.post('/Users', { schemas: [URN.user] })).status).toBe(400);
    expect((await client.delete('/Users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await audit({ count: '1000' })).events.length).toBe(before);
  });

  it('soft delete: 404 at once, the same userName can be created again, and the event is written', async () => {
    const first = (await client.post('/Users', newUser())).body;
    expect((await client.delete(`/Users/${first.id}`)).status).toBe(204);
    expect((await client.get(`/Users/${first.id}`)).status).toBe(404);
    const search = await client.get('/Users', { query: { filter: `userName eq "${first.userName}"` } });
    expect(search.body.totalResults).toBe(0);
    const again = await client.post('/Users', newUser({ userName: first.userName }));
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.id);
    expect((await history(first.id)).map((e) => e.kind)).toEqual(['create', 'delete']);
  });

  it('pages the audit log newest first, and answers bad parameters with 400', async () => {
    const since = new Date().toISOString();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await client.post('/Users', newUser())).body.id);
    const page = await audit({ since, count: '2' });
    expect(page.events.map((e) => e.resourceId)).toEqual([ids[2], ids[1]]);
    expect(typeof page.next).toBe('number');
    const rest = await audit({ since, count: '2', before: String(page.next) });
    expect(rest.events.map((e) => e.resourceId)).toEqual([ids[0]]);
    expect(rest.next).toBeUndefined();
    const bad: Array<Record<string, string>> = [{ since: 'yesterday' }, { count: '0' }, { before: '-1' }, { color: 'red' }];
    for (const query of bad) {
      const response = await fetch(`${server.origin}/admin/v1/audit?${new URLSearchParams(query)}`, {
        headers: { authorization: `Bearer ${server.env.SCIM_ADMIN_TOKEN}` },
      });
      expect(response.status, JSON.stringify(query)).toBe(400);
    }
    const anonymous = await fetch(`${server.origin}/admin/v1/audit`);
    expect(anonymous.status).toBe(401);
  });

  it('npm run audit reads the same log', async () => {
    const id = (await client.post('/Users', newUser())).body.id;
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
    expect(await main(['--resource', id, '--json'], io, server.env), err.join('\n')).toBe(0);
    expect(out.map((line) => JSON.parse(line).kind)).toEqual(['create']);
    out.length = 0;
    expect(await main(['--resource', id], io, server.env)).toBe(0);
    expect(out.join('\n')).toContain(`create  User ${id}`);
    expect(await main(['--limit', 'many'], io, server.env)).toBe(2);
  });

  it('keeps no secret: passwords, credentials and query-string values reach no event and no table', async () => {
    const password = 'Pw-SECRETLEAK-7f3a9c';
    const created = await client.post('/Users', newUser({ password }));
    expect(created.status).toBe(201);
    const id = created.body.id;
    await client.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'password', value: `${password}-2` }));
    await client.put(`/Users/${id}`, { ...newUser({ userName: created.body.userName, password: `${password}-3` }) });
    await client.get('/Users', { query: { access_token: 'QS-SECRETLEAK', filter: `userName eq "${created.body.userName}"` } });
    const secrets = [password, 'QS-SECRETLEAK'];
    // The credential the requests carried: the token or password itself, never stored.
    for (const value of Object.values(server.credentials)) secrets.push(value.replace(/^(Bearer|Basic)\s+/i, ''));

    const events = JSON.stringify((await audit({ count: '1000' })).events);
    for (const secret of secrets) expect(events).not.toContain(secret);
    expect((await history(id)).flatMap((e) => e.attributes)).not.toContain('password');

    // SQLite: the whole database file, its write-ahead log included.
    const file = server.env.DATABASE_PATH;
    if (file && existsSync(file)) {
      const bytes = [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('');
      expect(bytes).toContain(created.body.userName);
      for (const secret of secrets) expect(bytes, 'the database holds a secret').not.toContain(secret);
    }
  });
});
