// Constant-time comparison of a presented secret with the configured one. Both sides are
// hashed first, so the buffers have equal length and timingSafeEqual leaks neither content
// nor length.

import { hash, timingSafeEqual } from 'node:crypto';

// One-shot hash: every request pays for this, and it is half the cost of a Hash object.
const digest = (value: string) => hash('sha256', value, 'buffer');

/** A matcher for one configured secret; the secret itself is not kept. */
export function secretMatcher(expected: string): (presented: string) => boolean {
  const wanted = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), wanted);
}

/** One header's value as a string: absent or repeated headers are no credential. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
