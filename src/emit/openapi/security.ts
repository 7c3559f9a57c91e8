// The OpenAPI security scheme of each auth mode. One case per mode in options.auth, so a new
// mode is one more case here (the switch is exhaustive: a missing case fails to compile).

import type { OpenAPIV3_1 } from 'openapi-types';
import type { AuthId } from '../../options.js';

export interface SecurityDefinition {
  /** Key under components.securitySchemes, referenced by the document-wide `security`. */
  name: string;
  scheme: OpenAPIV3_1.SecuritySchemeObject;
}

export function securityDefinition(auth: AuthId): SecurityDefinition {
  switch (auth) {
    case 'bearer':
      return {
        name: 'bearerAuth',
        scheme: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A static token shared with the identity provider (SCIM_BEARER_TOKEN), sent as `Authorization: Bearer <token>`.',
        },
      };
    default: {
      const unknown: never = auth;
      throw new Error(`No OpenAPI security scheme for auth mode ${String(unknown)}`);
    }
  }
}
