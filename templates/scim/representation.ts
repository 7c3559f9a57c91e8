// The SCIM representation of a stored resource (RFC 7643 §3.1): what responses carry and hooks
// see. Pure functions of the stored resource, the registry (for `$ref`s) and the base URL.

import { etagOf } from './etag.js';
import type { Registry, ResourceTypeModel } from './registry.js';
import type { MemberOf, StoredResource } from './store.js';

type Json = Record<string, unknown>;

/** The attribute a Group's members are shown in (kept in a membership table, not the document). */
export const MEMBERS = 'members';
/** The computed, readOnly attribute a User's memberships are shown in. */
export const GROUPS = 'groups';

/** The URL of a resource: `meta.location`, the `Location` of a 201, and every `$ref` to it. */
export function location(model: ResourceTypeModel, id: string, baseUrl: string): string {
  return `${baseUrl}${model.def.endpoint}/${encodeURIComponent(id)}`;
}

/**
 * The SCIM representation: schemas, id, attributes, members, groups, meta (RFC 7643 §3.1).
 * `groups` are the resource's direct memberships, when the store was asked to read them.
 */
export function renderResource(registry: Registry, model: ResourceTypeModel, stored: StoredResource, baseUrl: string): Json {
  const { schemas: _ignored, ...attributes } = stored.attributes;
  const schemas = [model.core.id, ...model.extensions.map((e) => e.schema.id).filter((urn) => urn in attributes)];
  const out: Json = { schemas, id: stored.id, ...attributes };
  if (stored.members && stored.members.length > 0) {
    out[MEMBERS] = stored.members.map((m) => reference(registry, m, m.type, baseUrl));
  }
  if (stored.groups && stored.groups.length > 0) {
    // Only direct memberships are computed; "indirect" (through nested groups) is not.
    out[GROUPS] = stored.groups.map((g) => reference(registry, g, 'direct', baseUrl));
  }
  out.meta = {
    resourceType: model.def.name,
    created: stored.created,
    lastModified: stored.lastModified,
    location: location(model, stored.id, baseUrl),
    version: etagOf(stored.version),
  };
  return out;
}

/**
 * One element of `members` or `groups`: the other resource's id, display and `$ref` (when its
 * type exists), then `type` as the attribute defines it.
 */
function reference(registry: Registry, other: MemberOf, type: string, baseUrl: string): Json {
  const otherType = registry.byName(other.type);
  return {
    value: other.value,
    ...(other.display !== undefined ? { display: other.display } : {}),
    ...(otherType ? { $ref: location(otherType, other.value, baseUrl) } : {}),
    type,
  };
}
