// A config file that cannot be read or is not valid. Kept apart from read.ts so the CLI's error
// reporting can recognise it without loading the config modules.

import { formatIssue, type SchemaIssue } from '../model/errors.js';

/** A config file that cannot be read or is not valid; `issues` has one entry per problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly SchemaIssue[];

  constructor(file: string, issues: readonly SchemaIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(`Invalid config file ${file} (${count}):\n${issues.map((i) => `  - ${formatIssue(i)}`).join('\n')}`);
    this.issues = issues;
  }
}
