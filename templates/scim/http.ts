// The contract of an HTTP adapter (Fastify, Express, Hono): what it is given and what it returns.

import type { Authenticator } from './auth.js';
import type { ScimService } from './service.js';

export interface HttpServerOptions {
  service: ScimService;
  authenticator: Authenticator;
  /** e.g. "/scim/v2" */
  basePath: string;
  /** Largest accepted request body in bytes; larger ones get 413. */
  bodyLimit: number;
  logLevel: string;
  /** Public URL of the base path for Location and meta.location, when behind a proxy. */
  publicUrl?: string;
  /** Trust X-Forwarded-* headers (only behind a proxy you control). */
  trustProxy: boolean;
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
