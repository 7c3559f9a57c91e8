// RFC 9967 security event tokens: pushed to a real receiver (RFC 8935) and served to a poller
// (RFC 8936), verified with `jose` against the server's JWKS, and checked claim by claim against
// RFC 9967 (sub_id, txn, the prov:* event URIs), with `securityEvents` in ServiceProviderConfig.

import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANCY } from '../src/generated/project.gen.js';
import { useScimServer } from './helpers/server.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { createUser, patchOp } from './helpers/scim.js';

const PROV = 'urn:ietf:params:scim:event:prov:';
// A multi-tenant project names a resource under its tenant's segment; this suite's client is tenant 1's, `default`.
const SEGMENT = TENANCY === 'multi' ? '/default' : '';
const ISSUER = 'https://scim.example.com/scim/v2';
const AUDIENCE = 'https://receiver.example.com';
const POLL_TOKEN = randomBytes(24).toString('base64url');
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver.status = 202;
});
afterAll(async () => {
  await receiver.down();
});

const { server, client } = useScimServer(() => ({
  SCIM_SET_SIGNING_KEY: randomBytes(32).toString('base64url'),
  SCIM_SET_PUSH_URL: receiver.url,
  SCIM_SET_POLL_TOKEN: POLL_TOKEN,
  SCIM_SET_ISSUER: ISSUER,
  SCIM_SET_AUDIENCE: AUDIENCE,
}));

interface SetClaims extends JWTPayload {
  sub_id: { format: string; uri: string; id?: string };
  txn: string;
  events: Record<string, { attributes?: string[]; version?: string }>;
}

async function verify(token: string): Promise<SetClaims> {
  const jwks = (await (await fetch(`${server.origin}/events/jwks.json`)).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { issuer: ISSUER, audience: AUDIENCE, typ: 'secevent+jwt' });
  return payload as SetClaims;
}

async function pushedFor(id: string, count: number): Promise<SetClaims[]> {
  const claims = async () => Promise.all(receiver.received.map((r) => verify(r.body)));
  let found: SetClaims[] = [];
  await receiver.until(() => receiver.received.length > 0, 10_000);
  const deadline = Date.now() + 10_000;
  while ((found = (await claims()).filter((c) => c.sub_id.id === id)).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} SETs about ${id}, got ${found.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return found;
}

const poll = (body: unknown, token = POLL_TOKEN) =>
  fetch(`${server.origin}/events/poll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

describe('security event tokens', () => {
  it('advertises securityEvents in ServiceProviderConfig (RFC 9967 §4)', async () => {
    const res = await client.get('/ServiceProviderConfig');
    expect(res.body.securityEvents.asyncRequest).toBe('none');
    expect(res.body.securityEvents.eventUris).toEqual(
      expect.arrayContaining([`${PROV}create:notice`, `${PROV}patch:notice`, `${PROV}put:notice`, `${PROV}delete`, `${PROV}activate`, `${PROV}deactivate`]),
    );
  });

  it('pushes a signed SET per change, as RFC 8935 and RFC 9967 describe', async () => {
    const user = await createUser(client, { password: 'Secret-Pa55word!' });
    const [created] = await pushedFor(user.id, 1);
    const request = receiver.received.find((r) => r.body.length > 0)!;
    expect(request.headers['content-type']).toBe('application/secevent+jwt');
    expect(decodeProtectedHeader(request.body).typ).toBe('secevent+jwt');
    expect(created).toMatchObject({
      iss: ISSUER,
      aud: AUDIENCE,
      sub_id: { format: 'scim', uri: `${SEGMENT}/Users/${user.id}`, id: user.id },
    });
    expect(created!.sub).toBeUndefined();
    expect(typeof created!.jti).toBe('string');
    expect(typeof created!.txn).toBe('string');
    expect(typeof created!.iat).toBe('number');
    const payload = created!.events[`${PROV}create:notice`]!;
    expect(Object.keys(created!.events)).toEqual([`${PROV}create:notice`]);
    expect(payload.attributes).toContain('userName');
    expect(payload.attributes).not.toContain('password');
    expect(payload.version).toBe(user.meta.version);
  });

  it('uses patch:notice, deactivate and delete for the later changes, in order', async () => {
    const user = await createUser(client);
    expect((await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'Boss' }))).status).toBeLessThan(300);
    expect((await client.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'active', value: false }))).status).toBeLessThan(300);
    expect((await client.delete(`/Users/${user.id}`)).status).toBe(204);
    const sets = await pushedFor(user.id, 4);
    expect(sets.map((s) => Object.keys(s.events)[0])).toEqual([`${PROV}create:notice`, `${PROV}patch:notice`, `${PROV}deactivate`, `${PROV}delete`]);
    expect(sets[1]!.events[`${PROV}patch:notice`]!.attributes).toContain('title');
    expect(sets[3]!.events[`${PROV}delete`]).toEqual({});
  });

  it('serves the same SETs to a poller, which acknowledges them (RFC 8936)', async () => {
    const user = await createUser(client);
    let sets: Record<string, string> = {};
    for (let i = 0; i < 50; i++) {
      const res = await poll({ returnImmediately: true, maxEvents: 1000 });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { sets: Record<string, string> };
      sets = { ...sets, ...body.sets };
      const about = await Promise.all(Object.values(sets).map(verify));
      if (about.some((c) => c.sub_id.id === user.id)) break;
      // Acknowledged ones do not come back; the rest do once leased anew.
      await poll({ ack: Object.keys(body.sets), maxEvents: 0, returnImmediately: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const claims = await Promise.all(Object.entries(sets).map(async ([jti, token]) => ({ jti, claims: await verify(token) })));
    const mine = claims.find((c) => c.claims.sub_id.id === user.id)!;
    expect(mine.claims.jti).toBe(mine.jti);
    const acked = await poll({ ack: Object.keys(sets), returnImmediately: true });
    const next = (await acked.json()) as { sets: Record<string, string> };
    expect(Object.keys(next.sets)).not.toContain(mine.jti);
  });

  it('refuses a poll without the token (401) and a malformed one (400 with err)', async () => {
    expect((await poll({ returnImmediately: true }, 'wrong-token')).status).toBe(401);
    const bad = await poll({ maxEvents: -1, returnImmediately: true });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { err: string }).err).toBe('invalid_request');
  });
});
