// Index lookups a filter implies. `emails.value eq "x"` compiles to an EXISTS over the JSON
// array, which no index can answer; but every row it matches has "x" (folded) among the indexed
// emails values, so the store adds that test too and the database can start from the index.

import type { Filter } from '../scim/filter/ast.js';
import type { ResolvedAttribute, ResourceTypeModel } from '../scim/registry.js';
import { foldCase, type ElementIndex } from '../scim/storage.js';

export interface ElementLookup {
  index: ElementIndex;
  /** foldCase() of the value the filter asks for. */
  value: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The lookups every row matching `filter` satisfies: from `eq` tests on an indexed value that
 * are ANDed at the top, alone or inside brackets (`emails[type eq "work" and value eq "x"]`,
 * and Entra's `emails[type eq "work"].value eq "x"`). Anything under OR or NOT gives none.
 */
export function elementLookups(
  filter: Filter,
  type: ResourceTypeModel,
  indexes: readonly ElementIndex[],
): ElementLookup[] {
  if (indexes.length === 0) return [];
  const indexOf = (found: ResolvedAttribute | undefined) =>
    found && !found.extension && found.schema === type.core.id
      ? indexes.find((i) => same(i.attribute, found.attr.name))
      : undefined;

  switch (filter.kind) {
    case 'and':
      return [...elementLookups(filter.left, type, indexes), ...elementLookups(filter.right, type, indexes)];
    case 'compare': {
      if (filter.op !== 'eq' || typeof filter.value !== 'string') return [];
      const found = type.resolve(filter.path);
      const index = indexOf(found);
      // `emails eq "x"` compares the elements' value, as the filter compiler does.
      const sub = found?.sub?.name ?? 'value';
      return index && same(sub, index.sub) ? [{ index, value: foldCase(filter.value) }] : [];
    }
    case 'valuePath': {
      const found = type.resolve(filter.path);
      const index = found?.sub ? undefined : indexOf(found);
      if (!index) return [];
      return conjuncts(filter.filter).flatMap((term) =>
        term.kind === 'compare' &&
        term.op === 'eq' &&
        typeof term.value === 'string' &&
        term.path.uri === undefined &&
        term.path.sub === undefined &&
        same(term.path.attr, index.sub)
          ? [{ index, value: foldCase(term.value) }]
          : [],
      );
    }
    default:
      return [];
  }
}

function conjuncts(filter: Filter): Filter[] {
  return filter.kind === 'and' ? [...conjuncts(filter.left), ...conjuncts(filter.right)] : [filter];
}
