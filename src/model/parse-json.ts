// JSON.parse with the error located by line and column, so a user can jump to the typo.

import type { SchemaIssue } from './errors.js';

export type ParseResult = { ok: true; value: unknown } | { ok: false; issue: SchemaIssue };

export function parseJson(text: string, file: string): ParseResult {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (error) {
    const raw = (error as SyntaxError).message;
    const position = /at position (\d+)/.exec(raw)?.[1];
    const offset = position !== undefined ? Number(position) : /end of JSON input/.test(raw) ? source.length : undefined;
    // V8 appends the offset and sometimes a quoted excerpt; we give line and column instead.
    const message = raw
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/, ".*" is not valid JSON$/s, '');
    const issue: SchemaIssue = { file, path: '$', message: `invalid JSON: ${message}` };
    if (offset !== undefined) Object.assign(issue, lineAndColumn(source, offset));
    return { ok: false, issue };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
