// Every error leaves as a SCIM Error message (RFC 7644 §3.12), never Express's HTML page.

import type { ErrorRequestHandler, Request, Response } from 'express';
import { ScimError } from '../scim/errors.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** What body-parser, the router and http-errors attach to the errors they raise. */
interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
}

function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  const httpError = error as HttpError;
  const status = httpError.status ?? httpError.statusCode ?? 500;
  if (status >= 500 || status < 400) return new ScimError(500, 'Internal server error');
  if (httpError.type === 'entity.too.large') {
    return new ScimError(413, 'The request body is larger than this server accepts');
  }
  return new ScimError(status, httpError.message, status === 400 ? 'invalidSyntax' : undefined);
}

export function sendScimError(req: Request, res: Response, error: unknown): void {
  const scimError = toScimError(error);
  if (scimError.status >= 500) req.log.error({ err: error }, scimError.message);
  res.status(scimError.status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(scimError.toJSON()));
}

export const scimErrorHandler: ErrorRequestHandler = (error, req, res, next) => {
  // Too late for an error body: Express's default handler closes the connection.
  if (res.headersSent) return next(error);
  sendScimError(req, res, error);
};
