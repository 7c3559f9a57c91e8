// Bearer token auth (RFC 6750): what Okta ("HTTP Header" with "Bearer") and Entra ID
// ("Secret Token") send. The token comes from the environment and is never logged.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { Authenticator, RequestHeaders } from '../scim/auth.js';
import { requireSecret } from '../scim/config.js';

// Hashing both sides gives equal-length buffers, so timingSafeEqual never leaks the length.
const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

export function createAuthenticator(env: NodeJS.ProcessEnv): Authenticator {
  const expected = digest(requireSecret(env, 'SCIM_BEARER_TOKEN'));
  return {
    scheme: {
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'Authentication with a bearer token in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
      primary: true,
    },
    challenge: 'Bearer realm="SCIM"',
    authenticate(headers: RequestHeaders): boolean {
      const header = headers.authorization;
      if (typeof header !== 'string') return false;
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
      return match !== null && timingSafeEqual(digest(match[1]!), expected);
    },
  };
}
