// The shape of a variant: one declarative entry per framework, database and auth mode. Each
// contributes a template folder and data (packages, environment variables); the core emitters
// fill their slots from these lists and never ask which variant they are emitting.

import type { StoragePlan } from '../../templates/scim/storage.js';
import type { PackageName } from '../versions.js';

export type Layer = 'framework' | 'database' | 'auth';

export interface EnvVar {
  name: string;
  description: string;
  /** Written to .env.example as the value; omitted means the line is `NAME=`. */
  example?: string;
  /** Secrets are never given a value in .env.example and never logged. */
  secret?: boolean;
  /** The CLI fills it with a strong random value in the generated .env. */
  generate?: 'token';
}

export interface Adapter {
  layer: Layer;
  id: string;
  label: string;
  /** Template folder under templates/, copied verbatim. */
  templateDir: string;
  /** Where the folder lands in the generated project. */
  target: string;
  dependencies: readonly PackageName[];
  devDependencies: readonly PackageName[];
  env: readonly EnvVar[];
  /** Database adapters: the migration files for a storage plan, into migrations/<dir>/. */
  migrations?: { dir: string; build(plan: StoragePlan): Array<{ name: string; sql: string }> };
  /** What the Dockerfile needs for this adapter. */
  docker?: { volume?: string; env?: Record<string, string> };
}

export const defineAdapter = <T extends Adapter>(adapter: T): T => adapter;
