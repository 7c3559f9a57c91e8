// Logging with pino: one JSON line when a request arrives and one when it completes, each
// carrying the request id, with every credential header redacted.

import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import { redactLoggedRequest } from '../scim/redact.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The client's x-request-id, else a fresh UUID; echoed in the response. */
      id: string;
      /** The server's logger bound to this request's id. */
      log: Logger;
    }
  }
}

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
export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    req.id = req.get('x-request-id') || randomUUID();
    req.log = logger.child({ reqId: req.id });
    res.setHeader('x-request-id', req.id);
    req.log.info(
      {
        req: { method: req.method, url: req.originalUrl, host: req.host, remoteAddress: req.ip, remotePort: req.socket.remotePort },
      },
      'incoming request',
    );
    res.on('finish', () => {
      req.log.info({ res: { statusCode: res.statusCode }, responseTime: performance.now() - started }, 'request completed');
    });
    next();
  };
}
