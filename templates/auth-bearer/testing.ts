// Credentials for the generated tests: the environment that configures this auth mode and the
// Authorization header it then accepts. Each auth adapter has one, so tests need not know which.

import { randomBytes } from 'node:crypto';

export function testCredentials(): { env: Record<string, string>; authorization: string } {
  const token = randomBytes(32).toString('base64url');
  return { env: { SCIM_BEARER_TOKEN: token }, authorization: `Bearer ${token}` };
}
