// The contract of an HTTP adapter's standalone server (Fastify, Express, Hono, ...): what it is
// given and what it returns. The server mounts the adapter's SCIM unit (built from ScimEndpoints,
// see routes.ts) at the base path, beside the auth mode's routes and /health.

import type { HttpLimits } from './config.js';
import type { ScimEndpoints } from './routes.js';

export interface HttpServerOptions {
  scim: ScimEndpoints;
  /** Where the SCIM endpoints are mounted, e.g. "/scim/v2". */
  basePath: string;
  logLevel: string;
  /** Trust X-Forwarded-* headers (only behind a proxy you control). */
  trustProxy: boolean;
  /** Header names holding credentials, redacted from logs. */
  secretHeaders: readonly string[];
  /** Timeouts of the node:http server; see http-limits.ts. */
  limits: HttpLimits;
  /** Health probe of the store. */
  ping(): Promise<void>;
}

export interface ScimHttpServer {
  /** Starts listening; resolves to the address, e.g. http://127.0.0.1:3000. */
  listen(port: number, host: string): Promise<string>;
  /** Stops accepting connections and waits for in-flight requests. */
  close(): Promise<void>;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}
