// Request bodies: SCIM requests carry JSON (RFC 7644 §3.1), within a size limit.

import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ScimError } from '../scim/errors.js';
import type { AppEnv } from './context.js';

const SCIM_MEDIA_TYPES = new Set(['application/scim+json', 'application/json']);
/** Methods whose body, if any, is ignored. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/** 415 for a body of any other type; a request without a body needs no Content-Type. */
export const requireScimMediaType: MiddlewareHandler<AppEnv> = async (c, next) => {
  const contentType = c.req.header('content-type');
  if (!BODYLESS_METHODS.has(c.req.method) && (contentType !== undefined || hasBody(c))) {
    const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!SCIM_MEDIA_TYPES.has(mediaType)) {
      throw new ScimError(
        415,
        `Unsupported Content-Type ${JSON.stringify(contentType ?? '')}; send application/scim+json or application/json`,
      );
    }
  }
  await next();
};

function hasBody(c: Context<AppEnv>): boolean {
  const length = c.req.header('content-length');
  return c.req.header('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** 413 for a body over maxSize bytes. */
export function limitBody(maxSize: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize,
    onError: (c) => {
      // The rest of the body stays unread, so the connection cannot carry another request.
      c.header('Connection', 'close');
      throw new ScimError(413, 'The request body is larger than this server accepts');
    },
  });
}

/** The JSON body of a SCIM request, for the routes; an empty body stays undefined. */
export const parseJsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!BODYLESS_METHODS.has(c.req.method)) {
    const text = await c.req.text();
    try {
      c.set('body', text.trim() === '' ? undefined : JSON.parse(text));
    } catch (error) {
      throw new ScimError(400, `The request body is not valid JSON: ${(error as Error).message}`, 'invalidSyntax');
    }
  }
  await next();
};
