// The cursor codec (templates/scim/cursor.ts): cursors round-trip, use only RFC 3986 unreserved
// characters, and are refused when altered, expired, foreign to the query or from another key.

import { describe, expect, it } from 'vitest';
import { CursorCodec, type CursorScope } from '../../../templates/scim/cursor.js';
import { ScimError } from '../../../templates/scim/errors.js';
import { parseAttrPath, parseFilter } from '../../../templates/scim/filter/parse.js';

const scope: CursorScope = {
  tenant: 1,
  resourceType: 'User',
  filter: parseFilter('userName sw "a"'),
  sortBy: parseAttrPath('userName'),
  sortOrder: 'ascending',
};
const position = ['alice', '2026-01-01T00:00:00.000Z', '6f1c0e3a-0000-4000-8000-000000000000'];

function refusal(work: () => unknown): ScimError {
  try {
    work();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError');
}

describe('cursor codec', () => {
  it("is refused on another tenant's URL, in the words of a forged cursor", () => {
    const codec = new CursorCodec('a secret long enough to be a key', 600);
    const cursor = codec.encode(scope, position);
    const foreign = refusal(() => codec.decode(cursor, { ...scope, tenant: 2 }));
    expect(foreign).toMatchObject({ status: 400, scimType: 'invalidCursor' });
    const forged = refusal(() => codec.decode(`${cursor.slice(0, cursor.indexOf('.'))}.AAAAAAAAAAAAAAAAAAAAAA`, scope));
    expect(foreign.message).toBe(forged.message);
    expect(codec.decode(cursor, { ...scope, tenant: 1 })).toEqual(position);
  });

  it('round-trips a position, in RFC 3986 unreserved characters only', () => {
    const codec = new CursorCodec('a secret long enough to be a key', 600);
    const cursor = codec.encode(scope, position);
    expect(cursor).toMatch(/^[A-Za-z0-9._~-]+$/);
    expect(codec.decode(cursor, { ...scope, filter: parseFilter('userName sw "a"') })).toEqual(position);
  });

  it('is readable by another process with the same secret, not with another one', () => {
    const cursor = new CursorCodec('shared secret', 600).encode(scope, position);
    expect(new CursorCodec('shared secret', 600).decode(cursor, scope)).toEqual(position);
    expect(refusal(() => new CursorCodec('other secret', 600).decode(cursor, scope))).toMatchObject({ status: 400, scimType: 'invalidCursor' });
    // Without a secret, each codec draws its own key: a restart invalidates cursors.
    expect(refusal(() => new CursorCodec(undefined, 600).decode(new CursorCodec(undefined, 600).encode(scope, position), scope)))
      .toMatchObject({ scimType: 'invalidCursor' });
  });

  it('refuses a tampered cursor: payload or MAC changed, truncated, garbage', () => {
    const codec = new CursorCodec('secret', 600);
    const cursor = codec.encode(scope, position);
    const [body, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), p: ['zzz', '', ''] })).toString('base64url');
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    for (const bad of [`${forged}.${mac}`, `${body}.${flip(mac)}`, `${flip(body)}.${mac}`, body, `${body}.`, 'abc', '.', 'x'.repeat(5000)]) {
      expect(refusal(() => codec.decode(bad, scope))).toMatchObject({ status: 400, scimType: 'invalidCursor' });
    }
  });

  it('refuses a cursor of another resource type, filter, sortBy or sortOrder', () => {
    const codec = new CursorCodec('secret', 600);
    const cursor = codec.encode(scope, position);
    for (const other of [
      { ...scope, resourceType: 'Group' },
      { ...scope, filter: parseFilter('userName sw "b"') },
      { ...scope, filter: undefined },
      { ...scope, sortBy: parseAttrPath('title') },
      { ...scope, sortOrder: 'descending' as const },
    ]) {
      expect(refusal(() => codec.decode(cursor, other))).toMatchObject({ status: 400, scimType: 'invalidCursor' });
    }
  });

  it('expires after the timeout with 400 expiredCursor, and not before', () => {
    let now = Date.parse('2026-06-01T00:00:00Z');
    const codec = new CursorCodec('secret', 600, () => now);
    const cursor = codec.encode(scope, position);
    now += 600_000;
    expect(codec.decode(cursor, scope)).toEqual(position);
    now += 1_000;
    expect(refusal(() => codec.decode(cursor, scope))).toMatchObject({ status: 400, scimType: 'expiredCursor' });
  });
});
