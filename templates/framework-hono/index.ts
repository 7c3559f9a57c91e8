// The Hono adapter: HTTP <-> ScimService. A Hono app served by @hono/node-server, with the SCIM
// routes at the base path, the auth mode's own routes and /health at the root, and onError and
// notFound answering every failure with a SCIM Error message.

import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import { AUTH_ROUTE_BODY_LIMIT, type HttpRoute } from '../scim/auth.js';
import { ScimError } from '../scim/errors.js';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';
import { limitBody } from './body.js';
import { clientOrigin, type AppEnv } from './context.js';
import { scimErrorResponse } from './errors.js';
import { createLogger, requestLogging } from './logger.js';
import { scimRoutes } from './scim-routes.js';

export async function createHttpServer(options: HttpServerOptions): Promise<ScimHttpServer> {
  const log = createLogger(options.logLevel, options.authenticator.secretHeaders);
  const app = new Hono<AppEnv>({ getPath: tidyPath });

  app.use(requestLogging(log, options.trustProxy));

  // Liveness for load balancers and orchestrators: outside the SCIM base path, no credentials.
  app.get('/health', async (c) => {
    try {
      await options.ping();
      return c.json({ status: 'ok' });
    } catch {
      return c.json({ status: 'unavailable' }, 503);
    }
  });

  for (const route of options.authenticator.routes ?? []) mountAuthRoute(app, route, options.trustProxy);

  app.route(options.basePath, scimRoutes(options));
  app.notFound((c) => scimErrorResponse(c, new ScimError(404, `Not found: ${c.req.method} ${c.env.incoming.url}`)));
  app.onError((error, c) => scimErrorResponse(c, error));

  let server: Server | undefined;
  let closing = false;
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        // Without createServer or TLS options, serve() makes a plain node:http server.
        const listening = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
          listening.off('error', reject);
          const address = origin(info);
          log.info(`Server listening at ${address}`);
          resolve(address);
        }) as Server;
        listening.once('error', reject);
        // Node closes idle keep-alive sockets when the server closes, but a socket whose
        // request was still in flight would linger until its keep-alive timeout: drop it once
        // its answer is out.
        listening.on('request', (_req, res: ServerResponse) => {
          res.once('finish', () => {
            if (closing) setImmediate(() => listening.closeIdleConnections());
          });
        });
        server = listening;
      }),
    // Stops accepting connections and resolves once every in-flight request has been answered.
    close: () =>
      new Promise((resolve, reject) => {
        if (!server?.listening) return resolve();
        closing = true;
        server.close((error) => (error ? reject(error) : resolve()));
      }),
    log,
  };
}

/**
 * Tolerates what Fastify's ignoreTrailingSlash and ignoreDuplicateSlashes do: //scim/v2//Users/
 * is routed as /scim/v2/Users.
 */
function tidyPath(request: Request): string {
  return getPath(request).replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

/** An auth mode's endpoint (OAuth 2.0), handed the raw body text whatever its type. */
function mountAuthRoute(app: Hono<AppEnv>, route: HttpRoute, trustProxy: boolean): void {
  app.on(route.method, route.path, limitBody(AUTH_ROUTE_BODY_LIMIT), async (c) => {
    const url = new URL(c.req.url);
    const response = await route.handle({
      method: c.req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: c.req.header(),
      body: await c.req.text(),
      origin: clientOrigin(c, trustProxy),
    });
    // An empty body must be null in a Response (a 204 forbids even "").
    if (!response.body) return c.body(null, response.status as StatusCode, response.headers);
    const headers = { 'content-type': 'text/plain; charset=utf-8', ...response.headers };
    return c.body(response.body, response.status as ContentfulStatusCode, headers);
  });
}

function origin({ address, port }: AddressInfo): string {
  // Like Fastify: a wildcard address is reported as loopback, IPv6 in brackets.
  const host = address === '0.0.0.0' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
