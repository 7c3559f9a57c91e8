// Regeneration against the disk: read what decide() needs, then carry out its decisions.
// Everything is written through temporary files and renames; the manifest goes last, so an
// interrupted run leaves the old manifest and simply redoes its work next time.

import { readFile, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { FilePlan } from '../emit/plan.js';
import { CONFLICT_SUFFIX, type Decision, type DiskEntry, type DiskState } from './apply-plan.js';
import { basePath, hasBase, readBase } from './base-store.js';
import { MANIFEST_PATH, type Manifest } from './manifest.js';
import { destination, writeAtomically } from './write.js';

const DEFAULT_MODE = 0o644;

/** The disk state of every path in the plan or the manifest. */
export async function readDiskState(projectDir: string, plan: FilePlan, manifest: Manifest): Promise<DiskState> {
  const root = resolve(projectDir);
  const paths = new Set([...plan.map((f) => f.path), ...Object.keys(manifest.files)]);
  const state = new Map<string, DiskEntry>();
  for (const path of paths) {
    const file = join(root, path);
    const known = manifest.files[path];
    state.set(path, {
      content: await readText(destination(root, path)),
      base: known?.owner === 'generated' ? await readBase(root, path, known.sha256) : undefined,
      pendingNew: (await readText(`${file}${CONFLICT_SUFFIX}`)) !== undefined,
    });
  }
  return state;
}

/** Writes, merges, deletes and refreshes the base store as decided. */
export async function commitRegeneration(projectDir: string, plan: FilePlan, decisions: readonly Decision[]): Promise<void> {
  const root = resolve(projectDir);
  const byPath = new Map(plan.map((f) => [f.path, f]));
  const last: Decision[] = [];
  for (const decision of decisions) {
    if (decision.path === MANIFEST_PATH) {
      last.push(decision);
      continue;
    }
    await apply(root, decision);
    const planned = byPath.get(decision.path);
    // The base moves to the new output even on a conflict: the .new beside the user's file is
    // what they merge, and the next run merges against what they merged from.
    if (planned && hasBase(planned)) {
      if ((await readText(join(root, basePath(planned.path)))) !== planned.content) {
        await writeAtomically(destination(root, basePath(planned.path)), planned.content, DEFAULT_MODE);
      }
    } else if (!planned && decision.owner === 'generated') {
      await removeFile(root, basePath(decision.path));
    }
  }
  for (const decision of last) await apply(root, decision);
}

async function apply(root: string, decision: Decision): Promise<void> {
  const mode = decision.mode ?? DEFAULT_MODE;
  switch (decision.action) {
    case 'create':
    case 'update':
    case 'merge':
      return writeAtomically(destination(root, decision.path), decision.content ?? '', mode);
    case 'conflict':
      return writeAtomically(destination(root, `${decision.path}${CONFLICT_SUFFIX}`), decision.content ?? '', mode);
    case 'delete':
      return removeFile(root, decision.path);
    case 'unchanged':
    case 'keep':
      return;
  }
}

/** Removes a file, then its parent folders while they are empty (never the project root). */
async function removeFile(root: string, path: string): Promise<void> {
  const file = destination(root, path);
  await rm(file, { force: true });
  for (let dir = dirname(file); dir.startsWith(`${root}/`) && dir !== root; dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return;
      throw error;
    }
  }
}

async function readText(path: string): Promise<string | undefined> {
  try {
    if (!(await stat(path)).isFile()) return undefined;
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
