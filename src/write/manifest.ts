// .scim-server/manifest.json: what the generator wrote, so a later run can tell a file the
// user edited from one it may replace, and `--check` can report drift.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileOwner, FilePlan, PlannedFile } from '../emit/plan.js';

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
