// The HTTP layer below every framework: timeouts on Node's server, and SCIM errors (RFC 7644
// §3.12, application/scim+json) for what Node itself refuses before any framework code runs.
// Every adapter's standalone server calls applyHttpLimits() on its node:http server.
//
// - Headers, whole-request and idle keep-alive timeouts (HttpLimits, from the environment): a
//   client trickling its headers or body is cut off with 408, and counted in a log line.
// - What Node's parser rejects (headers too large: 431; a malformed request line or header: 400;
//   a Transfer-Encoding that does not end in chunked: 400) is answered on the socket by the
//   `clientError` handler with a SCIM error, then the connection closes, as HTTP requires.
// - An Expect other than 100-continue: 417. A transfer coding other than chunked: 501.
// - An error answered while the client is still sending its body (a 413 for a body over the
//   limit) is written once that body has been read and discarded, up to a bound: a client that
//   writes before it reads then sees the answer, not a reset connection.
// - A HEAD request's answer has no body.

import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpLimits } from './config.js';
import { ScimError } from './errors.js';
import { SCIM_CONTENT_TYPE } from './routes.js';

export type { HttpLimits } from './config.js';

/** How much of an unwanted request body is read (and discarded) before answering anyway. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;

interface LimitsLog {
  warn(obj: object, msg?: string): void;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Content Too Large',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  501: 'Not Implemented',
};

/**
 * Sets the timeouts on the server and answers transport-level failures with SCIM errors. Call it
 * once the framework has attached its request handler, before the server starts listening.
 */
export function applyHttpLimits(server: Server, limits: HttpLimits, log: LimitsLog): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Node checks the headers and request timeouts every connectionsCheckingInterval (30 s by
  // default): often enough that a timeout is enforced within a quarter of itself. Read when the
  // server starts listening.
  const shortest = Math.min(limits.headersTimeoutMs || Infinity, limits.requestTimeoutMs || Infinity);
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(50, Math.min(30_000, Math.floor(shortest / 4)) || 30_000);

  let cutOff = 0;
  // Replaces the framework's own (Fastify answers these in its JSON format).
  server.removeAllListeners('clientError');
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const status = clientErrorStatus(error.code);
    if (status === 408) {
      cutOff++;
      // No address, no URL: only that it happened and how often.
      log.warn({ reason: 'request timeout', cutOffConnections: cutOff }, 'connection cut off: request not received in time');
    }
    // A response a handler began but has not put on the wire yet (headers stored, not sent)
    // does not stop this one.
    const response = (socket as { _httpMessage?: ServerResponse & { _headerSent?: boolean } })._httpMessage;
    if (status === undefined || !socket.writable || response?._headerSent) {
      socket.destroy();
      return;
    }
    const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    closeWith(socket, rawErrorResponse(status, clientErrorDetail(status, error.code), head));
  });

  // Node answers an Expect it does not know with an empty 417, unless someone listens.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    sendError(req, res, new ScimError(417, 'Unsupported Expect header: only 100-continue is supported'));
  });

  // Runs before the framework's own handler, which it wraps.
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const codings = unsupportedCodings(req.headers['transfer-encoding']);
    if (codings) {
      res.setHeader('connection', 'close');
      // Without chunked last, the body's length is unknown (RFC 9112 §6.3): 400, then close.
      if (!/(^|,)\s*chunked\s*$/i.test(codings)) {
        return sendError(req, res, new ScimError(400, 'Malformed request: a Transfer-Encoding must end with chunked', 'invalidSyntax'));
      }
      drainBeforeAnswering(req, res);
      return sendError(req, res, new ScimError(501, `Unsupported Transfer-Encoding ${JSON.stringify(codings)}: only chunked is supported`));
    }
    drainBeforeAnswering(req, res);
    for (const handler of handlers) handler.call(server, req, res);
  });
}

/** The status to answer a parser or timeout failure with; undefined: just close. */
function clientErrorStatus(code: string | undefined): number | undefined {
  switch (code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined;
    case 'HPE_HEADER_OVERFLOW':
      return 431;
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 413;
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 408;
    default:
      return 400;
  }
}

function clientErrorDetail(status: number, code: string | undefined): string {
  switch (status) {
    case 431:
      return 'The request headers are larger than this server accepts';
    case 413:
      return 'The request body is larger than this server accepts';
    case 408:
      return 'The request was not received in time';
    default:
      return code === 'HPE_INVALID_TRANSFER_ENCODING'
        ? 'Malformed request: a Transfer-Encoding must end with chunked'
        : 'Malformed HTTP request';
  }
}

function errorBody(error: ScimError): string {
  return JSON.stringify(error.toJSON());
}

/** A whole HTTP/1.1 response for a socket no framework owns. */
export function rawErrorResponse(status: number, detail: string, head = false): string {
  const body = errorBody(new ScimError(status, detail, status === 400 ? 'invalidSyntax' : undefined));
  return [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    `Content-Type: ${SCIM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    head ? '' : body,
  ].join('\r\n');
}

/**
 * Writes the answer and half-closes; what the client still sends is read and dropped so that
 * closing does not reset the connection under the answer; closed for good within a second.
 */
function closeWith(socket: Duplex, response: string): void {
  socket.on('data', () => undefined);
  socket.on('end', () => socket.destroy());
  socket.end(response);
  setTimeout(() => socket.destroy(), 1000).unref();
}

function sendError(req: IncomingMessage, res: ServerResponse, error: ScimError): void {
  const body = errorBody(error);
  res.writeHead(error.status, { 'content-type': SCIM_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
  // Node writes no body for HEAD.
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** The codings of a Transfer-Encoding other than a lone chunked, or undefined. */
function unsupportedCodings(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const codings = header.split(',').map((coding) => coding.trim().toLowerCase()).filter(Boolean);
  return codings.every((coding) => coding === 'chunked') ? undefined : header;
}

/**
 * An error answered before the request body has arrived (a 413 from the Content-Length, a 401
 * to a large POST) waits until the body is read and discarded, up to DRAIN_MAX_BYTES: the
 * client, still sending, then reads the answer rather than a reset connection. Node or the
 * framework closes the connection afterwards when the answer says Connection: close.
 */
function drainBeforeAnswering(req: IncomingMessage, res: ServerResponse): void {
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    // writeHead() has only stored the status line and headers: nothing is on the wire yet.
    if (req.complete || req.destroyed || res.statusCode < 400) {
      return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    }
    let drained = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      req.off('data', onData);
      (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    };
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > DRAIN_MAX_BYTES) finish();
    };
    // As Node's own discarding of an unread body does: whoever was reading it (a framework's
    // web stream that pauses the request while nobody reads it) no longer gets it.
    req.removeAllListeners('data');
    req.on('data', onData);
    req.once('end', finish);
    req.once('close', finish);
    req.once('error', finish);
    req.resume();
    return this;
  } as ServerResponse['end'];
}
