// Logging with pino: one JSON line when a request arrives and one when it completes, each
// carrying the request id, with every credential header redacted.

import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { pino, type Logger } from 'pino';
import { redactLoggedRequest } from '../scim/redact.js';
import { clientAddress, type AppEnv } from './context.js';

export function createLogger(level: string, secretHeaders: readonly string[] = []): Logger {
  return pino({
    level,
    // Secrets never reach the logs, whatever a future serializer decides to include.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        ...secretHeaders.map((name) => `req.headers[${JSON.stringify(name.toLowerCase())}]`),
        '*.password',
      ],
      censor: '[redacted]',
    },
    // Query-string values (filter values, anything a client put in a URL) never reach the logs.
    serializers: { req: redactLoggedRequest },
  });
}

/** Gives each request its id and logger, echoes the id, and logs the request and its outcome. */
export function requestLogging(logger: Logger, trustProxy: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = c.req.header('x-request-id') || randomUUID();
    const log = logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const { incoming } = c.env;
    log.info(
      {
        req: {
          method: c.req.method,
          url: incoming.url,
          host: c.req.header('host'),
          remoteAddress: clientAddress(c, trustProxy),
          remotePort: incoming.socket.remotePort,
        },
      },
      'incoming request',
    );
    await next();
    // After next(): c.res is whatever answered, a route, onError or notFound.
    c.header('x-request-id', requestId);
    log.info({ res: { statusCode: c.res.status }, responseTime: performance.now() - started }, 'request completed');
  };
}
