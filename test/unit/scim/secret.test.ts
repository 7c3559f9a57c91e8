import { describe, expect, it } from 'vitest';
import { secretMatcher, singleHeader } from '../../../templates/scim/secret.js';

describe('secretMatcher', () => {
  const secret = 's3cret-tökén';
  const matches = secretMatcher(secret);

  it('accepts the secret itself, every time', () => {
    expect(matches(secret)).toBe(true);
    expect(matches(secret)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['one character changed', 's3cret-tökén'.replace('3', '4')],
    ['a prefix', 's3cret-tök'],
    ['the secret and one more character', `${secret}x`],
    ['the secret and a NUL', `${secret}\0`],
    ['the secret and a character too wide for the buffer', `${secret}€`],
    ['the secret twice', secret + secret],
    ['another case', secret.toUpperCase()],
    ['the same characters in another encoding', 's3cret-tökén'.normalize('NFD')],
  ])('refuses %s', (_name, presented) => {
    expect(matches(presented)).toBe(false);
  });

  it('keeps nothing from one call to the next', () => {
    // A longer value first leaves bytes behind in the scratch buffer unless each call clears it.
    expect(matches(`${secret}zz`)).toBe(false);
    expect(matches(secret.slice(0, -1))).toBe(false);
    expect(matches(secret)).toBe(true);
  });

  it('works for a one-character secret and keeps matchers apart', () => {
    const a = secretMatcher('a');
    expect(a('a')).toBe(true);
    expect(a('aa')).toBe(false);
    expect(a('')).toBe(false);
    expect(matches(secret)).toBe(true);
  });
});

describe('singleHeader', () => {
  it('takes one string value only', () => {
    expect(singleHeader('x')).toBe('x');
    expect(singleHeader(['x', 'y'])).toBeUndefined();
    expect(singleHeader(undefined)).toBeUndefined();
  });
});
