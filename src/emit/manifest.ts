// .scim-server/manifest.json: what the generator wrote, so a later run can tell a file the
// user edited from one it may replace, and `--check` can report drift. Built here as part of
// the file plan; src/write/manifest.ts reads it back from disk.

import { createHash } from 'node:crypto';
import type { FileOwner, FilePlan, PlannedFile } from './plan.js';
export const MANIFEST_PATH = '.scim-server/manifest.json';

export interface ManifestEntry {
  /** Hex SHA-256 of the content as generated (for user files: as first created). */
  sha256: string;
  owner: FileOwner;
}

export interface Manifest {
  generatorVersion: string;
  /** The resolved ProjectOptions the files were generated from. */
  options: object;
  /** By POSIX path relative to the project root. */
  files: Record<string, ManifestEntry>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The manifest as a planned file, covering every other file of the plan. */
export function buildManifest(
  plan: FilePlan,
  meta: { generatorVersion: string; options: object },
): PlannedFile {
  const files: Record<string, ManifestEntry> = {};
  for (const file of plan) {
    if (file.path === MANIFEST_PATH) continue;
    files[file.path] = { sha256: sha256(file.content), owner: file.owner };
  }
  const { generatorVersion, options } = meta;
  const manifest: Manifest = { generatorVersion, options, files };
  return {
    path: MANIFEST_PATH,
    content: `${JSON.stringify(sortKeys(manifest), null, 2)}\n`,
    owner: 'generated',
  };
}


function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A copy with object keys sorted at every level, so the file is byte-stable. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys(value[key])]),
  );
}
