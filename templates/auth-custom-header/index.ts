// A static secret in a header of the project's choosing (--auth-header-name), for clients and
// proxies that cannot send Authorization. Secrets are credentials of a tenant, stored only as
// hashes; SCIM_API_KEY is imported at start as tenant 1's first.

import { AUTH_HEADER_NAME } from '../project.gen.js';
import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { secretMaterial } from '../scim/credentials.js';
import { envToken, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env, credentials, tenancy }: AuthenticatorOptions): Authenticator {
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
    credentialKind: 'token',
    envCredential: envToken(env, 'SCIM_API_KEY', tenancy),
    async authenticate(headers) {
      const value = singleHeader(headers[header])?.trim();
      return value ? credentials.check(secretMaterial.token(value)) : undefined;
    },
  };
}
