// The adapter registry: the CLI's choices and the e2e matrix are both derived from it.

import type { ProjectOptions } from '../options.js';
import { bearer } from './auth-bearer.js';
import { sqlite } from './database-sqlite.js';
import { fastify } from './framework-fastify.js';
import type { Adapter, AuthAdapter, DatabaseAdapter, FrameworkAdapter, Layer } from './types.js';

export const adapters: {
  framework: readonly FrameworkAdapter[];
  database: readonly DatabaseAdapter[];
  auth: readonly AuthAdapter[];
} = {
  framework: [fastify],
  database: [sqlite],
  auth: [bearer],
};

export const choices = (layer: Layer): string[] => adapters[layer].map((a) => a.id);

type Choice = Pick<ProjectOptions, 'framework' | 'database' | 'auth'>;

function pick<T extends Adapter>(layer: Layer, list: readonly T[], id: string): T {
  const found = list.find((a) => a.id === id);
  if (!found) throw new Error(`Unknown ${layer} "${id}"; choose one of ${choices(layer).join(', ')}`);
  return found;
}

/** The adapters a project is made of, by layer. */
export function selectAdapters(options: Choice) {
  return {
    framework: pick('framework', adapters.framework, options.framework),
    database: pick('database', adapters.database, options.database),
    auth: pick('auth', adapters.auth, options.auth),
  };
}

/** The same adapters as a list, in a fixed order (framework, database, auth). */
export function selectedAdapters(options: Choice): Adapter[] {
  const { framework, database, auth } = selectAdapters(options);
  return [framework, database, auth];
}
