import { defineAdapter } from './types.js';

// Placeholder entry: the OAuth 2.0 adapter is being written.
export const oauth2 = defineAdapter({
  layer: 'auth',
  id: 'oauth2',
  label: 'OAuth 2.0 (built-in authorization server; or JWTs from your own issuer)',
  templateDir: 'auth-oauth2',
  target: 'src/generated/auth',
  dependencies: [],
  devDependencies: [],
  env: [],
  docs: {
    summary: 'OAuth 2.0 access tokens',
    envVar: 'OAUTH_CLIENT_SECRET',
    header: 'Authorization: Bearer <access token>',
    shellSetup: '',
    curlOption: '-H "Authorization: Bearer $TOKEN"',
    newSecretCommand: `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    okta: { mode: 'OAuth 2', fields: [], oinMode: 'OAuth 2.0' },
    entra: { fields: [] },
  },
  securityScheme: { name: 'oauth2', scheme: { type: 'http', scheme: 'bearer' } },
});
