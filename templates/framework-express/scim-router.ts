// The SCIM endpoints as an Express router: mount it under any path, in this project's standalone
// server (index.ts) or in your own Express app. The routes, their answers and the error format
// come from the engine's route table (../scim/routes.ts); what is Express's is here.

import { randomUUID } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { pino } from 'pino';
import { AUTH_ROUTE_BODY_LIMIT, type HttpRoute } from '../scim/auth.js';
import type { Principal } from '../scim/credentials.js';
import type { HookLogger } from '../scim/hooks.js';
import { unknownEndpoint, type ScimEndpoints, type ScimRoute } from '../scim/routes.js';
import { scimJsonBody } from './body.js';
import { scimErrorHandler, write } from './errors.js';

export interface ScimRouterOptions {
  /**
   * Logs requests that bring no logger of their own: a host app with pino-http (or this
   * project's requestLogging) gives each one `req.log` and `req.id`, which win. Default: pino.
   */
  logger?: HookLogger;
}

/** `app.use('/scim/v2', scimRouter(scim, { logger }))`; `scim` comes from createScim(). */
export function scimRouter(scim: ScimEndpoints, options: ScimRouterOptions = {}): Router {
  const log = options.logger ?? pino();
  const router = express.Router({ caseSensitive: true });
  // Credentials first: an anonymous client learns nothing, not even which paths exist.
  router.use(async (req, res, next) => {
    // req.path is below the mount point here; req.ip is the X-Forwarded-For client only when the
    // app's 'trust proxy' is on.
    const access = await scim.authenticate(req.headers, { path: req.path, remoteAddress: req.ip });
    if (access.refusal) return write(res, access.refusal);
    res.locals.scimPrincipal = access.principal;
    next();
  });
  router.use(scimJsonBody(scim.bodyLimit));
  for (const route of scim.routes) {
    router[METHODS[route.method]](route.path, handler(route, log));
  }
  router.use((req, res) => write(res, unknownEndpoint(req.method, req.originalUrl)));
  router.use(scimErrorHandler(log));
  return router;
}

const METHODS = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as const;

/** Express 5 forwards a rejected promise to the error handler. */
function handler(route: ScimRoute, log: HookLogger): RequestHandler {
  return async (req, res) => {
    const response = await route.handle({
      principal: res.locals.scimPrincipal as Principal,
      // Only a `*name` wildcard makes a parameter an array; SCIM routes have none.
      id: req.params.id as string | undefined,
      headers: req.headers,
      query: req.query as Record<string, unknown>,
      body: req.body,
      // req.protocol and req.host honour X-Forwarded-* only when the app's 'trust proxy' is on.
      origin: `${req.protocol}://${req.host}`,
      remoteAddress: req.ip,
      // Where the router is mounted, as this request reached it.
      mountPath: req.baseUrl,
      requestId: req.id ?? requestId(req),
      log: req.log ?? log,
    });
    write(res, response);
  };
}

function requestId(req: Request): string {
  return req.get('x-request-id') || randomUUID();
}

/**
 * The auth mode's own endpoints (OAuth 2.0), handed the raw body text whatever its type. Mount
 * it at the root (`app.use(authRouter(scim))`): their paths are absolute from the server root.
 */
export function authRouter(scim: Pick<ScimEndpoints, 'authRoutes'>): Router {
  const router = express.Router();
  const rawText = express.text({ type: () => true, limit: AUTH_ROUTE_BODY_LIMIT });
  for (const route of scim.authRoutes) {
    if (route.method === 'GET') router.get(route.path, authHandler(route));
    else router[METHODS[route.method]](route.path, rawText, authHandler(route));
  }
  return router;
}

function authHandler(route: HttpRoute): RequestHandler {
  return async (req, res) => {
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
}
