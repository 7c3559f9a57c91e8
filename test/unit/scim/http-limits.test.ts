// The HTTP layer under every framework (templates/scim/http-limits.ts) on a bare node:http
// server whose handler, like a framework's, answers a body over its limit without reading it.

import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, readHttpLimits } from '../../../templates/scim/config.js';
import { applyHttpLimits, rawErrorResponse } from '../../../templates/scim/http-limits.js';

let server: Server;
let port: number;
const warnings: object[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.method === 'POST') {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' });
      return res.end('too large');
    }
    res.end('ok');
  });
  applyHttpLimits(server, { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 }, { warn: (obj) => warnings.push(obj) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(chunks: (string | Buffer)[], pause = 0): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    socket.on('data', (data) => (text += data.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (error ??= e.code));
    socket.on('close', () => resolve({ text, error }));
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (pause) await new Promise((r) => setTimeout(r, pause));
        if (socket.destroyed) return;
        if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
      }
    });
  });
}

const statusOf = (text: string) => Number(text.split(' ')[1]);
const bodyOf = (text: string) => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;

describe('applyHttpLimits', () => {
  it('answers headers too large with a SCIM 431', async () => {
    const { text } = await send([`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`]);
    expect(statusOf(text)).toBe(431);
    expect(text).toContain('Content-Type: application/scim+json');
    expect(bodyOf(text)).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '431' });
  });

  it('answers a malformed request with a SCIM 400 invalidSyntax', async () => {
    const { text } = await send(['NOT HTTP AT ALL\r\n\r\n']);
    expect(bodyOf(text)).toMatchObject({ status: '400', scimType: 'invalidSyntax' });
  });

  it('answers an unknown Expect with 417 and another transfer coding with 501', async () => {
    const expect417 = await send(['GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nConnection: close\r\n\r\n']);
    expect(bodyOf(expect417.text)).toMatchObject({ status: '417' });
    const te = await send(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n']);
    expect(bodyOf(te.text)).toMatchObject({ status: '501' });
    const teLast = await send(['POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n{}']);
    expect(bodyOf(teLast.text)).toMatchObject({ status: '400' });
  });

  it('lets a client still sending a large body finish before the 413 and the close', async () => {
    const size = 4 * 1024 * 1024;
    const body = Buffer.alloc(size, 'a');
    const chunks = Array.from({ length: 64 }, (_, i) => body.subarray(i * 65536, (i + 1) * 65536));
    const { text, error } = await send([`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`, ...chunks]);
    expect(error).toBeUndefined();
    expect(statusOf(text)).toBe(413);
  });

  it('cuts off a trickling client with 408 and counts it', async () => {
    const before = warnings.length;
    const { text } = await send(['POST / HTTP/1.1\r\n', 'Host: x\r\n', 'Content-Length: 10\r\n', '\r\n', 'a', 'b', 'c', 'd'], 150);
    expect(bodyOf(text)).toMatchObject({ status: '408' });
    expect(warnings.length).toBe(before + 1);
    expect(warnings.at(-1)).toEqual({ reason: 'request timeout', cutOffConnections: expect.any(Number) });
  });

  it('writes no body for a HEAD', () => {
    expect(rawErrorResponse(431, 'too large', true).endsWith('\r\n\r\n')).toBe(true);
  });
});

describe('readHttpLimits', () => {
  it('defaults suit a load balancer: keep-alive longer than its 60 s idle timeout', () => {
    expect(readHttpLimits({})).toEqual({ headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 65_000 });
  });

  it('reads the environment and refuses a headers timeout longer than the request timeout', () => {
    expect(readHttpLimits({ SCIM_REQUEST_TIMEOUT_MS: '0', SCIM_HEADERS_TIMEOUT_MS: '5000' }).requestTimeoutMs).toBe(0);
    expect(() => readHttpLimits({ SCIM_HEADERS_TIMEOUT_MS: '9000', SCIM_REQUEST_TIMEOUT_MS: '8000' })).toThrow(ConfigError);
    expect(() => readHttpLimits({ SCIM_KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });
});
