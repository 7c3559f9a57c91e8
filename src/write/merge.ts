// Three-way merge of a generated file the user edited: their copy, the generator's previous
// output (the base) and its new output. node-diff3 does the merge; this module only splits
// text into lines the way diff3(1) does, so a merge never rewraps or reflows anything.

import { diff3Merge } from 'node-diff3';

export type MergeResult = { clean: true; content: string } | { clean: false; conflicts: number };

/** Merges `theirs` (new generated) into `ours` (the user's), both derived from `base`. */
export function mergeThreeWay(ours: string, base: string, theirs: string): MergeResult {
  // Line by line, each line keeping its "\n", so the pieces join back byte for byte.
  const regions = diff3Merge(lines(ours), lines(base), lines(theirs), { excludeFalseConflicts: true });
  const out: string[] = [];
  let conflicts = 0;
  for (const region of regions) {
    if (region.ok) out.push(...region.ok);
    else conflicts++;
  }
  return conflicts === 0 ? { clean: true, content: out.join('') } : { clean: false, conflicts };
}

function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
