// `create-scim-server check <base-url>`: its flags (its own yargs parser, so none of the
// creation flags apply here).

import yargs from 'yargs';

export const CHECK_COMMAND = 'check <base-url>';
export const CHECK_DESCRIPTION = 'Check a running SCIM 2.0 server against what Okta and Microsoft Entra ID send';

export interface CheckFlags {
  baseUrl: string;
  token?: string;
  tokenEnv?: string;
  header?: string;
  basic?: string;
  basicEnv?: string;
  oauthTokenUrl?: string;
  clientId?: string;
  clientIdEnv?: string;
  clientSecret?: string;
  clientSecretEnv?: string;
  scope?: string;
  envFile?: string;
  readOnly: boolean;
  /** Also check the 2026 profiles (interoperability, IPSIE). */
  profiles: boolean;
  json: boolean;
  junit?: string;
  allowInsecure: boolean;
  /** Seconds per request. */
  timeout: number;
}

export type ParsedCheckArgs = { kind: 'run'; flags: CheckFlags } | { kind: 'exit'; output: string; exitCode: number } | { kind: 'error'; message: string };

const EPILOGUE = `Secrets: give them in environment variables (--token-env, --basic-env, --client-secret-env) so
they stay out of shell history; --env-file loads a .env first. Secrets are never printed.

Examples:
  create-scim-server check https://scim.example.com/scim/v2 --token-env SCIM_TOKEN
  create-scim-server check http://localhost:3000/scim/v2 --env-file .env --token-env SCIM_BEARER_TOKEN
  create-scim-server check https://scim.example.com/scim/v2 --header Authorization --token-env SCIM_TOKEN
  create-scim-server check https://scim.example.com/scim/v2 --header X-API-Key --token-env API_KEY
  create-scim-server check https://scim.example.com/scim/v2 --basic-env SCIM_USER:SCIM_PASSWORD
  create-scim-server check https://scim.example.com/scim/v2 --oauth-token-url /oauth/token \\
      --client-id scim-client --client-secret-env CLIENT_SECRET
  create-scim-server check https://scim.example.com/scim/v2 --token-env SCIM_TOKEN --read-only --junit scim.xml

Everything the check creates is named with a unique prefix and deleted afterwards, even when a
check fails. Exit code: 0 all passed, 1 a check failed, 2 the server could not be checked.`;

const OPTIONS = {
  token: { type: 'string', requiresArg: true, describe: 'Send Authorization: Bearer <token> (prefer --token-env)' },
  'token-env': { type: 'string', requiresArg: true, describe: 'The environment variable holding the token' },
  header: { type: 'string', requiresArg: true, describe: 'Send the token as the whole value of this header instead (Authorization for Okta\'s "Header" mode, or e.g. X-API-Key)' },
  basic: { type: 'string', requiresArg: true, describe: 'HTTP Basic as user:password (prefer --basic-env)' },
  'basic-env': { type: 'string', requiresArg: true, describe: 'HTTP Basic from a variable holding user:password, or from USER_VAR:PASSWORD_VAR' },
  'oauth-token-url': { type: 'string', requiresArg: true, describe: 'OAuth 2.0 client credentials: the token endpoint (a path is relative to the base URL\'s host)' },
  'client-id': { type: 'string', requiresArg: true, describe: 'The OAuth client id' },
  'client-id-env': { type: 'string', requiresArg: true, describe: 'The variable holding the OAuth client id' },
  'client-secret': { type: 'string', requiresArg: true, describe: 'The OAuth client secret (prefer --client-secret-env)' },
  'client-secret-env': { type: 'string', requiresArg: true, describe: 'The variable holding the OAuth client secret' },
  scope: { type: 'string', requiresArg: true, describe: 'The OAuth scope to ask for' },
  'env-file': { type: 'string', requiresArg: true, describe: 'Load variables from this file first (KEY=VALUE lines, e.g. .env); the environment wins' },
  'read-only': { type: 'boolean', default: false, describe: 'Run only the checks that change nothing on the server' },
  profiles: { type: 'boolean', default: false, describe: 'Also check the 2026 profiles: SCIM interoperability (draft-zollner-scim-interop-profile-01) and OpenID IPSIE AL1/AL2' },
  json: { type: 'boolean', default: false, describe: 'Print the results as JSON instead of the report' },
  junit: { type: 'string', requiresArg: true, describe: 'Also write the results as JUnit XML to this file' },
  'allow-insecure': { type: 'boolean', default: false, describe: 'Allow plain http:// to a host other than this machine' },
  timeout: { type: 'number', default: 10, requiresArg: true, describe: 'Seconds to wait for each answer' },
} as const;

function parser() {
  return yargs()
    .scriptName('create-scim-server')
    .command(CHECK_COMMAND, CHECK_DESCRIPTION, (y) =>
      y.positional('base-url', {
        type: 'string',
        describe: 'The SCIM base URL, e.g. https://scim.example.com/scim/v2; {NAME} or {NAME:-default} reads an environment variable',
      }),
    )
    .options(OPTIONS)
    .epilogue(EPILOGUE)
    .help()
    .alias('help', 'h')
    .version(false)
    .strict()
    .wrap(100)
    .exitProcess(false);
}

/** Parses `check ...` (argv starting with "check"); --help becomes an "exit" result carrying its text. */
export async function parseCheckArgs(argv: readonly string[]): Promise<ParsedCheckArgs> {
  return new Promise((resolve) => {
    void parser().parse([...argv], {}, (error, args, output) => {
      if (error) resolve({ kind: 'error', message: `${withFlagSuggestion(error.message)}\nRun "create-scim-server check --help" for usage.` });
      else if (args.help) resolve({ kind: 'exit', output, exitCode: 0 });
      else resolve({ kind: 'run', flags: toFlags(args as Record<string, unknown>) });
    });
  });
}

function toFlags(args: Record<string, unknown>): CheckFlags {
  const str = (key: string) => (typeof args[key] === 'string' ? (args[key] as string) : undefined);
  const optional = (key: keyof CheckFlags) => (str(key) === undefined ? {} : { [key]: str(key) });
  return {
    baseUrl: String(args.baseUrl ?? ''),
    ...optional('token'),
    ...optional('tokenEnv'),
    ...optional('header'),
    ...optional('basic'),
    ...optional('basicEnv'),
    ...optional('oauthTokenUrl'),
    ...optional('clientId'),
    ...optional('clientIdEnv'),
    ...optional('clientSecret'),
    ...optional('clientSecretEnv'),
    ...optional('scope'),
    ...optional('envFile'),
    ...optional('junit'),
    readOnly: args.readOnly === true,
    profiles: args.profiles === true,
    json: args.json === true,
    allowInsecure: args.allowInsecure === true,
    timeout: Number(args.timeout),
  };
}

/** yargs' "Unknown argument: tokn" with the flag most likely meant: "Did you mean --token?" */
export function withFlagSuggestion(message: string): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return message;
  const flags = Object.keys(OPTIONS);
  // yargs also lists the camelCase twin of a dashed name (read-onyl, readOnyl): one is enough.
  const camel = (name: string) => name.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  const all = unknown[1]!.split(', ');
  const given = all.filter((arg) => !all.some((other) => other !== arg && other.includes('-') && camel(other) === arg));
  const hints = given.flatMap((arg) => {
    const name = arg.replace(/^-+/, '');
    const match = flags.find((f) => f.toLowerCase() === name.toLowerCase()) ?? (name.length >= 3 ? flags.find((f) => editDistance(f, name.toLowerCase()) <= 2) : undefined);
    return match ? [given.length > 1 ? `--${match} (for ${arg})` : `--${match}`] : [];
  });
  return hints.length > 0 ? `${message}. Did you mean ${hints.join(', ')}?` : message;
}

/** Levenshtein distance (the checker imports nothing of the generator's, see layers.json). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
