// The base store: a pristine copy of every generated file as the generator last wrote it, under
// .scim-server/base/<path>. Regeneration needs it as the common ancestor of a three-way merge
// when the user has edited a generated file; the manifest's hash alone only says *that* they
// did. Git stores a base copy and its unedited original as one blob, so a committed project
// hardly grows.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FilePlan, PlannedFile } from '../emit/plan.js';
import { sha256 } from './manifest.js';

/** Files the generator keeps for itself; never merged, never given a base copy. */
export const INTERNAL_DIR = '.scim-server/';
export const BASE_DIR = '.scim-server/base';

export const isInternal = (path: string): boolean => path.startsWith(INTERNAL_DIR);

export const basePath = (path: string): string => `${BASE_DIR}/${path}`;

/** Whether a planned file gets a base copy: generated project files, not the generator's own. */
export const hasBase = (file: Pick<PlannedFile, 'path' | 'owner'>): boolean =>
  file.owner === 'generated' && !isInternal(file.path);

/** The base copies to write with a freshly generated plan. */
export function baseFiles(plan: FilePlan): PlannedFile[] {
  return plan.filter(hasBase).map((file) => ({ path: basePath(file.path), content: file.content, owner: 'generated' }));
}

/**
 * The base of `path`, if the store has it and it is what the manifest says was generated (a base
 * that does not match is not the ancestor of the user's file and would produce a wrong merge).
 */
export async function readBase(projectDir: string, path: string, expectedSha256: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(projectDir, basePath(path)), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return sha256(text) === expectedSha256 ? text : undefined;
}
