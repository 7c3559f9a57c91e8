// --junit FILE: JUnit XML, which CI systems show as test results; one testsuite per group.

import type { CheckResult } from '../run.js';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

export function junitReport(results: readonly CheckResult[]): string {
  const groups = [...new Set(results.map((r) => r.group))];
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  lines.push(`<testsuites name="create-scim-server check" tests="${results.length}" failures="${total('failed')}" skipped="${total('skipped')}">`);
  for (const group of groups) {
    const cases = results.filter((r) => r.group === group);
    const time = seconds(cases.reduce((sum, r) => sum + r.durationMs, 0));
    lines.push(
      `  <testsuite name="${escape(group)}" tests="${cases.length}" failures="${cases.filter((r) => r.status === 'failed').length}" skipped="${cases.filter((r) => r.status === 'skipped').length}" time="${time}">`,
    );
    for (const r of cases) {
      const open = `    <testcase classname="${escape(r.group)}" name="${escape(r.title)}" time="${seconds(r.durationMs)}"`;
      if (r.status === 'passed') lines.push(`${open}/>`);
      else if (r.status === 'skipped') lines.push(`${open}>`, `      <skipped message="${escape(r.reason ?? '')}"/>`, '    </testcase>');
      else {
        const f = r.failure!;
        const body = [f.request && `request: ${f.request}`, f.requestBody && `body: ${f.requestBody}`, `expected: ${f.expected}`, `actual: ${f.actual}`, `fix: ${f.hint}`]
          .filter(Boolean)
          .join('\n');
        lines.push(`${open}>`, `      <failure message="${escape(`expected ${f.expected}`)}">${escape(body)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
