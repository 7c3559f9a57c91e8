import { defineAdapter } from '../../src/adapters/types.js';

const SCOPES = { scim: 'Provision users and groups through SCIM' };

export const adapter = defineAdapter({
  layer: 'auth',
  id: 'oauth2',
  label: 'OAuth 2.0 (built-in authorization server; or JWTs from your own issuer)',
  rank: 4,
  dependencies: ['jose'],
  devDependencies: [],
  env: [
    {
      name: 'OAUTH_CLIENT_ID',
      description: 'The client id the identity provider uses at `/oauth/authorize` and `/oauth/token`.',
      example: 'scim-client',
    },
    {
      name: 'OAUTH_CLIENT_SECRET',
      description: 'The secret of `OAUTH_CLIENT_ID` (client_secret_basic or client_secret_post).',
      secret: true,
      generate: 'token',
    },
    {
      name: 'OAUTH_CLIENT_JWKS_URL',
      description:
        "The client's public keys (its `jwks_uri`): it may then authenticate at `/oauth/token` with a signed JWT " +
        '(private_key_jwt, RFC 7523 §2.2), as the OpenID IPSIE SCIM profile asks. Empty: secrets only.',
      example: '',
    },
    {
      name: 'OAUTH_CLIENT_NAME',
      description: 'The client name shown on the consent page (default: `Okta` with `OAUTH_OKTA_APP_NAME`, else the client id).',
      example: '',
    },
    {
      name: 'OAUTH_REDIRECT_URIS',
      description:
        'Comma-separated redirect URIs the client, and every tenant\'s client, may return to, compared exactly, e.g. ' +
        '`https://portal.azure.com/TokenAuthorize` for Entra ID. Empty: client_credentials only, unless `OAUTH_OKTA_APP_NAME` is set. ' +
        "A tenant's client is approved on the consent page with its own client secret.",
      example: '',
    },
    {
      name: 'OAUTH_OKTA_APP_NAME',
      description:
        "Your Okta Integration Network app name: allows Okta's five OIN callback URIs " +
        '(`https://system-admin.okta.com/admin/app/cpc/<name>/oauth/callback` and the other Okta cells).',
      example: '',
    },
    {
      name: 'OAUTH_ADMIN_USERNAME',
      description: "The customer admin's user name on the consent page that approves an identity provider.",
      example: 'admin',
    },
    {
      name: 'OAUTH_ADMIN_PASSWORD',
      description: "The customer admin's password on the consent page (at least 16 characters).",
      secret: true,
      generate: 'token',
    },
    {
      name: 'OAUTH_ACCESS_TOKEN_TTL',
      description: 'Lifetime of access tokens in seconds.',
      example: '3600',
    },
    {
      name: 'OAUTH_REFRESH_TOKEN_TTL',
      description: 'Lifetime of refresh tokens in seconds (90 days); each refresh rotates the token.',
      example: '7776000',
    },
    {
      name: 'OAUTH_CLIENTS',
      description:
        'More clients as a JSON array of `{"id","secret","name","redirectUris","oktaAppName","jwksUri"}`; ' +
        'a client without a secret is public and must use PKCE. Holds secrets: keep it out of logs and git.',
      example: '',
    },
    {
      name: 'OAUTH_BUILTIN_SERVER',
      description: '`false` turns the built-in authorization server off: only JWTs from `OAUTH_JWT_ISSUER` are accepted.',
      example: 'true',
    },
    {
      name: 'OAUTH_JWT_ISSUER',
      description: 'Also accept JWT access tokens from this issuer (`iss`); needs `OAUTH_JWKS_URL` and `OAUTH_JWT_AUDIENCE`.',
      example: '',
    },
    { name: 'OAUTH_JWKS_URL', description: "The issuer's JSON Web Key Set (https).", example: '' },
    { name: 'OAUTH_JWT_AUDIENCE', description: 'The audience (`aud`) the JWTs must be issued for.', example: '' },
    {
      name: 'OAUTH_JWT_SCOPE',
      description: 'A scope the JWTs must carry (`scope` or `scp` claim); empty: none required.',
      example: '',
    },
  ],
  endpoints: [
    { method: 'GET', path: '/.well-known/oauth-authorization-server', description: 'OAuth 2.0 authorization server metadata (RFC 8414)' },
    { method: 'GET', path: '/oauth/authorize', description: 'Authorization code grant: the login-and-consent page' },
    { method: 'POST', path: '/oauth/token', description: 'Tokens: authorization_code (PKCE), refresh_token (rotated), client_credentials' },
    { method: 'POST', path: '/oauth/revoke', description: 'Token revocation (RFC 7009)' },
  ],
  docs: {
    summary: "OAuth 2.0 access tokens from the server's built-in authorization server",
    envVar: 'OAUTH_CLIENT_SECRET',
    header: 'Authorization: Bearer <access token>',
    shellSetup: [
      "PORT=$(grep '^PORT=' .env | cut -d= -f2-)",
      "CLIENT_ID=$(grep '^OAUTH_CLIENT_ID=' .env | cut -d= -f2-)",
      "CLIENT_SECRET=$(grep '^OAUTH_CLIENT_SECRET=' .env | cut -d= -f2-)",
      '# An access token for the client itself (client_credentials); identity providers use the code flow.',
      'TOKEN=$(curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "http://localhost:$PORT/oauth/token" \\',
      `  | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).access_token')`,
    ].join('\n'),
    curlOption: '-H "Authorization: Bearer $TOKEN"',
    newSecretCommand: `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    okta: {
      mode: 'OAuth 2',
      fields: [
        '**Access Token endpoint URI**: `https://<your-host>/oauth/token`',
        '**Authorization endpoint URI**: `https://<your-host>/oauth/authorize`',
        '**Client ID**: the value of `OAUTH_CLIENT_ID`.',
        '**Client Secret**: the value of `OAUTH_CLIENT_SECRET`.',
        'Click **Save**, then **Authenticate with** your app: Okta opens the server\'s consent page. Sign in with ' +
          '`OAUTH_ADMIN_USERNAME` and `OAUTH_ADMIN_PASSWORD` and click **Approve**. Okta gets an access token ' +
          '(valid `OAUTH_ACCESS_TOKEN_TTL` seconds) and a refresh token, and refreshes on its own from then on. ' +
          'If the page says **Redirect URI not allowed**, add the URI it shows to `OAUTH_REDIRECT_URIS`, restart ' +
          'the server and authenticate again.',
        'For an integration in the Okta Integration Network, set `OAUTH_OKTA_APP_NAME` to the app name Okta assigns: ' +
          "it allows Okta's five OIN callback URIs (`https://system-admin.okta.com/admin/app/cpc/<appName>/oauth/callback` " +
          'and its `okta-emea.com`, `oktapreview.com`, `trexcloud.com` and `http://system-admin.okta1.com:1802` twins). ' +
          'The OIN Wizard asks for the same endpoints, client ID and secret; the scope is `scim` (optional).',
      ],
      oinMode: 'OAuth 2',
      unauthorized:
        'authenticate again (an access token expires after `OAUTH_ACCESS_TOKEN_TTL` seconds and a revoked refresh token needs a new approval) and compare the client ID and secret on both sides.',
    },
    entra: {
      summary:
        'Gallery apps only: Entra ID offers the OAuth 2.0 authorization code grant to apps published in its gallery. ' +
        'A non-gallery app (**Create your own application**) takes only a **Secret Token** that never expires; ' +
        'generate the project with `--auth bearer` for one.',
      galleryOnly: true,
      fields: [
        '**Authentication Method**: **OAuth2 Authorization Code Grant**',
        '**Authorization endpoint**: `https://<your-host>/oauth/authorize`',
        '**Token endpoint**: `https://<your-host>/oauth/token`',
        '**Client identifier**: the value of `OAUTH_CLIENT_ID`.',
        '**Client secret**: the value of `OAUTH_CLIENT_SECRET`.',
        'Entra ID returns to `https://portal.azure.com/TokenAuthorize`: add it to `OAUTH_REDIRECT_URIS` and restart ' +
          "the server first. Then click **Authorize**, sign in on the server's consent page with `OAUTH_ADMIN_USERNAME` " +
          'and `OAUTH_ADMIN_PASSWORD`, and click **Approve**.',
      ],
    },
  },
  checkArgs: ['--oauth-token-url', '/oauth/token', '--client-id-env', 'OAUTH_CLIENT_ID', '--client-secret-env', 'OAUTH_CLIENT_SECRET'],
  securityScheme: {
    name: 'oauth2',
    scheme: {
      type: 'oauth2',
      description:
        "Access tokens from the server's built-in OAuth 2.0 authorization server (metadata at " +
        '`/.well-known/oauth-authorization-server`), sent as `Authorization: Bearer <access token>`.',
      // Relative to the server URL: the endpoints live at the root of the same host.
      flows: {
        authorizationCode: {
          authorizationUrl: '/oauth/authorize',
          tokenUrl: '/oauth/token',
          refreshUrl: '/oauth/token',
          scopes: SCOPES,
        },
        clientCredentials: { tokenUrl: '/oauth/token', scopes: SCOPES },
      },
    },
  },
});
