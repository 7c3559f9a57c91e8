// HTTP Basic (RFC 7617) for private Okta app integrations. New OIN submissions and Entra ID do
// not accept it; prefer a token. User name and password come from the environment.

import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { ConfigError, requireSecret } from '../scim/config.js';
import { secretMatcher, singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env }: AuthenticatorOptions): Authenticator {
  const username = env.SCIM_BASIC_USERNAME?.trim();
  if (!username) throw new ConfigError('SCIM_BASIC_USERNAME is not set. Put it in .env (see .env.example).');
  if (username.includes(':')) throw new ConfigError('SCIM_BASIC_USERNAME must not contain ":" (RFC 7617).');
  // One comparison of "user:password", so a wrong user name costs the same as a wrong password.
  const matches = secretMatcher(`${username}:${requireSecret(env, 'SCIM_BASIC_PASSWORD')}`);
  return {
    scheme: {
      type: 'httpbasic',
      name: 'HTTP Basic',
      description: 'Authentication with a user name and password (HTTP Basic)',
      specUri: 'https://www.rfc-editor.org/rfc/rfc7617',
      primary: true,
    },
    challenge: 'Basic realm="SCIM", charset="UTF-8"',
    authenticate(headers) {
      const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(singleHeader(headers.authorization) ?? '');
      return match !== null && matches(Buffer.from(match[1]!, 'base64').toString('utf8'));
    },
  };
}
