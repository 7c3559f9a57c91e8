// Webhooks (SCIM_WEBHOOK_URL): every committed change reaches a real receiver over HTTP, signed
// per Standard Webhooks (checked with the `standardwebhooks` reference verifier), at least once,
// in commit order per resource; retried after a 500 or while the receiver is down; dead after
// SCIM_WEBHOOK_MAX_ATTEMPTS and sent again by `npm run events -- redeliver`. A receiver that
// hangs never holds up a SCIM request.

import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as eventsCli } from '../src/generated/events-cli.js';
import { startServer, useScimServer } from './helpers/server.js';
import { startReceiver, type Received, type Receiver } from './helpers/receiver.js';
import { createUser, expectScimError, newUser, patchOp } from './helpers/scim.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.down();
});

const { server, client } = useScimServer(() => ({
  SCIM_WEBHOOK_URL: receiver.url,
  SCIM_WEBHOOK_SECRET: SECRET,
  SCIM_WEBHOOK_MAX_ATTEMPTS: '3',
}));

interface Delivered {
  id: string;
  type: string;
  data: { id: string; seq: number; kind: string; resourceType: string; resourceId: string; attributes: string[]; version: number | null };
}

const parse = (r: Received) => JSON.parse(r.body) as Delivered;
const about = (id: string) => (all: Received[]) => all.map(parse).filter((d) => d.data.resourceId === id);
/** Distinct deliveries (by webhook-id) about one resource, in arrival order. */
const distinct = (id: string) => {
  const seen = new Set<string>();
  return about(id)(receiver.received).filter((d) => !seen.has(d.data.id) && seen.add(d.data.id));
};

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await eventsCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, server.env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('webhooks', () => {
  it('delivers a create, signed so the Standard Webhooks verifier accepts it', async () => {
    receiver.status = 200;
    const user = await createUser(client, { password: 'Secret-Pa55word!' });
    await receiver.until((all) => about(user.id)(all).length >= 1);
    const request = receiver.received.find((r) => parse(r).data.resourceId === user.id)!;
    const verified = new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>) as Delivered;
    expect(verified.type).toBe('user.create');
    expect(request.headers['webhook-id']).toBe(verified.data.id);
    expect(verified.data).toMatchObject({ kind: 'create', resourceType: 'User', resourceId: user.id, version: 1 });
    // Names, never values, and never the password.
    expect(verified.data.attributes).toContain('userName');
    expect(verified.data.attributes).not.toContain('password');
    expect(request.body).not.toContain('Secret-Pa55word!');
    // A forged signature is refused by the same verifier.
    expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(request.body, request.headers as Record<string, string>)).toThrow();
  });

  it('delivers each change of one resource once, in commit order', async () => {
    receiver.status = 200;
    const user = await createUser(client);
    for (const title of ['one', 'two', 'three']) {
      const res = await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: title }));
      expect(res.status, res.text).toBeLessThan(300);
    }
    expect((await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBeLessThan(300);
    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    await receiver.until(() => distinct(user.id).length >= 6);
    const kinds = distinct(user.id).map((d) => d.data.kind);
    expect(kinds).toEqual(['create', 'patch', 'patch', 'patch', 'deactivate', 'delete']);
    const seqs = distinct(user.id).map((d) => d.data.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('sends nothing for a request that failed', async () => {
    receiver.status = 200;
    const user = await createUser(client);
    expectScimError(await client.post('/Users', newUser({ userName: user.userName })), 409, 'uniqueness');
    const marker = await createUser(client);
    await receiver.until((all) => about(marker.id)(all).length >= 1);
    // Every user a create was delivered for exists (or its delete was delivered too): no event
    // describes the refused duplicate.
    const delivered = receiver.received.map(parse);
    const deleted = new Set(delivered.filter((d) => d.data.kind === 'delete').map((d) => d.data.resourceId));
    const created = new Set(delivered.filter((d) => d.type === 'user.create').map((d) => d.data.resourceId));
    for (const id of created) {
      if (deleted.has(id)) continue;
      expect((await client.get(`/Users/${id}`)).status, id).toBe(200);
    }
    expect(distinct(user.id).map((d) => d.data.kind)).toEqual(['create']);
  });

  it('retries after the receiver answers 500, until it accepts', async () => {
    let failures = 0;
    receiver.status = () => (failures++ < 1 ? 500 : 200);
    const user = await createUser(client);
    await receiver.until((all) => about(user.id)(all).length >= 2);
    const attempts = about(user.id)(receiver.received);
    // The same delivery again (same webhook-id): a receiver de-duplicates by it.
    expect(new Set(attempts.map((d) => d.data.id)).size).toBe(1);
    receiver.status = 200;
  });

  it('delivers what was committed while the receiver was down once it is back', async () => {
    await receiver.down();
    const user = await createUser(client);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await receiver.up();
    await receiver.until((all) => about(user.id)(all).length >= 1);
  });

  it('gives up after SCIM_WEBHOOK_MAX_ATTEMPTS (dead), and redeliver sends it again', async () => {
    receiver.status = 500;
    const user = await createUser(client);
    await receiver.until((all) => about(user.id)(all).length >= 3, 15_000);
    const eventId = about(user.id)(receiver.received)[0]!.data.id;
    // The last failure is recorded just after the receiver answered.
    let shown = await cli('show', eventId);
    for (let i = 0; i < 40 && !/\bdead\b/.test(shown.out); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      shown = await cli('show', eventId);
    }
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/\bdead\b/);
    expect(shown.out).toContain('receiver answered 500');
    const dead = await cli('list', '--status', 'dead');
    expect(dead.out).toContain(eventId);

    receiver.status = 200;
    const before = about(user.id)(receiver.received).length;
    const again = await cli('redeliver', eventId);
    expect(again.code, again.err).toBe(0);
    await receiver.until((all) => about(user.id)(all).length > before);
  });

  it('answers events redeliver of an unknown id with a clear message and exit code 1', async () => {
    const result = await cli('redeliver', '00000000-0000-4000-8000-000000000000');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/No event "00000000-0000-4000-8000-000000000000"/);
  });

  it('answers SCIM requests while the receiver hangs', async () => {
    receiver.hang = true;
    try {
      for (let i = 0; i < 3; i++) await createUser(client);
    } finally {
      receiver.hang = false;
    }
  });
});

describe('webhook settings', () => {
  it.each([
    [{ SCIM_WEBHOOK_URL: 'ftp://example.com/hook', SCIM_WEBHOOK_SECRET: SECRET }, /SCIM_WEBHOOK_URL must be an http/],
    [{ SCIM_WEBHOOK_URL: 'http://127.0.0.1:9/hook' }, /SCIM_WEBHOOK_SECRET is not set/],
    [{ SCIM_WEBHOOK_URL: 'http://127.0.0.1:9/hook', SCIM_WEBHOOK_SECRET: 'not-a-secret' }, /SCIM_WEBHOOK_SECRET is not a valid signing secret/],
  ])('refuses to start with %o', async (env, message) => {
    await expect(startServer(env)).rejects.toThrow(message);
  });
});
