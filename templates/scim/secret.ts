// Constant-time comparison of a presented secret with the configured one. Both sides are
// hashed first, so the buffers have equal length and timingSafeEqual leaks neither content
// nor length.

import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** A matcher for one configured secret; the secret itself is not kept. */
export function secretMatcher(expected: string): (presented: string) => boolean {
  const wanted = digest(expected);
  return (presented) => timingSafeEqual(digest(presented), wanted);
}

/** One header's value as a string: absent or repeated headers are no credential. */
export function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
