// HTTP Basic (RFC 7617) for private Okta app integrations. New OIN submissions and Entra ID do
// not accept it; prefer a token. Each user name and password pair is a credential of a tenant,
// stored only as a hash of both (so a wrong user name costs the same as a wrong password);
// SCIM_BASIC_USERNAME and SCIM_BASIC_PASSWORD are imported at start as tenant 1's first.

import type { Authenticator, AuthenticatorOptions } from '../scim/auth.js';
import { ConfigError, requireSecret } from '../scim/config.js';
import { secretMaterial, type EnvCredential } from '../scim/credentials.js';
import { singleHeader } from '../scim/secret.js';

export function createAuthenticator({ env, credentials, tenancy }: AuthenticatorOptions): Authenticator {
  return {
    scheme: {
      type: 'httpbasic',
      name: 'HTTP Basic',
      description: 'Authentication with a user name and password (HTTP Basic)',
      specUri: 'https://www.rfc-editor.org/rfc/rfc7617',
      primary: true,
    },
    challenge: 'Basic realm="SCIM", charset="UTF-8"',
    credentialKind: 'basic',
    envCredential: envBasic(env, tenancy),
    async authenticate(headers) {
      const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(singleHeader(headers.authorization) ?? '');
      if (!match) return undefined;
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) return undefined;
      return credentials.check(secretMaterial.basic(decoded.slice(0, colon), decoded.slice(colon + 1)));
    },
  };
}

function envBasic(env: NodeJS.ProcessEnv, tenancy: 'single' | 'multi'): EnvCredential | undefined {
  const username = env.SCIM_BASIC_USERNAME?.trim();
  // A multi-tenant project may leave them unset: its tenants get credentials from `npm run tenant`.
  if (tenancy === 'multi' && !username && !env.SCIM_BASIC_PASSWORD?.trim()) return undefined;
  if (!username) throw new ConfigError('SCIM_BASIC_USERNAME is not set. Put it in .env (see .env.example).');
  if (username.includes(':')) throw new ConfigError('SCIM_BASIC_USERNAME must not contain ":" (RFC 7617).');
  const password = requireSecret(env, 'SCIM_BASIC_PASSWORD');
  return { variable: 'SCIM_BASIC_PASSWORD', kind: 'basic', material: secretMaterial.basic(username, password), principal: username };
}
