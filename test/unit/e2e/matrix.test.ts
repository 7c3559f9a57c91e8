// The e2e matrix must keep covering every pair of choices as adapters are added.

import { describe, expect, it } from 'vitest';
import { adapters } from '../../../src/adapters/index.js';
import { allPairs, cellName, matrixCells, pairsOf } from '../../e2e/matrix.js';

describe('matrixCells', () => {
  const cells = matrixCells();

  it('covers every pair of framework, database and auth mode', () => {
    const covered = new Set(cells.flatMap(pairsOf));
    expect(allPairs().filter((pair) => !covered.has(pair))).toEqual([]);
  });

  it('includes every adapter', () => {
    for (const layer of ['framework', 'database', 'auth'] as const) {
      for (const adapter of adapters[layer]) expect(cells.some((c) => c[layer] === adapter.id), adapter.id).toBe(true);
    }
  });

  it('has no duplicate cells and no more than one per (database, auth) pair', () => {
    const names = cells.map(cellName);
    expect(new Set(names).size).toBe(names.length);
    expect(cells.length).toBe(adapters.database.length * adapters.auth.length);
  });
});
