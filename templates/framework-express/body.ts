// Request bodies: SCIM requests carry JSON (RFC 7644 §3.1), within a size limit. The rules are
// the engine's (../scim/routes.ts); reading the body is Express's.

import express, { type RequestHandler } from 'express';
import { BODYLESS_METHODS, mediaTypeError, parseJsonBody } from '../scim/routes.js';

/**
 * Sets req.body to the parsed JSON (undefined when the body is empty): 415 for another media
 * type, 413 over `limit` bytes, 400 invalidSyntax for malformed JSON. A body the host app's own
 * express.json() already parsed is kept as it is.
 */
export function scimJsonBody(limit: number): RequestHandler[] {
  const readRaw = express.raw({ type: (req) => !BODYLESS_METHODS.has(req.method ?? ''), limit });
  return [requireScimMediaType, readRaw, parseBody];
}

const requireScimMediaType: RequestHandler = (req, _res, next) => next(mediaTypeError(req.method, req.headers));

/** JSON.parse rather than express.json: an empty body must stay undefined, not become {}. */
const parseBody: RequestHandler = (req, _res, next) => {
  if (!Buffer.isBuffer(req.body)) return next();
  try {
    req.body = parseJsonBody(req.body.toString('utf8'));
  } catch (error) {
    return next(error);
  }
  next();
};
