// The Express adapter: the standalone server, an Express 5 app with the SCIM router
// (scim-router.ts) at the base path, the auth mode's own routes and /health at the root, request
// logging with every credential redacted, and one error handler that turns every failure into a
// SCIM Error message.

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';
import { applyHttpLimits } from '../scim/http-limits.js';
import { notFound } from '../scim/routes.js';
import { scimErrorHandler, write } from './errors.js';
import { createLogger, requestLogging } from './logger.js';
import { authRouter, scimRouter } from './scim-router.js';

export { authRouter, scimRouter, type ScimRouterOptions } from './scim-router.js';
export { requestLogging } from './logger.js';

export async function createHttpServer(options: HttpServerOptions): Promise<ScimHttpServer> {
  const log = createLogger(options.logLevel, options.secretHeaders);
  const app = express();
  app.set('trust proxy', options.trustProxy);
  // SCIM paths are case-sensitive (/Users, not /users).
  app.set('case sensitive routing', true);
  app.disable('x-powered-by');

  app.use(tidyPath);
  app.use(requestLogging(log));

  // Liveness for load balancers and orchestrators: outside the SCIM base path, no credentials.
  app.get('/health', async (_req, res) => {
    try {
      await options.ping();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  app.use(authRouter(options.scim));
  app.use(options.basePath, scimRouter(options.scim, { logger: log }));
  app.use((req, res) => write(res, notFound(req.method, req.originalUrl)));
  app.use(scimErrorHandler(log));

  const server = createServer(app);
  // Timeouts, and SCIM errors for what Node refuses before Express sees a request.
  applyHttpLimits(server, options.limits, log);
  let closing = false;
  // Node closes idle keep-alive sockets when the server closes, but a socket whose request was
  // still in flight would linger until its keep-alive timeout: drop it once its answer is out.
  server.on('request', (_req, res: ServerResponse) => {
    res.once('finish', () => {
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
  });
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = origin(server.address() as AddressInfo);
          log.info(`Server listening at ${address}`);
          resolve(address);
        });
      }),
    // Stops accepting connections, drops idle keep-alive ones, and resolves once every
    // in-flight request has been answered.
    close: () =>
      new Promise((resolve, reject) => {
        if (!server.listening) return resolve();
        closing = true;
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    log,
  };
}

/**
 * Tolerates what Fastify's ignoreTrailingSlash and ignoreDuplicateSlashes do: //scim/v2//Users/
 * is /scim/v2/Users. Only the path is rewritten, never the query string.
 */
const tidyPath: RequestHandler = (req, _res, next) => {
  const queryStart = req.url.indexOf('?');
  const path = queryStart === -1 ? req.url : req.url.slice(0, queryStart);
  const tidy = path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  if (tidy !== path) req.url = tidy + req.url.slice(path.length);
  next();
};

function origin({ address, port }: AddressInfo): string {
  // Like Fastify: a wildcard address is reported as loopback, IPv6 in brackets.
  const host = address === '0.0.0.0' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
