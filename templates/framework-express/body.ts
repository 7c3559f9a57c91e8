// Request bodies: SCIM requests carry JSON (RFC 7644 §3.1), within a size limit.

import express, { type Request, type RequestHandler } from 'express';
import { ScimError } from '../scim/errors.js';

const SCIM_MEDIA_TYPES = new Set(['application/scim+json', 'application/json']);
/** Methods whose body, if any, is ignored. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD', 'TRACE']);

/**
 * Sets req.body to the parsed JSON (undefined when the body is empty): 415 for another media
 * type, 413 over `limit` bytes, 400 invalidSyntax for malformed JSON.
 */
export function scimJsonBody(limit: number): RequestHandler[] {
  const readRaw = express.raw({ type: (req) => !BODYLESS_METHODS.has(req.method ?? ''), limit });
  return [requireScimMediaType, readRaw, parseJsonBody];
}

/** A request without a body needs no Content-Type. */
const requireScimMediaType: RequestHandler = (req, _res, next) => {
  const contentType = req.get('content-type');
  if (BODYLESS_METHODS.has(req.method) || (contentType === undefined && !hasBody(req))) return next();
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  if (SCIM_MEDIA_TYPES.has(mediaType)) return next();
  next(
    new ScimError(
      415,
      `Unsupported Content-Type ${JSON.stringify(contentType ?? '')}; send application/scim+json or application/json`,
    ),
  );
};

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/** JSON.parse rather than express.json: an empty body must stay undefined, not become {}. */
const parseJsonBody: RequestHandler = (req, _res, next) => {
  if (!Buffer.isBuffer(req.body)) return next();
  const text = req.body.toString('utf8');
  try {
    req.body = text.trim() === '' ? undefined : JSON.parse(text);
  } catch (error) {
    return next(new ScimError(400, `The request body is not valid JSON: ${(error as Error).message}`, 'invalidSyntax'));
  }
  next();
};
