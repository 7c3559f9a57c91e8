// --json: the run as one JSON document for CI and scripts.

import type { CheckResult, Cleanup } from '../run.js';
import type { ReportHeader } from './text.js';

export function jsonReport(header: ReportHeader, results: readonly CheckResult[], cleanup: Cleanup): string {
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  const document = {
    baseUrl: header.baseUrl,
    auth: header.auth,
    readOnly: header.readOnly,
    summary: { passed: count('passed'), failed: count('failed'), skipped: count('skipped') },
    checks: results.map((r) => ({ ...r, durationMs: Math.round(r.durationMs) })),
    cleanup,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
