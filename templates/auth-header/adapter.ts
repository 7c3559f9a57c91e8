import { defineAdapter } from '../../src/adapters/types.js';

const NEW_TOKEN = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

export const adapter = defineAdapter({
  layer: 'auth',
  id: 'header',
  label: 'Raw token in Authorization (Okta OIN "Header" mode)',
  rank: 1,
  dependencies: [],
  devDependencies: [],
  env: [
    {
      name: 'SCIM_AUTH_TOKEN',
      description: 'The token identity providers send as the whole "Authorization: <token>" value.',
      secret: true,
      generate: 'token',
    },
  ],
  docs: {
    summary: 'a token sent as the whole `Authorization` header (no scheme)',
    envVar: 'SCIM_AUTH_TOKEN',
    header: 'Authorization: <token>',
    shellSetup: "TOKEN=$(grep '^SCIM_AUTH_TOKEN=' .env | cut -d= -f2-)",
    curlOption: '-H "Authorization: $TOKEN"',
    newSecretCommand: NEW_TOKEN,
    okta: {
      mode: 'HTTP Header',
      fields: [
        '**Authorization**: the value of `SCIM_AUTH_TOKEN`. Okta\'s OIN "Header" mode sends it as ' +
          '`Authorization: <token>` with no scheme; the App Integration Wizard prefixes `Bearer`, which ' +
          'this server accepts too.',
      ],
      oinMode: 'Header',
      unauthorized:
        'compare the token on both sides: Okta must send exactly the value of `SCIM_AUTH_TOKEN`.',
    },
    entra: {
      summary: 'Supported: Entra ID sends its **Secret Token** as `Authorization: Bearer <token>`, which this server accepts.',
      fields: [
        '**Secret Token**: the value of `SCIM_AUTH_TOKEN`. Entra ID sends `Authorization: Bearer <token>`, ' +
          'which this server accepts as well as the raw form.',
      ],
    },
  },
  checkArgs: ['--header', 'Authorization', '--token-env', 'SCIM_AUTH_TOKEN'],
  securityScheme: {
    name: 'headerToken',
    scheme: {
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
      description:
        'A static token (SCIM_AUTH_TOKEN) sent as the whole Authorization header value, with no scheme (`Bearer <token>` is accepted too).',
    },
  },
});
