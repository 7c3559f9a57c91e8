// The per-credential rate limit, against a server started with a low one: past the burst the
// server answers 429 with a SCIM error and an integer Retry-After (what Okta waits before it
// retries), and after waiting that long the same credential is served again. The defaults
// (SCIM_RATE_LIMIT_PER_SECOND, SCIM_RATE_LIMIT_BURST) are far above what Okta and Entra ID send.

import { describe, expect, it } from 'vitest';
import { useScimServer } from './helpers/server.js';
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
