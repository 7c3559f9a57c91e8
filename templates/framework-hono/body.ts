// Request bodies: SCIM requests carry JSON (RFC 7644 §3.1), within a size limit. The rules are
// the engine's (../scim/routes.ts); reading the body is Hono's.

import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { BODYLESS_METHODS, mediaTypeError, parseJsonBody } from '../scim/routes.js';
import type { AppEnv } from './context.js';

/** 415 for a body of any other type; a request without a body needs no Content-Type. */
export const requireScimMediaType: MiddlewareHandler<AppEnv> = async (c, next) => {
  const error = mediaTypeError(c.req.method, c.env.incoming.headers);
  if (error) throw error;
  await next();
};

/** 413 for a body over maxSize bytes; onError renders it as the engine says. */
export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: (c) => {
      // The rest of the body stays unread, so the connection cannot carry another request.
      c.header('Connection', 'close');
      throw new HTTPException(413);
    },
  });
}

/** The JSON body of a SCIM request, for the routes; an empty body stays undefined. */
export const parseBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!BODYLESS_METHODS.has(c.req.method)) c.set('body', parseJsonBody(await c.req.text()));
  await next();
};
