// What a regeneration means for the running project, told after the files are written: the
// secrets a new auth mode needs (added to .env), tests of the user's that no longer fit, and
// whether the server must be restarted.

import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { allAdapters } from '../../adapters/index.js';
import { CHANGES, type Decision } from '../../write/apply-plan.js';
import type { Log } from '../log.js';
import { addNewSettings } from './env.js';

interface PlannedFile {
  path: string;
  content: string;
}

/** Files the running server reads: a change to one needs a restart. */
export function isRuntimeFile(path: string): boolean {
  return path.startsWith('src/') || path.startsWith('migrations/') || path === 'openapi.json' || path === '.env';
}

/** Paths of written changes the server only sees after a restart. */
export function runtimeChanges(decisions: readonly Decision[]): string[] {
  return decisions.filter((d) => CHANGES.has(d.action) && d.action !== 'conflict' && isRuntimeFile(d.path)).map((d) => d.path);
}

/**
 * Test files that no longer fit the project: generated tests the user had edited and the
 * generator no longer writes (kept as theirs), and the user's own tests that import a generated
 * module that is gone or is named after an adapter the project no longer uses.
 */
export async function staleUserTests(
  projectDir: string,
  plan: readonly PlannedFile[],
  decisions: readonly Decision[],
  /** "layer-id" of the adapters the project uses now. */
  selected: ReadonlySet<string>,
): Promise<Array<{ path: string; why: string }>> {
  const planned = new Set(plan.map((f) => f.path));
  const stale = new Map<string, string>();
  for (const d of decisions) {
    if (d.action === 'keep' && d.path.startsWith('test/')) stale.set(d.path, 'the generator no longer writes it (you had edited it, so it was kept)');
  }
  const unused = new Set(allAdapters().map((a) => `${a.layer}-${a.id}`).filter((name) => !selected.has(name)));
  for (const path of await testFiles(projectDir)) {
    if (planned.has(path) || stale.has(path)) continue;
    const adapter = /^test\/([\w-]+)\.test\.ts$/.exec(path)?.[1];
    if (adapter && unused.has(adapter)) {
      stale.set(path, `it tests ${adapter}, which this project no longer uses`);
      continue;
    }
    const text = await readFile(join(projectDir, path), 'utf8');
    const missing = generatedImports(path, text).filter((target) => !planned.has(target));
    if (missing.length > 0) stale.set(path, `it imports ${missing.join(', ')}, which the generator no longer writes`);
  }
  return [...stale].map(([path, why]) => ({ path, why })).sort((a, b) => a.path.localeCompare(b.path));
}

/** Relative imports of src/generated/ modules, as project paths of their .ts sources. */
export function generatedImports(fromPath: string, text: string): string[] {
  const targets: string[] = [];
  for (const match of text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    const spec = match[1] ?? match[2] ?? '';
    const target = posix.normalize(posix.join(posix.dirname(fromPath), spec)).replace(/\.js$/, '.ts');
    if (target.startsWith('src/generated/')) targets.push(target);
  }
  return [...new Set(targets)];
}

async function testFiles(projectDir: string, dir = 'test'): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(projectDir, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...(await testFiles(projectDir, path)));
    else if (entry.isFile() && entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** Prints what the regeneration means for the project; adds the new secrets to .env. */
export async function afterRegeneration(
  projectDir: string,
  plan: readonly PlannedFile[],
  decisions: readonly Decision[],
  selected: ReadonlySet<string>,
  /** .env.example as it was before this regeneration (undefined when there was none). */
  previousExample: string | undefined,
  randomToken: () => string,
  log: Log,
): Promise<void> {
  const example = plan.find((f) => f.path === '.env.example')?.content;
  const added = example ? await addNewSettings(projectDir, example, previousExample, randomToken) : { secrets: [], settings: [] };
  if (added.secrets.length > 0) {
    log.success(`Added ${added.secrets.join(', ')} to .env with a new random value (no existing value was changed).`);
  }
  if (added.settings.length > 0) log.success(`Added ${added.settings.join(', ')} to .env (the example values; change them as needed).`);
  const changedEnv = added.secrets.length + added.settings.length > 0;
  const stale = await staleUserTests(projectDir, plan, decisions, selected);
  if (stale.length > 0) {
    log.warn(`${stale.length === 1 ? 'A test no longer fits' : `${stale.length} tests no longer fit`} the project: update or delete ${stale.length === 1 ? 'it' : 'them'}.`);
    for (const t of stale) log.raw(`    ${t.path}: ${t.why}\n`);
  }
  if (runtimeChanges(decisions).length > 0 || changedEnv) {
    log.info(
      `Restart the server to use the new ${changedEnv ? 'settings and code' : 'code'}` +
        (changedEnv ? ' (npm run dev does not reload .env on its own).' : ' (npm run dev restarts by itself).'),
    );
  }
}
