import { describe, expect, it } from 'vitest';
import { mergeThreeWay } from '../../../src/write/merge.js';

const base = ['// header', 'export const a = 1;', '', 'export const b = 2;', '', 'export const c = 3;', ''].join('\n');

describe('mergeThreeWay', () => {
  it('keeps the user edit and applies the generator change when they touch different lines', () => {
    const ours = base.replace('export const a = 1;', 'export const a = 1; // mine');
    const theirs = base.replace('export const c = 3;', 'export const c = 30;');
    expect(mergeThreeWay(ours, base, theirs)).toEqual({
      clean: true,
      content: base.replace('export const a = 1;', 'export const a = 1; // mine').replace('export const c = 3;', 'export const c = 30;'),
    });
  });

  it('reports a conflict when both change the same line differently', () => {
    const ours = base.replace('const b = 2', 'const b = 20');
    const theirs = base.replace('const b = 2', 'const b = 200');
    expect(mergeThreeWay(ours, base, theirs)).toEqual({ clean: false, conflicts: 1 });
  });

  it('takes an identical change on both sides as agreement, not a conflict', () => {
    const both = base.replace('const b = 2', 'const b = 5');
    expect(mergeThreeWay(both, base, both)).toEqual({ clean: true, content: both });
  });

  it('works line by line: whitespace inside a line is kept exactly, and a missing final newline too', () => {
    const b = 'a\n  x  =  1\nz';
    const ours = 'a\n  x  =  1\nz // end';
    const theirs = 'a0\n  x  =  1\nz';
    expect(mergeThreeWay(ours, b, theirs)).toEqual({ clean: true, content: 'a0\n  x  =  1\nz // end' });
  });

  it('handles additions at both ends of the file', () => {
    const ours = `// mine first\n${base}`;
    const theirs = `${base}export const d = 4;\n`;
    expect(mergeThreeWay(ours, base, theirs)).toEqual({ clean: true, content: `// mine first\n${base}export const d = 4;\n` });
  });
});
