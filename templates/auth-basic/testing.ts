// Credentials for the generated tests: HTTP Basic with a random password.

import { randomBytes } from 'node:crypto';
import type { TestCredentials } from '../scim/testing.js';

export function testCredentials(): TestCredentials {
  const username = 'okta';
  const password = randomBytes(32).toString('base64url');
  const encoded = Buffer.from(`${username}:${password}`).toString('base64');
  return {
    env: { SCIM_BASIC_USERNAME: username, SCIM_BASIC_PASSWORD: password },
    headers: async () => ({ authorization: `Basic ${encoded}` }),
    headersFor: async (credential) => ({
      authorization: `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`,
    }),
  };
}
