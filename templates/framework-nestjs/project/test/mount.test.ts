// The SCIM endpoints mounted into an app of your own, as the README shows: a Nest app with its
// own controller and logger imports the SCIM module under another path than the standalone
// server's (RouterModule), and real HTTP reaches both. Credentials are still required, URLs
// follow the path, and the SCIM code logs through the host's logger.

import { Controller, Get, Module, type LoggerService } from '@nestjs/common';
import { NestFactory, RouterModule } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScim, type Scim } from '../src/generated/app.js';
import { testCredentials } from '../src/generated/auth/testing.js';
import { testDatabase } from '../src/generated/database/testing.js';
import { ScimModule, authRouter } from '../src/generated/framework/index.js';
import { BASE_PATH } from '../src/generated/project.gen.js';
import type { TestDatabase } from '../src/generated/scim/testing.js';

/** Never the standalone server's base path, so a URL built from BASE_PATH would show. */
const PREFIX = `/api${BASE_PATH}`;
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** What the host app's logger was given. */
const logged: Array<{ level: string; message: unknown; context: unknown }> = [];
const hostLogger = (level: string) => (message: unknown, ...params: unknown[]) => void logged.push({ level, message, context: params.at(-1) });
const logger: LoggerService = { log: hostLogger('log'), warn: hostLogger('warn'), error: hostLogger('error') };

@Controller('hello')
class HelloController {
  @Get()
  hello() {
    return { hello: 'world' };
  }
}

let database: TestDatabase;
let scim: Scim;
let app: NestExpressApplication;
let origin: string;
let credentials: Record<string, string>;

beforeAll(async () => {
  database = await testDatabase();
  const auth = testCredentials();
  scim = await createScim({
    env: { ...database.env, ...auth.env },
    hooks: { User: { afterCreate: (user, ctx) => ctx.log.info({ userName: user.userName }, 'provisioned through the host') } },
  });

  @Module({
    imports: [ScimModule.register(scim), RouterModule.register([{ path: PREFIX, module: ScimModule }])],
    controllers: [HelloController],
  })
  class HostModule {}

  // Nest's defaults otherwise, its JSON body parser included.
  app = await NestFactory.create<NestExpressApplication>(HostModule, { logger, abortOnError: false });
  app.use(authRouter(scim));
  await app.listen(0, '127.0.0.1');
  origin = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  credentials = await auth.headers({ origin });
});

afterAll(async () => {
  await app?.close();
  await scim?.close();
  await database?.cleanup();
});

const scimRequest = (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = credentials,
  contentType = 'application/scim+json',
) =>
  fetch(`${origin}${PREFIX}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('a Nest app with the SCIM module under its own path', () => {
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

  it('creates and reads a user, with Location and meta.location under the path', async () => {
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

  it("takes an application/json body Nest's own parser already read", async () => {
    const created = await scimRequest('POST', '/Users', { schemas: [USER], userName: `json-${Date.now()}@example.com` }, credentials, 'application/json');
    expect(created.status, await created.clone().text()).toBe(201);
  });

  it('describes itself with URLs under the path', async () => {
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
    expect(logged).toContainEqual({ level: 'log', message: expect.objectContaining({ msg: 'provisioned through the host' }), context: 'SCIM' });
  });
});
