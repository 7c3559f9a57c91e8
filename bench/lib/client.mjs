// A small SCIM client for seeding and checks: keep-alive connections, JSON in and out, and a
// helper that runs many requests with bounded concurrency.

import { Agent, request as httpRequest } from 'node:http';

export function scimClient(origin, basePath, credentials) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const base = new URL(basePath, origin);

  function send(method, path, body) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = { ...credentials, accept: 'application/scim+json' };
    if (payload) Object.assign(headers, { 'content-type': 'application/scim+json', 'content-length': payload.length });
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { agent, host: base.hostname, port: base.port, method, path: base.pathname + path, headers },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode, json: text ? JSON.parse(text) : undefined });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Like send, but anything other than the expected status is an error naming the response. */
  async function expect(status, method, path, body) {
    const response = await send(method, path, body);
    if (response.status !== status) {
      throw new Error(`${method} ${path} answered ${response.status}, expected ${status}: ${JSON.stringify(response.json)?.slice(0, 500)}`);
    }
    return response.json;
  }

  return { send, expect, close: () => agent.destroy() };
}

/** Calls task(i) for i in [0, count) with at most `concurrency` in flight; results in order. */
export async function inParallel(count, concurrency, task) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}
