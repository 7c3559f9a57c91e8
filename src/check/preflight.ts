// Before any check: is this a SCIM server we can talk to? A wrong URL, a dead server, an HTML
// page or a refused credential each end the run with one line that says what to do, instead
// of forty failed checks.

import type { Authenticator } from './auth.js';
import { URN, type Json } from './check.js';
import type { Response, ScimHttp } from './http.js';

export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}

const isHtml = (res: Response) => /text\/html/i.test(res.contentType) || /^\s*<(!doctype|html)/i.test(res.text);
const isList = (res: Response) => res.status === 200 && Array.isArray((res.body as Json | undefined)?.schemas) && (res.body as Json).schemas.includes(URN.listResponse);
const isScimJson = (res: Response) => typeof res.body === 'object' && res.body !== null && Array.isArray((res.body as Json).schemas);

/** Throws PreflightError (or TransportError) when the run cannot go on. */
export async function preflight(http: ScimHttp, auth: Authenticator): Promise<void> {
  const url = http.baseUrl.href;
  const spc = await http.request('GET', '/ServiceProviderConfig');
  if (spc.status >= 300 && spc.status < 400) {
    const to = spc.headers.get('location');
    throw new PreflightError(`${url}/ServiceProviderConfig redirects (${spc.status}${to ? ` to ${to}` : ''}): give the final URL; identity providers do not follow redirects.`);
  }
  if (isHtml(spc)) {
    throw new PreflightError(
      `${url} answers with an HTML page (${spc.status}), not SCIM JSON. Give the SCIM base URL itself, e.g. https://host/scim/v2.`,
    );
  }
  if (spc.status === 401 || spc.status === 403) {
    const users = await http.request('GET', '/Users', { query: { count: 1 } });
    if (users.status === 401 || users.status === 403) {
      throw new PreflightError(
        auth.kind === 'none'
          ? `${url} asks for credentials (${users.status}): give them with --token-env, --header, --basic-env or --oauth-token-url (see --help).`
          : `${url} refused the credentials (${users.status}) with ${auth.description}: check the secret, and the mode (--header for a raw token).`,
      );
    }
    return;
  }
  if (spc.status === 200 && isScimJson(spc)) return;
  // Some servers have no /ServiceProviderConfig; a ListResponse from /Users still makes a SCIM server.
  const users = await http.request('GET', '/Users', { query: { count: 1 } });
  if (isList(users)) return;
  if (users.status === 401 || users.status === 403) {
    throw new PreflightError(`${url} refused the credentials (${users.status}) with ${auth.description}: check the secret, and the mode (--header for a raw token).`);
  }
  throw new PreflightError(
    `${url} does not look like a SCIM 2.0 server: GET /ServiceProviderConfig answered ${spc.status}${spc.body === undefined ? ' (not JSON)' : ''} ` +
      `and GET /Users answered ${users.status}${users.body === undefined ? ' (not JSON)' : ''}. Give the SCIM base URL, e.g. https://host/scim/v2.`,
  );
}
