// The SCIM endpoints as a Hono sub-app: mount it under any path with app.route(), in this
// project's standalone server (index.ts) or in your own Hono app on @hono/node-server. The
// routes, their answers and the error format come from the engine's route table
// (../scim/routes.ts); what is Hono's is here.

import { randomUUID } from 'node:crypto';
import { Hono, type Context, type Handler } from 'hono';
import { basePath, baseRoutePath } from 'hono/route';
import { pino } from 'pino';
import type { HookLogger } from '../scim/hooks.js';
import { unknownEndpoint, type ScimEndpoints, type ScimRoute } from '../scim/routes.js';
import { limitBody, parseBody, requireScimMediaType } from './body.js';
import { clientAddress, clientOrigin, type AppEnv } from './context.js';
import { scimErrorResponse, write } from './errors.js';

export interface ScimAppOptions {
  /**
   * Logs requests that bring no logger of their own: middleware of the host app may set
   * c.var.log (and c.var.requestId), which win. Default: pino.
   */
  logger?: HookLogger;
  /** Trust X-Forwarded-Proto and -Host for the URLs in responses (only behind a proxy you control). */
  trustProxy?: boolean;
}

/** `app.route('/scim/v2', scimApp(scim, { logger }))`; `scim` comes from createScim(). */
export function scimApp(scim: ScimEndpoints, options: ScimAppOptions = {}): Hono<AppEnv> {
  const log = options.logger ?? pino();
  const trustProxy = options.trustProxy ?? false;
  const app = new Hono<AppEnv>();
  // Credentials first: an anonymous client learns nothing, not even which paths exist.
  app.use(async (c, next) => {
    const access = await scim.authenticate(c.env.incoming.headers, {
      path: pathBelowMount(c),
      remoteAddress: clientAddress(c, trustProxy),
    });
    if (access.refusal) return write(c, access.refusal);
    c.set('principal', access.principal);
    await next();
  });
  app.use(requireScimMediaType, limitBody(scim.bodyLimit), parseBody);
  for (const route of scim.routes) app.on(route.method, route.path, handler(route, log, trustProxy));
  app.all('*', (c) => write(c, unknownEndpoint(c.req.method, c.env.incoming.url ?? c.req.path)));
  app.onError((error, c) => scimErrorResponse(c, error, log));
  return app;
}

function handler(route: ScimRoute, log: HookLogger, trustProxy: boolean): Handler<AppEnv> {
  return async (c) => {
    const response = await route.handle({
      principal: c.get('principal')!,
      id: c.req.param('id'),
      headers: c.env.incoming.headers,
      query: query(c),
      body: c.get('body'),
      origin: clientOrigin(c, trustProxy),
      remoteAddress: clientAddress(c, trustProxy),
      mountPath: mountPath(c),
      requestId: c.get('requestId') ?? c.req.header('x-request-id') ?? randomUUID(),
      log: c.get('log') ?? log,
    });
    return write(c, response);
  };
}

/** Where app.route() mounted the sub-app; with its parameters filled in when it has any. */
function mountPath(c: Context<AppEnv>): string {
  const path = baseRoutePath(c);
  return path.includes(':') || path.includes('*') ? basePath(c) : path;
}

/** The request path below where the sub-app is mounted (its first segment may name a tenant). */
function pathBelowMount(c: Context<AppEnv>): string {
  const mount = mountPath(c).replace(/\/\*$/, '');
  return c.req.path.startsWith(mount) ? c.req.path.slice(mount.length) : c.req.path;
}

/** A repeated parameter becomes an array, as with Fastify's and Express's query parsers. */
function query(c: Context<AppEnv>): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(c.req.queries())) query[name] = values.length === 1 ? values[0] : values;
  return query;
}
