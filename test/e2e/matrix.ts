// The end-to-end matrix: a small set of (framework, database, auth) cells, derived from the
// adapter registry, that covers every pair of choices (framework x database, database x auth,
// framework x auth) and so every adapter. Each cell is a whole generated project. One cell per
// database is multi-tenant, so tenant isolation is proven on every store, and so is the OAuth 2.0
// cell on PostgreSQL.

import { adapters } from '../../src/adapters/index.js';
import type { AuthId, DatabaseId, FrameworkId } from '../../src/options.js';

export interface Cell {
  framework: FrameworkId;
  database: DatabaseId;
  auth: AuthId;
  /** Multi-tenant cells run their tenants' suites too (isolation, the tenant CLI). */
  tenancy?: 'multi';
}

const ids = <T extends string>(layer: 'framework' | 'database' | 'auth') => adapters[layer].map((a) => a.id as T);

/** The pairs a cell covers, as strings like "framework=hono|auth=basic". */
export function pairsOf(cell: Cell): string[] {
  return [
    `framework=${cell.framework}|database=${cell.database}`,
    `database=${cell.database}|auth=${cell.auth}`,
    `framework=${cell.framework}|auth=${cell.auth}`,
  ];
}

/**
 * Greedy pairwise cover: one cell per (database, auth) pair, the largest product of two layers,
 * each given the framework that covers the most pairs not yet covered (ties: registry order).
 * Deterministic, so a failing cell has the same name on every run.
 */
export function matrixCells(): Cell[] {
  const frameworks = ids<FrameworkId>('framework');
  const covered = new Set<string>();
  const cells: Cell[] = [];
  for (const database of ids<DatabaseId>('database')) {
    for (const auth of ids<AuthId>('auth')) {
      let best: Cell | undefined;
      let bestGain = -1;
      for (const framework of frameworks) {
        const cell = { framework, database, auth };
        const gain = pairsOf(cell).filter((p) => !covered.has(p)).length;
        if (gain > bestGain) [best, bestGain] = [cell, gain];
      }
      for (const pair of pairsOf(best!)) covered.add(pair);
      cells.push(best!);
    }
  }
  // Each database's cell with the registry's second auth mode is multi-tenant (the first auth mode
  // is the default cell's, which default-project.test.ts runs single-tenant).
  // The OAuth 2.0 cell on PostgreSQL is multi-tenant too: its tenants' own clients (authorization
  // code with consent, refresh, revocation) are tested only in a multi-tenant OAuth project.
  const multiAuth = ids<AuthId>('auth')[1];
  const multi = (cell: Cell) => cell.auth === multiAuth || (cell.auth === 'oauth2' && cell.database === 'postgres');
  return cells.map((cell) => (multi(cell) ? { ...cell, tenancy: 'multi' as const } : cell));
}

/** Every pair of choices across two layers, for checking a matrix covers them. */
export function allPairs(): string[] {
  const layers = { framework: ids('framework'), database: ids('database'), auth: ids('auth') };
  const cross = (a: keyof typeof layers, b: keyof typeof layers) =>
    layers[a].flatMap((x) => layers[b].map((y) => `${a}=${x}|${b}=${y}`));
  return [...cross('framework', 'database'), ...cross('database', 'auth'), ...cross('framework', 'auth')];
}

export const cellName = (cell: Cell) => `${cell.framework}+${cell.database}+${cell.auth}${cell.tenancy ? `+${cell.tenancy}` : ''}`;
