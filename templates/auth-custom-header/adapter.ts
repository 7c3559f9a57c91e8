import { defineAdapter, type AuthAdapter, type Question } from '../../src/adapters/types.js';

/** The header name when none is given with --auth-header-name. */
export const DEFAULT_AUTH_HEADER_NAME = 'X-API-Key';

/** Headers a client or proxy sets for its own purposes: a secret there would be lost or leaked. */
const RESERVED_HEADERS = new Set([
  'accept', 'accept-encoding', 'connection', 'content-length', 'content-type', 'cookie', 'forwarded', 'host',
  'if-match', 'if-none-match', 'keep-alive', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding',
  'upgrade', 'user-agent', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-request-id',
]);

/** Why `name` cannot carry the API key ("is ..."), or undefined when it can. */
export function headerNameProblem(name: string): string | undefined {
  // RFC 9110 token characters.
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) return 'is not a valid HTTP header name (letters, digits and - _ . ! # $ % & \' * + ^ ` | ~)';
  if (name.toLowerCase() === 'authorization') return 'is Authorization: use --auth header (raw token) or --auth bearer instead';
  if (RESERVED_HEADERS.has(name.toLowerCase())) return 'is a header clients and proxies set themselves; choose another, e.g. X-API-Key';
  return undefined;
}

const headerNameQuestion: Question = {
  key: 'authHeaderName',
  flag: 'auth-header-name',
  message: 'Header that carries the secret',
  description:
    'The header carrying the secret, with --auth custom-header; not Authorization, nor a header clients and proxies set themselves.',
  default: DEFAULT_AUTH_HEADER_NAME,
  expected: 'an HTTP header name',
  // RFC 9110 token characters: headerNameProblem in regex form, for editors.
  pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$",
  problem: headerNameProblem,
};

const NEW_TOKEN = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

function describe(headerName: string): AuthAdapter {
  return defineAdapter({
    layer: 'auth',
    id: 'custom-header',
    label: 'A secret in a custom header (e.g. X-API-Key)',
    rank: 3,
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
    checkArgs: ['--header', headerName, '--token-env', 'SCIM_API_KEY'],
    securityScheme: {
      name: 'apiKeyHeader',
      scheme: {
        type: 'apiKey',
        in: 'header',
        name: headerName,
        description: `A static secret (SCIM_API_KEY) sent in the ${headerName} header.`,
      },
    },
    questions: [headerNameQuestion],
    constants: (answers) => [
      { name: 'AUTH_HEADER_NAME', doc: 'The header carrying the API key (--auth-header-name).', value: answers.authHeaderName ?? DEFAULT_AUTH_HEADER_NAME },
    ],
    forAnswers: (answers) => describe(answers.authHeaderName ?? DEFAULT_AUTH_HEADER_NAME),
  });
}

export const adapter = describe(DEFAULT_AUTH_HEADER_NAME);
