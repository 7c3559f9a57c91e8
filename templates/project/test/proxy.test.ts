// Behind an HTTPS tunnel or proxy (docs/idp-setup.md: cloudflared, ngrok), the URLs the server
// hands out must be the public ones: with TRUST_PROXY=true it reads them from the request the
// way a tunnel forwards it (the public Host, X-Forwarded-Proto: https), with SCIM_PUBLIC_URL it
// uses that. Without either, a forwarded header is not believed.

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';
import { newUser } from './helpers/scim.js';

const TUNNEL_HOST = 'quiet-lake-1234.trycloudflare.com';

/** POST /Users as a tunnel delivers it: the public host in Host, https in X-Forwarded-Proto. */
function createThroughTunnel(server: TestServer): Promise<{ status: number; location: string; body: { meta?: { location?: string } } }> {
  const body = JSON.stringify(newUser());
  const url = new URL(`${server.baseUrl}/Users`);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          ...server.credentials,
          host: TUNNEL_HOST,
          'x-forwarded-proto': 'https',
          'x-forwarded-for': '203.0.113.7',
          'content-type': 'application/scim+json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function withServer(env: Record<string, string>, test: (server: TestServer) => Promise<void>): Promise<void> {
  const server = await startServer(env);
  try {
    await test(server);
  } finally {
    await server.close();
  }
}

describe('behind an HTTPS tunnel', () => {
  it('TRUST_PROXY=true: Location and meta.location use the public https URL', async () => {
    await withServer({ TRUST_PROXY: 'true' }, async (server) => {
      const created = await createThroughTunnel(server);
      expect(created.status).toBe(201);
      expect(created.location).toMatch(new RegExp(`^https://${TUNNEL_HOST.replace(/\./g, '\\.')}${server.basePath}/Users/[^/]+$`));
      expect(created.body.meta?.location).toBe(created.location);
    });
  });

  it('SCIM_PUBLIC_URL: the URLs start there, whatever the request says', async () => {
    const publicUrl = `https://scim.example.com/tenant-a/scim/v2`;
    await withServer({ SCIM_PUBLIC_URL: publicUrl }, async (server) => {
      const created = await createThroughTunnel(server);
      expect(created.status).toBe(201);
      expect(created.location.startsWith(`${publicUrl}/Users/`)).toBe(true);
      const doc = (await (await fetch(`${server.origin}/docs/openapi.json`)).json()) as { servers: Array<{ url: string }> };
      expect(doc.servers[0]?.url).toBe(publicUrl);
    });
  });

  it('without TRUST_PROXY, forwarded headers are not believed', async () => {
    await withServer({}, async (server) => {
      const created = await createThroughTunnel(server);
      expect(created.status).toBe(201);
      expect(created.location.startsWith('http://')).toBe(true);
    });
  });
});
