// The adapter registry: the CLI's choices and the e2e matrix are both derived from it.

import type { ProjectOptions } from '../options.js';
import { basic } from './auth-basic.js';
import { bearer } from './auth-bearer.js';
import { customHeader } from './auth-custom-header.js';
import { header } from './auth-header.js';
import { oauth2 } from './auth-oauth2.js';
import { custom } from './database-custom.js';
import { mysql } from './database-mysql.js';
import { postgres } from './database-postgres.js';
import { sqlite } from './database-sqlite.js';
import { express } from './framework-express.js';
import { fastify } from './framework-fastify.js';
import { hono } from './framework-hono.js';
import type { Adapter, AuthAdapter, DatabaseAdapter, FrameworkAdapter, Layer } from './types.js';

export const adapters: {
  framework: readonly FrameworkAdapter[];
  database: readonly DatabaseAdapter[];
  auth: readonly AuthAdapter[];
} = {
  framework: [fastify, express, hono],
  database: [sqlite, postgres, mysql, custom],
  auth: [bearer, header, basic, customHeader, oauth2],
};

export const choices = (layer: Layer): string[] => adapters[layer].map((a) => a.id);

type Choice = Pick<ProjectOptions, 'framework' | 'database' | 'auth' | 'authHeaderName'>;

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
    auth: configure(pick('auth', adapters.auth, options.auth), options),
  };
}

function configure(auth: AuthAdapter, options: Choice): AuthAdapter {
  return auth.forOptions ? auth.forOptions(options) : auth;
}

/** The same adapters as a list, in a fixed order (framework, database, auth). */
export function selectedAdapters(options: Choice): Adapter[] {
  const { framework, database, auth } = selectAdapters(options);
  return [framework, database, auth];
}
