// Errors from the HTTP layer up: what Node's parser refuses before any framework code runs
// (headers too large, malformed request lines and headers, transfer codings it cannot read), an
// Expect it does not support, a body over the limit and a client too slow to send its request
// are SCIM Error messages (RFC 7644 §3.12, application/scim+json) too, and a HEAD gets no body.
// Raw sockets, because fetch would refuse to send most of these requests.

import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
import { URN } from './helpers/scim.js';

// Short timeouts, so that a trickling client is cut off within the test.
const { server } = useScimServer({
  SCIM_HEADERS_TIMEOUT_MS: '600',
  SCIM_REQUEST_TIMEOUT_MS: '1200',
  SCIM_KEEP_ALIVE_TIMEOUT_MS: '800',
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The connection was closed by the server (after the response, or without one). */
  closed: boolean;
  /** A write or read failed (EPIPE, ECONNRESET): the client did not get to finish. */
  error?: string;
}

interface Exchange {
  /** Written one after the other, `pause` ms apart. */
  chunks: (string | Buffer)[];
  pause?: number;
  /** Stop waiting for the server after this long. */
  timeout?: number;
  /** A HEAD: the response has headers only. */
  head?: boolean;
}

/** Sends bytes as they are and reads the first response, then waits for the close. */
function exchange({ chunks, pause = 0, timeout = 5000, head = false }: Exchange): Promise<RawResponse> {
  const url = new URL(server.origin);
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    let received = Buffer.alloc(0);
    let error: string | undefined;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parse(received.toString('utf8'), head), closed, error });
    };
    const timer = setTimeout(() => finish(false), timeout);
    socket.on('data', (data) => {
      received = Buffer.concat([received, data]);
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message;
    });
    socket.on('close', () => finish(true));
    socket.on('connect', async () => {
      for (const [i, chunk] of chunks.entries()) {
        if (i > 0 && pause > 0) await new Promise((r) => setTimeout(r, pause));
        if (socket.destroyed || socket.writableEnded) return;
        // A large chunk is written whole; wait until the kernel took it, like a real client.
        if (!socket.write(chunk)) await new Promise((r) => socket.once('drain', r));
      }
    });
  });
}

function parse(text: string, head: boolean): Omit<RawResponse, 'closed' | 'error'> {
  const end = text.indexOf('\r\n\r\n');
  if (end === -1) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = head ? 0 : Number(headers['content-length'] ?? text.length);
  return { status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4, end + 4 + length) };
}

function credentialLines(): string {
  return Object.entries(server.credentials)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}

function host(): string {
  return new URL(server.origin).host;
}

function expectScimError(res: RawResponse, status: number) {
  expect(res.status, JSON.stringify(res)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  const body = JSON.parse(res.body) as { schemas: string[]; status: string; detail: string };
  expect(body.schemas).toEqual([URN.error]);
  expect(body.status).toBe(String(status));
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

describe('what Node refuses before any framework code runs', () => {
  it('headers larger than the server accepts -> 431, a SCIM error, then the connection closes', async () => {
    const res = await exchange({
      chunks: [`GET ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\nX-Filler: ${'a'.repeat(64 * 1024)}\r\n\r\n`],
    });
    expectScimError(res, 431);
    expect(res.closed).toBe(true);
  });

  it('a HEAD with headers too large gets the 431 without a body', async () => {
    const res = await exchange({
      chunks: [`HEAD ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\nX-Filler: ${'a'.repeat(64 * 1024)}\r\n\r\n`],
      head: true,
    });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
    expect(res.body).toBe('');
  });

  it('a malformed request line -> 400 invalidSyntax', async () => {
    const res = await exchange({ chunks: ['THIS IS NOT HTTP\r\n\r\n'] });
    expect(expectScimError(res, 400)).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('a malformed header line -> 400 invalidSyntax', async () => {
    const res = await exchange({
      chunks: [`GET ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\nNo colon here\r\n\r\n`],
    });
    expect(expectScimError(res, 400)).toMatchObject({ scimType: 'invalidSyntax' });
  });

  it('a Transfer-Encoding that does not end in chunked -> 400 (RFC 9112 §6.3)', async () => {
    const res = await exchange({
      chunks: [`POST ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\n${credentialLines()}Content-Type: application/scim+json\r\nTransfer-Encoding: gzip\r\n\r\n{}`],
    });
    expectScimError(res, 400);
  });
});

describe('what the server does not support', () => {
  it('an Expect other than 100-continue -> 417', async () => {
    const res = await exchange({
      chunks: [`GET ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\n${credentialLines()}Expect: teapot\r\nConnection: close\r\n\r\n`],
    });
    expectScimError(res, 417);
  });

  it('a transfer coding other than chunked -> 501 (RFC 9112 §6.1)', async () => {
    const body = '{}';
    const chunked = `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const res = await exchange({
      chunks: [
        `POST ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\n${credentialLines()}Content-Type: application/scim+json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${chunked}`,
      ],
    });
    expectScimError(res, 501);
  });
});

describe('bodies over the limit', () => {
  it('a 5 MB POST gets its 413 while still sending, not a reset connection', async () => {
    const size = 5 * 1024 * 1024;
    const payload = Buffer.alloc(size, 'a');
    const res = await exchange({
      chunks: [
        `POST ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\n${credentialLines()}Content-Type: application/scim+json\r\nContent-Length: ${size}\r\n\r\n`,
        ...Array.from({ length: 80 }, (_, i) => payload.subarray(i * 65536, (i + 1) * 65536)),
      ],
      timeout: 15_000,
    });
    expect(res.error).toBeUndefined();
    expectScimError(res, 413);
  });

  it('a 5 MB chunked POST (no Content-Length) gets its 413 while still sending, not a reset connection', async () => {
    // The limit can only be noticed mid-body here: the server must answer, then read on.
    const piece = Buffer.alloc(65536, 'a');
    const chunk = Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]);
    const res = await exchange({
      chunks: [
        `POST ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\n${credentialLines()}Content-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n`,
        ...Array.from({ length: 80 }, () => chunk),
        '0\r\n\r\n',
      ],
      timeout: 15_000,
    });
    expect(res.error).toBeUndefined();
    expectScimError(res, 413);
  });

  it('a 5 MB POST without credentials gets its 401 the same way', async () => {
    const size = 5 * 1024 * 1024;
    const payload = Buffer.alloc(size, 'a');
    const res = await exchange({
      chunks: [
        `POST ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\nContent-Type: application/scim+json\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
        ...Array.from({ length: 80 }, (_, i) => payload.subarray(i * 65536, (i + 1) * 65536)),
      ],
      timeout: 15_000,
    });
    expect(res.error).toBeUndefined();
    expectScimError(res, 401);
  });
});

describe('timeouts', () => {
  it('headers trickling in slower than SCIM_HEADERS_TIMEOUT_MS -> 408, connection closed', async () => {
    const res = await exchange({
      chunks: [`GET ${server.basePath}/Users HTTP/1.1\r\n`, `Host: ${host()}\r\n`, 'X-Slow: 1\r\n', 'X-Slow: 2\r\n', 'X-Slow: 3\r\n'],
      pause: 400,
    });
    expectScimError(res, 408);
    expect(res.closed).toBe(true);
  });

  it('a body trickling in one byte at a time is cut off after SCIM_REQUEST_TIMEOUT_MS -> 408', async () => {
    const body = JSON.stringify({ schemas: [URN.user], userName: 'slow.loris' });
    const started = Date.now();
    const res = await exchange({
      chunks: [
        `POST ${server.basePath}/Users HTTP/1.1\r\nHost: ${host()}\r\n${credentialLines()}Content-Type: application/scim+json\r\nContent-Length: ${body.length}\r\n\r\n`,
        ...body.split(''),
      ],
      pause: 200,
      timeout: 8000,
    });
    expectScimError(res, 408);
    expect(res.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('an idle keep-alive connection is closed after SCIM_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const started = Date.now();
    const res = await exchange({ chunks: [`GET /health HTTP/1.1\r\nHost: ${host()}\r\n\r\n`], timeout: 5000 });
    expect(res.status).toBe(200);
    expect(res.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
