// A static secret in a header of the project's choosing (--auth-header-name), for clients and
// proxies that cannot send Authorization. The secret comes from the environment.

import { AUTH_HEADER_NAME } from '../project.gen.js';
import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { requireSecret } from '../scim/config.js';
import { secretMatcher, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env }: AuthenticatorOptions): Authenticator {
  const matches = secretMatcher(requireSecret(env, 'SCIM_API_KEY'));
  const header = AUTH_HEADER_NAME.toLowerCase();
  return {
    scheme: {
      type: 'apikey',
      name: `${AUTH_HEADER_NAME} header`,
      description: `Authentication with a static secret in the ${AUTH_HEADER_NAME} header`,
      primary: true,
    },
    // No registered scheme fits a custom header; name it so a client knows what to send.
    challenge: `ApiKey realm="SCIM", header="${AUTH_HEADER_NAME}"`,
    secretHeaders: [header],
    authenticate(headers) {
      const value = singleHeader(headers[header])?.trim();
      return value !== undefined && value !== '' && matches(value);
    },
  };
}
