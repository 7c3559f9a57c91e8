import type { AuthAdapter } from './types.js';
import { defineAdapter } from './types.js';

/** The header name when none is given with --auth-header-name. */
export const DEFAULT_AUTH_HEADER_NAME = 'X-API-Key';

const NEW_TOKEN = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

function describe(headerName: string): AuthAdapter {
  return defineAdapter({
    layer: 'auth',
    id: 'custom-header',
    label: 'A secret in a custom header (e.g. X-API-Key)',
    templateDir: 'auth-custom-header',
    target: 'src/generated/auth',
    dependencies: [],
    devDependencies: [],
    env: [
      {
        name: 'SCIM_API_KEY',
        description: `The secret identity providers send in the ${headerName} header.`,
        secret: true,
        generate: 'token',
      },
    ],
    docs: {
      summary: `a secret in the \`${headerName}\` header`,
      envVar: 'SCIM_API_KEY',
      header: `${headerName}: <secret>`,
      shellSetup: "API_KEY=$(grep '^SCIM_API_KEY=' .env | cut -d= -f2-)",
      curlOption: `-H "${headerName}: $API_KEY"`,
      newSecretCommand: NEW_TOKEN,
      okta: {
        mode: 'HTTP Header',
        fields: [
          `Okta sends only \`Authorization\` headers, not \`${headerName}\`: put a proxy in front that maps ` +
            'one to the other, or regenerate with `--auth bearer` or `header` for Okta.',
        ],
        oinMode: 'Header (through a proxy that sets the custom header)',
        unauthorized: `check that the proxy in front of the server sets \`${headerName}\` to the value of \`SCIM_API_KEY\`.`,
      },
      entra: {
        summary: `Not supported: Entra ID sends only \`Authorization: Bearer <token>\`, never \`${headerName}\`.`,
        fields: [
          `Entra ID sends only \`Authorization: Bearer\`, not \`${headerName}\`: regenerate with ` +
            '`--auth bearer` or `header` to connect Entra ID directly.',
        ],
      },
    },
    securityScheme: {
      name: 'apiKeyHeader',
      scheme: {
        type: 'apiKey',
        in: 'header',
        name: headerName,
        description: `A static secret (SCIM_API_KEY) sent in the ${headerName} header.`,
      },
    },
    forOptions: (options) => describe(options.authHeaderName ?? DEFAULT_AUTH_HEADER_NAME),
  });
}

export const customHeader = describe(DEFAULT_AUTH_HEADER_NAME);
