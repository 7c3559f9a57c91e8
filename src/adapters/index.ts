// The adapter registry, found on disk: every templates/<layer>-<id>/ folder with an adapter.ts
// is an adapter. Adding one is adding its folder; nothing here (or in the CLI, the config file,
// the prompts or the e2e matrix, which all read this) names an adapter.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../options.js';
import { LAYERS, type Adapter, type AuthAdapter, type DatabaseAdapter, type FrameworkAdapter, type Layer } from './types.js';

/** Built, the declarations are dist/templates/*\/adapter.js; from source (tests), the .ts files. */
async function discover(): Promise<Adapter[]> {
  const fromSource = import.meta.url.endsWith('.ts');
  const root = packageRoot(import.meta.url);
  const dir = fromSource ? join(root, 'templates') : join(root, 'dist', 'templates');
  const file = fromSource ? 'adapter.ts' : 'adapter.js';
  const found: Adapter[] = [];
  for (const folder of readdirSync(dir).sort()) {
    const declaration = join(dir, folder, file);
    if (!existsSync(declaration)) continue;
    const module = (await import(pathToFileURL(declaration).href)) as { adapter?: Adapter };
    const adapter = module.adapter;
    if (!adapter || `${adapter.layer}-${adapter.id}` !== folder) {
      throw new Error(`${declaration} must export \`adapter\` with layer and id matching its folder "${folder}"`);
    }
    found.push(adapter);
  }
  return found;
}

const all = await discover();
/** The default comes first in each layer (the order of menus), then the others by id. */
const ordered = (layer: Layer) =>
  all
    .filter((a) => a.layer === layer)
    .sort((a, b) => Number(b.id === DEFAULT_PROJECT_OPTIONS[layer]) - Number(a.id === DEFAULT_PROJECT_OPTIONS[layer]) || order(a) - order(b));
/** Declaration order within a layer: `rank` where given (menus put common choices first), else by id. */
const order = (a: Adapter) => a.rank ?? 100;

export const adapters: {
  framework: readonly FrameworkAdapter[];
  database: readonly DatabaseAdapter[];
  auth: readonly AuthAdapter[];
} = {
  framework: ordered('framework') as FrameworkAdapter[],
  database: ordered('database') as DatabaseAdapter[],
  auth: ordered('auth') as AuthAdapter[],
};

for (const layer of LAYERS) {
  if (!adapters[layer].some((a) => a.id === DEFAULT_PROJECT_OPTIONS[layer])) {
    throw new Error(`The default ${layer} "${DEFAULT_PROJECT_OPTIONS[layer]}" has no adapter folder templates/${layer}-${DEFAULT_PROJECT_OPTIONS[layer]}/`);
  }
}

/** The ids a layer offers: what --framework, --database and --auth accept. */
export const choices = (layer: Layer): string[] => adapters[layer].map((a) => a.id);

/** Every adapter, in layer order. */
export const allAdapters = (): readonly Adapter[] => LAYERS.flatMap((layer): readonly Adapter[] => adapters[layer]);

type Choice = Pick<ProjectOptions, 'framework' | 'database' | 'auth' | 'adapterOptions'>;

function pick<T extends Adapter>(layer: Layer, list: readonly T[], id: string): T {
  const found = list.find((a) => a.id === id);
  if (!found) throw new Error(`Unknown ${layer} "${id}"; choose one of ${choices(layer).join(', ')}`);
  return found;
}

/** The adapters a project is made of, by layer. */
export function selectAdapters(options: Choice) {
  const auth = pick('auth', adapters.auth, options.auth);
  return {
    framework: pick('framework', adapters.framework, options.framework),
    database: pick('database', adapters.database, options.database),
    auth: auth.forAnswers ? auth.forAnswers(answersFor(auth, options)) : auth,
  };
}

/** The same adapters as a list, in a fixed order (framework, database, auth). */
export function selectedAdapters(options: Choice): Adapter[] {
  const { framework, database, auth } = selectAdapters(options);
  return [framework, database, auth];
}

/** An adapter's answers: what the options say, else each question's default. */
export function answersFor(adapter: Adapter, options: Pick<ProjectOptions, 'adapterOptions'>): Record<string, string> {
  return Object.fromEntries((adapter.questions ?? []).map((q) => [q.key, options.adapterOptions?.[q.key] ?? q.default]));
}
