// ts-morph, and the TypeScript compiler inside it, on first use. Loading them is most of a
// scaffold's start-up, and the bundled schema sets never need them (schema-modules.ts serves
// their modules as built ahead of time), so the emitters ask for them only when they print.

import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';

let loaded: typeof TsMorph | undefined;

/** The ts-morph module, loaded synchronously (it is CommonJS) the first time it is needed. */
export function tsMorph(): typeof TsMorph {
  return (loaded ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph);
}
