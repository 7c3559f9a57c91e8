// The base URL under check: placeholders filled from the environment, refused when it would
// send credentials in clear text to another machine.

/** `{NAME}` or `{NAME:-default}` in a URL, filled from the environment (and --env-file). */
export function expandPlaceholders(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (whole, name: string, fallback?: string) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new TargetError(`The URL names {${name}}, which is not set in the environment or --env-file.`);
  });
}

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** 127.0.0.0/8, ::1 and localhost: plain HTTP there never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * The base URL as a URL without query or fragment and without a trailing slash. Entra ID's
 * tenant URL may carry `?aadOptscim062020`: that flag changes what Entra sends, not the server,
 * so it is dropped (both dialects are checked anyway).
 */
export function parseBaseUrl(text: string, what = 'The base URL'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TargetError(`${what} "${text}" is not a URL: expected e.g. https://scim.example.com/scim/v2.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TargetError(`${what} "${text}" is not an http(s) URL: expected e.g. https://scim.example.com/scim/v2.`);
  }
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

/** Why sending credentials to `url` is refused, or undefined when it is fine. */
export function insecureProblem(url: URL, allowInsecure: boolean, what = 'the server'): string | undefined {
  if (url.protocol === 'https:' || allowInsecure || isLoopback(url.hostname)) return undefined;
  return (
    `Refusing plain http:// to ${url.host}: credentials and user data would cross the network unencrypted to ${what}. ` +
    'Use https://, or pass --allow-insecure if this network is trusted.'
  );
}
