// Reads a generated project's ProjectHistory from disk (see src/emit/history.ts).

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoragePlan } from '../../templates/scim/storage.js';
import { STORAGE_PLAN_PATH, type ProjectHistory } from '../emit/history.js';

export async function readProjectHistory(projectDir: string): Promise<ProjectHistory> {
  const migrations = new Map<string, string>();
  for (const dir of await list(join(projectDir, 'migrations'))) {
    for (const name of (await list(join(projectDir, 'migrations', dir))).sort()) {
      if (!name.endsWith('.sql')) continue;
      const path = `migrations/${dir}/${name}`;
      migrations.set(path, await readFile(join(projectDir, path), 'utf8'));
    }
  }
  let storagePlan: StoragePlan | undefined;
  try {
    storagePlan = JSON.parse(await readFile(join(projectDir, STORAGE_PLAN_PATH), 'utf8')) as StoragePlan;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { storagePlan, migrations };
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
