// Weak ETags from the resource version (RFC 7644 §3.14). A version is an integer bumped by
// every write, so the tag changes exactly when the resource does.

import { ScimError } from './errors.js';

export const etagOf = (version: number) => `W/"${version}"`;

/** Parses an If-Match / If-None-Match value: "*" or a list of (weak or strong) tags. */
function tags(header: string): string[] | '*' {
  if (header.trim() === '*') return '*';
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//i, ''))
    .filter((t) => t.length > 0);
}

const matches = (header: string, version: number) => {
  const list = tags(header);
  return list === '*' || list.includes(`"${version}"`);
};

/** Throws 412 unless an If-Match header (if any) names the current version. */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header !== undefined && !matches(header, version)) {
    throw new ScimError(412, `If-Match ${header} does not match the current version ${etagOf(version)}`);
  }
}

/** True when an If-None-Match header names the current version (answer 304). */
export const notModified = (header: string | undefined, version: number) =>
  header !== undefined && matches(header, version);
