import { defineAdapter } from '../../src/adapters/types.js';

export const adapter = defineAdapter({
  layer: 'auth',
  id: 'basic',
  label: 'HTTP Basic (private Okta apps only; not for new OIN or Entra ID integrations)',
  rank: 2,
  dependencies: [],
  devDependencies: [],
  env: [
    { name: 'SCIM_BASIC_USERNAME', description: 'The user name identity providers send with HTTP Basic.', example: 'okta' },
    {
      name: 'SCIM_BASIC_PASSWORD',
      description: 'The password identity providers send with HTTP Basic.',
      secret: true,
      generate: 'token',
    },
  ],
  warning:
    'HTTP Basic is accepted only by private Okta app integrations: new Okta OIN submissions do not accept it, ' +
    'and Microsoft Entra ID does not offer it. Prefer --auth bearer, header or oauth2 for those.',
  docs: {
    summary: 'HTTP Basic (a user name and password)',
    envVar: 'SCIM_BASIC_PASSWORD',
    header: 'Authorization: Basic <base64 of user:password>',
    shellSetup:
      "BASIC_USER=$(grep '^SCIM_BASIC_USERNAME=' .env | cut -d= -f2-)\nBASIC_PASSWORD=$(grep '^SCIM_BASIC_PASSWORD=' .env | cut -d= -f2-)",
    curlOption: '-u "$BASIC_USER:$BASIC_PASSWORD"',
    newSecretCommand: `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
    okta: {
      mode: 'Basic Auth',
      fields: [
        '**Username**: the value of `SCIM_BASIC_USERNAME`.',
        '**Password**: the value of `SCIM_BASIC_PASSWORD`.',
      ],
      oinMode: 'Basic (not accepted for new OIN submissions)',
      unauthorized:
        'compare the user name and password on both sides.',
    },
    entra: {
      summary: 'Not supported: Entra ID does not offer HTTP Basic for SCIM provisioning.',
      fields: [
        'Entra ID does not offer HTTP Basic for SCIM provisioning: generate the project with `--auth bearer`, ' +
          '`header` or `oauth2` to connect Entra ID.',
      ],
    },
  },
  checkArgs: ['--basic-env', 'SCIM_BASIC_USERNAME:SCIM_BASIC_PASSWORD'],
  securityScheme: {
    name: 'basicAuth',
    scheme: {
      type: 'http',
      scheme: 'basic',
      description: 'HTTP Basic with SCIM_BASIC_USERNAME and SCIM_BASIC_PASSWORD.',
    },
  },
});
