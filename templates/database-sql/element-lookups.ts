// Index lookups a filter implies. `emails.value eq "x"` compiles to an EXISTS over the JSON
// array, which no index can answer; but every row it matches has "x" (folded) among the indexed
// emails values, so the store adds that test too and the database can start from the index.

import type { CompareOp, Filter } from '../scim/filter/ast.js';
import { findAttribute, type ResolvedAttribute, type ResourceTypeModel } from '../scim/registry.js';
import type { AttributeDef } from '../scim/schema.js';
import { foldCase, type ElementIndex } from '../scim/storage.js';

export interface ElementLookup {
  index: ElementIndex;
  /**
   * `eq`: some indexed value equals `value`; `sw`: some indexed value starts with it. Only
   * databases whose index keeps the values in order (element-tables.ts) can use `sw`.
   */
  op: 'eq' | 'sw';
  /** foldCase() of the value the filter asks for. */
  value: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The lookup one comparison implies, if any. `eq` on any text: equal values fold equal. `sw`
 * only where the filter itself folds (caseExact false), since a prefix of a value need not
 * fold to a prefix of the folded value (a word-final "Σ" folds to "ς", inside a word to "σ").
 */
function lookupOf(index: ElementIndex, op: CompareOp, value: unknown, sub: AttributeDef | undefined): ElementLookup[] {
  if (typeof value !== 'string') return [];
  if (op === 'eq') return [{ index, op, value: foldCase(value) }];
  if (op === 'sw' && value !== '' && sub && !sub.caseExact) return [{ index, op, value: foldCase(value) }];
  return [];
}

/**
 * The lookups every row matching `filter` satisfies: from `eq` (and `sw`) tests on an indexed
 * value that are ANDed at the top, alone or inside brackets (`emails[type eq "work" and value
 * eq "x"]`, and Entra's `emails[type eq "work"].value eq "x"`). Anything under OR or NOT gives none.
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
      const found = type.resolve(filter.path);
      const index = indexOf(found);
      // `emails eq "x"` compares the elements' value, as the filter compiler does.
      const sub = found?.sub ?? findAttribute(found?.attr.subAttributes, 'value');
      return index && sub && same(sub.name, index.sub) ? lookupOf(index, filter.op, filter.value, sub) : [];
    }
    case 'valuePath': {
      const found = type.resolve(filter.path);
      const index = found?.sub ? undefined : indexOf(found);
      if (!index) return [];
      return conjuncts(filter.filter).flatMap((term) =>
        term.kind === 'compare' &&
        term.path.uri === undefined &&
        term.path.sub === undefined &&
        same(term.path.attr, index.sub)
          ? lookupOf(index, term.op, term.value, findAttribute(found!.attr.subAttributes, term.path.attr))
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
