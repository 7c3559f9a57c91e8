// Cursors for RFC 9865 pagination: a keyset position sealed with an HMAC, so a client can hold
// it but neither read meaning into it nor forge one. A cursor is bound to the tenant, the resource
// type and the query (filter, sortBy, sortOrder) it was issued for, and expires after a timeout.
//
// The key comes from SCIM_CURSOR_SECRET. Without it each process draws a random key at start:
// cursors then stop working after a restart and are refused by other replicas behind a load
// balancer (the client gets 400 invalidCursor and starts its walk again).

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest } from './errors.js';
import type { AttrPath, Filter } from './filter/ast.js';
import type { KeysetPosition } from './store.js';
import type { TenantKey } from './tenancy.js';

/** What a cursor must match: the query it continues. */
export interface CursorScope {
  /** The tenant whose URL the walk runs on: a cursor from another tenant's walk is refused. */
  tenant: TenantKey;
  resourceType: string;
  filter?: Filter;
  sortBy?: AttrPath;
  sortOrder: 'ascending' | 'descending';
}

interface Payload {
  /** Tenant key. */
  n: TenantKey;
  /** Resource type name. */
  t: string;
  /** Fingerprint of filter and sort. */
  q: string;
  /** Expiry, seconds since the epoch. */
  e: number;
  /** The keyset position of the last resource returned. */
  p: KeysetPosition;
}

/** Bytes of HMAC-SHA256 kept: 128 bits is far beyond what guessing within a timeout can reach. */
const MAC_BYTES = 16;
/** Longer input is no cursor of ours; refused before any decoding work. */
const MAX_CURSOR_LENGTH = 4096;

export class CursorCodec {
  private readonly key: Buffer;

  /**
   * @param secret the key; a random one per process when undefined (see the file comment).
   * @param timeoutSeconds how long a cursor stays valid (ServiceProviderConfig cursorTimeout).
   * @param now the clock, in milliseconds; tests move it.
   */
  constructor(
    secret: string | undefined,
    readonly timeoutSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = secret ? createHash('sha256').update(`scim-cursor\0${secret}`).digest() : randomBytes(32);
  }

  /** A cursor continuing `scope` after `position`; characters from RFC 3986's unreserved set only. */
  encode(scope: CursorScope, position: KeysetPosition): string {
    const payload: Payload = {
      n: scope.tenant,
      t: scope.resourceType,
      q: fingerprint(scope),
      e: Math.floor(this.now() / 1000) + this.timeoutSeconds,
      p: position,
    };
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.mac(body).toString('base64url')}`;
  }

  /**
   * The position a cursor continues from. Throws 400 `invalidCursor` for anything this server
   * did not issue for this query (altered, from another tenant, resource type, filter or sort) and 400
   * `expiredCursor` for one older than the timeout.
   */
  decode(cursor: string, scope: CursorScope): KeysetPosition {
    const invalid = (why: string) =>
      badRequest('invalidCursor', `The cursor is not valid ${why}. Send an empty cursor to start from the first page, then the nextCursor of the previous response.`);
    const dot = cursor.indexOf('.');
    if (cursor.length > MAX_CURSOR_LENGTH || dot < 0) throw invalid('(not a cursor issued by this server)');
    const body = cursor.slice(0, dot);
    const presented = Buffer.from(cursor.slice(dot + 1), 'base64url');
    const expected = this.mac(body);
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw invalid('(altered, or issued by another server or before a restart)');
    }
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Payload;
    // The same words as a forged cursor: nothing is said about the other tenant.
    if (payload.n !== scope.tenant) throw invalid('(altered, or issued by another server or before a restart)');
    if (payload.t !== scope.resourceType) throw invalid(`for ${scope.resourceType} (it was issued for ${payload.t})`);
    if (payload.q !== fingerprint(scope)) {
      throw invalid('for this query: filter, sortBy and sortOrder must be those of the first request');
    }
    if (payload.e * 1000 < this.now()) {
      throw badRequest('expiredCursor', `The cursor has expired: request the next page within ${this.timeoutSeconds} seconds (cursorTimeout).`);
    }
    return payload.p;
  }

  private mac(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}

/** The parts of a query that decide the order and content of a walk. */
function fingerprint(scope: CursorScope): string {
  const text = JSON.stringify([scope.filter ?? null, scope.sortBy ?? null, scope.sortOrder]);
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}
