// Parser for SCIM filters (RFC 7644 §3.4.2.2), PATCH paths (§3.5.2) and plain attribute paths
// (sortBy, attributes=, excludedAttributes=). A small tokenizer feeds a recursive-descent
// parser; precedence is `not` > `and` > `or`, all keywords and operators case-insensitive.
// Besides the RFC grammar it accepts the form Entra ID sends, `emails[type eq "work"].value eq "x"`.

import { badRequest, type ScimType } from '../errors.js';
import type { AttrPath, CompareOp, Filter, Literal, PatchPath } from './ast.js';

/** Longer input is refused before parsing, so a hostile filter can't cost much. */
export const MAX_FILTER_LENGTH = 10_000;
/** Parentheses, `not` and value paths nested deeper than this are refused (stack safety). */
export const MAX_NESTING_DEPTH = 50;

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>([
  'eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le',
]);
// RFC 7643 §2.1 ATTRNAME, plus the leading '$' of "$ref".
const ATTR_NAME = /^\$?[A-Za-z][A-Za-z0-9_-]*$/;
// JSON number (RFC 8259 §6).
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const WHITESPACE = /\s/;
const BACKSLASH = 92;

type TokenKind = '(' | ')' | '[' | ']' | 'string' | 'word' | 'end';

interface Token {
  kind: TokenKind;
  /** 0-based offset in the input. */
  pos: number;
  /** The source text of the token. */
  text: string;
  /** The decoded value of a string token. */
  value?: string;
}

/** Builds the error a parse failure throws; positions are reported 1-based for humans. */
type Fail = (pos: number, message: string) => never;

function failWith(scimType: ScimType, label: string): Fail {
  return (pos, message) => {
    throw badRequest(scimType, `${label} at position ${pos + 1}: ${message}`);
  };
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the input';
  const text = token.text.length > 40 ? `${token.text.slice(0, 40)}...` : token.text;
  return `"${text}"`;
}

function readString(text: string, start: number, fail: Fail): Token {
  let i = start + 1;
  // Plain: no escape and no control character, so the text between the quotes is the value.
  let plain = true;
  while (i < text.length && text[i] !== '"') {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH || code < 32) plain = false;
    i += code === BACKSLASH ? 2 : 1;
  }
  if (i >= text.length) fail(start, 'unterminated string (missing closing ")');
  const source = text.slice(start, i + 1);
  if (plain) return { kind: 'string', pos: start, text: source, value: text.slice(start + 1, i) };
  let value: unknown;
  try {
    // A filter string literal is a JSON string (RFC 7644 §3.4.2.2), escapes included.
    value = JSON.parse(source);
  } catch {
    fail(start, 'invalid string literal; use JSON escapes such as \\" \\\\ \\n \\u00e9');
  }
  return { kind: 'string', pos: start, text: source, value: value as string };
}

/** `\s` of the character at `i`; ASCII, nearly every filter, is decided without a regex. */
function isSpace(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code < 128 ? code === 32 || (code >= 9 && code <= 13) : WHITESPACE.test(text[i] as string);
}

/** Whether the character at `i` ends a bare word: whitespace, brackets, parentheses, a quote. */
function endsWord(text: string, i: number): boolean {
  const ch = text[i];
  return ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === '"' || isSpace(text, i);
}

function tokenize(text: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (isSpace(text, i)) {
      i++;
    } else if (ch === '(' || ch === ')' || ch === '[' || ch === ']') {
      tokens.push({ kind: ch, pos: i, text: ch });
      i++;
    } else if (ch === '"') {
      const token = readString(text, i, fail);
      tokens.push(token);
      i += token.text.length;
    } else {
      let end = i + 1;
      while (end < text.length && !endsWord(text, end)) end++;
      tokens.push({ kind: 'word', pos: i, text: text.slice(i, end) });
      i = end;
    }
  }
  tokens.push({ kind: 'end', pos: text.length, text: '' });
  return tokens;
}

/**
 * Splits `urn:...:2.0:User:manager.value` at the last ':' (URNs contain dots, so dots are only
 * looked for after it), then splits the rest into attribute and sub-attribute.
 */
function splitPath(token: Token, fail: Fail): AttrPath {
  const colon = token.text.lastIndexOf(':');
  const uri = colon >= 0 ? token.text.slice(0, colon) : undefined;
  const parts = token.text.slice(colon + 1).split('.');
  const [attr = '', sub] = parts;
  const valid =
    uri !== '' &&
    parts.length <= 2 &&
    ATTR_NAME.test(attr) &&
    (sub === undefined || ATTR_NAME.test(sub));
  if (!valid) {
    fail(token.pos, `${describe(token)} is not a valid attribute path (expected attr, attr.sub or urn:...:attr)`);
  }
  const path: AttrPath = { attr };
  if (uri !== undefined) path.uri = uri;
  if (sub !== undefined) path.sub = sub;
  return path;
}

const isWord = (token: Token, keyword: string) =>
  token.kind === 'word' && token.text.toLowerCase() === keyword;

class Parser {
  private index = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    readonly fail: Fail,
  ) {}

  peek(): Token {
    return this.tokens[this.index] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  expect(kind: TokenKind, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) this.fail(token.pos, `expected ${what} but found ${describe(token)}`);
    return this.next();
  }

  /** Runs `body` one nesting level deeper, refusing input nested beyond the limit. */
  nested<T>(at: Token, body: () => T): T {
    if (++this.depth > MAX_NESTING_DEPTH) {
      this.fail(at.pos, `nesting is deeper than ${MAX_NESTING_DEPTH} levels`);
    }
    const result = body();
    this.depth--;
    return result;
  }

  /** `or` binds loosest. `inValue` is true inside `attr[...]`, where value paths can't nest. */
  parseOr(inValue: boolean): Filter {
    let left = this.parseAnd(inValue);
    while (isWord(this.peek(), 'or')) {
      this.next();
      left = { kind: 'or', left, right: this.parseAnd(inValue) };
    }
    return left;
  }

  private parseAnd(inValue: boolean): Filter {
    let left = this.parseUnary(inValue);
    while (isWord(this.peek(), 'and')) {
      this.next();
      left = { kind: 'and', left, right: this.parseUnary(inValue) };
    }
    return left;
  }

  private parseUnary(inValue: boolean): Filter {
    const token = this.peek();
    if (token.kind === '(') {
      this.next();
      return this.nested(token, () => this.parseGroup(token, inValue));
    }
    if (isWord(token, 'not')) {
      this.next();
      const open = this.expect('(', `"(" after "not" (write not (expression))`);
      return this.nested(token, () => ({ kind: 'not', filter: this.parseGroup(open, inValue) }));
    }
    if (token.kind === 'word' && !isWord(token, 'and') && !isWord(token, 'or')) {
      this.next();
      const path = splitPath(token, this.fail);
      if (this.peek().kind === '[') return this.parseValuePath(path, token, inValue);
      return this.parseAttrExp(path, token);
    }
    return this.fail(
      token.pos,
      `expected an attribute name, "not" or "(" but found ${describe(token)}`,
    );
  }

  private parseGroup(open: Token, inValue: boolean): Filter {
    const filter = this.parseOr(inValue);
    this.expect(')', `")" to close the "(" at position ${open.pos + 1}`);
    return filter;
  }

  /** `attr[filter]`, optionally followed by Entra's `.sub op value` / `.sub pr`. */
  private parseValuePath(path: AttrPath, pathToken: Token, inValue: boolean): Filter {
    const open = this.peek();
    if (inValue) this.fail(open.pos, 'value paths ("attr[...]") cannot be nested');
    if (path.sub !== undefined) {
      this.fail(open.pos, `"[" must follow an attribute name, not the sub-attribute ${describe(pathToken)}`);
    }
    this.next();
    const inner = this.nested(open, () => this.parseValueFilter(open));
    const after = this.peek();
    if (after.kind !== 'word' || !after.text.startsWith('.')) {
      return { kind: 'valuePath', path, filter: inner };
    }
    this.next();
    const sub = this.subAttribute(after);
    const subFilter = this.parseAttrExp(sub, after);
    return { kind: 'valuePath', path, filter: { kind: 'and', left: inner, right: subFilter } };
  }

  parseValueFilter(open: Token): Filter {
    const filter = this.parseOr(true);
    this.expect(']', `"]" to close the "[" at position ${open.pos + 1}`);
    return filter;
  }

  /** The `.sub` word written right after a closing bracket. */
  subAttribute(token: Token): AttrPath {
    const name = token.text.slice(1);
    if (!ATTR_NAME.test(name)) {
      this.fail(token.pos, `expected a sub-attribute name after "]." but found ${describe(token)}`);
    }
    return { attr: name };
  }

  private parseAttrExp(path: AttrPath, pathToken: Token): Filter {
    const token = this.next();
    const op = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (op === 'pr') return { kind: 'present', path };
    if (!COMPARE_OPS.has(op)) {
      this.fail(
        token.pos,
        `expected an operator (eq, ne, co, sw, ew, gt, ge, lt, le or pr) after ${describe(pathToken)} but found ${describe(token)}`,
      );
    }
    return { kind: 'compare', op: op as CompareOp, path, value: this.parseLiteral(op) };
  }

  private parseLiteral(op: string): Literal {
    const token = this.next();
    if (token.kind === 'string') return token.value as string;
    if (token.kind === 'word') {
      const word = token.text.toLowerCase();
      if (word === 'true') return true;
      if (word === 'false') return false;
      if (word === 'null') return null;
      if (NUMBER.test(token.text)) return Number(token.text);
    }
    return this.fail(
      token.pos,
      `expected a value after "${op}" (a "quoted string", a number, true, false or null) but found ${describe(token)}`,
    );
  }

  expectEnd(what: string): void {
    const token = this.peek();
    if (token.kind === 'end') return;
    const hint = token.kind === ')' || token.kind === ']' ? `unbalanced "${token.text}"` : `unexpected ${describe(token)}`;
    this.fail(token.pos, `${hint}; expected ${what}`);
  }
}

function prepare(text: string, scimType: ScimType, label: string): Parser {
  const fail = failWith(scimType, label);
  if (typeof text !== 'string' || text.trim() === '') {
    throw badRequest(scimType, `${label}: it is empty`);
  }
  if (text.length > MAX_FILTER_LENGTH) {
    throw badRequest(scimType, `${label}: longer than ${MAX_FILTER_LENGTH} characters`);
  }
  return new Parser(tokenize(text, fail), fail);
}

/** Parses a `filter` query parameter or SearchRequest filter; throws 400 invalidFilter. */
export function parseFilter(text: string): Filter {
  const parser = prepare(text, 'invalidFilter', 'Invalid filter');
  const filter = parser.parseOr(false);
  parser.expectEnd('"and", "or" or the end of the filter');
  return filter;
}

/** Parses a PATCH operation's `path` (RFC 7644 §3.5.2 PATH); throws 400 invalidPath. */
export function parsePatchPath(text: string): PatchPath {
  const parser = prepare(text, 'invalidPath', 'Invalid PATCH path');
  const first = parser.expect('word', 'an attribute path');
  const path: PatchPath = splitPath(first, parser.fail);
  const open = parser.peek();
  if (open.kind === '[') {
    if (path.sub !== undefined) {
      parser.fail(open.pos, `"[" must follow an attribute name, not the sub-attribute ${describe(first)}`);
    }
    parser.next();
    path.filter = parser.nested(open, () => parser.parseValueFilter(open));
    const after = parser.peek();
    if (after.kind === 'word' && after.text.startsWith('.')) {
      parser.next();
      path.sub = parser.subAttribute(after).attr;
    }
  }
  parser.expectEnd(open.kind === '[' ? 'the end of the path' : '"[" or the end of the path');
  return path;
}

/** Parses one `sortBy` / `attributes` / `excludedAttributes` entry; throws 400 invalidPath. */
export function parseAttrPath(text: string): AttrPath {
  const parser = prepare(text, 'invalidPath', 'Invalid attribute path');
  const path = splitPath(parser.expect('word', 'an attribute path'), parser.fail);
  parser.expectEnd('the end of the attribute path');
  return path;
}
