// Request bodies: SCIM requests carry JSON (RFC 7644 §3.1), within a size limit. The rules are
// the engine's (../scim/routes.ts); reading the body is Express's, under Nest.

import express, { type Request, type Response } from 'express';
import { BODYLESS_METHODS, mediaTypeError, parseJsonBody } from '../scim/routes.js';

/**
 * A reader of SCIM request bodies: the parsed JSON (undefined when the body is empty), or a
 * thrown 415 for another media type, 413 over `limit` bytes, 400 invalidSyntax for malformed
 * JSON. A body the app's own JSON parser already read (Nest's default, for application/json)
 * is taken as it is.
 */
export function scimBodyReader(limit: number): (req: Request, res: Response) => Promise<unknown> {
  const readRaw = express.raw({ type: () => true, limit });
  return async (req, res) => {
    if (BODYLESS_METHODS.has(req.method)) return undefined;
    const unsupported = mediaTypeError(req.method, req.headers);
    if (unsupported) throw unsupported;
    if (req.readableEnded) return req.body;
    await new Promise<void>((resolve, reject) => readRaw(req, res, (error?: unknown) => (error ? reject(error) : resolve())));
    return Buffer.isBuffer(req.body) ? parseJsonBody(req.body.toString('utf8')) : undefined;
  };
}
