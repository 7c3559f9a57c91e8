// The layering rules of layers.json, enforced: every relative import of the generator's source
// (src/, the engine, the adapter folders) must be one its part may make, and the parts must not
// depend on each other in a cycle. The engine may import no npm package either.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');

interface Part {
  paths: string[];
  mayImport: string[];
  why: string;
}

const { parts } = JSON.parse(readFileSync(join(REPO, 'layers.json'), 'utf8')) as { parts: Record<string, Part> };

/** `*` is one path segment, `**` any number (a trailing `/**` also matches the folder's files). */
function matcher(pattern: string): RegExp {
  const source = pattern
    .split('/')
    .map((segment) => (segment === '**' ? '.*' : segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')))
    .join('/');
  return new RegExp(`^${source.replace(/\/\.\*$/, '(?:/.*)?')}$`);
}

const patterns = Object.entries(parts).flatMap(([name, part]) => part.paths.map((p) => ({ name, re: matcher(p) })));
/** The part a file belongs to: the first whose pattern matches, in layers.json's order. */
const partOf = (path: string) => patterns.find(({ re }) => re.test(path))?.name;

function files(dir: string): string[] {
  return readdirSync(join(REPO, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(REPO, path)).isDirectory()) return name === 'project' ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** What a file imports: relative specifiers resolved to repository paths, and bare package names. */
function importsOf(file: string): { local: string[]; packages: string[] } {
  const text = readFileSync(join(REPO, file), 'utf8');
  const specifiers = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|(?:^|\n)\s*import\s+'([^']+)'|import\('([^']+)'\)/g),
  ].map((m) => m[1] ?? m[2] ?? m[3]!);
  const local = specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => relative(REPO, resolve(dirname(join(REPO, file)), s)).replace(/\.js$/, '.ts'));
  const packages = specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
  return { local, packages };
}

/** Why `file` may not import `target`, or undefined when it may. */
function forbiddenImport(file: string, target: string): string | undefined {
  const from = partOf(file)!;
  // A runtime file of an adapter importing the generated project's own modules
  // (../project.gen.js, ../../store/...) points outside the repository's sources.
  const to = partOf(target);
  if (to === undefined || to === from || parts[from]!.mayImport.includes(to)) return undefined;
  return `${file} imports ${target}: ${from} may import only ${parts[from]!.mayImport.join(', ') || 'itself'} (${parts[from]!.why})`;
}

// Adapter folders' project/ files are the generated project's (their imports resolve there).
const sources = ['src', ...readdirSync(join(REPO, 'templates')).filter((d) => d !== 'project' && d !== 'app' && d !== 'docs').map((d) => `templates/${d}`)].flatMap(files);

describe('layering (layers.json)', () => {
  it('puts every source file in a part', () => {
    expect(sources.filter((f) => partOf(f) === undefined)).toEqual([]);
  });

  it('allows only the imports each part may make', () => {
    const forbidden = sources.flatMap((file) => importsOf(file).local.flatMap((target) => forbiddenImport(file, target) ?? []));
    expect(forbidden).toEqual([]);
  });

  it('keeps the engine free of npm packages', () => {
    const found = sources.filter((f) => partOf(f) === 'engine').flatMap((f) => importsOf(f).packages.map((p) => `${f} imports ${p}`));
    expect(found).toEqual([]);
  });

  it('has no cycle between the parts', () => {
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (path.includes(name)) return void cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
      for (const next of parts[name]!.mayImport) visit(next, [...path, name]);
    };
    for (const name of Object.keys(parts)) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('refuses what the nevers forbid (the check itself works)', () => {
    expect(forbiddenImport('src/emit/generate.ts', 'src/cli/resolve-options.ts')).toMatch(/^src\/emit\/generate.ts imports src\/cli\/resolve-options.ts: emit may import only/);
    expect(forbiddenImport('src/model/load.ts', 'src/cli/args.ts')).toBeDefined();
    expect(forbiddenImport('src/emit/generate.ts', 'src/write/write.ts')).toBeDefined();
    expect(forbiddenImport('templates/scim/service.ts', 'src/options.ts')).toBeDefined();
    expect(forbiddenImport('templates/framework-fastify/adapter.ts', 'src/emit/generate.ts')).toBeDefined();
    expect(forbiddenImport('src/write/write.ts', 'src/emit/plan.ts')).toBeUndefined();
    expect(forbiddenImport('templates/database-sqlite/generator/migrations.ts', 'templates/scim/storage.ts')).toBeUndefined();
  });
});
