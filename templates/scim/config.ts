// Settings read from the environment at start. A wrong value stops the server with a message
// naming the variable, rather than surfacing later as a confusing request failure.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = NodeJS.ProcessEnv;

export function integerSetting(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function choiceSetting<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return raw as T;
}

export function booleanSetting(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

/** A secret such as an API token: required, and long enough not to be guessable. */
export function requireSecret(env: Env, name: string, minLength = 20): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new ConfigError(`${name} is not set. Put it in .env (see .env.example) or the environment.`);
  }
  if (value.length < minLength) {
    throw new ConfigError(`${name} is too short: use at least ${minLength} random characters.`);
  }
  return value;
}

export interface CoreSettings {
  port: number;
  host: string;
  logLevel: string;
  bodyLimit: number;
  patchStatus: 200 | 204;
  publicUrl?: string;
  trustProxy: boolean;
  /** Key of the cursor HMAC; undefined: a random one per process (cursor.ts says what that costs). */
  cursorSecret?: string;
  cursorTimeoutSeconds: number;
  /** /Bulk: most operations per request (RFC 7644 §3.7.4 maxOperations). */
  bulkMaxOperations: number;
  /** /Bulk: largest request in bytes (maxPayloadSize); never more than bodyLimit, which every request obeys. */
  bulkMaxPayloadBytes: number;
  /** Per-credential token bucket (rate-limit.ts); `perSecond: 0` turns it off. */
  rateLimit: { perSecond: number; burst: number; failureLimit: number };
  /** Timeouts of the HTTP server (http-limits.ts). */
  http: HttpLimits;
}

/** Timeouts of the node:http server under every framework; 0 turns one off. */
export interface HttpLimits {
  /** From the first byte of a request to the end of its headers (SCIM_HEADERS_TIMEOUT_MS). */
  headersTimeoutMs: number;
  /** From the first byte of a request to the end of its body (SCIM_REQUEST_TIMEOUT_MS). */
  requestTimeoutMs: number;
  /**
   * How long an idle keep-alive connection stays open (SCIM_KEEP_ALIVE_TIMEOUT_MS): longer than
   * a load balancer's idle timeout (60 s on AWS ALB, 4 min on Azure, 10 min on GCP: raise it
   * there), so the balancer, never the server, closes an idle connection it may be reusing.
   */
  keepAliveTimeoutMs: number;
}

export function readHttpLimits(env: Env): HttpLimits {
  const limits = {
    headersTimeoutMs: integerSetting(env, 'SCIM_HEADERS_TIMEOUT_MS', 20_000, 0, 3_600_000),
    requestTimeoutMs: integerSetting(env, 'SCIM_REQUEST_TIMEOUT_MS', 60_000, 0, 3_600_000),
    keepAliveTimeoutMs: integerSetting(env, 'SCIM_KEEP_ALIVE_TIMEOUT_MS', 65_000, 0, 3_600_000),
  };
  if (limits.requestTimeoutMs > 0 && limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError('SCIM_HEADERS_TIMEOUT_MS must not be longer than SCIM_REQUEST_TIMEOUT_MS');
  }
  return limits;
}

/**
 * Defaults of SCIM_RATE_LIMIT_PER_SECOND and SCIM_RATE_LIMIT_BURST, per credential (so per
 * tenant): far above what an identity provider is documented to need, so they never throttle one,
 * nor a team's own import or load test of a few thousand requests; they stop a runaway client.
 * - Microsoft Entra ID requires a SCIM app to "support at least 25 requests per second per
 *   tenant" (https://learn.microsoft.com/en-us/entra/identity/enterprise-apps/app-gallery-user-provisioning-requirements).
 * - Okta publishes no rate for its provisioning client. On a 429 it schedules the failed jobs
 *   again after the response's Retry-After
 *   (https://support.okta.com/help/s/article/slack-provisioning-jobs-failed-with-error-api-rate-limit-exceeded-rate-limit-exceeded),
 *   and its own API allows an org 75 concurrent requests
 *   (https://developer.okta.com/docs/reference/rl2-concurrency), which the burst covers many times.
 */
export const RATE_LIMIT_DEFAULTS = { perSecond: 1000, burst: 2000 } as const;

export function readCoreSettings(env: Env, defaults: { port: number }): CoreSettings {
  const publicUrl = env.SCIM_PUBLIC_URL?.trim();
  if (publicUrl) {
    try {
      new URL(publicUrl);
    } catch {
      throw new ConfigError(`SCIM_PUBLIC_URL must be an absolute URL, got ${JSON.stringify(publicUrl)}`);
    }
  }
  const bodyLimit = integerSetting(env, 'SCIM_MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024);
  // At most the body limit (larger bodies are refused before /Bulk reads them), so the advertised
  // maxPayloadSize is what the server really accepts; lowering SCIM_MAX_BODY_BYTES lowers it too.
  const bulkMaxPayloadBytes = Math.min(
    bodyLimit,
    integerSetting(env, 'SCIM_BULK_MAX_PAYLOAD_BYTES', bodyLimit, 1024, 100 * 1024 * 1024),
  );
  return {
    port: integerSetting(env, 'PORT', defaults.port, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    logLevel: choiceSetting(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    bodyLimit,
    patchStatus: Number(choiceSetting(env, 'SCIM_PATCH_STATUS', ['200', '204'], '200')) as 200 | 204,
    publicUrl: publicUrl ? publicUrl.replace(/\/+$/, '') : undefined,
    trustProxy: booleanSetting(env, 'TRUST_PROXY', false),
    cursorSecret: env.SCIM_CURSOR_SECRET?.trim() || undefined,
    cursorTimeoutSeconds: integerSetting(env, 'SCIM_CURSOR_TIMEOUT', 600, 1, 7 * 24 * 3600),
    http: readHttpLimits(env),
    bulkMaxOperations: integerSetting(env, 'SCIM_BULK_MAX_OPERATIONS', 1000, 1, 100_000),
    bulkMaxPayloadBytes,
    rateLimit: {
      perSecond: integerSetting(env, 'SCIM_RATE_LIMIT_PER_SECOND', RATE_LIMIT_DEFAULTS.perSecond, 0, 1_000_000),
      burst: integerSetting(env, 'SCIM_RATE_LIMIT_BURST', RATE_LIMIT_DEFAULTS.burst, 1, 1_000_000),
      failureLimit: integerSetting(env, 'SCIM_AUTH_FAILURE_LIMIT', 30, 3, 10_000),
    },
  };
}
