// Bearer token auth (RFC 6750): what Okta ("HTTP Header" with "Bearer") and Entra ID
// ("Secret Token") send. The token comes from the environment and is never logged.

import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { requireSecret } from '../scim/config.js';
import { secretMatcher, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env }: AuthenticatorOptions): Authenticator {
  const matches = secretMatcher(requireSecret(env, 'SCIM_BEARER_TOKEN'));
  return {
    scheme: {
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'Authentication with a bearer token in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
      primary: true,
    },
    challenge: 'Bearer realm="SCIM"',
    authenticate(headers) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(singleHeader(headers.authorization) ?? '');
      return match !== null && matches(match[1]!);
    },
  };
}
