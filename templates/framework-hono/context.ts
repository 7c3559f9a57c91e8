// What every handler of the Hono app can rely on: Node's request (from @hono/node-server) and
// the per-request values middleware may set. A host app that sets none of them still works: the
// SCIM sub-app falls back to its own logger and the request's x-request-id.

import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { Principal } from '../scim/credentials.js';
import type { HookLogger } from '../scim/hooks.js';

export interface AppEnv {
  Bindings: HttpBindings;
  Variables: {
    /** The client's x-request-id, else a fresh UUID (hono/request-id sets it too). */
    requestId?: string;
    /** The server's logger bound to this request's id. */
    log?: HookLogger;
    /** The parsed JSON body of a SCIM request; undefined when there is none. */
    body: unknown;
    /** Who the SCIM sub-app's authentication let in. */
    principal?: Principal;
  };
}

/**
 * An X-Forwarded-* value, only when a trusted proxy set it. The last entry counts, as in
 * Fastify: it is the one the nearest proxy wrote.
 */
function forwarded(c: Context<AppEnv>, name: string, trustProxy: boolean): string | undefined {
  const value = trustProxy ? c.req.header(name) : undefined;
  return value ? value.slice(value.lastIndexOf(',') + 1).trim() : undefined;
}

/** Scheme, host and port as the client sees them, e.g. "https://scim.example.com". */
export function clientOrigin(c: Context<AppEnv>, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const protocol = forwarded(c, 'x-forwarded-proto', trustProxy) ?? url.protocol.slice(0, -1);
  const host = forwarded(c, 'x-forwarded-host', trustProxy) ?? c.req.header('host') ?? url.host;
  return `${protocol}://${host}`;
}

/** The client's address: behind a trusted proxy, the first X-Forwarded-For entry. */
export function clientAddress(c: Context<AppEnv>, trustProxy: boolean): string | undefined {
  const forwardedFor = trustProxy ? c.req.header('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwardedFor || c.env.incoming.socket.remoteAddress;
}
