// Regeneration's decisions: what happens to each file when a new plan meets a project on disk.
// Pure, so every case is a table test; src/write/commit-regeneration.ts carries them out.
//
// Generated files the user has not edited are replaced. An edited one is merged three ways
// against its base copy; when that conflicts (or there is no base), the user's file stays and
// the new output goes beside it as `<file>.new`. User-owned files are created when missing and
// never touched after. Files that are no longer planned go only when unedited (and never the
// user's inputs: a schema file taken out of scim.config.json stays).
//
// A file the generator created for the user can become generated (the test suite did): while
// it is still byte for byte what was created, regeneration takes it over; once edited it is a
// conflict, as for an edited generated file without a base copy.

import type { FileOwner, FilePlan } from '../emit/plan.js';
import { hasBase, isInternal } from './base-store.js';
import { sha256, type Manifest } from './manifest.js';
import { mergeThreeWay } from './merge.js';

export type Action = 'unchanged' | 'create' | 'update' | 'merge' | 'conflict' | 'delete' | 'keep';

export interface Decision {
  path: string;
  action: Action;
  owner: FileOwner;
  /** The content to write: the file itself, or `<path>.new` for a conflict. */
  content?: string;
  mode?: number;
  /** Why, when the action alone does not say (shown in the report). */
  reason?: string;
  /** A `<path>.new` from an earlier conflict is still beside the file, so it may be unmerged. */
  pendingNew?: boolean;
}

/** What is on disk for one path. */
export interface DiskEntry {
  /** The file's content; undefined when it does not exist. */
  content: string | undefined;
  /** Its base copy, only when it matches the manifest's hash (see base-store.ts). */
  base: string | undefined;
  /** A `<path>.new` from an earlier conflict is still there. */
  pendingNew: boolean;
}

export type DiskState = ReadonlyMap<string, DiskEntry>;

export interface DecideOptions {
  /**
   * Whether regeneration reads the file (scim.config.json, the schema files). A generated one
   * the user edited is rewritten rather than merged: the edits were read and are in the new plan.
   * A user-owned one is never deleted, even once no longer read: the user wrote it.
   */
  isInput?: (path: string) => boolean;
}

/** Actions that change the project (what `--check` fails on). */
export const CHANGES: ReadonlySet<Action> = new Set(['create', 'update', 'merge', 'conflict', 'delete']);

export const CONFLICT_SUFFIX = '.new';

const ABSENT: DiskEntry = { content: undefined, base: undefined, pendingNew: false };

export function decide(plan: FilePlan, manifest: Manifest, disk: DiskState, options: DecideOptions = {}): Decision[] {
  const decisions: Decision[] = [];
  const planned = new Set(plan.map((f) => f.path));
  for (const file of plan) {
    const entry = disk.get(file.path) ?? ABSENT;
    const known = manifest.files[file.path];
    const decision = file.owner === 'user'
      ? decideUserFile(file.path, file.content, entry, known !== undefined)
      : known?.owner === 'user'
        ? decideTakeover(file.content, entry, known.sha256)
        : decideGenerated(file.path, file.content, entry, known?.owner === 'generated' ? known.sha256 : undefined, options);
    if (file.mode !== undefined) decision.mode = file.mode;
    if (entry.pendingNew && hasBase(file) && decision.action !== 'conflict') {
      decision.pendingNew = true;
      decision.reason = joinReasons(decision.reason, `${file.path}${CONFLICT_SUFFIX} from an earlier run is still there: merge it, then delete it`);
    }
    decisions.push({ owner: file.owner, ...decision, path: file.path });
  }
  for (const [path, known] of Object.entries(manifest.files)) {
    if (planned.has(path)) continue;
    const content = (disk.get(path) ?? ABSENT).content;
    if (content === undefined) continue;
    if (known.owner === 'user') {
      // What the generator created and nobody changed since is the generator's to remove.
      const created = sha256(content) === known.sha256 && !options.isInput?.(path);
      decisions.push(created
        ? { path, owner: 'user', action: 'delete', reason: 'unedited since it was created, and no longer applies' }
        : { path, owner: 'user', action: 'keep', reason: 'yours; no longer generated' });
    } else if (sha256(content) === known.sha256 || isInternal(path)) {
      decisions.push({ path, owner: 'generated', action: 'delete' });
    } else {
      decisions.push({ path, owner: 'generated', action: 'keep', reason: 'edited by you and no longer generated: it is yours now' });
    }
  }
  return decisions.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

type Partial = Omit<Decision, 'path' | 'owner'>;

function decideUserFile(path: string, planned: string, entry: DiskEntry, known: boolean): Partial {
  if (entry.content !== undefined) return { action: 'unchanged' };
  // Created once: a user file the manifest knows and the disk lacks was deleted on purpose.
  if (known) return { action: 'unchanged', reason: `you deleted ${path}; not recreated` };
  return { action: 'create', content: planned };
}

/** A file the manifest records as the user's (created, never merged) that is now generated. */
function decideTakeover(planned: string, entry: DiskEntry, createdSha: string): Partial {
  const current = entry.content;
  if (current === undefined) return { action: 'create', content: planned, reason: 'generated from now on; you had deleted it' };
  if (current === planned) return { action: 'unchanged' };
  if (sha256(current) === createdSha) {
    return { action: 'update', content: planned, reason: 'generated from now on; unedited since it was created' };
  }
  return {
    action: 'conflict',
    content: planned,
    reason: 'generated from now on; edited by you, and there is no base copy to merge against',
  };
}

function decideGenerated(
  path: string,
  planned: string,
  entry: DiskEntry,
  generatedSha: string | undefined,
  options: DecideOptions,
): Partial {
  const { content: current, base } = entry;
  if (current === undefined) return { action: 'create', content: planned, ...(generatedSha ? { reason: 'was deleted' } : {}) };
  if (current === planned) return { action: 'unchanged' };
  // The generator's own bookkeeping (manifest, storage plan): never the user's to edit.
  if (isInternal(path)) return { action: 'update', content: planned };
  if (generatedSha === undefined) {
    return { action: 'conflict', content: planned, reason: 'a file the generator did not write is in the way' };
  }
  if (sha256(current) === generatedSha) return { action: 'update', content: planned };
  if (options.isInput?.(path)) return { action: 'update', content: planned, reason: 'your edits were read as input' };
  if (base === undefined) {
    return { action: 'conflict', content: planned, reason: 'edited by you, and there is no base copy to merge against (generated by an older version)' };
  }
  const merged = mergeThreeWay(current, base, planned);
  if (!merged.clean) {
    return { action: 'conflict', content: planned, reason: `edited by you; ${merged.conflicts === 1 ? '1 change overlaps' : `${merged.conflicts} changes overlap`} the generator's` };
  }
  if (merged.content === current) return { action: 'unchanged', reason: 'edited by you; nothing new to merge' };
  return { action: 'merge', content: merged.content, reason: 'your edits and the new output merged cleanly' };
}

function joinReasons(a: string | undefined, b: string): string {
  return a ? `${a}; ${b}` : b;
}
