// Flags + environment -> what to check and how to authenticate. A problem becomes a UsageProblem
// naming the flag to change.

import type { AuthSpec } from './auth.js';
import type { CheckFlags } from './args.js';
import { expandPlaceholders, insecureProblem, parseBaseUrl, TargetError } from './target.js';

export interface CheckOptions {
  baseUrl: URL;
  auth: AuthSpec;
  readOnly: boolean;
  profiles: boolean;
  json: boolean;
  junit?: string;
  allowInsecure: boolean;
  timeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

/** A variable named by an --*-env flag, which must be set and non-empty. */
function fromEnv(env: Env, flag: string, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new TargetError(`--${flag} ${name}: that variable is not set (in the environment or the --env-file).`);
  }
  return value;
}

/** A secret given as --name or --name-env; undefined when neither was given. */
function secret(env: Env, flags: CheckFlags, flag: 'token' | 'basic' | 'client-secret' | 'client-id'): string | undefined {
  const key = flag.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as 'token' | 'basic' | 'clientSecret' | 'clientId';
  const literal = flags[key];
  const envName = flags[`${key}Env`];
  if (literal !== undefined && envName !== undefined) throw new TargetError(`Give --${flag} or --${flag}-env, not both.`);
  if (envName === undefined) return literal;
  if (flag === 'basic' && envName.includes(':')) {
    const [user, password] = envName.split(':', 2) as [string, string];
    return `${fromEnv(env, 'basic-env', user)}:${fromEnv(env, 'basic-env', password)}`;
  }
  return fromEnv(env, `${flag}-env`, envName);
}

export function resolveCheckOptions(flags: CheckFlags, env: Env): CheckOptions {
  const baseUrl = parseBaseUrl(expandPlaceholders(flags.baseUrl, env));
  const insecure = insecureProblem(baseUrl, flags.allowInsecure);
  if (insecure) throw new TargetError(insecure);
  if (!Number.isFinite(flags.timeout) || flags.timeout <= 0) throw new TargetError(`Invalid --timeout "${flags.timeout}": expected seconds above 0.`);
  return {
    baseUrl,
    auth: resolveAuth(flags, env, baseUrl),
    readOnly: flags.readOnly,
    profiles: flags.profiles,
    json: flags.json,
    ...(flags.junit === undefined ? {} : { junit: flags.junit }),
    allowInsecure: flags.allowInsecure,
    timeoutMs: flags.timeout * 1000,
  };
}

function resolveAuth(flags: CheckFlags, env: Env, baseUrl: URL): AuthSpec {
  const token = secret(env, flags, 'token');
  const basic = secret(env, flags, 'basic');
  const clientId = secret(env, flags, 'client-id');
  const oauth = flags.oauthTokenUrl !== undefined || clientId !== undefined;
  const modes = [token !== undefined && '--token', basic !== undefined && '--basic', oauth && '--oauth-token-url'].filter(Boolean);
  if (modes.length > 1) throw new TargetError(`${modes.join(' and ')} are different ways to authenticate: give one.`);
  if (flags.header !== undefined && token === undefined) {
    throw new TargetError('--header sends a token: give it with --token-env NAME (or --token).');
  }
  if (token !== undefined) {
    if (token.trim() === '') throw new TargetError('The token is empty.');
    return flags.header !== undefined ? { kind: 'header', name: flags.header, token } : { kind: 'bearer', token };
  }
  if (basic !== undefined) {
    const colon = basic.indexOf(':');
    if (colon <= 0) throw new TargetError('--basic expects user:password (or --basic-env USER_VAR:PASSWORD_VAR).');
    return { kind: 'basic', user: basic.slice(0, colon), password: basic.slice(colon + 1) };
  }
  if (oauth) {
    if (flags.oauthTokenUrl === undefined) throw new TargetError('OAuth needs the token endpoint: --oauth-token-url (e.g. https://auth.example.com/oauth/token).');
    if (clientId === undefined) throw new TargetError('OAuth needs --client-id (or --client-id-env).');
    const clientSecret = secret(env, flags, 'client-secret');
    if (clientSecret === undefined) throw new TargetError('OAuth needs the client secret: --client-secret-env NAME (or --client-secret).');
    const tokenUrl = parseBaseUrl(new URL(flags.oauthTokenUrl, baseUrl.origin).href, '--oauth-token-url');
    return { kind: 'oauth', tokenUrl, clientId, clientSecret, ...(flags.scope ? { scope: flags.scope } : {}) };
  }
  return { kind: 'none' };
}
