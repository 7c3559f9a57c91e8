// Constant-time comparison of a presented secret with the configured one. The presented value
// is written into a buffer of fixed size, one byte longer than the secret, so timingSafeEqual
// always compares the same number of bytes whatever was sent. No hashing: this runs on every
// request, and a hash costs more than the rest of authentication.

import { timingSafeEqual } from 'node:crypto';

/** A matcher for one configured secret. Synchronous, so one scratch buffer serves every call. */
export function secretMatcher(expected: string): (presented: string) => boolean {
  const length = Buffer.byteLength(expected, 'utf8');
  // The secret then a zero byte: a presented value with the secret as its prefix differs there.
  const wanted = Buffer.alloc(length + 1);
  wanted.write(expected, 'utf8');
  const scratch = Buffer.alloc(length + 1);
  return (presented) => {
    scratch.fill(0);
    // Longer input is cut at the buffer's end (or before a character that does not fit), so a
    // match of the bytes compared is only a match when the whole input is that long.
    scratch.write(presented, 'utf8');
    return timingSafeEqual(scratch, wanted) && Buffer.byteLength(presented, 'utf8') === length;
  };
}

/** One header's value as a string: absent or repeated headers are no credential. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
