// The Hono adapter: the standalone server, a Hono app served by @hono/node-server with the SCIM
// sub-app (scim-routes.ts) at the base path, the auth mode's own routes and /health at the root,
// request logging with every credential redacted, and onError and notFound answering every
// failure with a SCIM Error message.

import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';
import { applyHttpLimits } from '../scim/http-limits.js';
import { notFound } from '../scim/routes.js';
import { authApp } from './auth-routes.js';
import type { AppEnv } from './context.js';
import { scimErrorResponse, write } from './errors.js';
import { createLogger, requestLogging } from './logger.js';
import { scimApp } from './scim-routes.js';

export { authApp } from './auth-routes.js';
export { scimApp, type ScimAppOptions } from './scim-routes.js';
export type { AppEnv } from './context.js';

export async function createHttpServer(options: HttpServerOptions): Promise<ScimHttpServer> {
  const log = createLogger(options.logLevel, options.secretHeaders);
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

  app.route('/', authApp(options.scim, { trustProxy: options.trustProxy }));
  app.route(options.basePath, scimApp(options.scim, { logger: log, trustProxy: options.trustProxy }));
  app.notFound((c) => write(c, notFound(c.req.method, c.env.incoming.url ?? c.req.path)));
  app.onError((error, c) => scimErrorResponse(c, error, log));

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
        // Timeouts, and SCIM errors for what Node refuses before Hono sees a request.
        applyHttpLimits(listening, options.limits, log);
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

function origin({ address, port }: AddressInfo): string {
  // Like Fastify: a wildcard address is reported as loopback, IPv6 in brackets.
  const host = address === '0.0.0.0' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
