// Credentials for the generated tests: a registered client and customer admin, and a real access
// token obtained from the running server with client_credentials, so every test speaks OAuth.

import { randomBytes } from 'node:crypto';
import type { TestCredentials } from '../scim/testing.js';

/** Where the test client says the authorization code flow returns; nothing listens there. */
export const TEST_REDIRECT_URI = 'https://idp.example.test/oauth/callback';

export function testCredentials(): TestCredentials {
  const clientId = 'scim-test-client';
  const clientSecret = randomBytes(32).toString('base64url');
  return {
    env: {
      OAUTH_CLIENT_ID: clientId,
      OAUTH_CLIENT_SECRET: clientSecret,
      OAUTH_CLIENT_NAME: 'Test identity provider',
      OAUTH_REDIRECT_URIS: TEST_REDIRECT_URI,
      OAUTH_ADMIN_USERNAME: 'admin',
      OAUTH_ADMIN_PASSWORD: randomBytes(24).toString('base64url'),
    },
    headers: ({ origin }) => clientCredentialsToken(origin, clientId, clientSecret),
    headersFor: (credential, { origin }) => clientCredentialsToken(origin, credential.clientId!, credential.clientSecret!),
  };
}

/** A real access token from the running server, with client_credentials. */
async function clientCredentialsToken(origin: string, clientId: string, clientSecret: string): Promise<Record<string, string>> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) {
    throw new Error(`No access token from ${origin}/oauth/token: ${response.status} ${JSON.stringify(body)}`);
  }
  return { authorization: `Bearer ${body.access_token}` };
}
