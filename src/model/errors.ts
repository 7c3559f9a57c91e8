// Problems found in schema files. Validation collects every problem before throwing, so a
// user fixes a file in one pass instead of one error per run.

export interface SchemaIssue {
  /** The file as the user named it (or the bundled file's name). */
  file: string;
  /**
   * JSON path of the offending value, e.g. `$.attributes[3].mutability`; `$` for the whole file;
   * empty when `file` names a flag rather than a file.
   */
  path: string;
  /** What was expected and what was found. */
  message: string;
  /** Set for JSON syntax errors, 1-based. */
  line?: number;
  column?: number;
}

export function formatIssue(issue: SchemaIssue): string {
  if (issue.line !== undefined) {
    return `${issue.file}:${issue.line}:${issue.column ?? 1}: ${issue.message}`;
  }
  // A flag (--extend) has no JSON path.
  if (issue.path === '') return `${issue.file}: ${issue.message}`;
  return `${issue.file}: ${issue.path}: ${issue.message}`;
}

export class SchemaValidationError extends Error {
  override readonly name = 'SchemaValidationError';
  readonly issues: readonly SchemaIssue[];

  constructor(issues: readonly SchemaIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid SCIM schema (${count}):\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.issues = issues;
  }
}
