// generate(options, model) -> file plan. Pure: no writes, no network, no clock, no randomness
// (templates are read from the package, which is part of the input). The CLI commits the plan.

import { basename } from 'node:path';
import { answersFor, selectAdapters, selectedAdapters } from '../adapters/index.js';
import type { Adapter, DatabaseAdapter } from '../adapters/types.js';
import type { SchemaModel } from '../model/ir.js';
import { REGISTRY, type GeneratorSource, type ProjectOptions } from '../options.js';
import { DOCKER_NODE_IMAGE } from '../versions.js';
import { buildManifest } from './manifest.js';
import { withHeader } from './header.js';
import { STORAGE_PLAN_PATH, type ProjectHistory } from './history.js';
import { projectMigrations, type ProjectMigrations } from './migration-history.js';
import { buildOpenApi } from './openapi.js';
import type { FilePlan, PlannedFile } from './plan.js';
import { envExample, hookFiles, packageJson, projectModule, scimConfig, tenancyOf, tsconfigJson } from './project-files.js';
import { buildIdpSetup, IDP_SETUP_PATH } from './idp-setup.js';
import { buildReadme } from './readme.js';
import { render } from './render.js';
import { bundledTemplates, type Templates } from './templates.js';
import { schemaModules } from './schema-modules.js';
import { buildRegistry } from '../../templates/scim/registry.js';
import { storagePlan } from '../../templates/scim/storage.js';

import { GENERATOR_VERSION } from '../version.js';

/** Files under test/ that stay the user's: an example to start from and its setup helper. */
const USER_TESTS: ReadonlySet<string> = new Set(['test/example.test.ts', 'test/scim-server.ts']);

/**
 * What a file of an adapter folder is: its declaration and generator-side code (not copied),
 * a file for the project root (`project/`), or a runtime file for src/generated/<layer>/.
 */
function adapterPart(path: string): 'declaration' | 'project' | 'runtime' {
  if (path === 'adapter.ts' || path.startsWith('generator/')) return 'declaration';
  return path.startsWith('project/') ? 'project' : 'runtime';
}

/** npm drops dotfiles like .gitignore from published packages, so templates omit the dot. */
const DOTFILES: Record<string, string> = { gitignore: '.gitignore', dockerignore: '.dockerignore' };

export function generate(
  options: ProjectOptions,
  model: SchemaModel,
  templates: Templates = bundledTemplates(),
  history?: ProjectHistory,
  /** Where the project's scripts find the generator (a clone's path, or the registry). */
  generator: GeneratorSource = REGISTRY,
): FilePlan {
  const adapters = selectedAdapters(options);
  const files: PlannedFile[] = [];
  const generated = (path: string, content: string, source?: string) =>
    files.push({ path, content: withHeader(path, content, GENERATOR_VERSION, source), owner: 'generated' });
  const user = (path: string, content: string) => files.push({ path, content, owner: 'user' });
  // The conformance suite under test/ follows the project's choices, so regeneration owns it
  // (and merges a user's edits); the user's own starting points beside it are theirs.
  const projectFile = (path: string, content: string) =>
    path.startsWith('test/') && !USER_TESTS.has(path) ? generated(path, content) : user(path, content);

  // The engine, the composition root and the chosen adapters, copied verbatim.
  for (const f of templates.dir('scim')) generated(`src/generated/scim/${f.path}`, f.content);
  for (const f of templates.dir('app')) generated(`src/generated/${f.path}`, f.content);
  for (const adapter of adapters) {
    for (const f of templates.dir(`${adapter.layer}-${adapter.id}`)) {
      const part = adapterPart(f.path);
      if (part === 'runtime') generated(`src/generated/${adapter.layer}/${f.path}`, f.content);
      else if (part === 'project') projectFile(f.path.slice('project/'.length), f.content);
    }
    for (const name of adapter.shared ?? []) {
      for (const f of templates.dir(name)) generated(`src/generated/${name}/${f.path}`, f.content);
    }
  }

  // What the schemas and options decide.
  const modules = schemaModules(model);
  generated('src/generated/schemas.gen.ts', modules.schemas, 'schemas/');
  generated('src/generated/types.gen.ts', modules.types, 'schemas/');
  generated('src/generated/hooks.gen.ts', modules.hooks, 'schemas/');
  generated('src/generated/project.gen.ts', projectModule(options, adapters.flatMap((a) => a.constants?.(answersFor(a, options)) ?? [])), 'scim.config.json');
  const migrations = migrationsFor(options, model, history);
  for (const m of migrations.files) {
    // Applied migrations stay byte for byte what databases checked them against.
    if (m.existing) files.push({ path: m.path, content: m.content, owner: 'generated' });
    else generated(m.path, m.content);
  }
  if (migrations.recorded) generated(STORAGE_PLAN_PATH, `${JSON.stringify(migrations.recorded, null, 2)}\n`);
  generated('openapi.json', JSON.stringify(buildOpenApi(options, model), null, 2) + '\n');
  generated('.env.example', envExample(options, adapters));
  generated('scim.config.json', scimConfig(options, GENERATOR_VERSION));
  // Generated, unlike the README: its attribute tables must follow every schema change.
  generated(IDP_SETUP_PATH, buildIdpSetup(options, model, selectAdapters(options), templates), 'scim.config.json and schemas/');

  // The user's from here on: created once, never overwritten.
  user('package.json', packageJson(options, adapters, GENERATOR_VERSION, generator));
  user('README.md', buildReadme(options, model));
  for (const f of projectTemplates(templates, options, adapters)) projectFile(f.path, f.content);
  for (const f of hookFiles(model)) user(f.path, f.content);
  // The schema files as given: the project's schemas/ is where the user edits them later.
  const sources = [...model.sources.values(), ...(model.resourceTypeSources ?? [])];
  const copies = new Map(sources.map((s) => [`schemas/${basename(s.file)}`, s.text]));
  for (const [path, text] of copies) user(path, text);

  files.push(buildManifest(files, { generatorVersion: GENERATOR_VERSION, options }));
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function migrationsFor(options: ProjectOptions, model: SchemaModel, history?: ProjectHistory): ProjectMigrations {
  const migrations = selectAdapters(options).database.migrations;
  if (!migrations) return { files: [], warnings: [] };
  const plan = storagePlan(buildRegistry(model.resourceTypes, model.schemas));
  return projectMigrations(migrations, plan, history);
}

/**
 * What regenerating with `history` must tell the user about the database: schema changes no
 * migration was derived for, tables kept with their data (migration-history.ts). generate()
 * emits the files; this says why some are not there.
 */
export function migrationWarnings(options: ProjectOptions, model: SchemaModel, history: ProjectHistory): string[] {
  return migrationsFor(options, model, history).warnings;
}

/** The option flags a `+condition` folder in templates/project can test. */
function conditions(options: ProjectOptions, adapters: readonly Adapter[]): Set<string> {
  const set = new Set(adapters.map((a) => `${a.layer}-${a.id}`));
  if (options.enterpriseUser) set.add('enterprise');
  if (tenancyOf(options) === 'multi') set.add('multi-tenant');
  // The suite's schema-driven tests of custom extensions and resource types.
  if (options.schemaFiles.length > 0 || options.resourceTypeFiles.length > 0) set.add('custom-schemas');
  return set;
}

/**
 * templates/project: `.hbs` files are rendered, others copied. A folder named `+a+b` applies only
 * when every condition holds and disappears from the output path (sv's convention).
 */
function projectTemplates(templates: Templates, options: ProjectOptions, adapters: readonly Adapter[]) {
  const active = conditions(options, adapters);
  const view = {
    projectName: options.projectName,
    port: options.port,
    basePath: options.basePath,
    nodeImage: DOCKER_NODE_IMAGE,
    docker: dockerView(adapters),
  };
  const out: Array<{ path: string; content: string }> = [];
  for (const f of templates.dir('project')) {
    if (f.path === 'README.md.hbs') continue; // built by readme.ts
    const segments = f.path.split('/');
    const guards = segments.filter((s) => s.startsWith('+'));
    if (!guards.every((g) => g.slice(1).split('+').every((c) => active.has(c)))) continue;
    let path = segments.filter((s) => !s.startsWith('+')).join('/');
    let content = f.content;
    if (path.endsWith('.hbs')) {
      path = path.slice(0, -'.hbs'.length);
      content = render(content, view, f.path);
    }
    if (path === 'tsconfig.json') content = tsconfigJson(content, adapters);
    const name = basename(path);
    if (DOTFILES[name]) path = path.slice(0, -name.length) + DOTFILES[name];
    out.push({ path, content });
  }
  return out;
}

function dockerView(adapters: readonly Adapter[]) {
  const docker = adapters.flatMap((a) => (a.docker ? [a.docker] : []));
  return {
    volumes: docker.flatMap((d) => d.volume ?? []),
    env: docker.flatMap((d) => Object.entries(d.env ?? {}).map(([name, value]) => ({ name, value }))),
    secrets: adapters.flatMap((a) => a.env.filter((e) => e.secret).map((e) => e.name)).join(', '),
    hasMigrations: adapters.some((a) => a.layer === 'database' && (a as DatabaseAdapter).migrations !== undefined),
  };
}
