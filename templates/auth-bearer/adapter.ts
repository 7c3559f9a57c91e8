import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'auth',
  id: 'bearer',
  label: 'Bearer token (Okta "HTTP Header", Entra ID "Secret Token")',
  rank: 0,
  dependencies: [],
  devDependencies: [],
  env: [
    {
      name: 'SCIM_BEARER_TOKEN',
      description: 'The token identity providers send as "Authorization: Bearer <token>".',
      secret: true,
      generate: 'token',
    },
  ],
  docs: {
    summary: 'a bearer token',
    envVar: 'SCIM_BEARER_TOKEN',
    header: 'Authorization: Bearer <token>',
    shellSetup: "TOKEN=$(grep '^SCIM_BEARER_TOKEN=' .env | cut -d= -f2-)",
    curlOption: '-H "Authorization: Bearer $TOKEN"',
    newSecretCommand: `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    okta: {
      mode: 'HTTP Header',
      fields: [
        '**Authorization**: Okta shows a fixed `Bearer` label in front of this box. Paste only the ' +
          'value of `SCIM_BEARER_TOKEN`, without the word `Bearer`; Okta sends ' +
          '`Authorization: Bearer <token>`. (If your form has one box for the whole header value ' +
          'and no `Bearer` label, type `Bearer <token>` there.)',
      ],
      oinMode: 'Bearer',
      unauthorized:
        'compare the token on both sides and check that `Bearer` was not entered twice.',
    },
    entra: {
      summary: 'Supported: Entra ID sends its **Secret Token** as `Authorization: Bearer <token>`.',
      fields: [
        '**Secret Token**: the value of `SCIM_BEARER_TOKEN`, without `Bearer` (Entra ID adds it). ' +
          'Entra ID needs a token that does not expire; rotate it by changing both sides together.',
      ],
    },
  },
  checkArgs: ['--token-env', 'SCIM_BEARER_TOKEN'],
  securityScheme: {
    name: 'bearerAuth',
    scheme: {
      type: 'http',
      scheme: 'bearer',
      description:
        'A static token shared with the identity provider (SCIM_BEARER_TOKEN), sent as `Authorization: Bearer <token>`.',
    },
  },
});
