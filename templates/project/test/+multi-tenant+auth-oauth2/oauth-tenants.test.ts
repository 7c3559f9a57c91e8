// OAuth 2.0 per tenant: each tenant's own client goes through the authorization code flow (the
// consent form, approved with that client's secret) and refreshes its tokens, and everything it
// obtains works on its own tenant's URL only. Another tenant's client cannot spend its code or
// refresh token; RFC 7009 revocation and revoking the credential end its tokens at once.

import { createHash, randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIRECT_URI } from '../src/generated/auth/testing.js';
import type { IssuedCredential } from '../src/generated/scim/admin.js';
import { expectScimError, scim, type Json } from './helpers/scim.js';
import { useScimServer } from './helpers/server.js';
import { adminClient, newAdminToken, onServer } from './helpers/tenants.js';

type Slug = 'acme' | 'globex';

describe('OAuth 2.0 clients of each tenant', () => {
  const { server } = useScimServer({ SCIM_ADMIN_TOKEN: newAdminToken() });
  const tenants = {} as Record<Slug, { baseUrl: string; client: IssuedCredential }>;

  beforeAll(async () => {
    for (const slug of ['acme', 'globex'] as const) {
      const created = await adminClient(server).addTenant(slug, { idp: 'okta' });
      expect(created.credential.clientId).toBeTruthy();
      tenants[slug] = { baseUrl: onServer(server, created.baseUrl), client: created.credential };
    }
  });

  const basic = (c: IssuedCredential) => `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`;

  async function form(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
    const response = await fetch(server.origin + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params),
    });
    const text = await response.text();
    let body: Json = text;
    try {
      body = JSON.parse(text);
    } catch {
      // an HTML page or an empty body
    }
    return { status: response.status, headers: response.headers, body, text };
  }

  /** The browser part for a tenant's client: authorize, consent, approve with `secret`. */
  async function consent(client: IssuedCredential, secret = client.clientSecret!) {
    const verifier = randomBytes(32).toString('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: client.clientId!,
      redirect_uri: TEST_REDIRECT_URI,
      state: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const page = await fetch(`${server.origin}/oauth/authorize?${query}`, { redirect: 'manual' });
    const html = await page.text();
    expect(page.status, html).toBe(200);
    // A tenant's client is approved with its own secret, not the operator's admin password.
    expect(html).toContain('name="client_secret"');
    expect(html).not.toContain('name="username"');
    const formToken = /name="request" value="([^"]+)"/.exec(html)![1]!;
    const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const answer = await form('/oauth/authorize', { request: formToken, client_secret: secret, decision: 'approve' }, { cookie });
    return { answer, verifier };
  }

  /** Code flow to the end: the token response of the tenant's client. */
  async function authorizationCode(client: IssuedCredential) {
    const { answer, verifier } = await consent(client);
    expect(answer.status, answer.text).toBe(303);
    const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
    expect(code).toBeTruthy();
    const tokens = await form(
      '/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier },
      { authorization: basic(client) },
    );
    expect(tokens.status, tokens.text).toBe(200);
    expect(tokens.body.refresh_token).toBeTruthy();
    return { code, verifier, access: tokens.body.access_token as string, refresh: tokens.body.refresh_token as string };
  }

  const users = (slug: Slug, accessToken: string) =>
    scim({ ...server, baseUrl: tenants[slug].baseUrl }).get('/Users', { authorization: `Bearer ${accessToken}` });
  const refresh = (client: IssuedCredential, refreshToken: string) =>
    form('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken }, { authorization: basic(client) });

  it("authorization code and refresh on acme's URL work, and are refused on globex's", async () => {
    const { acme, globex } = tenants;
    const first = await authorizationCode(acme.client);
    expect((await users('acme', first.access)).status).toBe(200);
    // Another tenant's URL answers as a wrong token would.
    expectScimError(await users('globex', first.access), 401);

    const refreshed = await refresh(acme.client, first.refresh);
    expect(refreshed.status, refreshed.text).toBe(200);
    expect((await users('acme', refreshed.body.access_token)).status).toBe(200);
    expectScimError(await users('globex', refreshed.body.access_token), 401);
    // Rotation: the spent refresh token is dead.
    expect((await refresh(acme.client, first.refresh)).body.error).toBe('invalid_grant');

    // globex's client can spend neither acme's code nor acme's refresh token.
    const again = await authorizationCode(acme.client);
    const foreign = await refresh(globex.client, again.refresh);
    expect(foreign.status, foreign.text).toBe(400);
    expect(foreign.body.error).toBe('invalid_grant');
    expect((await refresh(acme.client, again.refresh)).status).toBe(200);
    const { answer, verifier } = await consent(acme.client);
    const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
    const stolen = await form(
      '/oauth/token',
      { grant_type: 'authorization_code', code, redirect_uri: TEST_REDIRECT_URI, code_verifier: verifier },
      { authorization: basic(globex.client) },
    );
    expect(stolen.body.error).toBe('invalid_grant');
  });

  it('refuses approval with a wrong secret or another tenant\'s secret, issuing no code', async () => {
    for (const secret of ['scim_wrong', tenants.globex.client.clientSecret!]) {
      const { answer } = await consent(tenants.acme.client, secret);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('location')).toBeNull();
      expect(answer.text).toContain('The client secret is wrong');
    }
  });

  it('ends the tokens with RFC 7009 revocation, and all of them with the credential', async () => {
    const { acme } = tenants;
    const revoked = await authorizationCode(acme.client);
    expect((await form('/oauth/revoke', { token: revoked.refresh }, { authorization: basic(acme.client) })).status).toBe(200);
    expectScimError(await users('acme', revoked.access), 401);
    expect((await refresh(acme.client, revoked.refresh)).body.error).toBe('invalid_grant');

    // A second client of acme: revoking it through the admin API ends its access and refresh tokens.
    const second = await adminClient(server).addCredential('acme', { label: 'rotation' });
    const live = await authorizationCode(second);
    expect((await users('acme', live.access)).status).toBe(200);
    const res = await adminClient(server).request('DELETE', `/tenants/acme/credentials/${second.id}`);
    expect(res.status).toBe(204);
    expectScimError(await users('acme', live.access), 401);
    expect((await refresh(second, live.refresh)).status).toBe(401);
    // acme's first client is untouched.
    expect((await users('acme', (await authorizationCode(acme.client)).access)).status).toBe(200);
  });
});
