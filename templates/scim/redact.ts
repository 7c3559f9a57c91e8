// Request URLs as logs may show them: no personal data, no secrets. Query strings carry both:
// a filter's values are userNames and e-mail addresses, and a careless client may put an OAuth
// client_secret or a token in the URL. Every framework's request log goes through redactUrl().
//
//   /scim/v2/Users?filter=userName eq "bjensen@example.com"&count=10
//   → /scim/v2/Users?filter=userName eq ***&count=10

/** Parameters whose values say how to page, sort and project, never who: logged as they are. */
const HARMLESS = new Set(['startindex', 'count', 'sortby', 'sortorder', 'attributes', 'excludedattributes']);
/** What replaces a value. */
export const REDACTED = '***';

const COMPARISON = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);
/** An attribute path (urn:...:User:name.givenName) or a keyword (and, or, not, pr, eq, ...). */
const NAME = /^[A-Za-z][A-Za-z0-9_\-:.$]*$/;
const LITERAL = /^(true|false|null)$/i;

/**
 * The URL (path and query string, as in a request line) with every query value replaced by ***,
 * except those of paging, sorting and projection parameters; a filter keeps its attribute names
 * and operators. The path is kept: SCIM paths hold resource ids, not personal data.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const hash = url.indexOf('#', start);
  const query = url.slice(start + 1, hash === -1 ? undefined : hash);
  const parts = query.split('&').map((part) => {
    if (part === '') return part;
    const equals = part.indexOf('=');
    const rawName = equals === -1 ? part : part.slice(0, equals);
    if (equals === -1) return rawName;
    const name = decode(rawName);
    const value = decode(part.slice(equals + 1));
    if (HARMLESS.has(name.toLowerCase())) return `${rawName}=${part.slice(equals + 1)}`;
    if (name.toLowerCase() === 'filter') return `${rawName}=${redactFilter(value)}`;
    return `${rawName}=${REDACTED}`;
  });
  return `${url.slice(0, start)}?${parts.join('&')}`;
}

/**
 * A SCIM filter (RFC 7644 §3.4.2.2) with its values replaced: quoted strings, numbers, true,
 * false, null, whatever follows a comparison operator, and any word that is not shaped like an
 * attribute name or keyword. What is left says what was asked, not about whom.
 */
export function redactFilter(filter: string): string {
  let out = '';
  let afterComparison = false;
  let i = 0;
  while (i < filter.length) {
    const char = filter[i]!;
    if (/[\s()[\]]/.test(char)) {
      out += char;
      i++;
      continue;
    }
    if (char === '"') {
      // To the closing quote (escapes skipped), or to the end when there is none.
      i++;
      while (i < filter.length && filter[i] !== '"') i += filter[i] === '\\' ? 2 : 1;
      i++;
      out += REDACTED;
      afterComparison = false;
      continue;
    }
    let end = i;
    while (end < filter.length && !/[\s()[\]"]/.test(filter[end]!)) end++;
    const word = filter.slice(i, end);
    const isName = NAME.test(word) && !LITERAL.test(word);
    out += isName && !afterComparison ? word : REDACTED;
    afterComparison = isName && !afterComparison && COMPARISON.has(word.toLowerCase());
    i = end;
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * A pino serializer for the `req` of log lines: the same object with its `url` redacted. Give
 * it to pino as `serializers: { req: redactLoggedRequest }`; child loggers inherit it.
 */
export function redactLoggedRequest<T>(req: T): T {
  if (typeof req !== 'object' || req === null) return req;
  const url = (req as { url?: unknown }).url;
  return typeof url === 'string' ? { ...req, url: redactUrl(url) } : req;
}
