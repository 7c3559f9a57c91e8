// Credentials first: the guard runs before the controller reads the body, so an anonymous
// client learns nothing, not even which paths exist. The engine decides (../scim/routes.ts).

import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../scim/credentials.js';
import type { RouteResponse, ScimEndpoints } from '../scim/routes.js';
import { SCIM_ENDPOINTS } from './tokens.js';

/** A refused request, carrying the engine's 401 for the exception filter to send. */
export class ScimRefusal extends Error {
  constructor(readonly response: RouteResponse) {
    super('The request has no valid credentials');
  }
}

@Injectable()
export class ScimAuthGuard implements CanActivate {
  constructor(@Inject(SCIM_ENDPOINTS) private readonly scim: ScimEndpoints) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { scimPrincipal?: Principal }>();
    // The path below the mount point, as the controller's wildcard decoded it; req.ip is the
    // X-Forwarded-For client only when the app's 'trust proxy' is on.
    const segments = (req.params.path as string[] | undefined) ?? [];
    const access = await this.scim.authenticate(req.headers, { path: `/${segments.map(encodeURIComponent).join('/')}`, remoteAddress: req.ip });
    if (access.refusal) throw new ScimRefusal(access.refusal);
    req.scimPrincipal = access.principal;
    return true;
  }
}
