// The Express adapter: HTTP <-> ScimService. An Express 5 app with the SCIM router at the base
// path, the auth mode's own routes and /health at the root, and one error handler that turns
// every failure into a SCIM Error message.

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type RequestHandler } from 'express';
import { AUTH_ROUTE_BODY_LIMIT, type HttpRoute } from '../scim/auth.js';
import { ScimError } from '../scim/errors.js';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';
import { scimErrorHandler, sendScimError } from './errors.js';
import { createLogger, requestLogging } from './logger.js';
import { scimRouter } from './scim-router.js';

export async function createHttpServer(options: HttpServerOptions): Promise<ScimHttpServer> {
  const log = createLogger(options.logLevel, options.authenticator.secretHeaders);
  const app = express();
  app.set('trust proxy', options.trustProxy);
  // SCIM paths are case-sensitive (/Users, not /users), and the service computes ETags itself:
  // Express's own would answer 304 to an If-None-Match meant for the service.
  app.set('case sensitive routing', true);
  app.set('etag', false);
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

  for (const route of options.authenticator.routes ?? []) mountAuthRoute(app, route);

  app.use(options.basePath, scimRouter(options));
  app.use((req, res) => sendScimError(req, res, new ScimError(404, `Not found: ${req.method} ${req.originalUrl}`)));
  app.use(scimErrorHandler);

  const server = createServer(app);
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

/** An auth mode's endpoint (OAuth 2.0), handed the raw body text whatever its type. */
function mountAuthRoute(app: Express, route: HttpRoute): void {
  const rawText = express.text({ type: () => true, limit: AUTH_ROUTE_BODY_LIMIT });
  const handler: RequestHandler = async (req, res) => {
    const url = new URL(req.originalUrl, 'http://localhost');
    const response = await route.handle({
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: typeof req.body === 'string' ? req.body : '',
      origin: `${req.protocol}://${req.host}`,
    });
    res.status(response.status).set(response.headers ?? {});
    if (!response.body) {
      res.end();
      return;
    }
    if (!res.get('content-type')) res.type('text/plain');
    res.send(response.body);
  };
  if (route.method === 'GET') app.get(route.path, handler);
  else app.post(route.path, rawText, handler);
}

function origin({ address, port }: AddressInfo): string {
  // Like Fastify: a wildcard address is reported as loopback, IPv6 in brackets.
  const host = address === '0.0.0.0' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
