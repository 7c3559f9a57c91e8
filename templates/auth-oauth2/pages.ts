// The pages a person sees: the sign-in-and-consent form where the customer admin lets an identity
// provider in, and the error page shown when a request cannot safely go back to its client.
// Server-rendered, no script, no external asset; the headers forbid framing (clickjacking on the
// Approve button), caching, and loading anything but the page's own stylesheet.

import { createHash } from 'node:crypto';
import type { PlainResponse } from '../scim/auth.js';
import { NO_STORE } from './http.js';

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #fff; border-radius: 8px; box-shadow: 0 1px 4px rgb(0 0 0 / 15%); }
  h1 { font-size: 1.4rem; margin-top: 0; }
  ul { padding-left: 1.2rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font: inherit; }
  .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
  button { flex: 1; padding: .6rem; font: inherit; border-radius: 4px; border: 1px solid #1d4ed8; cursor: pointer; }
  button[value=approve] { background: #1d4ed8; color: #fff; }
  button[value=deny] { background: #fff; color: #1d4ed8; }
  .error { padding: .75rem; background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px; }
  .muted { color: #5b6475; font-size: .9rem; }
`;
/** The inline stylesheet is allowed by its hash, so the policy needs no 'unsafe-inline'. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(status: number, title: string, content: string, options: { formTarget?: string; cookie?: string } = {}): PlainResponse {
  // form-action also governs where the form's redirect may lead, so it names the client's origin.
  const formAction = options.formTarget ? `'self' ${options.formTarget}` : `'none'`;
  const headers: Record<string, string> = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': `default-src 'none'; style-src ${STYLE_HASH}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...NO_STORE,
  };
  if (options.cookie) headers['set-cookie'] = options.cookie;
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${content}
</main>
</body>
</html>
`;
  return { status, headers, body };
}

export interface ConsentView {
  clientName: string;
  redirectUri: string;
  scope: string;
  /** The signed form token that carries the authorization request. */
  formToken: string;
  /** Who signs in: the customer admin, or the holder of a tenant's client secret. */
  approver: 'admin' | 'client-secret';
  error?: string;
  /** Set-Cookie for the browser-bound half of the CSRF check. */
  cookie?: string;
}

const ADMIN_FIELDS = `<label for="username">Administrator user name</label>
<input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>`;

/** A tenant's client: the secret given with its client id when the connection was created. */
const CLIENT_SECRET_FIELD = `<label for="client_secret">Client secret of this connection</label>
<input id="client_secret" name="client_secret" type="password" autocomplete="off" required>`;

export function consentPage(view: ConsentView): PlainResponse {
  const client = escapeHtml(view.clientName);
  const returnTo = new URL(view.redirectUri);
  const content = `
${view.error ? `<p class="error" role="alert">${escapeHtml(view.error)}</p>` : ''}
<p><strong>${client}</strong> asks to provision accounts in this application. If you approve, it can:</p>
<ul>
<li>create, read, update and deactivate users;</li>
<li>create, update and delete groups and their members.</li>
</ul>
<p class="muted">Requested access: <code>${escapeHtml(view.scope)}</code>. You will return to ${escapeHtml(returnTo.host)}.</p>
<form method="post" action="authorize">
<input type="hidden" name="request" value="${escapeHtml(view.formToken)}">
${view.approver === 'admin' ? ADMIN_FIELDS : CLIENT_SECRET_FIELD}
<div class="actions">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</div>
</form>`;
  return page(200, `Authorize ${view.clientName}`, content, { formTarget: returnTo.origin, cookie: view.cookie });
}

export function errorPage(status: number, title: string, detail: string): PlainResponse {
  return page(status, title, `<p>${escapeHtml(detail)}</p>`);
}
