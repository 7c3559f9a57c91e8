// Writing answers: a route's RouteResponse as it is, and every error as a SCIM Error message
// (RFC 7644 §3.12, rendered by the engine), never Express's HTML page.

import type { ErrorRequestHandler, Response } from 'express';
import type { HookLogger } from '../scim/hooks.js';
import { errorResponse, type RouteResponse } from '../scim/routes.js';

/**
 * Straight to Node's response: Express's res.send would add an ETag of its own (and answer 304
 * to an If-None-Match meant for the service) in a host app that has them on. Node sets
 * Content-Length from the body given to end(), and sends no body to a HEAD request.
 */
export function write(res: Response, response: RouteResponse): void {
  res.statusCode = response.status;
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.end(response.body);
}

/** What body-parser, the router and http-errors attach to the errors they raise. */
interface HttpError {
  status?: number;
  statusCode?: number;
}

/** The last error handler: `log` serves requests that carry no logger of their own (req.log). */
export function scimErrorHandler(log: HookLogger): ErrorRequestHandler {
  return (error, req, res, next) => {
    // Too late for an error body: Express's default handler closes the connection.
    if (res.headersSent) return next(error);
    const { status, statusCode } = (error ?? {}) as HttpError;
    write(res, errorResponse(error, req.log ?? log, status ?? statusCode));
  };
}
