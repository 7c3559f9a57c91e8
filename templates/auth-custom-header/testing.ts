// Credentials for the generated tests: the secret in the project's custom header.

import { randomBytes } from 'node:crypto';
import { AUTH_HEADER_NAME } from '../project.gen.js';
import type { TestCredentials } from '../scim/testing.js';

export function testCredentials(): TestCredentials {
  const key = randomBytes(32).toString('base64url');
  return {
    env: { SCIM_API_KEY: key },
    headers: async () => ({ [AUTH_HEADER_NAME]: key }),
    headersFor: async (credential) => ({ [AUTH_HEADER_NAME]: credential.token! }),
  };
}
