// The three schema-derived modules (schemas.gen.ts, types.gen.ts, hooks.gen.ts). Printing them
// takes ts-morph, whose TypeScript compiler is most of a scaffold's start-up; the bundled schema
// sets are known when the package is built, so `npm run build` prints theirs ahead of time
// (scripts/build-schema-modules.mjs) and a scaffold from them reads the result instead. Any
// other model, and every run from source, prints with ts-morph: the same function either way.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SchemaModel } from '../model/ir.js';
import { emitHooksTypesModule } from './ts/hooks.js';
import { emitSchemasModule } from './ts/schemas.js';
import { emitTypesModule } from './ts/types.js';

export interface SchemaModules {
  schemas: string;
  types: string;
  hooks: string;
}

/** Beside the compiled module; absent when running from source. */
export const PREBUILT_FILE = new URL('./schema-modules.json', import.meta.url);

let prebuilt: Map<string, SchemaModules> | undefined;

function prebuiltModules(): Map<string, SchemaModules> {
  if (prebuilt) return prebuilt;
  try {
    prebuilt = new Map(Object.entries(JSON.parse(readFileSync(PREBUILT_FILE, 'utf8')) as Record<string, SchemaModules>));
  } catch {
    prebuilt = new Map();
  }
  return prebuilt;
}

/**
 * What the emitters read of a model, hashed: two models with the same key print the same
 * modules. Only `schemas` and `resourceTypes` reach the emitters, and both are plain JSON.
 */
export function schemaModelKey(model: SchemaModel): string {
  const input = JSON.stringify({ schemas: model.schemas, resourceTypes: model.resourceTypes });
  return createHash('sha256').update(input).digest('hex');
}

/** The modules printed with ts-morph, whatever the model. */
export function printSchemaModules(model: SchemaModel): SchemaModules {
  return {
    schemas: emitSchemasModule(model),
    types: emitTypesModule(model),
    hooks: emitHooksTypesModule(model),
  };
}

export function schemaModules(model: SchemaModel): SchemaModules {
  return prebuiltModules().get(schemaModelKey(model)) ?? printSchemaModules(model);
}
