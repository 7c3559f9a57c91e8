// "Did you mean" hints for typos in schema files and config files.

/**
 * A likely intended value for a typo: the same letters in another case, or, for values of at
 * least `minLength` characters, a candidate at most two edits away.
 */
export function closest(value: string, candidates: readonly string[], minLength = 3): string | undefined {
  const lower = value.toLowerCase();
  const sameLetters = candidates.find((c) => c.toLowerCase() === lower);
  if (sameLetters || value.length < minLength) return sameLetters;
  return candidates.find((c) => editDistance(c.toLowerCase(), lower) <= 2);
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
