// Onboarding a customer with the admin CLI (`npm run tenant -- ...`, src/generated/tenant-cli.ts)
// on the database the running server uses: the tenant and credential it prints work over HTTP at
// once, and bad input is a clear message that writes nothing.

import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/generated/cli-io.js';
import { main } from '../src/generated/tenant-cli.js';
import { expectScimError, URN } from './helpers/scim.js';
import { useScimServer } from './helpers/server.js';
import { clientFor, onServer } from './helpers/tenants.js';

describe('npm run tenant', () => {
  const { server } = useScimServer();

  async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), interactive: false };
    const code = await main(args, io, { ...server.env, PUBLIC_URL: 'https://scim.example.com' });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('adds a tenant whose printed base URL and credential work at once, with the setup steps of its identity provider', async () => {
    const text = await cli('add', 'initech', '--name', 'Initech', '--idp', 'okta');
    expect(text.code, text.err).toBe(0);
    expect(text.out).toContain(`Base URL: https://scim.example.com${server.basePath}/initech`);
    expect(text.out).toContain('Okta');
    expect(text.out).toContain(`SCIM connector base URL: https://scim.example.com${server.basePath}/initech`);

    const json = await cli('add', 'umbrella', '--idp', 'entra', '--json');
    expect(json.code, json.err).toBe(0);
    const created = JSON.parse(json.out);
    expect(created).toMatchObject({ tenant: { slug: 'umbrella', idp: 'entra' }, baseUrl: `https://scim.example.com${server.basePath}/umbrella` });
    const client = await clientFor(server, onServer(server, created.baseUrl), created.credential);
    expect((await client.post('/Users', { schemas: [URN.user], userName: 'cli@example.com' })).status).toBe(201);

    const list = await cli('list', '--json');
    expect(JSON.parse(list.out).map((t: { slug: string }) => t.slug)).toEqual(expect.arrayContaining(['initech', 'umbrella']));
  });

  it('rotates credentials: add, list, revoke', async () => {
    const created = JSON.parse((await cli('add', 'hooli', '--json')).out);
    const first = await clientFor(server, onServer(server, created.baseUrl), created.credential);
    const added = await cli('credential', 'add', 'hooli', '--label', 'rotation', '--json');
    expect(added.code, added.err).toBe(0);
    const second = await clientFor(server, onServer(server, created.baseUrl), JSON.parse(added.out).credential);
    expect((await first.get('/Users')).status).toBe(200);
    expect((await second.get('/Users')).status).toBe(200);
    expect((await cli('credential', 'revoke', 'hooli', created.credential.id)).code).toBe(0);
    expectScimError(await first.get('/Users'), 401);
    expect((await second.get('/Users')).status).toBe(200);
    const listed = JSON.parse((await cli('credential', 'list', 'hooli', '--json')).out);
    expect(listed.find((c: { id: string }) => c.id === created.credential.id).revoked).toBeDefined();
    expect(JSON.stringify(listed)).not.toContain(created.credential.token ?? created.credential.clientSecret ?? created.credential.password);
  });

  it('disables and enables a tenant', async () => {
    const created = JSON.parse((await cli('add', 'vandelay', '--json')).out);
    const client = await clientFor(server, onServer(server, created.baseUrl), created.credential);
    expect((await cli('disable', 'vandelay')).code).toBe(0);
    expectScimError(await client.get('/Users'), 403);
    expect((await cli('enable', 'vandelay')).code).toBe(0);
    expect((await client.get('/Users')).status).toBe(200);
  });

  it('refuses to remove without confirmation when no one can answer, and removes with --yes', async () => {
    const created = JSON.parse((await cli('add', 'soylent', '--json')).out);
    const client = await clientFor(server, onServer(server, created.baseUrl), created.credential);
    const refused = await cli('remove', 'soylent');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/--yes/);
    expect((await client.get('/Users')).status).toBe(200);
    expect((await cli('remove', 'soylent', '--yes')).code).toBe(0);
    expectScimError(await client.get('/Users'), 401);
  });

  it('explains malformed and duplicate slugs and unknown tenants, writing nothing', async () => {
    const before = JSON.parse((await cli('list', '--json')).out).length;
    for (const args of [['add', 'Bad_Slug'], ['add', 'users'], ['add', 'initech'], ['add', 'ok-slug', '--idp', 'google'], ['disable', 'nobody'], ['credential', 'add', 'nobody']]) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.err).toMatch(/^Error: /);
    }
    expect((await cli('frobnicate')).code).toBe(2);
    expect(JSON.parse((await cli('list', '--json')).out)).toHaveLength(before);
  });
});
