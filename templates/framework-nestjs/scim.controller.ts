// The SCIM endpoints as one Nest controller that delegates to the engine's route table
// (../scim/routes.ts): a new resource type needs no change here, and the paths, status codes,
// bodies and errors are the engine's. Mounted under a path by RouterModule (see scim.module.ts).

import { randomUUID } from 'node:crypto';
import { All, Controller, Inject, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Principal } from '../scim/credentials.js';
import type { HookLogger } from '../scim/hooks.js';
import { unknownEndpoint, type ScimEndpoints, type ScimRoute } from '../scim/routes.js';
import { scimBodyReader } from './body.js';
import { write } from './response.js';
import { ScimAuthGuard } from './scim-auth.guard.js';
import { ScimExceptionFilter } from './scim-exception.filter.js';
import { SCIM_ENDPOINTS, SCIM_LOGGER } from './tokens.js';

@Controller()
@UseGuards(ScimAuthGuard)
@UseFilters(ScimExceptionFilter)
export class ScimController {
  private readonly routes: RouteIndex;
  private readonly readBody: ReturnType<typeof scimBodyReader>;

  constructor(
    @Inject(SCIM_ENDPOINTS) scim: ScimEndpoints,
    @Inject(SCIM_LOGGER) private readonly log: HookLogger,
  ) {
    this.routes = new RouteIndex(scim.routes);
    this.readBody = scimBodyReader(scim.bodyLimit);
  }

  /** Every path under the mount point, the mount point itself included. */
  @All(['', '{*path}'])
  async handle(@Req() req: Request & { scimPrincipal?: Principal }, @Res() res: Response): Promise<void> {
    const body = await this.readBody(req, res);
    // The path below the mount point, decoded segment by segment.
    const segments = (req.params.path as string[] | undefined) ?? [];
    const match = this.routes.find(req.method, segments);
    if (!match) return write(res, unknownEndpoint(req.method, req.originalUrl));
    const response = await match.route.handle({
      // Set by ScimAuthGuard, which runs first.
      principal: req.scimPrincipal!,
      id: match.id,
      headers: req.headers,
      query: req.query as Record<string, unknown>,
      body,
      // req.protocol and req.host honour X-Forwarded-* only when the app's 'trust proxy' is on.
      origin: `${req.protocol}://${req.host}`,
      remoteAddress: req.ip,
      mountPath: mountPath(req.path, segments.length),
      requestId: req.id ?? req.get('x-request-id') ?? randomUUID(),
      log: req.log ?? this.log,
    });
    write(res, response);
  }
}

/** The route table by method and path, for routing by segments without a regex. */
class RouteIndex {
  private readonly routes = new Map<string, ScimRoute>();

  constructor(routes: readonly ScimRoute[]) {
    for (const route of routes) this.routes.set(`${route.method} ${route.path}`, route);
  }

  find(method: string, segments: readonly string[]): { route: ScimRoute; id?: string } | undefined {
    // Un-prefixed first; then, in a multi-tenant project, with the first segment as `:tenant`.
    return this.findIn(method, segments) ?? (segments.length > 1 ? this.findIn(method, [':tenant', ...segments.slice(1)]) : undefined);
  }

  private findIn(method: string, segments: readonly string[]): { route: ScimRoute; id?: string } | undefined {
    // A HEAD is a GET without the body, as every router answers it.
    const verb = method === 'HEAD' ? 'GET' : method;
    const exact = this.routes.get(`${verb} /${segments.join('/')}`);
    if (exact) return { route: exact };
    if (segments.length < 2) return undefined;
    const withId = this.routes.get(`${verb} /${segments.slice(0, -1).join('/')}/:id`);
    return withId && { route: withId, id: segments.at(-1) };
  }
}

/** The request path without its last `segments` segments: where the controller is mounted. */
function mountPath(path: string, segments: number): string {
  let end = path.length > 1 && path.endsWith('/') ? path.length - 1 : path.length;
  for (let i = 0; i < segments; i++) end = path.lastIndexOf('/', end - 1);
  return path.slice(0, end);
}
