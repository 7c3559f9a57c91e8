// How the checker authenticates: every mode identity providers use. Secrets are held here and
// nowhere else; the report is scrubbed of them (see secrets()).

import { insecureProblem, TargetError } from './target.js';

export type AuthSpec =
  | { kind: 'none' }
  /** `Authorization: Bearer <token>` (Okta "HTTP Header", Entra ID "Secret Token"). */
  | { kind: 'bearer'; token: string }
  /** The token as the whole value of a header: `Authorization: <token>` (Okta OIN "Header") or `X-API-Key: <token>`. */
  | { kind: 'header'; name: string; token: string }
  | { kind: 'basic'; user: string; password: string }
  /** OAuth 2.0 client credentials (RFC 6749 §4.4): an access token from `tokenUrl`, sent as a bearer token. */
  | { kind: 'oauth'; tokenUrl: URL; clientId: string; clientSecret: string; scope?: string };

/** `valid`: the credentials given; `wrong`: the same mode with a wrong secret; `none`: no credentials. */
export type Credentials = 'valid' | 'wrong' | 'none';

export interface Authenticator {
  /** For the report's first line, never with the secret: "bearer token", "HTTP Basic as okta". */
  readonly description: string;
  readonly kind: AuthSpec['kind'];
  headers(credentials: Credentials): Promise<Record<string, string>>;
  /** Every secret in play (including a fetched access token), to scrub from output. */
  secrets(): string[];
}

export interface AuthDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  allowInsecure: boolean;
  userAgent: string;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** A secret the server cannot have issued: the given one, changed. */
const wrong = (secret: string) => `${secret.slice(0, 4)}not-the-secret-${secret.length}`;

export function authenticator(spec: AuthSpec, deps: AuthDeps): Authenticator {
  switch (spec.kind) {
    case 'none':
      return { description: 'no credentials', kind: spec.kind, headers: async () => ({}), secrets: () => [] };
    case 'bearer':
      return {
        description: 'a bearer token',
        kind: spec.kind,
        headers: async (c): Promise<Record<string, string>> => (c === 'none' ? {} : { authorization: `Bearer ${c === 'valid' ? spec.token : wrong(spec.token)}` }),
        secrets: () => [spec.token],
      };
    case 'header':
      return {
        description: `a token in the ${spec.name} header`,
        kind: spec.kind,
        headers: async (c): Promise<Record<string, string>> => (c === 'none' ? {} : { [spec.name.toLowerCase()]: c === 'valid' ? spec.token : wrong(spec.token) }),
        secrets: () => [spec.token],
      };
    case 'basic':
      return {
        description: `HTTP Basic as ${spec.user}`,
        kind: spec.kind,
        headers: async (c): Promise<Record<string, string>> =>
          c === 'none' ? {} : { authorization: basic(spec.user, c === 'valid' ? spec.password : wrong(spec.password)) },
        secrets: () => [spec.password, basic(spec.user, spec.password).slice('Basic '.length)],
      };
    case 'oauth':
      return oauth(spec, deps);
  }
}

function oauth(spec: Extract<AuthSpec, { kind: 'oauth' }>, deps: AuthDeps): Authenticator {
  let token: Promise<string> | undefined;
  const secrets = [spec.clientSecret, basic(spec.clientId, spec.clientSecret).slice('Basic '.length)];
  return {
    description: `OAuth 2.0 client credentials as ${spec.clientId}`,
    kind: spec.kind,
    async headers(c): Promise<Record<string, string>> {
      if (c === 'none') return {};
      if (c === 'wrong') return { authorization: 'Bearer not-an-access-token-from-this-server' };
      token ??= fetchToken(spec, deps).then((t) => (secrets.push(t), t));
      return { authorization: `Bearer ${await token}` };
    },
    secrets: () => secrets,
  };
}

/** The client credentials grant, with client_secret_basic (RFC 6749 §2.3.1). */
async function fetchToken(spec: Extract<AuthSpec, { kind: 'oauth' }>, deps: AuthDeps): Promise<string> {
  const problem = insecureProblem(spec.tokenUrl, deps.allowInsecure, 'the token endpoint');
  if (problem) throw new TargetError(problem);
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (spec.scope) form.set('scope', spec.scope);
  let response: Response;
  try {
    response = await deps.fetch(spec.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: basic(encodeURIComponent(spec.clientId), encodeURIComponent(spec.clientSecret)),
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': deps.userAgent,
      },
      body: form.toString(),
      signal: AbortSignal.timeout(deps.timeoutMs),
    });
  } catch (error) {
    throw new TargetError(`Cannot get an access token from ${spec.tokenUrl.href}: ${(error as Error).message}.`);
  }
  const text = await response.text();
  let body: { access_token?: unknown; error?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: said below.
  }
  if (!response.ok || typeof body.access_token !== 'string') {
    const why = typeof body.error === 'string' ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}` : `HTTP ${response.status}`;
    throw new TargetError(
      `The token endpoint ${spec.tokenUrl.href} gave no access token (${why}). Check --client-id and the client secret, ` +
        'and that the client may use the client_credentials grant.',
    );
  }
  return body.access_token;
}
