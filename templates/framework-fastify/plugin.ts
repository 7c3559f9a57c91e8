// The SCIM endpoints as a Fastify plugin: register it under any prefix, in this project's
// standalone server (index.ts) or in your own Fastify app, whose logger it then uses. The
// routes, their answers and the error format come from the engine's route table
// (../scim/routes.ts); what is Fastify's is here: the body parsers, the hooks and the handlers.

import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AUTH_ROUTE_BODY_LIMIT, type HttpRoute } from '../scim/auth.js';
import type { Principal } from '../scim/credentials.js';
import {
  SCIM_MEDIA_TYPES,
  errorResponse,
  mediaTypeError,
  parseJsonBody,
  unknownEndpoint,
  type RouteResponse,
  type ScimEndpoints,
  type ScimRoute,
} from '../scim/routes.js';

/** `app.register(scimPlugin(scim), { prefix: '/scim/v2' })`; `scim` comes from createScim(). */
export function scimPlugin(scim: ScimEndpoints): FastifyPluginAsync {
  return async (app) => {
    // Inside the plugin, the prefix it was registered with (and its parents'): resource URLs
    // start there.
    const mountPath = app.prefix;
    acceptScimJson(app, scim.bodyLimit);
    app.setErrorHandler(sendError);

    // Credentials first (onRequest runs before the body is read): an anonymous client learns
    // nothing, not even which paths exist.
    const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
      // request.ip is the X-Forwarded-For client only with trustProxy.
      const access = await scim.authenticate(request.headers, { path: pathBelowMount(request, mountPath), remoteAddress: request.ip });
      if (access.refusal) return send(reply, access.refusal);
      principals.set(request, access.principal);
    };
    app.addHook('onRequest', authenticate);

    for (const route of scim.routes) {
      app.route({
        method: route.method,
        url: route.path,
        handler: (request, reply) => handle(route, mountPath, principals.get(request)!, request, reply),
      });
    }
    app.setNotFoundHandler({ preHandler: authenticate }, (request, reply) =>
      send(reply, unknownEndpoint(request.method, request.url)),
    );
  };
}

/** The tenant segment of a matched route (its `:tenant`), or the URL below the mount path when none matched. */
function pathBelowMount(request: FastifyRequest, mountPath: string): string | undefined {
  const { tenant } = request.params as { tenant?: string };
  if (tenant !== undefined) return `/${tenant}`;
  if (request.routeOptions.url !== undefined) return undefined;
  const path = request.url.split('?', 1)[0]!.replace(/\/{2,}/g, '/');
  return path.startsWith(mountPath) ? path.slice(mountPath.length) : path;
}

/** The principal the onRequest hook let in, per request (a WeakMap: nothing to clean up). */
const principals = new WeakMap<FastifyRequest, Principal>();

async function handle(route: ScimRoute, mountPath: string, principal: Principal, request: FastifyRequest, reply: FastifyReply) {
  const response = await route.handle({
    principal,
    id: (request.params as { id?: string }).id,
    headers: request.headers,
    query: request.query as Record<string, unknown>,
    body: request.body,
    origin: `${request.protocol}://${request.host}`,
    remoteAddress: request.ip,
    mountPath,
    requestId: request.id,
    log: request.log,
  });
  return send(reply, response);
}

export function send(reply: FastifyReply, response: RouteResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/** Fastify's own failures (a body over the limit, a malformed URL) carry their status as statusCode. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return send(reply, errorResponse(error, request.log, (error as FastifyError).statusCode));
}

/** SCIM bodies are JSON sent as application/scim+json or application/json (RFC 7644 §3.1). */
function acceptScimJson(app: FastifyInstance, bodyLimit: number): void {
  // Content-type parsers are encapsulated: this replaces the host app's only inside the plugin.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...SCIM_MEDIA_TYPES], { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error);
    }
  });
  app.addContentTypeParser('*', (request, _payload, done) => done(mediaTypeError(request.method, request.headers) ?? null));
}

/**
 * The auth mode's own endpoints (OAuth 2.0), handed the raw body text whatever its type.
 * Register it without a prefix: their paths are absolute from the server root.
 */
export function authPlugin(scim: Pick<ScimEndpoints, 'authRoutes'>): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: AUTH_ROUTE_BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    for (const route of scim.authRoutes) mountAuthRoute(app, route);
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
