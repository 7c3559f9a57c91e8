// A token sent as the whole Authorization header, without a scheme: Okta's OIN "Header" mode
// (`Authorization: <token>`). `Bearer <token>` is accepted too, so the same server works with
// Okta's App Integration Wizard and Entra ID, which both add the scheme. Tokens are credentials
// of a tenant, stored only as hashes; SCIM_AUTH_TOKEN is imported at start as tenant 1's first.

import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { secretMaterial } from '../scim/credentials.js';
import { envToken, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env, credentials, tenancy }: AuthenticatorOptions): Authenticator {
  return {
    scheme: {
      type: 'oauthbearertoken',
      name: 'Authorization header token',
      description: 'A static token sent as the Authorization header value, with or without the Bearer scheme',
      primary: true,
    },
    challenge: 'Bearer realm="SCIM"',
    credentialKind: 'token',
    envCredential: envToken(env, 'SCIM_AUTH_TOKEN', tenancy),
    async authenticate(headers) {
      const value = singleHeader(headers.authorization)?.trim();
      if (!value) return undefined;
      const token = /^Bearer[ \t]+(\S+)$/i.exec(value)?.[1] ?? value;
      return credentials.check(secretMaterial.token(token));
    },
  };
}
