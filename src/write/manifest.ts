// Reads a project's .scim-server/manifest.json back from disk (src/emit/manifest.ts builds it).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_PATH, type Manifest, type ManifestEntry } from '../emit/manifest.js';

export { MANIFEST_PATH, sha256, type Manifest, type ManifestEntry } from '../emit/manifest.js';

/** The project's manifest, or undefined when it has none (never generated, or deleted). */
export async function readManifest(targetDir: string): Promise<Manifest | undefined> {
  const path = join(targetDir, MANIFEST_PATH);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(path, (error as Error).message);
  }
  return checkManifest(parsed, path);
}

function checkManifest(value: unknown, path: string): Manifest {
  if (!isRecord(value)) throw invalid(path, 'not a JSON object');
  const { generatorVersion, options, files } = value;
  if (typeof generatorVersion !== 'string') {
    throw invalid(path, '"generatorVersion" is not a string');
  }
  if (!isRecord(options)) throw invalid(path, '"options" is not an object');
  if (!isRecord(files)) throw invalid(path, '"files" is not an object');
  for (const [file, entry] of Object.entries(files)) {
    const ok =
      isRecord(entry) &&
      typeof entry.sha256 === 'string' &&
      (entry.owner === 'generated' || entry.owner === 'user');
    if (!ok) throw invalid(path, `the entry for "${file}" needs a sha256 string and an owner`);
  }
  return { generatorVersion, options, files: files as Record<string, ManifestEntry> };
}

function invalid(path: string, reason: string): Error {
  return new Error(
    `${path} is not a valid create-scim-server manifest (${reason}). ` +
      'Restore it from version control, or delete it.',
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

