// The setup steps of one tenant's identity provider, filled in with its base URL and credential:
// what `npm run tenant -- add` prints (docs/idp-setup.md has the full guide, attribute mappings
// included). Plain text for a terminal.

import type { IssuedCredential } from './admin.js';
import type { IdentityProvider } from './tenancy.js';

export interface SetupContext {
  idp: IdentityProvider;
  baseUrl: string;
  credential: IssuedCredential;
  /** The header a custom-header project reads, e.g. "X-API-Key"; undefined for Authorization. */
  customHeader?: string;
  /** Where the OAuth 2.0 token endpoint is, for oauth-client credentials. */
  tokenUrl?: string;
}

export function setupSteps(context: SetupContext): string[] {
  switch (context.idp) {
    case 'okta':
      return oktaSteps(context);
    case 'entra':
      return entraSteps(context);
    default:
      return otherSteps(context);
  }
}

function oktaSteps({ baseUrl, credential, customHeader, tokenUrl }: SetupContext): string[] {
  const auth: string[] = [];
  if (customHeader) {
    auth.push(
      `Authentication Mode: HTTP Header. Okta sends only Authorization, not ${customHeader}: put a proxy in front`,
      `   that sets "${customHeader}: ${credential.token}".`,
    );
  } else if (credential.kind === 'token') {
    auth.push('Authentication Mode: HTTP Header', `Authorization: ${credential.token}   (only the token: Okta adds "Bearer")`);
  } else if (credential.kind === 'basic') {
    auth.push('Authentication Mode: Basic Auth', `Username: ${credential.username}`, `Password: ${credential.password}`);
  } else {
    auth.push(
      'Authentication Mode: OAuth 2',
      `Access token endpoint URI: ${tokenUrl ?? '<server>/oauth/token'}`,
      // The authorization code flow: this server's consent page is approved with the client secret.
      `Authorization endpoint URI: ${(tokenUrl ?? '<server>/oauth/token').replace(/\/token$/, '/authorize')}   (needs OAUTH_REDIRECT_URIS or`,
      '   OAUTH_OKTA_APP_NAME on the server; on the consent page that opens, enter this Client Secret and Approve)',
      `Client ID: ${credential.clientId}`,
      `Client Secret: ${credential.clientSecret}`,
    );
  }
  return [
    'Okta (Admin Console):',
    '1. Applications > Applications > Create App Integration: SAML 2.0 or SWA; finish the wizard.',
    '2. General > App Settings > Edit: Provisioning = SCIM, Save.',
    '3. Provisioning > Integration > Edit:',
    `   SCIM connector base URL: ${baseUrl}`,
    '   Unique identifier field for users: userName',
    '   Supported provisioning actions: Push New Users, Push Profile Updates, Push Groups',
    ...auth.map((line) => `   ${line}`),
    '4. Test Connector Configuration, then Save.',
    '5. Provisioning > To App > Edit: enable Create Users, Update User Attributes, Deactivate Users.',
    '6. Assign people or groups; Push Groups for groups.',
  ];
}

function entraSteps({ baseUrl, credential, customHeader, tokenUrl }: SetupContext): string[] {
  const auth: string[] = [];
  if (customHeader || credential.kind === 'basic') {
    auth.push(
      `Entra ID cannot send ${customHeader ? `the ${customHeader} header` : 'HTTP Basic'}: generate the project with`,
      '--auth bearer, header or oauth2 to connect Entra ID.',
    );
  } else if (credential.kind === 'token') {
    auth.push(`Secret Token: ${credential.token}   (without "Bearer": Entra ID adds it)`);
  } else {
    auth.push(
      'Authentication Method: OAuth2 Client Credentials Grant',
      `Token Endpoint: ${tokenUrl ?? '<server>/oauth/token'}`,
      `Client Identifier: ${credential.clientId}`,
      `Client Secret: ${credential.clientSecret}`,
    );
  }
  return [
    'Microsoft Entra ID (Entra admin center):',
    '1. Enterprise apps > New application > Create your own application (non-gallery).',
    '2. Provisioning: mode Automatic.',
    '3. Admin Credentials:',
    `   Tenant URL: ${baseUrl}?aadOptscim062020`,
    ...auth.map((line) => `   ${line}`),
    '4. Test Connection, then Save.',
    '5. Mappings: users match on userName, groups on displayName.',
    '6. Assign users and groups, try Provision on demand, then set Provisioning Status to On.',
  ];
}

function otherSteps({ baseUrl, credential, customHeader, tokenUrl }: SetupContext): string[] {
  const auth =
    credential.kind === 'token'
      ? customHeader
        ? `${customHeader}: ${credential.token}`
        : `Authorization: Bearer ${credential.token}`
      : credential.kind === 'basic'
        ? `HTTP Basic, user name ${credential.username}, password ${credential.password}`
        : `OAuth 2.0 client credentials at ${tokenUrl ?? '<server>/oauth/token'}: client id ${credential.clientId}, secret ${credential.clientSecret}`;
  return ['Your identity provider:', `   SCIM base URL: ${baseUrl}`, `   Credential: ${auth}`];
}
