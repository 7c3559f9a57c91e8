// The SCIM endpoints as one Hono app, routed at the base path. Routes come from the registry,
// so a new resource type needs no change here; status codes and bodies are the service's.

import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { Authenticator } from '../scim/auth.js';
import { ScimError } from '../scim/errors.js';
import type { HttpServerOptions } from '../scim/http.js';
import type { ScimRequest, ScimResponse } from '../scim/service.js';
import { limitBody, parseJsonBody, requireScimMediaType } from './body.js';
import { clientOrigin, type AppEnv } from './context.js';
import { SCIM_CONTENT_TYPE } from './errors.js';

export function scimRoutes(options: HttpServerOptions): Hono<AppEnv> {
  const scim = new Hono<AppEnv>();
  // Credentials first: an anonymous client learns nothing, not even which paths exist.
  scim.use(authenticate(options.authenticator));
  scim.use(requireScimMediaType, limitBody(options.bodyLimit), parseJsonBody);
  registerRoutes(scim, options);
  scim.all('*', (c) => {
    throw new ScimError(404, `No SCIM endpoint at ${c.req.method} ${c.env.incoming.url}`);
  });
  return scim;
}

function authenticate(authenticator: Authenticator): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!(await authenticator.authenticate(c.req.header()))) {
      c.header('WWW-Authenticate', authenticator.challenge);
      throw new ScimError(401, 'Authentication is required: the request has no valid credentials');
    }
    await next();
  };
}

type Operation = (c: Context<AppEnv>, scim: ScimRequest) => ScimResponse | Promise<ScimResponse>;

function registerRoutes(app: Hono<AppEnv>, options: HttpServerOptions): void {
  const { service } = options;
  const handle = (operation: Operation) => async (c: Context<AppEnv>) =>
    send(c, await operation(c, toScimRequest(c, options)));
  const id = (c: Context<AppEnv>) => c.req.param('id') ?? '';

  app.get('/ServiceProviderConfig', handle((_c, scim) => service.serviceProviderConfig(scim)));
  app.get('/ResourceTypes', handle((_c, scim) => service.resourceTypes(scim)));
  app.get('/ResourceTypes/:id', handle((c, scim) => service.resourceTypes(scim, id(c))));
  app.get('/Schemas', handle((_c, scim) => service.schemas(scim)));
  app.get('/Schemas/:id', handle((c, scim) => service.schemas(scim, id(c))));
  app.post('/.search', handle((_c, scim) => service.search(undefined, scim)));

  for (const model of service.registry.resourceTypes) {
    const path = model.def.endpoint;
    app.get(path, handle((_c, scim) => service.list(model, scim)));
    app.post(path, handle((_c, scim) => service.create(model, scim)));
    app.post(`${path}/.search`, handle((_c, scim) => service.search(model, scim)));
    app.get(`${path}/:id`, handle((c, scim) => service.get(model, id(c), scim)));
    app.put(`${path}/:id`, handle((c, scim) => service.replace(model, id(c), scim)));
    app.patch(`${path}/:id`, handle((c, scim) => service.patch(model, id(c), scim)));
    app.delete(`${path}/:id`, handle((c, scim) => service.delete(model, id(c), scim)));
  }
}

function toScimRequest(c: Context<AppEnv>, options: HttpServerOptions): ScimRequest {
  // A repeated parameter becomes an array, as with Fastify's and Express's query parsers.
  const query = Object.fromEntries(
    Object.entries(c.req.queries()).map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
  );
  return {
    baseUrl: options.publicUrl ?? `${clientOrigin(c, options.trustProxy)}${options.basePath}`,
    query,
    body: c.get('body'),
    ifMatch: c.req.header('if-match'),
    ifNoneMatch: c.req.header('if-none-match'),
    requestId: c.get('requestId'),
    log: c.get('log'),
  };
}

function send(c: Context<AppEnv>, response: ScimResponse): Response {
  for (const [name, value] of Object.entries(response.headers ?? {})) c.header(name, value);
  if (response.body === undefined) return c.body(null, response.status as StatusCode);
  c.header('content-type', SCIM_CONTENT_TYPE);
  return c.body(JSON.stringify(response.body), response.status as ContentfulStatusCode);
}
