// Writing a RouteResponse (../scim/routes.ts) as it is.

import type { Response } from 'express';
import type { RouteResponse } from '../scim/routes.js';

/**
 * Straight to Node's response: Express's res.send would add an ETag of its own (and answer 304
 * to an If-None-Match meant for the service) in an app that has them on. Node sets
 * Content-Length from the body given to end(), and sends no body to a HEAD request.
 */
export function write(res: Response, response: RouteResponse): void {
  res.statusCode = response.status;
  for (const name in response.headers) res.setHeader(name, response.headers[name]!);
  res.end(response.body);
}
