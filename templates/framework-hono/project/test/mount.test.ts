// The SCIM endpoints mounted into an app of your own, as the README shows: a Hono app with its
// own route and logger routes the SCIM sub-app under another prefix than the standalone
// server's, and real HTTP reaches both. Credentials are still required, URLs follow the prefix,
// and the SCIM code logs through the host's logger.

import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScim, type Scim } from '../src/generated/app.js';
import { testCredentials } from '../src/generated/auth/testing.js';
import { testDatabase } from '../src/generated/database/testing.js';
import { authApp, scimApp } from '../src/generated/framework/index.js';
import { BASE_PATH } from '../src/generated/project.gen.js';
import type { TestDatabase } from '../src/generated/scim/testing.js';

/** Never the standalone server's base path, so a URL built from BASE_PATH would show. */
const PREFIX = `/api${BASE_PATH}`;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** What the host app's logger wrote, one JSON object per line. */
const logged: Array<Record<string, unknown>> = [];
let database: TestDatabase;
let scim: Scim;
let server: Server;
let origin: string;
let credentials: Record<string, string>;

beforeAll(async () => {
  database = await testDatabase();
  const auth = testCredentials();
  scim = await createScim({
    env: { ...database.env, ...auth.env },
    hooks: { User: { afterCreate: (user, ctx) => ctx.log.info({ userName: user.userName }, 'provisioned through the host') } },
  });
  const logger = pino({ base: { app: 'host' } }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const app = new Hono();
  app.get('/hello', (c) => c.json({ hello: 'world' }));
  app.route(PREFIX, scimApp(scim, { logger }));
  app.route('/', authApp(scim));
  origin = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(`http://127.0.0.1:${info.port}`)) as Server;
  });
  credentials = await auth.headers({ origin });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await scim?.close();
  await database?.cleanup();
});

const scimRequest = (method: string, path: string, body?: unknown, headers: Record<string, string> = credentials) =>
  fetch(`${origin}${PREFIX}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('a Hono app with the SCIM sub-app under its own prefix', () => {
  it("keeps answering its own routes, without SCIM's credentials", async () => {
    const res = await fetch(`${origin}/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('refuses SCIM requests without credentials with a SCIM 401', async () => {
    const res = await scimRequest('GET', '/Users', undefined, {});
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/\S/);
    expect(res.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(await res.json()).toMatchObject({ status: '401' });
  });

  it('creates and reads a user, with Location and meta.location under the prefix', async () => {
    const userName = `mounted-${Date.now()}@example.com`;
    const created = await scimRequest('POST', '/Users', { schemas: [USER], userName });
    expect(created.status, await created.clone().text()).toBe(201);
    const user = (await created.json()) as { id: string; meta: { location: string } };
    expect(created.headers.get('location')).toBe(`${origin}${PREFIX}/Users/${user.id}`);
    expect(user.meta.location).toBe(`${origin}${PREFIX}/Users/${user.id}`);

    const read = await fetch(user.meta.location, { headers: credentials });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: user.id, userName });
  });

  it('describes itself with URLs under the prefix', async () => {
    const res = await scimRequest('GET', '/ResourceTypes/User');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ meta: { location: `${origin}${PREFIX}/ResourceTypes/User` } });
  });

  it('answers an unknown path under the prefix with a SCIM 404, and nothing at the standalone base path', async () => {
    const unknown = await scimRequest('GET', '/Nothing');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ status: '404' });
    expect((await fetch(`${origin}${BASE_PATH}/Users`, { headers: credentials })).status).toBe(404);
  });

  it("logs through the host app's logger, hooks included", async () => {
    const created = await scimRequest('POST', '/Users', { schemas: [USER], userName: `logged-${Date.now()}@example.com` });
    expect(created.status).toBe(201);
    expect(logged).toContainEqual(expect.objectContaining({ app: 'host', msg: 'provisioned through the host' }));
  });
});
