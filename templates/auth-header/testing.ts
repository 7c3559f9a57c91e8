// Credentials for the generated tests: Okta's raw `Authorization: <token>` form.

import { randomBytes } from 'node:crypto';
import type { TestCredentials } from '../scim/testing.js';

export function testCredentials(): TestCredentials {
  const token = randomBytes(32).toString('base64url');
  return {
    env: { SCIM_AUTH_TOKEN: token },
    headers: async () => ({ authorization: token }),
    headersFor: async (credential) => ({ authorization: credential.token! }),
  };
}
