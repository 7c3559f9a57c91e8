// The API reference: openapi.json (written beside package.json by the generator) and a page
// that renders it with Swagger UI, served from the swagger-ui-dist package in node_modules: no
// CDN, so it works offline and behind a firewall. Framework-neutral routes, mounted by every
// HTTP adapter beside the auth mode's own, outside the SCIM base path and without credentials
// (the document describes the API; it holds no data).
//
// SCIM_DOCS=on|off; when unset, on unless NODE_ENV=production.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HttpRoute, PlainResponse } from './scim/auth.js';

/** Where the page is; the document is at `${DOCS_PATH}/openapi.json`. */
export const DOCS_PATH = '/docs';

// Two levels up from src/generated (or dist/generated) is the project root.
const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

export class DocsConfigError extends Error {}

/** Whether the docs are served: SCIM_DOCS=on|off, else on outside production. */
export function docsEnabled(env: NodeJS.ProcessEnv): boolean {
  const value = env.SCIM_DOCS?.trim().toLowerCase();
  if (!value) return env.NODE_ENV !== 'production';
  if (['on', 'true', '1', 'yes'].includes(value)) return true;
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  throw new DocsConfigError(`SCIM_DOCS must be "on" or "off", got ${JSON.stringify(env.SCIM_DOCS)}`);
}

export interface DocsOptions {
  env: NodeJS.ProcessEnv;
  /** The SCIM base path, e.g. "/scim/v2": the document's server URL ends with it. */
  basePath: string;
  /** SCIM_PUBLIC_URL, when set: the server URL the page's "Try it out" calls. */
  publicUrl?: string;
  /** For tests: another openapi.json. */
  openapiFile?: string;
}

/** The docs routes, or none when SCIM_DOCS is off. Reads the files once, at start. */
export function docsRoutes(options: DocsOptions): HttpRoute[] {
  if (!docsEnabled(options.env)) return [];
  const document = JSON.parse(readFileSync(options.openapiFile ?? OPENAPI_FILE, 'utf8')) as Record<string, unknown>;
  const ui = swaggerUiDir();
  const asset = (file: string, type: string): HttpRoute => {
    const body = readFileSync(join(ui, file), 'utf8');
    return get(`${DOCS_PATH}/${file}`, () => ({ status: 200, headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' }, body }));
  };
  return [
    get(DOCS_PATH, () => ({ status: 200, headers: { ...HTML_HEADERS }, body: PAGE })),
    get(`${DOCS_PATH}/openapi.json`, (origin) => {
      // The server the page calls is the one serving it (or its public URL behind a proxy).
      const servers = [{ url: (options.publicUrl ?? origin + options.basePath).replace(/\/+$/, ''), description: 'This server' }];
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ ...document, servers }) };
    }),
    get(`${DOCS_PATH}/init.js`, () => ({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8' }, body: INIT })),
    asset('swagger-ui-bundle.js', 'text/javascript; charset=utf-8'),
    asset('swagger-ui.css', 'text/css; charset=utf-8'),
  ];
}

function get(path: string, answer: (origin: string) => PlainResponse): HttpRoute {
  return { method: 'GET', path, handle: async (request) => answer(request.origin) };
}

function swaggerUiDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  } catch {
    throw new DocsConfigError('The API docs need the swagger-ui-dist package: run npm install, or set SCIM_DOCS=off');
  }
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // Only this server's own scripts and styles; the page calls nothing else.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'",
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>SCIM API reference</title>
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
  </head>
  <body>
    <div id="docs"></div>
    <script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
    <script src="${DOCS_PATH}/init.js"></script>
  </body>
</html>
`;

// validatorUrl: null keeps the page from sending the document to an online validator.
const INIT = `window.ui = SwaggerUIBundle({
  url: '${DOCS_PATH}/openapi.json',
  dom_id: '#docs',
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: false,
});
`;
