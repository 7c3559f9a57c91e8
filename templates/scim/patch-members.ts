// Group membership under PATCH: turns the operations on the membership attribute into one
// MemberChange delta, so membership is never read-modify-written (deltas commute; a rewritten
// list would undo a concurrent IdP call). patch.ts routes member operations here.

import { badRequest } from './errors.js';
import type { Filter } from './filter/ast.js';
import type { PatchOperation } from './normalise.js';
import type { AttributeDef } from './schema.js';
import type { MemberChange } from './store.js';
import { isObject } from './validate.js';

/** What a member operation addresses, as the PATCH engine resolved its path. */
export interface MemberTarget {
  /** The membership attribute (`members`). */
  attr: AttributeDef;
  /** Set when the path names a sub-attribute (`members.value`): refused, members are immutable. */
  sub?: AttributeDef;
  filter?: Filter;
  /** As written, for error details. */
  path: string;
}

/** Membership changes accumulated in operation order, so later operations win. */
export class MemberDelta {
  private removeAll = false;
  private readonly add = new Set<string>();
  private readonly remove = new Set<string>();
  private used = false;

  /** Records one operation on the membership attribute; bad input is a 400 ScimError. */
  apply(op: PatchOperation['op'], t: MemberTarget, value: unknown): void {
    if (t.sub) {
      // Member sub-attributes (value, type, $ref) are immutable: a member is added or removed whole.
      throw badRequest('mutability', `"${t.path}": members can only be added or removed whole, not changed`);
    }
    if (t.filter) {
      if (op !== 'remove') {
        throw badRequest('invalidPath', `"${t.path}": use "add" with path "${t.attr.name}" to add members`);
      }
      const ids = idsFromFilter(t.filter);
      if (!ids) {
        throw badRequest('invalidFilter', `"${t.path}": only value filters (value eq "id", joined by "or") are supported on members`);
      }
      return this.removed(ids);
    }
    if (op === 'replace') this.clear();
    if (value === undefined || value === null) {
      if (op === 'remove') this.clear();
      return;
    }
    const ids = memberIds(value, t.path);
    if (op === 'remove') this.removed(ids);
    else this.added(ids);
  }

  /** The delta, or undefined when no operation touched the membership attribute. */
  change(): MemberChange | undefined {
    if (!this.used) return undefined;
    const change: MemberChange = {};
    if (this.removeAll) change.removeAll = true;
    if (this.remove.size > 0) change.remove = [...this.remove];
    if (this.add.size > 0) change.add = [...this.add];
    return change;
  }

  private clear(): void {
    this.used = true;
    this.removeAll = true;
    this.add.clear();
    this.remove.clear();
  }

  private added(ids: string[]): void {
    this.used = true;
    for (const id of ids) {
      this.remove.delete(id);
      this.add.add(id);
    }
  }

  private removed(ids: string[]): void {
    this.used = true;
    for (const id of ids) {
      this.add.delete(id);
      if (!this.removeAll) this.remove.add(id);
    }
  }
}

function memberIds(value: unknown, path: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    const id = isObject(item) ? item['value'] : undefined;
    if (typeof id !== 'string' || id === '') {
      throw badRequest('invalidValue', `Attribute "${path}[${i}].value" must be a non-empty string`);
    }
    return id;
  });
}

/** Ids named by `value eq "a"` or `value eq "a" or value eq "b"`; undefined for anything else. */
function idsFromFilter(filter: Filter): string[] | undefined {
  if (filter.kind === 'or') {
    const left = idsFromFilter(filter.left);
    const right = idsFromFilter(filter.right);
    return left && right ? [...left, ...right] : undefined;
  }
  const isValueEq =
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    !filter.path.uri &&
    !filter.path.sub &&
    filter.path.attr.toLowerCase() === 'value' &&
    typeof filter.value === 'string';
  return isValueEq ? [filter.value as string] : undefined;
}
