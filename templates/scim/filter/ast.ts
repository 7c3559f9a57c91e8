// The parsed form of SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2).
// Attribute names are kept as written; resolving them against a schema (case-insensitively)
// is the job of the consumer, because the same AST is compiled to SQL and evaluated in memory.

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type Literal = string | number | boolean | null;

/** `urn:...:User:manager.value` -> { uri: 'urn:...:User', attr: 'manager', sub: 'value' } */
export interface AttrPath {
  uri?: string;
  attr: string;
  sub?: string;
}

export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; filter: Filter }
  | { kind: 'compare'; op: CompareOp; path: AttrPath; value: Literal }
  | { kind: 'present'; path: AttrPath }
  /**
   * `emails[type eq "work" and value co "@x"]`: some element of the multi-valued attribute
   * `path` matches `filter`, whose paths are relative to the element (their `attr` names a
   * sub-attribute). The non-standard `emails[type eq "work"].value eq "x"` that Entra ID sends
   * is parsed into the same node: valuePath(emails, and(type eq "work", value eq "x")).
   */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

/**
 * A PATCH operation's `path`: `name.givenName`, `urn:...:User:employeeNumber`,
 * `members[value eq "id"]`, `emails[type eq "work"].value`. With `filter`, `sub` is the
 * sub-attribute written after the closing bracket.
 */
export interface PatchPath {
  uri?: string;
  attr: string;
  filter?: Filter;
  sub?: string;
}
