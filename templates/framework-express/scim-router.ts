// The SCIM endpoints as one Express router, mounted at the base path. Routes come from the
// registry, so a new resource type needs no change here; status codes and bodies are the
// service's.

import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Authenticator } from '../scim/auth.js';
import { ScimError } from '../scim/errors.js';
import type { HttpServerOptions } from '../scim/http.js';
import type { ScimRequest, ScimResponse } from '../scim/service.js';
import { scimJsonBody } from './body.js';
import { SCIM_CONTENT_TYPE } from './errors.js';

export function scimRouter(options: HttpServerOptions): Router {
  const router = express.Router({ caseSensitive: true });
  // Credentials first: an anonymous client learns nothing, not even which paths exist.
  router.use(authenticate(options.authenticator));
  router.use(scimJsonBody(options.bodyLimit));
  registerRoutes(router, options);
  router.use((req, _res, next) => next(new ScimError(404, `No SCIM endpoint at ${req.method} ${req.originalUrl}`)));
  return router;
}

function authenticate(authenticator: Authenticator): RequestHandler {
  return async (req, res, next) => {
    if (await authenticator.authenticate(req.headers)) return next();
    res.setHeader('WWW-Authenticate', authenticator.challenge);
    next(new ScimError(401, 'Authentication is required: the request has no valid credentials'));
  };
}

type Operation = (req: Request, scim: ScimRequest) => ScimResponse | Promise<ScimResponse>;

function registerRoutes(router: Router, options: HttpServerOptions): void {
  const { service } = options;
  // Express 5 forwards a rejected promise to the error handler.
  const handle =
    (operation: Operation): RequestHandler =>
    async (req, res) =>
      send(res, await operation(req, toScimRequest(req, options)));
  const id = (req: Request) => String(req.params.id);

  router.get('/ServiceProviderConfig', handle((_req, scim) => service.serviceProviderConfig(scim)));
  router.get('/ResourceTypes', handle((_req, scim) => service.resourceTypes(scim)));
  router.get('/ResourceTypes/:id', handle((req, scim) => service.resourceTypes(scim, id(req))));
  router.get('/Schemas', handle((_req, scim) => service.schemas(scim)));
  router.get('/Schemas/:id', handle((req, scim) => service.schemas(scim, id(req))));
  router.post('/.search', handle((_req, scim) => service.search(undefined, scim)));

  for (const model of service.registry.resourceTypes) {
    const path = model.def.endpoint;
    router
      .route(path)
      .get(handle((_req, scim) => service.list(model, scim)))
      .post(handle((_req, scim) => service.create(model, scim)));
    router.post(`${path}/.search`, handle((_req, scim) => service.search(model, scim)));
    router
      .route(`${path}/:id`)
      .get(handle((req, scim) => service.get(model, id(req), scim)))
      .put(handle((req, scim) => service.replace(model, id(req), scim)))
      .patch(handle((req, scim) => service.patch(model, id(req), scim)))
      .delete(handle((req, scim) => service.delete(model, id(req), scim)));
  }
}

function toScimRequest(req: Request, options: HttpServerOptions): ScimRequest {
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    // req.protocol and req.host honour X-Forwarded-* only when 'trust proxy' is on.
    baseUrl: options.publicUrl ?? `${req.protocol}://${req.host}${options.basePath}`,
    query: req.query as Record<string, unknown>,
    body: req.body,
    ifMatch: header('if-match'),
    ifNoneMatch: header('if-none-match'),
    requestId: req.id,
    log: req.log,
  };
}

function send(res: Response, response: ScimResponse): void {
  res.status(response.status).set(response.headers ?? {});
  if (response.body === undefined) {
    res.end();
    return;
  }
  res.type(SCIM_CONTENT_TYPE).send(JSON.stringify(response.body));
}
