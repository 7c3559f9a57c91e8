// Rate limits and brute-force protection, in memory.
//
// - Per credential (so per tenant): a token bucket of SCIM_RATE_LIMIT_BURST requests refilled at
//   SCIM_RATE_LIMIT_PER_SECOND. Over it, 429 with a SCIM error and an integer Retry-After, which
//   is what Okta waits for before retrying (Entra ID retries the failed objects in a later cycle).
// - Per client address, failed authentications (a credential was presented and was wrong): the
//   first few are answered at once, the next ones after a growing delay, and past a limit the
//   address gets 429 with Retry-After before its credentials are even looked at. A request
//   with no credential at all guesses nothing and is not counted. A valid credential is never
//   locked out from another address: only the address that failed is slowed.
//
// Per replica, on purpose: the buckets live in this process's memory, so N replicas allow N times
// the rate. Sharing them would put a database round trip (or a Redis) in front of every request
// to save the identity provider nothing: each IdP's traffic is already bounded by what it sends,
// and the guessing that the failure limit stops is as slow on N replicas as on one when secrets
// are 32 random bytes. Put a shared limiter in your gateway if you need a global figure.
//
// Memory is bounded: each table keeps at most `maxEntries` keys and forgets the least recently
// used first (a forgotten key starts again with a full bucket, which is what an idle one has).

import type { RequestHeaders } from './auth.js';

/** Requests per second per credential, and how many may come at once above that. `perSecond: 0` is off. */
export interface RateLimitSettings {
  perSecond: number;
  burst: number;
  /** SCIM_AUTH_FAILURE_LIMIT: the failure policy's `limit`; the default policy's when absent. */
  failureLimit?: number;
}

/** How failed authentications from one client address are answered. */
export interface FailurePolicy {
  /** Failures an address may have outstanding; past them it gets 429 until one is forgiven. */
  limit: number;
  /** One failure is forgiven every this many milliseconds (so `limit` per `limit * forgiveMs`). */
  forgiveMs: number;
  /** Failures answered at once; each one after them waits `delayMs` more, up to `maxDelayMs`. */
  freeFailures: number;
  delayMs: number;
  maxDelayMs: number;
}

/** 30 wrong credentials in a row, then one more every 2 s (30 a minute); slowed from the 11th. */
export const DEFAULT_FAILURE_POLICY: FailurePolicy = { limit: 30, forgiveMs: 2000, freeFailures: 10, delayMs: 100, maxDelayMs: 1000 };

export interface RateLimiterOptions extends RateLimitSettings {
  failures?: Partial<FailurePolicy>;
  /** Keys kept per table (credentials, addresses) before the least recently used is forgotten. */
  maxEntries?: number;
  /** Milliseconds; a test clock. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What routes.ts asks; undefined means "go on", a number is the Retry-After in whole seconds. */
export interface RequestLimiter {
  /** Before credentials are checked: the Retry-After when this address failed too often. */
  refuseAddress(address: string | undefined): number | undefined;
  /** After a wrong credential from this address: resolves when the answer may be sent. */
  failed(address: string | undefined): Promise<void>;
  /** After a valid credential: the Retry-After when it is over its rate. */
  take(credential: string): number | undefined;
}

/**
 * A table of token buckets by key: `capacity` tokens, refilled at `perMs` per millisecond.
 * Exported for the unit tests; routes use RequestLimiter.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {}

  /** Takes one token: 0 when there was one, else the milliseconds until there is. */
  take(key: string): number {
    const bucket = this.refill(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    // Less a hair, so float error never adds a whole millisecond.
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs - 1e-6));
  }

  /** Tokens left now (fractional), without taking one. */
  level(key: string): number {
    return this.buckets.has(key) ? this.refill(key).tokens : this.capacity;
  }

  get size(): number {
    return this.buckets.size;
  }

  private refill(key: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (bucket) {
      // Re-inserted so the Map's order is least recently used first.
      this.buckets.delete(key);
      bucket.tokens = Math.min(this.capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs);
      bucket.at = now;
    } else {
      bucket = { tokens: this.capacity, at: now };
      while (this.buckets.size >= this.maxEntries) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }
}

export function createRateLimiter(options: RateLimiterOptions): RequestLimiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxEntries = options.maxEntries ?? 10_000;
  const limit = options.failureLimit ?? DEFAULT_FAILURE_POLICY.limit;
  // A lower limit keeps fewer of its failures free, so some are still slowed before the 429.
  const scaled = { limit, freeFailures: Math.min(DEFAULT_FAILURE_POLICY.freeFailures, Math.floor(limit / 3)) };
  const policy = { ...DEFAULT_FAILURE_POLICY, ...(options.failureLimit === undefined ? {} : scaled), ...options.failures };
  const credentials =
    options.perSecond > 0 ? new TokenBuckets(Math.max(1, options.burst), options.perSecond / 1000, maxEntries, now) : undefined;
  const failures = new TokenBuckets(policy.limit, 1 / policy.forgiveMs, maxEntries, now);
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    refuseAddress(address) {
      if (address === undefined) return undefined;
      const key = addressKey(address);
      const level = failures.level(key);
      return level >= 1 ? undefined : seconds((1 - level) * policy.forgiveMs);
    },
    async failed(address) {
      if (address === undefined) return;
      const key = addressKey(address);
      failures.take(key);
      const used = policy.limit - failures.level(key);
      const over = Math.floor(used) - policy.freeFailures;
      if (over > 0) await sleep(Math.min(policy.maxDelayMs, over * policy.delayMs));
    },
    take(credential) {
      if (!credentials) return undefined;
      const wait = credentials.take(credential);
      return wait === 0 ? undefined : seconds(wait);
    },
  };
}

/** True when any of the headers that carry credentials is present: only then can a request guess. */
export function presentsCredentials(headers: RequestHeaders, secretHeaders: readonly string[]): boolean {
  return secretHeaders.some((name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '';
  });
}

/**
 * The failure key of an address: an IPv6 address by its /64, since one host usually holds a
 * whole /64 and would otherwise get a fresh bucket per address; IPv4 (mapped or not) as it is.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const plain = address.split('%')[0]!.toLowerCase();
  const [head = '', tail] = plain.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
