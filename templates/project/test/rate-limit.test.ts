// The per-credential rate limit, against a server started with a low one: past the burst the
// server answers 429 with a SCIM error and an integer Retry-After (what Okta waits before it
// retries), and after waiting that long the same credential is served again. The defaults
// (SCIM_RATE_LIMIT_PER_SECOND, SCIM_RATE_LIMIT_BURST) are far above what Okta and Entra ID send.
// Wrong credentials from one client address are slowed and then answered 429 with Retry-After,
// while a valid credential used from another address is never refused.

import { describe, expect, it } from 'vitest';
import { useScimServer, type TestServer } from './helpers/server.js';
import { expectScimError } from './helpers/scim.js';

const BURST = 3;
const { client } = useScimServer({ SCIM_RATE_LIMIT_PER_SECOND: '1', SCIM_RATE_LIMIT_BURST: String(BURST) });

describe('rate limit per credential', () => {
  it('answers 429 with a SCIM error and an integer Retry-After past the burst, then serves again after it', async () => {
    const answers = [];
    for (let i = 0; i < BURST + 2; i++) answers.push(await client.get('/ServiceProviderConfig'));
    expect(answers.slice(0, BURST).map((r) => r.status)).toEqual(Array(BURST).fill(200));

    const limited = answers.find((r) => r.status === 429);
    expect(limited, 'a request past the burst is refused').toBeDefined();
    expectScimError(limited!, 429);
    const retryAfter = limited!.headers.get('retry-after');
    expect(retryAfter).toMatch(/^[1-9]\d*$/);

    await new Promise((resolve) => setTimeout(resolve, Number(retryAfter) * 1000 + 100));
    const again = await client.get('/ServiceProviderConfig');
    expect(again.status, again.text).toBe(200);
  });

  it('counts nothing against the credential for a request without credentials', async () => {
    // A full bucket again, then requests without credentials: each is a 401, never a 429.
    await new Promise((resolve) => setTimeout(resolve, BURST * 1000 + 100));
    for (let i = 0; i < BURST + 2; i++) expectScimError(await client.get('/Users', { authorization: null }), 401);
    expect((await client.get('/ServiceProviderConfig')).status).toBe(200);
  });
});

describe('failed authentications per client address', () => {
  // A low limit keeps this short; TRUST_PROXY lets the test speak from several addresses.
  const LIMIT = 6;
  const { server, client: limited } = useScimServer({ SCIM_AUTH_FAILURE_LIMIT: String(LIMIT), TRUST_PROXY: 'true' });

  /** The server's credential headers with every secret replaced by a wrong one of the same shape. */
  const wrong = (s: TestServer) =>
    Object.fromEntries(
      Object.entries(s.credentials).map(([name, value]) => [
        name,
        /^Basic /i.test(value)
          ? `Basic ${Buffer.from(`${Buffer.from(value.slice(6), 'base64').toString().split(':')[0]}:wrong-password`).toString('base64')}`
          : /^Bearer /i.test(value)
            ? 'Bearer wrong-token-0123456789'
            : 'wrong-token-0123456789',
      ]),
    );
  const from = (address: string, headers: Record<string, string> = {}) => ({ headers: { 'x-forwarded-for': address, ...headers } });

  it('slows wrong credentials from one address, then answers 429 with Retry-After, sparing valid ones from elsewhere', async () => {
    const attacker = '203.0.113.50';
    const statuses: number[] = [];
    const started = Date.now();
    for (let i = 0; i < LIMIT; i++) {
      const res = await limited.get('/Users', { authorization: null, ...from(attacker, wrong(server)) });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(LIMIT).fill(401));
    // Past the free ones, each was answered 100 ms more slowly than the one before.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);

    // One failure is forgiven every 2 s, so on a slow machine a try or two more may still be a 401.
    let refused = await limited.get('/Users', { authorization: null, ...from(attacker, wrong(server)) });
    for (let i = 0; i < 3 && refused.status === 401; i++) {
      refused = await limited.get('/Users', { authorization: null, ...from(attacker, wrong(server)) });
    }
    expectScimError(refused, 429);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

    // Another address is not affected: its valid credential works, its wrong one is a plain 401.
    expect((await limited.get('/Users', from('198.51.100.7'))).status).toBe(200);
    expectScimError(await limited.get('/Users', { authorization: null, ...from('198.51.100.8', wrong(server)) }), 401);
    // Without the proxy header, the test's own address is yet another one.
    expect((await limited.get('/Users')).status).toBe(200);
  });
});
