// The authorization endpoint (RFC 6749 §4.1) with PKCE (RFC 7636), and the consent form behind
// it. The client and its redirect URI are checked before anything is sent back to that URI:
// a request that fails there gets an error page, never a redirect to an unregistered address.
//
// Who approves: for a client of the environment, the customer admin (OAUTH_ADMIN_USERNAME and
// OAUTH_ADMIN_PASSWORD); for a tenant's own client, whoever holds that client's secret, which the
// tenant was given once at onboarding. Proving the secret grants nothing client_credentials would
// not, and the code, and the tokens it buys, are bound to that credential and so to its tenant.
//
// The form carries the authorization request in a short-lived token signed with a key derived
// from the admin password, or, in a project without one, from random bytes kept in the database's
// state (so every replica accepts it, and nothing per request is stored until the approval). The
// token is bound to a random cookie set with the form, so a form submitted from another browser or
// site is refused (CSRF).

import { hkdfSync, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { PlainRequest, PlainResponse } from '../scim/auth.js';
import type { KeyValueStore } from '../scim/key-value.js';
import { secretHash, secretMaterial, type CredentialChecker } from '../scim/credentials.js';
import { secretMatcher, singleHeader } from '../scim/secret.js';
import { SCOPE, type OAuthClient } from './config.js';
import { isForm, parseForm, readCookie, redirectTo } from './http.js';
import { consentPage, errorPage } from './pages.js';
import { sha256, type TokenStore } from './tokens.js';

const FORM_TTL = '10m';
const FORM_TYPE = 'oauth-consent+jwt';

export interface AuthorizeContext {
  clients: ReadonlyMap<string, OAuthClient>;
  /** Approves for the environment's clients; undefined when none has a redirect URI. */
  admin?: { username: string; password: string };
  /** Where the tenants' clients may return; empty when they use client_credentials only. */
  tenantRedirectUris: readonly string[];
  /** The tenants' clients, checked by their secret. */
  credentials: CredentialChecker;
  tokens: TokenStore;
  /** Keeps the form key of a project without an admin. */
  state: KeyValueStore;
  issuerOf(request: PlainRequest): string;
}

/** A client of the authorization request, and who approves for it. */
interface Requester {
  client: OAuthClient;
  approver: 'admin' | 'client-secret';
}

/** The shape of a tenant's client id: its slug, "-" and 8 random letters or digits (admin.ts). */
const TENANT_CLIENT_ID = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?-[a-z0-9]{8}$/;

/** The authorization request, as the consent form carries it. */
interface PendingRequest {
  clientId: string;
  redirectUri: string;
  redirectUriGiven: boolean;
  state?: string;
  codeChallenge?: string;
  /** SHA-256 of the CSRF cookie the form was served with. */
  csrf: string;
}

export function authorizeEndpoint(context: AuthorizeContext) {
  const derive = (material: string) => new Uint8Array(hkdfSync('sha256', material, 'scim-oauth2', 'consent form', 32));
  let formKey: Promise<Uint8Array> | undefined;
  const signingKey = () => (formKey ??= context.admin ? Promise.resolve(derive(context.admin.password)) : sharedFormKey(context.state).then(derive));
  const adminMatches = context.admin && secretMatcher(JSON.stringify([context.admin.username, context.admin.password]));

  /** An environment client with redirect URIs, else (by its id's shape) a tenant's client, else none. */
  const requester = (clientId: string | undefined): Requester | undefined => {
    const configured = context.clients.get(clientId ?? '');
    if (configured) return { client: configured, approver: 'admin' };
    if (!clientId || !TENANT_CLIENT_ID.test(clientId) || context.tenantRedirectUris.length === 0) return undefined;
    // Whether it exists is only learnt from its secret, on approval: no lookup by id, nothing told.
    const client: OAuthClient = { id: clientId, name: clientId, secret: 'stored as a hash', redirectUris: context.tenantRedirectUris };
    return { client, approver: 'client-secret' };
  };

  const signForm = async (pending: PendingRequest) =>
    new SignJWT({ ...pending })
      .setProtectedHeader({ alg: 'HS256', typ: FORM_TYPE })
      .setIssuedAt()
      .setExpirationTime(FORM_TTL)
      .sign(await signingKey());

  const readForm = async (token: string | undefined): Promise<PendingRequest | undefined> => {
    if (!token) return undefined;
    try {
      const { payload } = await jwtVerify<PendingRequest>(token, await signingKey(), { algorithms: ['HS256'], typ: FORM_TYPE });
      return payload;
    } catch {
      return undefined;
    }
  };

  /** GET /oauth/authorize: validate, then show the consent form. */
  async function show(request: PlainRequest): Promise<PlainResponse> {
    const query = Object.fromEntries(Object.entries(request.query).filter(([, v]) => v !== ''));
    const found = requester(query.client_id);
    if (!found) {
      return errorPage(400, 'Unknown client', 'The client_id of this request is not registered with this server.');
    }
    const { client, approver } = found;
    const redirectUri = query.redirect_uri ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
    if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
      return errorPage(
        400,
        'Redirect URI not allowed',
        query.redirect_uri
          ? `${query.redirect_uri} is not a registered redirect URI of ${client.name}. Add it to OAUTH_REDIRECT_URIS if it is yours.`
          : `The request names no redirect_uri, and ${client.name} does not have exactly one registered.`,
      );
    }

    const fail = (error: string, description: string) =>
      redirectTo(redirectUri, { error, error_description: description, state: query.state, iss: context.issuerOf(request) });
    if (query.response_type !== 'code') {
      return query.response_type
        ? fail('unsupported_response_type', 'Only response_type=code is supported')
        : fail('invalid_request', 'response_type is missing');
    }
    const challenge = query.code_challenge;
    if (challenge === undefined) {
      if (query.code_challenge_method) return fail('invalid_request', 'code_challenge_method without code_challenge');
      // Confidential clients may skip PKCE: Okta's SCIM client does not always send it.
      if (!client.secret) return fail('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256');
    } else {
      if (query.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
      if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) return fail('invalid_request', 'code_challenge is not a base64url SHA-256 hash');
    }

    // One cookie value per browser, kept across tabs so two open consent forms both stay valid;
    // sent again each time so it outlives the newest form.
    const name = cookieName(request);
    const existing = readCookie(request.headers, name);
    const csrf = existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomBytes(32).toString('base64url');
    const formToken = await signForm({
      clientId: client.id,
      redirectUri,
      redirectUriGiven: query.redirect_uri !== undefined,
      state: query.state,
      codeChallenge: challenge,
      csrf: sha256(csrf),
    });
    return consentPage({
      clientName: client.name,
      redirectUri,
      scope: SCOPE,
      formToken,
      approver,
      cookie: csrfCookie(request, csrf),
    });
  }

  /** POST /oauth/authorize: the admin's answer on the consent form. */
  async function decide(request: PlainRequest): Promise<PlainResponse> {
    const refused = () =>
      errorPage(403, 'Request expired', 'This form expired or was not sent from this browser. Start again from your identity provider.');
    // Browsers say where a submission comes from; a form posted from another site is refused outright.
    if (singleHeader(request.headers['sec-fetch-site']) === 'cross-site') return refused();
    if (!isForm(request)) return errorPage(400, 'Bad request', 'Expected a form submission.');
    const form = parseForm(request.body);
    if (!form.ok) return errorPage(400, 'Bad request', form.reason);
    const pending = await readForm(form.params.request);
    const cookie = readCookie(request.headers, cookieName(request));
    if (!pending || !cookie || sha256(cookie) !== pending.csrf) return refused();

    // The configuration may have changed since the form was shown.
    const found = requester(pending.clientId);
    if (!found || !found.client.redirectUris.includes(pending.redirectUri)) {
      return errorPage(400, 'Client not allowed', 'This client or its redirect URI is no longer registered.');
    }
    const { client, approver } = found;
    const back = (params: Record<string, string>) =>
      redirectTo(pending.redirectUri, { ...params, state: pending.state, iss: context.issuerOf(request) }, 303);

    const decision = form.params.decision;
    if (decision === 'deny') return back({ error: 'access_denied', error_description: 'The administrator denied access' });
    if (decision !== 'approve') return errorPage(400, 'Bad request', 'Choose Approve or Deny.');
    const again = (error: string) =>
      consentPage({ clientName: client.name, redirectUri: pending.redirectUri, scope: SCOPE, formToken: form.params.request!, approver, error });
    let credential: string | undefined;
    if (approver === 'admin') {
      const presented = JSON.stringify([form.params.username ?? '', form.params.password ?? '']);
      if (!adminMatches?.(presented)) return again('The user name or password is wrong.');
    } else {
      // The tenant's client proves its secret: the code is bound to that credential, and its tenant.
      const material = secretMaterial.oauthClient(client.id, form.params.client_secret ?? '');
      if (!(await context.credentials.check(material))) return again('The client secret is wrong, revoked or expired.');
      credential = secretHash(material);
    }
    const code = await context.tokens.issueCode({
      clientId: client.id,
      redirectUri: pending.redirectUri,
      redirectUriGiven: pending.redirectUriGiven,
      codeChallenge: pending.codeChallenge,
      scope: SCOPE,
      ...(credential ? { credential } : {}),
    });
    return back({ code });
  }

  return { show, decide };
}

const FORM_KEY = 'oauth2:consent-form-key';
const FOREVER = new Date('9999-12-31T00:00:00Z');

/** A random key shared by the replicas through the state; the first to start writes it. */
async function sharedFormKey(state: KeyValueStore): Promise<string> {
  const existing = await state.get(FORM_KEY);
  if (existing) return existing;
  await state.set(FORM_KEY, randomBytes(32).toString('base64url'), FOREVER);
  // Two replicas starting together both wrote: the last write is the key both read back.
  return (await state.get(FORM_KEY))!;
}

/** `__Host-` pins the cookie to this exact origin; browsers accept the prefix over HTTPS only. */
const cookieName = (request: PlainRequest) => (isHttps(request) ? '__Host-oauth_csrf' : 'oauth_csrf');
const isHttps = (request: PlainRequest) => request.origin.startsWith('https:');

function csrfCookie(request: PlainRequest, value: string): string {
  const secure = isHttps(request) ? '; Secure' : '';
  return `${cookieName(request)}=${value}; Path=/; Max-Age=600; HttpOnly; SameSite=Strict${secure}`;
}
