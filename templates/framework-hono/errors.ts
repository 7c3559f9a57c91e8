// Every error leaves as a SCIM Error message (RFC 7644 §3.12), never Hono's plain text.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ScimError } from '../scim/errors.js';
import type { AppEnv } from './context.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof HTTPException && error.status >= 400 && error.status < 500) {
    return new ScimError(error.status, error.message, error.status === 400 ? 'invalidSyntax' : undefined);
  }
  return new ScimError(500, 'Internal server error');
}

export function scimErrorResponse(c: Context<AppEnv>, error: unknown): Response {
  const scimError = toScimError(error);
  if (scimError.status >= 500) c.get('log').error({ err: error }, scimError.message);
  c.header('content-type', SCIM_CONTENT_TYPE);
  return c.body(JSON.stringify(scimError.toJSON()), scimError.status as ContentfulStatusCode);
}
