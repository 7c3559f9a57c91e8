import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../templates/scim/errors.js';
import type { AttrPath, CompareOp, Filter, Literal, PatchPath } from '../../../templates/scim/filter/ast.js';
import {
  MAX_FILTER_LENGTH,
  MAX_NESTING_DEPTH,
  parseAttrPath,
  parseFilter,
  parsePatchPath,
} from '../../../templates/scim/filter/parse.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

const path = (attr: string, sub?: string, uri?: string): AttrPath => ({
  attr,
  ...(sub !== undefined && { sub }),
  ...(uri !== undefined && { uri }),
});
const cmp = (p: AttrPath, op: CompareOp, value: Literal): Filter => ({ kind: 'compare', op, path: p, value });
const pr = (p: AttrPath): Filter => ({ kind: 'present', path: p });
const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
const not = (filter: Filter): Filter => ({ kind: 'not', filter });
const vp = (p: AttrPath, filter: Filter): Filter => ({ kind: 'valuePath', path: p, filter });

/** Runs `fn` and returns the ScimError it throws. */
function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}

describe('parseFilter', () => {
  const cases: Array<{ name: string; given: string; want: Filter }> = [
    { name: 'eq string', given: 'userName eq "bjensen"', want: cmp(path('userName'), 'eq', 'bjensen') },
    { name: 'ne', given: 'a ne "x"', want: cmp(path('a'), 'ne', 'x') },
    { name: 'co', given: 'a co "x"', want: cmp(path('a'), 'co', 'x') },
    { name: 'sw', given: 'a sw "x"', want: cmp(path('a'), 'sw', 'x') },
    { name: 'ew', given: 'a ew "x"', want: cmp(path('a'), 'ew', 'x') },
    { name: 'gt', given: 'a gt 1', want: cmp(path('a'), 'gt', 1) },
    { name: 'ge', given: 'a ge 1', want: cmp(path('a'), 'ge', 1) },
    { name: 'lt', given: 'a lt 1', want: cmp(path('a'), 'lt', 1) },
    { name: 'le', given: 'a le 1', want: cmp(path('a'), 'le', 1) },
    { name: 'pr', given: 'title pr', want: pr(path('title')) },
    { name: 'operators are case-insensitive', given: 'userName EQ "x" AND title Pr', want: and(cmp(path('userName'), 'eq', 'x'), pr(path('title'))) },
    { name: 'literals true/false/null, any case', given: 'a eq TRUE or b eq False or c eq nUlL', want: or(or(cmp(path('a'), 'eq', true), cmp(path('b'), 'eq', false)), cmp(path('c'), 'eq', null)) },
    { name: 'integer', given: 'n eq 42', want: cmp(path('n'), 'eq', 42) },
    { name: 'negative decimal', given: 'n eq -3.25', want: cmp(path('n'), 'eq', -3.25) },
    { name: 'exponent', given: 'n lt 1.5E+3', want: cmp(path('n'), 'lt', 1500) },
    { name: 'sub-attribute', given: 'name.familyName co "O\'Malley"', want: cmp(path('name', 'familyName'), 'co', "O'Malley") },
    { name: 'meta sub-attribute with a date', given: 'meta.lastModified gt "2011-05-13T04:42:34Z"', want: cmp(path('meta', 'lastModified'), 'gt', '2011-05-13T04:42:34Z') },
    { name: 'URN-qualified extension attribute (URN contains a dot)', given: `${ENT}:employeeNumber eq "701984"`, want: cmp(path('employeeNumber', undefined, ENT), 'eq', '701984') },
    { name: 'URN-qualified sub-attribute', given: `${ENT}:manager.value eq "26118915"`, want: cmp(path('manager', 'value', ENT), 'eq', '26118915') },
    { name: 'URN-qualified core attribute', given: `${CORE}:name.givenName sw "B"`, want: cmp(path('name', 'givenName', CORE), 'sw', 'B') },
    { name: '$ref as a name', given: 'manager.$ref pr', want: pr(path('manager', '$ref')) },
    { name: 'JSON escapes in strings', given: String.raw`a eq "q\"b\\s\/t\tn\nu\u00e9"`, want: cmp(path('a'), 'eq', 'q"b\\s/t\tn\nué') },
    { name: 'special characters inside a string', given: 'a eq "x:y.z[0] (w) and b eq \\"c\\""', want: cmp(path('a'), 'eq', 'x:y.z[0] (w) and b eq "c"') },
    { name: 'and binds tighter than or', given: 'a pr or b pr and c pr', want: or(pr(path('a')), and(pr(path('b')), pr(path('c')))) },
    { name: 'and is left-associative', given: 'a pr and b pr and c pr', want: and(and(pr(path('a')), pr(path('b'))), pr(path('c'))) },
    { name: 'parentheses override precedence', given: '(a pr or b pr) and c pr', want: and(or(pr(path('a')), pr(path('b'))), pr(path('c'))) },
    { name: 'not binds tighter than and', given: 'not (a pr) and b pr', want: and(not(pr(path('a'))), pr(path('b'))) },
    { name: 'NOT is case-insensitive', given: 'NOT(a pr)', want: not(pr(path('a'))) },
    { name: 'extra whitespace', given: '  userName   eq\t"x"  ', want: cmp(path('userName'), 'eq', 'x') },
    { name: 'non-ASCII whitespace separates words', given: 'userName\u00a0eq\u2003"x"', want: cmp(path('userName'), 'eq', 'x') },
    { name: 'non-ASCII string without escapes', given: 'displayName eq "Zoë 😀 Müller"', want: cmp(path('displayName'), 'eq', 'Zoë 😀 Müller') },
    { name: 'empty string', given: 'title eq ""', want: cmp(path('title'), 'eq', '') },
    {
      name: 'RFC value path',
      given: 'emails[type eq "work" and value co "@example.com"]',
      want: vp(path('emails'), and(cmp(path('type'), 'eq', 'work'), cmp(path('value'), 'co', '@example.com'))),
    },
    {
      name: 'value path combined with other terms',
      given: 'userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")',
      want: and(cmp(path('userType'), 'eq', 'Employee'), or(cmp(path('emails'), 'co', 'example.com'), cmp(path('emails', 'value'), 'co', 'example.org'))),
    },
    {
      name: 'value path with not and grouping inside',
      given: 'emails[not (type eq "home") and (primary eq true or display pr)]',
      want: vp(path('emails'), and(not(cmp(path('type'), 'eq', 'home')), or(cmp(path('primary'), 'eq', true), pr(path('display'))))),
    },
    {
      name: 'Entra form: value path then .sub eq',
      given: 'emails[type eq "work"].value eq "x@y.com"',
      want: vp(path('emails'), and(cmp(path('type'), 'eq', 'work'), cmp(path('value'), 'eq', 'x@y.com'))),
    },
    {
      name: 'Entra form: value path then .sub pr',
      given: 'emails[type eq "work"].value pr',
      want: vp(path('emails'), and(cmp(path('type'), 'eq', 'work'), pr(path('value')))),
    },
    {
      name: 'Entra form inside a conjunction',
      given: 'emails[type eq "work"].value eq "x" and active eq true',
      want: and(vp(path('emails'), and(cmp(path('type'), 'eq', 'work'), cmp(path('value'), 'eq', 'x'))), cmp(path('active'), 'eq', true)),
    },
    {
      name: 'URN-qualified value path',
      given: `${CORE}:emails[value ew ".org"]`,
      want: vp(path('emails', undefined, CORE), cmp(path('value'), 'ew', '.org')),
    },
    {
      name: 'value containing bracket and dot characters in a value path',
      given: 'members[value eq "a]b.c:d[e"]',
      want: vp(path('members'), cmp(path('value'), 'eq', 'a]b.c:d[e')),
    },
  ];

  it.each(cases)('$name', ({ given, want }) => {
    expect(parseFilter(given)).toEqual(want);
  });

  const errors: Array<{ name: string; given: string; detail: RegExp }> = [
    { name: 'empty', given: '', detail: /empty/ },
    { name: 'blank', given: '   ', detail: /empty/ },
    { name: 'missing operator', given: 'userName', detail: /position 9: expected an operator .* found the end/ },
    { name: 'unknown operator', given: 'userName like "x"', detail: /position 10: expected an operator/ },
    { name: 'missing value', given: 'userName eq', detail: /expected a value after "eq"/ },
    { name: 'unquoted string value', given: 'userName eq bjensen', detail: /position 13: expected a value/ },
    { name: 'single-quoted value', given: "userName eq 'x'", detail: /expected a value/ },
    { name: 'malformed number', given: 'n eq 01', detail: /expected a value/ },
    { name: 'unterminated string', given: 'userName eq "abc', detail: /position 13: unterminated string/ },
    { name: 'string ending in an escape', given: 'userName eq "abc\\"', detail: /unterminated string/ },
    { name: 'invalid escape', given: 'userName eq "a\\qb"', detail: /invalid string literal/ },
    { name: 'raw control character in a string', given: 'userName eq "a\nb"', detail: /invalid string literal/ },
    { name: 'raw tab in a string', given: 'userName eq "a\tb"', detail: /invalid string literal/ },
    { name: 'not without parentheses', given: 'not userName eq "x"', detail: /expected "\(" after "not"/ },
    { name: 'unclosed parenthesis', given: '(userName eq "x"', detail: /expected "\)" to close the "\(" at position 1/ },
    { name: 'unbalanced closing parenthesis', given: 'userName eq "x")', detail: /position 16: unbalanced "\)"/ },
    { name: 'empty parentheses', given: '()', detail: /expected an attribute name/ },
    { name: 'dangling and', given: 'a pr and', detail: /expected an attribute name.*end of the input/ },
    { name: 'leading or', given: 'or a pr', detail: /expected an attribute name.*"or"/ },
    { name: 'two expressions without a keyword', given: 'a pr b pr', detail: /unexpected "b"/ },
    { name: 'unclosed bracket', given: 'emails[type eq "work"', detail: /expected "\]" to close/ },
    { name: 'stray closing bracket', given: 'a pr]', detail: /unbalanced "\]"/ },
    { name: 'nested value path', given: 'emails[type[value eq "x"] pr]', detail: /cannot be nested/ },
    { name: 'bracket after a sub-attribute', given: 'name.givenName[value eq "x"]', detail: /must follow an attribute name/ },
    { name: 'Entra form without an operator', given: 'emails[type eq "work"].value', detail: /expected an operator/ },
    { name: 'Entra form with a dotted sub', given: 'emails[type eq "work"].value.x eq "a"', detail: /sub-attribute name/ },
    { name: 'too many dots', given: 'a.b.c eq "x"', detail: /not a valid attribute path/ },
    { name: 'name starting with a digit', given: '1abc eq "x"', detail: /not a valid attribute path/ },
    { name: 'trailing colon', given: `${ENT}: eq "x"`, detail: /not a valid attribute path/ },
    { name: 'leading colon', given: ':userName eq "x"', detail: /not a valid attribute path/ },
    { name: 'value where a path belongs', given: '"x" eq userName', detail: /expected an attribute name/ },
  ];

  it.each(errors)('rejects $name with 400 invalidFilter', ({ given, detail }) => {
    const error = scimError(() => parseFilter(given));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidFilter');
    expect(error.message).toMatch(detail);
  });

  it('refuses input longer than the limit', () => {
    const long = `userName eq "${'x'.repeat(MAX_FILTER_LENGTH)}"`;
    expect(scimError(() => parseFilter(long)).message).toMatch(/longer than/);
  });

  it('accepts nesting up to the limit and refuses one level more', () => {
    const nest = (n: number) => `${'('.repeat(n)}a pr${')'.repeat(n)}`;
    expect(parseFilter(nest(MAX_NESTING_DEPTH))).toEqual(pr(path('a')));
    expect(scimError(() => parseFilter(nest(MAX_NESTING_DEPTH + 1))).message).toMatch(/deeper than 50/);
    const nots = `${'not ('.repeat(MAX_NESTING_DEPTH + 1)}a pr${')'.repeat(MAX_NESTING_DEPTH + 1)}`;
    expect(scimError(() => parseFilter(nots)).scimType).toBe('invalidFilter');
  });

  it('survives hostile deep nesting within the length limit', () => {
    const n = 4_000;
    const error = scimError(() => parseFilter(`${'('.repeat(n)}a pr${')'.repeat(n)}`));
    expect(error.scimType).toBe('invalidFilter');
  });
});

describe('parsePatchPath', () => {
  const cases: Array<{ given: string; want: PatchPath }> = [
    { given: 'userName', want: { attr: 'userName' } },
    { given: 'members', want: { attr: 'members' } },
    { given: 'name.givenName', want: { attr: 'name', sub: 'givenName' } },
    { given: `${ENT}:employeeNumber`, want: { uri: ENT, attr: 'employeeNumber' } },
    { given: `${ENT}:manager.value`, want: { uri: ENT, attr: 'manager', sub: 'value' } },
    { given: 'members[value eq "2819c223"]', want: { attr: 'members', filter: cmp(path('value'), 'eq', '2819c223') } },
    { given: 'emails[type eq "work"].value', want: { attr: 'emails', filter: cmp(path('type'), 'eq', 'work'), sub: 'value' } },
    { given: 'addresses[type eq "work"].streetAddress', want: { attr: 'addresses', filter: cmp(path('type'), 'eq', 'work'), sub: 'streetAddress' } },
    { given: `${ENT}:manager[value eq "id:1.2"]`, want: { uri: ENT, attr: 'manager', filter: cmp(path('value'), 'eq', 'id:1.2') } },
    {
      given: 'members[value eq "a" or value eq "b"]',
      want: { attr: 'members', filter: or(cmp(path('value'), 'eq', 'a'), cmp(path('value'), 'eq', 'b')) },
    },
  ];

  it.each(cases)('parses $given', ({ given, want }) => {
    expect(parsePatchPath(given)).toEqual(want);
  });

  const errors: Array<{ given: string; detail: RegExp }> = [
    { given: '', detail: /empty/ },
    { given: 'emails[type eq "work"', detail: /expected "\]"/ },
    { given: 'emails]', detail: /unbalanced "\]"/ },
    { given: 'emails[]', detail: /expected an attribute name/ },
    { given: 'emails[type eq work]', detail: /expected a value/ },
    { given: 'name.givenName[value eq "x"]', detail: /must follow an attribute name/ },
    { given: 'emails[type eq "work"].value.x', detail: /sub-attribute name/ },
    { given: 'emails[type eq "work"] extra', detail: /unexpected "extra"/ },
    { given: 'emails[type[value eq "x"] pr]', detail: /cannot be nested/ },
    { given: 'user name', detail: /unexpected "name"/ },
    { given: 'a.b.c', detail: /not a valid attribute path/ },
    { given: '!!', detail: /not a valid attribute path/ },
    { given: '"userName"', detail: /expected an attribute path/ },
  ];

  it.each(errors)('rejects $given with 400 invalidPath', ({ given, detail }) => {
    const error = scimError(() => parsePatchPath(given));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidPath');
    expect(error.message).toMatch(detail);
  });
});

describe('parseAttrPath', () => {
  const cases: Array<{ given: string; want: AttrPath }> = [
    { given: 'userName', want: path('userName') },
    { given: 'name.familyName', want: path('name', 'familyName') },
    { given: 'meta.lastModified', want: path('meta', 'lastModified') },
    { given: `${ENT}:manager.displayName`, want: path('manager', 'displayName', ENT) },
    { given: ' emails.value ', want: path('emails', 'value') },
  ];

  it.each(cases)('parses $given', ({ given, want }) => {
    expect(parseAttrPath(given)).toEqual(want);
  });

  it.each(['', 'emails[type eq "work"]', 'name givenName', 'a.b.c', 'name.'])('rejects %j with invalidPath', (given) => {
    const error = scimError(() => parseAttrPath(given));
    expect(error.scimType).toBe('invalidPath');
  });
});
