// The auth mode's own endpoints (OAuth 2.0) as a Hono app, handed the raw body text whatever
// its type. Mount it at the root (`app.route('/', authApp(scim))`): their paths are absolute.

import { Hono } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import { AUTH_ROUTE_BODY_LIMIT } from '../scim/auth.js';
import type { ScimEndpoints } from '../scim/routes.js';
import { limitBody } from './body.js';
import { clientOrigin, type AppEnv } from './context.js';

export function authApp(scim: Pick<ScimEndpoints, 'authRoutes'>, options: { trustProxy?: boolean } = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  for (const route of scim.authRoutes) {
    app.on(route.method, route.path, limitBody(AUTH_ROUTE_BODY_LIMIT), async (c) => {
      const url = new URL(c.req.url);
      const response = await route.handle({
        method: c.req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: c.req.header(),
        body: await c.req.text(),
        origin: clientOrigin(c, options.trustProxy ?? false),
      });
      // An empty body must be null in a Response (a 204 forbids even "").
      if (!response.body) return c.body(null, response.status as StatusCode, response.headers);
      const headers = { 'content-type': 'text/plain; charset=utf-8', ...response.headers };
      return c.body(response.body, response.status as ContentfulStatusCode, headers);
    });
  }
  return app;
}
