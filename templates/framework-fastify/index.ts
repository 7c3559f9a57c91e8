// The Fastify adapter: the standalone server, a Fastify app with the SCIM plugin (plugin.ts) at
// the base path, the auth mode's own routes and /health at the root, request logging with every
// credential redacted, and every failure answered with a SCIM Error message.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyRequest } from 'fastify';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';
import { applyHttpLimits } from '../scim/http-limits.js';
import { redactUrl } from '../scim/redact.js';
import { notFound } from '../scim/routes.js';
import { authPlugin, scimPlugin, send, sendError } from './plugin.js';

export { authPlugin, scimPlugin } from './plugin.js';

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
          ...options.secretHeaders.map((name) => `req.headers[${JSON.stringify(name.toLowerCase())}]`),
          '*.password',
        ],
        censor: '[redacted]',
      },
      // Query-string values (filter values, anything a client put in a URL) never reach the logs.
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          url: redactUrl(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }),
      },
    },
    trustProxy: options.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    // Errors Fastify raises before routing (a malformed URL, an overlong id) are SCIM errors too.
    frameworkErrors: (error, request, reply) => sendError(error, request, reply),
  });

  app.setErrorHandler(sendError);
  // Timeouts, and SCIM errors for what Node refuses before Fastify sees a request.
  applyHttpLimits(app.server, options.limits, app.log);
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

  if (options.scim.authRoutes.length > 0) await app.register(authPlugin(options.scim));
  await app.register(scimPlugin(options.scim), { prefix: options.basePath });
  app.setNotFoundHandler((request, reply) => send(reply, notFound(request.method, request.url)));

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
