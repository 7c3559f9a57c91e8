// The checker's HTTP client: one request at a time to the base URL, with a timeout, recording
// each exchange so a failed check can show what was sent and what came back.

import type { Authenticator, Credentials } from './auth.js';

export interface Exchange {
  method: string;
  /** Relative to the base URL, with the query: `/Users?filter=...`. */
  path: string;
  requestBody?: unknown;
  status: number;
  contentType: string;
  /** The parsed JSON body, or undefined (no body, or not JSON: see text). */
  body: unknown;
  text: string;
}

export interface Response extends Exchange {
  headers: Headers;
}

/** The server could not be asked at all: refused, unknown host, TLS, timeout. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly kind: 'refused' | 'dns' | 'timeout' | 'tls' | 'other',
  ) {
    super(message);
  }
}

export interface RequestOptions {
  query?: Record<string, string | number>;
  body?: unknown;
  credentials?: Credentials;
  /** Defaults to application/scim+json with a JSON body. */
  contentType?: string;
}

export interface ScimHttp {
  readonly baseUrl: URL;
  request(method: string, path: string, options?: RequestOptions): Promise<Response>;
  /** The exchanges so far, newest last. */
  readonly exchanges: readonly Exchange[];
}

export interface HttpDeps {
  fetch: typeof fetch;
  timeoutMs: number;
  userAgent: string;
  auth: Authenticator;
}

export function scimHttp(baseUrl: URL, deps: HttpDeps): ScimHttp {
  const exchanges: Exchange[] = [];
  return {
    baseUrl,
    exchanges,
    async request(method, path, options = {}) {
      const query = new URLSearchParams(Object.entries(options.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]));
      const relative = `${path}${query.size > 0 ? `?${query.toString().replace(/\+/g, '%20')}` : ''}`;
      const url = new URL(baseUrl.href + relative);
      const headers: Record<string, string> = {
        accept: 'application/scim+json, application/json',
        'user-agent': deps.userAgent,
        ...(await deps.auth.headers(options.credentials ?? 'valid')),
      };
      if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/scim+json; charset=utf-8';
      let response: globalThis.Response;
      let text: string;
      try {
        response = await deps.fetch(url, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          redirect: 'manual',
          signal: AbortSignal.timeout(deps.timeoutMs),
        });
        text = await response.text();
      } catch (error) {
        throw transportError(error, `${method} ${url.href}`, deps.timeoutMs);
      }
      const contentType = response.headers.get('content-type') ?? '';
      const exchange: Response = {
        method,
        path: relative,
        ...(options.body === undefined ? {} : { requestBody: options.body }),
        status: response.status,
        contentType,
        body: parseJson(text),
        text,
        headers: response.headers,
      };
      exchanges.push(exchange);
      return exchange;
    },
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Node's fetch hides the reason in `cause`: name it in one line. */
export function transportError(error: unknown, what: string, timeoutMs: number): TransportError {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new TransportError(`${what} got no answer within ${timeoutMs / 1000} s (--timeout).`, 'timeout');
  }
  const code = err.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return new TransportError(`${what}: connection refused. Is the server running, and on that port?`, 'refused');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TransportError(`${what}: the host name does not resolve.`, 'dns');
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new TransportError(`${what}: the server closed the connection.`, 'other');
  if (/CERT|SSL|TLS/i.test(code) || /certificate|ssl|tls/i.test(err.cause?.message ?? '')) {
    return new TransportError(`${what}: TLS failed (${err.cause?.message ?? code}).`, 'tls');
  }
  return new TransportError(`${what}: ${err.cause?.message ?? err.message}.`, 'other');
}
