// Writing answers: a route's RouteResponse as it is, and every error as a SCIM Error message
// (RFC 7644 §3.12, rendered by the engine), never Hono's plain text.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { HookLogger } from '../scim/hooks.js';
import { errorResponse, type RouteResponse } from '../scim/routes.js';
import type { AppEnv } from './context.js';

export function write(c: Context<AppEnv>, response: RouteResponse): Response {
  // A Response without a body must be given null (a 204 forbids even "").
  if (response.body === undefined) return c.body(null, response.status as StatusCode, response.headers);
  return c.body(response.body, response.status as ContentfulStatusCode, response.headers);
}

/** For onError: `log` serves requests that carry no logger of their own (c.var.log). */
export function scimErrorResponse(c: Context<AppEnv>, error: unknown, log: HookLogger): Response {
  // Hono's own failures are HTTPExceptions with their status.
  const status = error instanceof HTTPException ? error.status : undefined;
  return write(c, errorResponse(error, c.get('log') ?? log, status));
}
