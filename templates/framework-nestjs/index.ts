// The NestJS adapter: the standalone server, a Nest app on its Express platform with the SCIM
// module (scim.module.ts) at the base path, the auth mode's own routes and /health at the root,
// request logging with every credential redacted through pino (also Nest's own logger), and
// every failure answered with a SCIM Error message.

import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Catch, Module, NotFoundException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { NestFactory, RouterModule } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { HttpServerOptions, ScimHttpServer } from '../scim/http.js';
import { applyHttpLimits } from '../scim/http-limits.js';
import { errorResponse, notFound } from '../scim/routes.js';
import { authRouter } from './auth-routes.js';
import { createLogger, nestLogger, requestLogging } from './logger.js';
import { write } from './response.js';
import { httpStatus } from './scim-exception.filter.js';
import { ScimModule } from './scim.module.js';

export { authRouter } from './auth-routes.js';
export { requestLogging } from './logger.js';
export { ScimModule } from './scim.module.js';

export async function createHttpServer(options: HttpServerOptions): Promise<ScimHttpServer> {
  const log = createLogger(options.logLevel, options.secretHeaders);
  const server = express();
  server.set('trust proxy', options.trustProxy);
  // SCIM paths are case-sensitive (/Users, not /users).
  server.set('case sensitive routing', true);
  server.disable('x-powered-by');
  server.use(tidyPath, requestLogging(log));

  // Liveness for load balancers and orchestrators: outside the SCIM base path, no credentials.
  server.get('/health', async (_req, res) => {
    try {
      await options.ping();
      res.json({ status: 'ok' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });
  server.use(authRouter(options.scim));

  @Module({
    imports: [ScimModule.register(options.scim), RouterModule.register([{ path: options.basePath, module: ScimModule }])],
  })
  class ServerModule {}

  const app = await NestFactory.create<NestExpressApplication>(ServerModule, new ExpressAdapter(server), {
    // The SCIM module reads its own bodies, with SCIM's media types and limit.
    bodyParser: false,
    logger: nestLogger(log),
    // A failure to start is an error for the caller, not a process.exit.
    abortOnError: false,
  });
  app.useGlobalFilters(new ServerExceptionFilter(log));
  await app.init();

  const http = app.getHttpServer() as Server;
  // Timeouts, and SCIM errors for what Node refuses before Nest sees a request.
  applyHttpLimits(http, options.limits, log);
  let closing = false;
  // Node closes idle keep-alive sockets when the server closes, but a socket whose request was
  // still in flight would linger until its keep-alive timeout: drop it once its answer is out.
  http.on('request', (_req, res: ServerResponse) => {
    res.once('finish', () => {
      if (closing) setImmediate(() => http.closeIdleConnections());
    });
  });
  return {
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          http.off('error', reject);
          const address = origin(http.address() as AddressInfo);
          log.info(`Server listening at ${address}`);
          resolve(address);
        });
      }),
    // Stops accepting connections, resolves once every in-flight request has been answered,
    // and runs Nest's shutdown hooks.
    async close() {
      closing = true;
      if (http.listening) await new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve())));
      await app.close();
    },
    log,
  };
}

/**
 * Everything outside the SCIM module (a path no route matches, a body over the auth routes'
 * limit) is answered in SCIM's error format too: this server serves nothing else.
 */
@Catch()
class ServerExceptionFilter implements ExceptionFilter {
  constructor(private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    if (exception instanceof NotFoundException) return write(res, notFound(req.method, req.originalUrl));
    write(res, errorResponse(exception, req.log ?? this.log, httpStatus(exception)));
  }
}

/**
 * Tolerates what Fastify's ignoreTrailingSlash and ignoreDuplicateSlashes do: //scim/v2//Users/
 * is /scim/v2/Users. Only the path is rewritten, never the query string.
 */
const tidyPath: RequestHandler = (req, _res, next) => {
  const queryStart = req.url.indexOf('?');
  const path = queryStart === -1 ? req.url : req.url.slice(0, queryStart);
  const tidy = path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
  if (tidy !== path) req.url = tidy + req.url.slice(path.length);
  next();
};

function origin({ address, port }: AddressInfo): string {
  // Like Fastify: a wildcard address is reported as loopback, IPv6 in brackets.
  const host = address === '0.0.0.0' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}
