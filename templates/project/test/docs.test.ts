// The API reference the server serves outside the SCIM base path (src/generated/docs.ts): on
// by default outside production, SCIM_DOCS=on|off to choose, no credentials, no CDN. And what
// the server prints when it starts, or cannot (src/generated/startup.ts).

import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createScimServer } from '../src/generated/app.js';
import { startupErrorMessage, startupLines, underWatcher } from '../src/generated/startup.js';
import { testCredentials } from '../src/generated/auth/testing.js';
import { testDatabase } from '../src/generated/database/testing.js';
import { startServer, useScimServer } from './helpers/server.js';

describe('API docs, on by default in development', () => {
  const { server } = useScimServer();

  it('serves a page that loads only this server’s own scripts', async () => {
    const response = await fetch(`${server.origin}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(source.startsWith('/docs/')).toBe(true);
      expect((await fetch(server.origin + source)).status).toBe(200);
    }
  });

  it('serves openapi.json pointing at this server, without credentials', async () => {
    const response = await fetch(`${server.origin}/docs/openapi.json`);
    expect(response.status).toBe(200);
    const doc = (await response.json()) as { openapi: string; servers: Array<{ url: string }>; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: server.baseUrl })]);
    expect(Object.keys(doc.paths).some((path) => path.endsWith('/Users'))).toBe(true);
  });

  it('leaves the SCIM endpoints behind their credentials', async () => {
    expect((await fetch(`${server.baseUrl}/Users`)).status).toBe(401);
  });
});

describe('API docs switched off', () => {
  it('SCIM_DOCS=off answers 404 at /docs', async () => {
    const off = await startServer({ SCIM_DOCS: 'off' });
    try {
      expect((await fetch(`${off.origin}/docs`)).status).toBe(404);
      expect((await fetch(`${off.origin}/docs/openapi.json`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('NODE_ENV=production hides them unless SCIM_DOCS=on', async () => {
    const production = await startServer({ NODE_ENV: 'production' });
    const on = await startServer({ NODE_ENV: 'production', SCIM_DOCS: 'on' });
    try {
      expect((await fetch(`${production.origin}/docs`)).status).toBe(404);
      expect((await fetch(`${on.origin}/docs`)).status).toBe(200);
    } finally {
      await production.close();
      await on.close();
    }
  });

  it('a SCIM_DOCS that is neither on nor off stops the start with its name', async () => {
    await expect(startServer({ SCIM_DOCS: 'maybe' })).rejects.toThrow(/SCIM_DOCS must be "on" or "off"/);
  });
});

describe('start-up messages', () => {
  it('list the base URL, the auth mode and where the docs are', () => {
    const lines = startupLines({
      address: 'http://127.0.0.1:3000',
      basePath: '/scim/v2',
      auth: 'OAuth Bearer Token',
      docsPath: '/docs',
      migrations: ['0001_init.sql'],
    });
    expect(lines).toEqual([
      'SCIM server listening on http://127.0.0.1:3000',
      '  SCIM base URL: http://localhost:3000/scim/v2',
      '  Authentication: OAuth Bearer Token',
      '  API docs: http://localhost:3000/docs (openapi.json at http://localhost:3000/docs/openapi.json; SCIM_DOCS=off hides them)',
      '  Applied migrations: 0001_init.sql',
    ]);
  });

  it('a busy port is one line naming PORT, not a stack trace', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const database = await testDatabase();
    const scim = await createScimServer({ env: { ...database.env, ...testCredentials().env, LOG_LEVEL: 'silent' } });
    try {
      const error = await scim.listen({ port, host: '127.0.0.1' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(startupErrorMessage(error, { PORT: String(port) })).toBe(
        `Cannot start: port ${port} is in use. Stop what runs there, or set PORT in .env to a free port.`,
      );
      expect(scim.startupLines('http://127.0.0.1:1')[2]).toMatch(/^ {2}Authentication: \S/);
    } finally {
      await scim.close();
      await database.cleanup();
      busy.close();
    }
  });

  it('only npm run dev (tsx watch) counts as running under the watcher', () => {
    expect(underWatcher({ npm_lifecycle_event: 'dev', npm_lifecycle_script: 'tsx watch src/server.ts | pino-pretty' })).toBe(true);
    expect(underWatcher({ npm_lifecycle_event: 'start', npm_lifecycle_script: 'node dist/server.js' })).toBe(false);
    expect(underWatcher({})).toBe(false);
  });
});
