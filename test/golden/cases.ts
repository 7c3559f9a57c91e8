// The golden cases, derived from the adapter registry: the default project, and for every other
// adapter the default project with that one adapter swapped in. A new adapter folder gets its
// case (snapshot and type-check) without this file changing. Then project-wide choices that are
// not adapters (tenancy).

import { allAdapters } from '../../src/adapters/index.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../src/options.js';

export interface GoldenCase {
  /** "default", or the swapped-in adapter's folder name, e.g. "framework-express". */
  name: string;
  options: ProjectOptions;
}

/** Answers the cases give adapters' questions, so a non-default answer is what gets checked. */
const ANSWERS: Record<string, string> = { authHeaderName: 'X-Acme-Key' };

export function goldenCases(): GoldenCase[] {
  const base: ProjectOptions = { ...DEFAULT_PROJECT_OPTIONS, projectName: 'my-scim' };
  const swapped = allAdapters()
    .filter((a) => a.id !== DEFAULT_PROJECT_OPTIONS[a.layer])
    .map((adapter) => {
      const answers = Object.fromEntries((adapter.questions ?? []).map((q) => [q.key, ANSWERS[q.key] ?? q.default]));
      const options: ProjectOptions = { ...base, [adapter.layer]: adapter.id };
      if (Object.keys(answers).length > 0) options.adapterOptions = answers;
      return { name: `${adapter.layer}-${adapter.id}`, options };
    });
  // One server for many customers: the same stack, multi-tenant (TENANCY, the admin token in
  // .env, per-tenant paths in the OpenAPI document, the README's tenant sections).
  const multi = { name: 'tenancy-multi', options: { ...base, tenancy: 'multi' as const } };
  return [{ name: 'default', options: base }, ...swapped, multi];
}
