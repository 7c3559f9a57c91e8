// Helpers of the static-credential auth modes: reading a header, and the `.env` token every
// project made before tenants has (imported at start as tenant 1's first credential).

import { timingSafeEqual } from 'node:crypto';
import { requireSecret } from './config.js';
import { secretMaterial, type EnvCredential } from './credentials.js';

/**
 * A matcher for one configured secret (the admin token): constant time whatever was sent. The
 * presented value is written into a buffer of fixed size, one byte longer than the secret, so
 * timingSafeEqual always compares the same number of bytes.
 */
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

/**
 * The token in `variable` as an env credential. Required in a single-tenant project (as it always
 * was); optional in a multi-tenant one, whose tenants get their tokens from `npm run tenant`.
 */
export function envToken(env: NodeJS.ProcessEnv, variable: string, tenancy: 'single' | 'multi'): EnvCredential | undefined {
  if (tenancy === 'multi' && !env[variable]?.trim()) return undefined;
  return { variable, kind: 'token', material: secretMaterial.token(requireSecret(env, variable)) };
}
