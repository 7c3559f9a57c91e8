// The adapter registry: the CLI's choices and the e2e matrix are both derived from it.

import type { ProjectOptions } from '../options.js';
import { bearer } from './auth-bearer.js';
import { sqlite } from './database-sqlite.js';
import { fastify } from './framework-fastify.js';
import type { Adapter, Layer } from './types.js';

export const adapters = {
  framework: [fastify],
  database: [sqlite],
  auth: [bearer],
} as const satisfies Record<Layer, readonly Adapter[]>;

export const choices = (layer: Layer): string[] => adapters[layer].map((a) => a.id);

/** The three adapters a project is made of, in a fixed order (framework, database, auth). */
export function selectedAdapters(options: Pick<ProjectOptions, 'framework' | 'database' | 'auth'>): Adapter[] {
  const pick = (layer: Layer, id: string): Adapter => {
    const found = (adapters[layer] as readonly Adapter[]).find((a) => a.id === id);
    if (!found) throw new Error(`Unknown ${layer} "${id}"; choose one of ${choices(layer).join(', ')}`);
    return found;
  };
  return [pick('framework', options.framework), pick('database', options.database), pick('auth', options.auth)];
}
