// Credentials for the generated tests: the environment that configures this auth mode and the
// headers it then accepts. Each auth adapter has one, so tests need not know which.

import { randomBytes } from 'node:crypto';
import type { TestCredentials } from '../scim/testing.js';

export function testCredentials(): TestCredentials {
  const token = randomBytes(32).toString('base64url');
  return {
    env: { SCIM_BEARER_TOKEN: token },
    headers: async () => ({ authorization: `Bearer ${token}` }),
    headersFor: async (credential) => ({ authorization: `Bearer ${credential.token}` }),
  };
}
