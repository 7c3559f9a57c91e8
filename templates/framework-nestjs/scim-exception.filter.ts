// Every error of a SCIM request leaves as a SCIM Error message (RFC 7644 §3.12, rendered by the
// engine), never Nest's own JSON. Scoped to the SCIM controller: the rest of your app keeps its
// filters.

import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { HookLogger } from '../scim/hooks.js';
import { errorResponse } from '../scim/routes.js';
import { write } from './response.js';
import { ScimRefusal } from './scim-auth.guard.js';
import { SCIM_LOGGER } from './tokens.js';

@Catch()
export class ScimExceptionFilter implements ExceptionFilter {
  constructor(@Inject(SCIM_LOGGER) private readonly log: HookLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    // Too late for an error body: the answer is already on its way.
    if (res.headersSent) return;
    if (exception instanceof ScimRefusal) return write(res, exception.response);
    write(res, errorResponse(exception, http.getRequest<Request>().log ?? this.log, httpStatus(exception)));
  }
}

/** The status of a failure Nest or Express raised itself (an HttpException, a body too large). */
export function httpStatus(exception: unknown): number | undefined {
  if (exception instanceof HttpException) return exception.getStatus();
  const { status, statusCode } = (exception ?? {}) as { status?: number; statusCode?: number };
  return status ?? statusCode;
}
