// The report for a person: checks grouped as they ran, each failure with its request, what was
// expected, what came back and a one-line fix; then the totals and what cleanup did.

import type { CheckResult, Cleanup } from '../run.js';

export interface ReportHeader {
  baseUrl: string;
  auth: string;
  readOnly: boolean;
}

export interface Style {
  pass(text: string): string;
  fail(text: string): string;
  dim(text: string): string;
}

export const plain: Style = { pass: (t) => t, fail: (t) => t, dim: (t) => t };

export function textReport(header: ReportHeader, results: readonly CheckResult[], cleanup: Cleanup, style: Style = plain): string {
  const lines = [`Checking ${header.baseUrl} with ${header.auth}${header.readOnly ? ' (read-only)' : ''}`];
  let group: string | undefined;
  for (const result of results) {
    if (result.group !== group) {
      group = result.group;
      lines.push('', group);
    }
    if (result.status === 'passed') lines.push(`  ${style.pass('✔')} ${result.title}`);
    else if (result.status === 'skipped') lines.push(style.dim(`  - ${result.title} (skipped: ${result.reason})`));
    else {
      const f = result.failure!;
      lines.push(`  ${style.fail('✖')} ${result.title}`);
      if (f.request) lines.push(`      request:  ${f.request}`);
      if (f.requestBody) lines.push(`      body:     ${f.requestBody}`);
      lines.push(`      expected: ${f.expected}`, `      actual:   ${f.actual}`, `      fix:      ${f.hint}`);
    }
  }
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const failed = count('failed');
  lines.push('', `${failed === 0 ? style.pass('All checks passed') : style.fail(`${failed} ${failed === 1 ? 'check' : 'checks'} failed`)}: ${count('passed')} passed, ${failed} failed, ${count('skipped')} skipped.`);
  if (cleanup.deleted.length > 0) lines.push(`Cleanup: deleted the ${cleanup.deleted.length} resources this run created.`);
  for (const left of cleanup.left) lines.push(style.fail(`Cleanup: could not delete ${left.path} (${left.why}); delete it yourself.`));
  return `${lines.join('\n')}\n`;
}
