// Logging. The SCIM module logs through Nest's Logger, which writes to whatever logger the app
// was given (app.useLogger, or NestFactory's `logger` option): in your app, yours. The
// standalone server gives Nest pino: one JSON line when a request arrives and one when it
// completes, each with the request id, with every credential header redacted.

import { randomUUID } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import { redactLoggedRequest } from '../scim/redact.js';
import type { HookLogger } from '../scim/hooks.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The client's x-request-id, else a fresh UUID; echoed in the response (pino-http sets it too). */
      id: string;
      /** The server's logger bound to this request's id (pino-http sets it too). */
      log: Logger;
    }
  }
}

/** A Nest logger (`new Logger('SCIM')`) as the engine's HookLogger: the fields, then the message. */
export function hookLogger(logger: LoggerService): HookLogger {
  const entry = (obj: object, msg?: string) => (msg === undefined ? obj : { msg, ...obj });
  return {
    info: (obj, msg) => logger.log(entry(obj, msg)),
    warn: (obj, msg) => logger.warn(entry(obj, msg)),
    error: (obj, msg) => logger.error(entry(obj, msg)),
  };
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

/** pino as Nest's logger: Nest's own lines (start, routes, shutdown) become JSON lines too. */
export function nestLogger(log: Logger): LoggerService {
  // Nest passes the context (the class that logs) as the last string parameter.
  const write = (level: 'info' | 'warn' | 'error' | 'debug' | 'trace') => (message: unknown, ...params: unknown[]) => {
    const context = typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    if (typeof message === 'object' && message !== null) log[level]({ context, ...message });
    else log[level]({ context }, String(message));
  };
  return { log: write('info'), warn: write('warn'), error: write('error'), debug: write('debug'), verbose: write('trace'), fatal: write('error') };
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
