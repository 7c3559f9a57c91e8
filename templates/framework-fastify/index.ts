// The Fastify adapter: HTTP <-> ScimService. Routes come from the registry, so a new resource
// type needs no change here. Everything SCIM-specific (status codes, bodies) is the service's.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AUTH_ROUTE_BODY_LIMIT, type Authenticator, type HttpRoute } from '../scim/auth.js';
import { ScimError } from '../scim/errors.js';
import type { ScimRequest, ScimResponse } from '../scim/service.js';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';

const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

export async function createHttpServer(options: HttpServerOptions): Promise<ScimHttpServer> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      // Secrets never reach the logs, whatever a future serializer decides to include.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-api-key"]',
          ...(options.authenticator.secretHeaders ?? []).map((name) => `req.headers[${JSON.stringify(name.toLowerCase())}]`),
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Errors Fastify raises before routing (a malformed URL, an overlong id) are SCIM errors too.
    frameworkErrors: (error, request, reply) => sendError(request, reply, error),
  });

  registerBodyParsers(app);
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(request, reply, error));
  let closing = false;
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // While shutting down, a keep-alive connection would hold close() open until it times out.
    if (closing) reply.header('connection', 'close');
  });

  // Liveness for load balancers and orchestrators: outside the SCIM base path, no credentials.
  app.get('/health', async (_request, reply) => {
    try {
      await options.ping();
      return reply.send({ status: 'ok' });
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  // The auth mode's own endpoints (OAuth 2.0), in a scope that hands them the raw body.
  const routes = options.authenticator.routes ?? [];
  if (routes.length > 0) {
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: AUTH_ROUTE_BODY_LIMIT }, (_request, body, done) =>
        done(null, body),
      );
      for (const route of routes) mountAuthRoute(scope, route);
    });
  }

  await app.register(
    async (scim) => {
      scim.addHook('onRequest', authenticate(options.authenticator));
      registerRoutes(scim, options);
      scim.setNotFoundHandler({ preHandler: authenticate(options.authenticator) }, (request, reply) =>
        sendError(request, reply, new ScimError(404, `No SCIM endpoint at ${request.method} ${request.url}`)),
      );
    },
    { prefix: options.basePath },
  );

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, new ScimError(404, `Not found: ${request.method} ${request.url}`)),
  );

  return {
    async listen(port, host) {
      return app.listen({ port, host });
    },
    async close() {
      closing = true;
      await app.close();
    },
    log: app.log,
  };
}

function mountAuthRoute(app: FastifyInstance, route: HttpRoute): void {
  app.route({
    method: route.method,
    url: route.path,
    handler: async (request, reply) => {
      const url = new URL(request.url, 'http://localhost');
      const response = await route.handle({
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body: typeof request.body === 'string' ? request.body : '',
        origin: `${request.protocol}://${request.host}`,
      });
      for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
      return reply.code(response.status).send(response.body ?? '');
    },
  });
}

/** SCIM bodies are JSON sent as application/scim+json or application/json (RFC 7644 §3.1). */
function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    ['application/scim+json', 'application/json'],
    { parseAs: 'string' },
    (_request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch (error) {
        done(new ScimError(400, `The request body is not valid JSON: ${(error as Error).message}`, 'invalidSyntax'));
      }
    },
  );
  app.addContentTypeParser('*', (request, _payload, done) => {
    done(
      new ScimError(
        415,
        `Unsupported Content-Type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/scim+json or application/json`,
      ),
    );
  });
}

function authenticate(authenticator: Authenticator) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (await authenticator.authenticate(request.headers)) return;
    reply.header('WWW-Authenticate', authenticator.challenge);
    throw new ScimError(401, 'Authentication is required: the request has no valid credentials');
  };
}

function registerRoutes(app: FastifyInstance, options: HttpServerOptions): void {
  const { service } = options;
  type Params = { id: string };
  const handle =
    (operation: (request: FastifyRequest, scim: ScimRequest) => ScimResponse | Promise<ScimResponse>) =>
    async (request: FastifyRequest, reply: FastifyReply) =>
      send(reply, await operation(request, toScimRequest(request, options)));

  app.get('/ServiceProviderConfig', handle((_r, scim) => service.serviceProviderConfig(scim)));
  app.get('/ResourceTypes', handle((_r, scim) => service.resourceTypes(scim)));
  app.get<{ Params: Params }>('/ResourceTypes/:id', handle((r, scim) => service.resourceTypes(scim, (r.params as Params).id)));
  app.get('/Schemas', handle((_r, scim) => service.schemas(scim)));
  app.get<{ Params: Params }>('/Schemas/:id', handle((r, scim) => service.schemas(scim, (r.params as Params).id)));
  app.post('/.search', handle((_r, scim) => service.search(undefined, scim)));

  for (const model of service.registry.resourceTypes) {
    const path = model.def.endpoint;
    const id = (r: FastifyRequest) => (r.params as Params).id;
    app.get(path, handle((_r, scim) => service.list(model, scim)));
    app.post(path, handle((_r, scim) => service.create(model, scim)));
    app.post(`${path}/.search`, handle((_r, scim) => service.search(model, scim)));
    app.get(`${path}/:id`, handle((r, scim) => service.get(model, id(r), scim)));
    app.put(`${path}/:id`, handle((r, scim) => service.replace(model, id(r), scim)));
    app.patch(`${path}/:id`, handle((r, scim) => service.patch(model, id(r), scim)));
    app.delete(`${path}/:id`, handle((r, scim) => service.delete(model, id(r), scim)));
  }
}

function toScimRequest(request: FastifyRequest, options: HttpServerOptions): ScimRequest {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    baseUrl: options.publicUrl ?? `${request.protocol}://${request.host}${options.basePath}`,
    query: (request.query ?? {}) as Record<string, unknown>,
    body: request.body,
    ifMatch: header('if-match'),
    ifNoneMatch: header('if-none-match'),
    requestId: String(request.id),
    log: request.log,
  };
}

function send(reply: FastifyReply, response: ScimResponse) {
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  reply.code(response.status);
  if (response.body === undefined) return reply.send();
  return reply.header('content-type', SCIM_CONTENT_TYPE).send(JSON.stringify(response.body));
}

/** Every error leaves as a SCIM Error message (RFC 7644 §3.12), never HTML or plain text. */
function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  let scimError: ScimError;
  if (error instanceof ScimError) {
    scimError = error;
  } else {
    const fastifyError = error as FastifyError;
    const status = fastifyError.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'unhandled error');
      scimError = new ScimError(500, 'Internal server error');
    } else if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      scimError = new ScimError(413, 'The request body is larger than this server accepts');
    } else if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      scimError = new ScimError(415, 'Send application/scim+json or application/json');
    } else {
      scimError = new ScimError(status, fastifyError.message, status === 400 ? 'invalidSyntax' : undefined);
    }
  }
  if (scimError.status >= 500) request.log.error({ err: error }, scimError.message);
  return reply
    .code(scimError.status)
    .header('content-type', SCIM_CONTENT_TYPE)
    .send(JSON.stringify(scimError.toJSON()));
}
