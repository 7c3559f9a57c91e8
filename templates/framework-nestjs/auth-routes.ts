// The auth mode's own endpoints (OAuth 2.0) as an Express router, handed the raw body text
// whatever its type: on Nest's Express platform, `app.use(authRouter(scim))` mounts them at the
// root, where their absolute paths belong.

import express, { type RequestHandler, type Router } from 'express';
import { AUTH_ROUTE_BODY_LIMIT, type HttpRoute } from '../scim/auth.js';
import type { ScimEndpoints } from '../scim/routes.js';

export function authRouter(scim: Pick<ScimEndpoints, 'authRoutes'>): Router {
  const router = express.Router();
  const rawText = express.text({ type: () => true, limit: AUTH_ROUTE_BODY_LIMIT });
  for (const route of scim.authRoutes) {
    if (route.method === 'GET') router.get(route.path, handler(route));
    else router[route.method === 'POST' ? 'post' : route.method === 'PATCH' ? 'patch' : 'delete'](route.path, rawText, handler(route));
  }
  return router;
}

function handler(route: HttpRoute): RequestHandler {
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
