// A token sent as the whole Authorization header, without a scheme: Okta's OIN "Header" mode
// (`Authorization: <token>`). `Bearer <token>` is accepted too, so the same server works with
// Okta's App Integration Wizard and Entra ID, which both add the scheme.

import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { requireSecret } from '../scim/config.js';
import { secretMatcher, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env }: AuthenticatorOptions): Authenticator {
  const matches = secretMatcher(requireSecret(env, 'SCIM_AUTH_TOKEN'));
  return {
    scheme: {
      type: 'oauthbearertoken',
      name: 'Authorization header token',
      description: 'A static token sent as the Authorization header value, with or without the Bearer scheme',
      primary: true,
    },
    challenge: 'Bearer realm="SCIM"',
    authenticate(headers) {
      const value = singleHeader(headers.authorization)?.trim();
      if (!value) return false;
      const token = /^Bearer[ \t]+(\S+)$/i.exec(value)?.[1] ?? value;
      return matches(token);
    },
  };
}
