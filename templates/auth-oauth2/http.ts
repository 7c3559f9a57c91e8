// Small pieces of HTTP the OAuth endpoints share: form bodies, cookies, and responses in the
// shapes RFC 6749 prescribes (JSON errors, redirects back to the client), never cached.

import type { PlainRequest, PlainResponse, RequestHeaders } from '../scim/auth.js';
import { singleHeader } from '../scim/secret.js';

/** Responses carrying tokens or codes must not be stored by any cache (RFC 6749 §5.1). */
export const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

export type Form = { ok: true; params: Record<string, string> } | { ok: false; reason: string };

export function isForm(request: PlainRequest): boolean {
  const type = singleHeader(request.headers['content-type']) ?? '';
  return /^application\/x-www-form-urlencoded\s*(;|$)/i.test(type);
}

/**
 * An application/x-www-form-urlencoded body. A parameter without a value counts as absent and
 * a repeated one is an error (RFC 6749 §3.1, §3.2).
 */
export function parseForm(body: string): Form {
  const params: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (seen.has(name)) return { ok: false, reason: `The parameter ${name} is repeated` };
    seen.add(name);
    if (value !== '') params[name] = value;
  }
  return { ok: true, params };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): PlainResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...headers },
    body: JSON.stringify(body),
  };
}

/** An RFC 6749 §5.2 error from the token or revocation endpoint. */
export function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}) {
  return json(status, { error, error_description: description }, headers);
}

/** Back to the client's redirect URI with these parameters added to its query. */
export function redirectTo(uri: string, params: Record<string, string | undefined>, status = 302): PlainResponse {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  // no-referrer: the code in this URL must not leak to the next site through Referer.
  return { status, headers: { location: url.href, ...NO_STORE, 'referrer-policy': 'no-referrer' } };
}

export function readCookie(headers: RequestHeaders, name: string): string | undefined {
  const header = headers.cookie;
  const text = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** `client_id:client_secret` from `Authorization: Basic`, each form-decoded (RFC 6749 §2.3.1). */
export function basicCredentials(headers: RequestHeaders): { id: string; secret: string } | undefined {
  const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(singleHeader(headers.authorization) ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
}

function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    // Clients that skip the encoding (curl -u does) send a secret with a stray "%" as is.
    return value;
  }
}
