// Rate limits and brute-force protection (templates/scim/rate-limit.ts), with a test clock, and
// as routes.ts applies them in `authenticate`. The generated test/rate-limit.test.ts checks the
// 429 end to end against a running server.

import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FAILURE_POLICY,
  TokenBuckets,
  addressKey,
  createRateLimiter,
  presentsCredentials,
} from '../../../templates/scim/rate-limit.js';
import { RATE_LIMIT_DEFAULTS, readCoreSettings } from '../../../templates/scim/config.js';
import { scimEndpoints } from '../../../templates/scim/routes.js';
import { ScimService } from '../../../templates/scim/service.js';
import type { ResourceStore } from '../../../templates/scim/store.js';
import { testRegistry } from './fixtures.js';

function clock() {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => (t += ms),
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    slept,
  };
}

describe('TokenBuckets', () => {
  it('allows the burst at once, then the rate, and says how long to wait', () => {
    const c = clock();
    const buckets = new TokenBuckets(3, 2 / 1000, 100, c.now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(500); // 2 per second: one more in 500 ms
    c.advance(499);
    expect(buckets.take('a')).toBe(1);
    c.advance(1);
    expect(buckets.take('a')).toBe(0);
    // Another key has its own bucket.
    expect(buckets.take('b')).toBe(0);
  });

  it('never holds more than the burst, however long a key was idle', () => {
    const c = clock();
    const buckets = new TokenBuckets(2, 1 / 1000, 100, c.now);
    buckets.take('a');
    c.advance(3_600_000);
    expect(buckets.level('a')).toBe(2);
  });

  it('keeps at most maxEntries keys, forgetting the least recently used', () => {
    const c = clock();
    const buckets = new TokenBuckets(1, 1 / 60_000, 3, c.now);
    for (const key of ['a', 'b', 'c']) buckets.take(key);
    buckets.take('a'); // a is now the most recently used (and empty)
    buckets.take('d'); // evicts b
    expect(buckets.size).toBe(3);
    expect(buckets.level('a')).toBe(0);
    expect(buckets.level('b')).toBe(1); // forgotten: a full bucket again
    for (let i = 0; i < 10_000; i++) buckets.take(`k${i}`);
    expect(buckets.size).toBe(3);
  });
});

describe('createRateLimiter: per credential', () => {
  it('answers the Retry-After in whole seconds, at least 1, once the burst is spent', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 1, burst: 2, now: c.now });
    expect(limiter.take('cred')).toBeUndefined();
    expect(limiter.take('cred')).toBeUndefined();
    expect(limiter.take('cred')).toBe(1);
    expect(limiter.take('other')).toBeUndefined();
    c.advance(1000);
    expect(limiter.take('cred')).toBeUndefined();
  });

  it('rounds a fractional wait up', () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 1, burst: 1, now: c.now });
    limiter.take('cred');
    c.advance(100);
    expect(limiter.take('cred')).toBe(1);
    const slow = createRateLimiter({ perSecond: 1, burst: 1, now: c.now });
    slow.take('x');
    expect(Number.isInteger(slow.take('x'))).toBe(true);
  });

  it('perSecond 0 turns the limit off', () => {
    const limiter = createRateLimiter({ perSecond: 0, burst: 1 });
    for (let i = 0; i < 1000; i++) expect(limiter.take('cred')).toBeUndefined();
  });
});

describe('createRateLimiter: failed authentications per address', () => {
  const policy = { limit: 5, forgiveMs: 2000, freeFailures: 2, delayMs: 100, maxDelayMs: 250 };

  it('answers the first failures at once, slows the next ones (capped), then refuses the address', async () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 0, burst: 1, failures: policy, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 5; i++) {
      expect(limiter.refuseAddress('203.0.113.9')).toBeUndefined();
      await limiter.failed('203.0.113.9');
    }
    expect(c.slept).toEqual([100, 200, 250]);
    expect(limiter.refuseAddress('203.0.113.9')).toBe(2); // one failure forgiven every 2 s
    // Another address, a valid credential used from elsewhere, is not affected.
    expect(limiter.refuseAddress('198.51.100.7')).toBeUndefined();
    c.advance(2000);
    expect(limiter.refuseAddress('203.0.113.9')).toBeUndefined();
  });

  it('does not count what it cannot attribute (no address)', async () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 0, burst: 1, failures: policy, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 20; i++) await limiter.failed(undefined);
    expect(limiter.refuseAddress(undefined)).toBeUndefined();
    expect(c.slept).toEqual([]);
  });

  it('keeps bounded memory under a flood of addresses', async () => {
    const c = clock();
    const limiter = createRateLimiter({ perSecond: 0, burst: 1, failures: policy, maxEntries: 50, now: c.now, sleep: c.sleep });
    for (let i = 0; i < 5000; i++) await limiter.failed(`10.0.${i >> 8}.${i & 255}`);
    // Only the 50 most recent are remembered; the flood cannot grow the table.
    expect(limiter.refuseAddress('10.0.0.0')).toBeUndefined();
  });

  it('defaults: 30 failures before a 429, the 11th onwards slowed', () => {
    expect(DEFAULT_FAILURE_POLICY).toMatchObject({ limit: 30, freeFailures: 10 });
  });
});

describe('addressKey', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:0db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
  ])('%s -> %s', (address, key) => expect(addressKey(address)).toBe(key));
});

describe('presented credentials', () => {
  it('tells a request with a credential from one without', () => {
    expect(presentsCredentials({ authorization: 'Bearer x' }, ['authorization'])).toBe(true);
    expect(presentsCredentials({}, ['authorization'])).toBe(false);
    expect(presentsCredentials({ authorization: '' }, ['authorization'])).toBe(false);
    expect(presentsCredentials({ 'x-api-key': 'k' }, ['x-api-key'])).toBe(true);
  });
});

describe('settings', () => {
  it('defaults that never throttle an identity provider', () => {
    expect(readCoreSettings({}, { port: 3000 }).rateLimit).toEqual({ ...RATE_LIMIT_DEFAULTS, failureLimit: DEFAULT_FAILURE_POLICY.limit });
    // Entra ID requires at least 25 requests per second per tenant.
    expect(RATE_LIMIT_DEFAULTS.perSecond).toBeGreaterThanOrEqual(25);
  });

  it('reads SCIM_RATE_LIMIT_PER_SECOND (0 = off) and SCIM_RATE_LIMIT_BURST, refusing bad values by name', () => {
    const env = { SCIM_RATE_LIMIT_PER_SECOND: '0', SCIM_RATE_LIMIT_BURST: '5' };
    expect(readCoreSettings(env, { port: 3000 }).rateLimit).toEqual({ perSecond: 0, burst: 5, failureLimit: 30 });
    expect(() => readCoreSettings({ SCIM_RATE_LIMIT_PER_SECOND: 'fast' }, { port: 3000 })).toThrow(
      'SCIM_RATE_LIMIT_PER_SECOND must be an integer from 0 to 1000000, got "fast"',
    );
    expect(() => readCoreSettings({ SCIM_RATE_LIMIT_BURST: '0' }, { port: 3000 })).toThrow(
      'SCIM_RATE_LIMIT_BURST must be an integer from 1 to 1000000, got "0"',
    );
  });
});

describe('scimEndpoints with a limiter', () => {
  const VALID = 'Bearer good-token';
  const TENANT = { key: 1, slug: 'default', name: 'default', idp: 'other' as const, disabled: false, created: '2026-01-01T00:00:00Z' };
  const PRINCIPAL = { tenant: TENANT, credential: { id: 'cred_1', tenant: 1, kind: 'token' as const, label: 'test', created: TENANT.created } };
  const TENANTS = { getTenant: async () => TENANT, findTenant: async () => undefined };
  function endpoints(options: { perSecond: number; burst: number; failures?: object }) {
    const c = clock();
    const service = new ScimService({
      registry: testRegistry(),
      store: {} as ResourceStore,
      authenticator: { scheme: { type: 'oauthbearertoken', name: 'Bearer', description: 'test' } },
    });
    const authenticator = {
      challenge: 'Bearer realm="SCIM"',
      authenticate: async (h: { authorization?: unknown }) => (h.authorization === VALID ? PRINCIPAL : undefined),
    };
    const limiter = createRateLimiter({ ...options, now: c.now, sleep: c.sleep });
    const endpoints = scimEndpoints({ service, authenticator, bodyLimit: 1024, limiter, tenants: TENANTS });
    // The refusal, or undefined when the request may go on.
    const scim = { authenticate: async (...args: Parameters<typeof endpoints.authenticate>) => (await endpoints.authenticate(...args)).refusal };
    return { scim, clock: c };
  }

  it('answers 429 with a SCIM error and an integer Retry-After once a credential is over its rate', async () => {
    const { scim, clock: c } = endpoints({ perSecond: 1, burst: 2 });
    const client = { remoteAddress: '203.0.113.9' };
    expect(await scim.authenticate({ authorization: VALID }, client)).toBeUndefined();
    expect(await scim.authenticate({ authorization: VALID }, client)).toBeUndefined();
    const refused = (await scim.authenticate({ authorization: VALID }, client))!;
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toBe('application/scim+json; charset=utf-8');
    expect(JSON.parse(refused.body!)).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '429',
      detail: 'Too many requests for this credential: retry after 1 s',
    });
    c.advance(1000);
    expect(await scim.authenticate({ authorization: VALID }, client)).toBeUndefined();
  });

  it('slows then refuses an address sending wrong credentials, never a valid credential from elsewhere', async () => {
    const { scim, clock: c } = endpoints({ perSecond: 0, burst: 1, failures: { limit: 3, freeFailures: 1 } });
    const attacker = { remoteAddress: '203.0.113.9' };
    for (let i = 0; i < 3; i++) expect((await scim.authenticate({ authorization: 'Bearer guess' }, attacker))?.status).toBe(401);
    expect(c.slept.length).toBe(2);
    const refused = (await scim.authenticate({ authorization: VALID }, attacker))!;
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(await scim.authenticate({ authorization: VALID }, { remoteAddress: '198.51.100.7' })).toBeUndefined();
  });

  it('does not count requests without credentials: they guess nothing', async () => {
    const { scim } = endpoints({ perSecond: 0, burst: 1, failures: { limit: 2 } });
    const client = { remoteAddress: '203.0.113.9' };
    for (let i = 0; i < 10; i++) expect((await scim.authenticate({}, client))?.status).toBe(401);
    expect(await scim.authenticate({ authorization: VALID }, client)).toBeUndefined();
  });

  it('without a limiter behaves as before', async () => {
    const service = new ScimService({
      registry: testRegistry(),
      store: {} as ResourceStore,
      authenticator: { scheme: { type: 'oauthbearertoken', name: 'Bearer', description: 'test' } },
    });
    const scim = scimEndpoints({ service, authenticator: { challenge: 'Bearer', authenticate: async () => undefined }, bodyLimit: 1024, tenants: TENANTS });
    for (let i = 0; i < 100; i++) expect((await scim.authenticate({ authorization: 'Bearer x' })).refusal?.status).toBe(401);
  });

  it('reads SCIM_AUTH_FAILURE_LIMIT: a lower limit keeps a third of it free and slows the rest before the 429', async () => {
    expect(readCoreSettings({ SCIM_AUTH_FAILURE_LIMIT: '6' }, { port: 3000 }).rateLimit.failureLimit).toBe(6);
    expect(() => readCoreSettings({ SCIM_AUTH_FAILURE_LIMIT: '2' }, { port: 3000 })).toThrow('SCIM_AUTH_FAILURE_LIMIT must be an integer from 3');
    const c = clock();
    const slept: number[] = [];
    const limiter = createRateLimiter({ perSecond: 0, burst: 1, failureLimit: 6, now: c.now, sleep: async (ms) => void slept.push(ms) });
    for (let i = 0; i < 6; i++) {
      expect(limiter.refuseAddress('203.0.113.9')).toBeUndefined();
      await limiter.failed('203.0.113.9');
    }
    expect(slept).toEqual([100, 200, 300, 400]);
    expect(limiter.refuseAddress('203.0.113.9')).toBe(2);
    expect(limiter.refuseAddress('198.51.100.1')).toBeUndefined();
  });
});
