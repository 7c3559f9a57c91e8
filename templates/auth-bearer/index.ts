// Bearer token auth (RFC 6750): what Okta ("HTTP Header" with "Bearer") and Entra ID
// ("Secret Token") send. Tokens are credentials of a tenant, stored only as hashes; the token in
// the environment (SCIM_BEARER_TOKEN) is imported at start as tenant 1's first one. Never logged.

import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { secretMaterial } from '../scim/credentials.js';
import { envToken, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env, credentials, tenancy }: AuthenticatorOptions): Authenticator {
  return {
    scheme: {
      type: 'oauthbearertoken',
      name: 'OAuth Bearer Token',
      description: 'Authentication with a bearer token in the Authorization header',
      specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
      primary: true,
    },
    challenge: 'Bearer realm="SCIM"',
    credentialKind: 'token',
    envCredential: envToken(env, 'SCIM_BEARER_TOKEN', tenancy),
    async authenticate(headers) {
      const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(singleHeader(headers.authorization) ?? '');
      return match ? credentials.check(secretMaterial.token(match[1]!)) : undefined;
    },
  };
}
