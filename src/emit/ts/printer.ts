// Shared printing for the ts-morph emitters: one formatting setup (2-space indent, single
// quotes, trailing newline) so every schema-derived module reads alike and stays byte-stable.

import type {
  CodeBlockWriter,
  JSDocStructure,
  OptionalKind,
  SourceFile,
  StatementStructures,
  ts,
  WriterFunction,
} from 'ts-morph';
import { tsMorph } from './morph.js';

/** A JSON-like value written as a TypeScript literal. Undefined object values are left out. */
export type Literal =
  | string
  | number
  | boolean
  | readonly Literal[]
  | { readonly [key: string]: Literal | undefined };

/** The TypeScript printer and an empty file to print nodes against, made on first use. */
let printing: { printer: ts.Printer; scratch: ts.SourceFile } | undefined;
function printerOf() {
  const { ts: compiler } = tsMorph();
  return (printing ??= {
    printer: compiler.createPrinter({ newLine: compiler.NewLineKind.LineFeed }),
    scratch: compiler.createSourceFile('scratch.ts', '', compiler.ScriptTarget.Latest),
  });
}

/**
 * Builds a module from structures; `edit` may adjust nodes before printing. A fresh in-memory
 * project per call keeps emitters pure and independent of each other.
 */
export function printModule(
  statements: StatementStructures[],
  edit?: (file: SourceFile) => void,
): string {
  const { IndentationText, Project, QuoteKind } = tsMorph();
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      quoteKind: QuoteKind.Single,
    },
  });
  const file = project.createSourceFile('module.ts', { statements });
  edit?.(file);
  const text = file.getFullText();
  return text.endsWith('\n') ? text : `${text}\n`;
}

/**
 * A string literal escaped by the TypeScript printer: single-quoted unless the text has more
 * single than double quotes, the choice prettier's `singleQuote` makes.
 */
export function stringLiteral(text: string): string {
  const single = (text.match(/'/g) ?? []).length <= (text.match(/"/g) ?? []).length;
  const { ts: compiler } = tsMorph();
  const { printer, scratch } = printerOf();
  const node = compiler.factory.createStringLiteral(text, single);
  return printer.printNode(compiler.EmitHint.Expression, node, scratch);
}

/** Whether text is one identifier token; keywords count, as they are valid property names. */
export function scanWord(text: string): 'identifier' | 'keyword' | undefined {
  const { ts: compiler } = tsMorph();
  const { Latest } = compiler.ScriptTarget;
  const scanner = compiler.createScanner(Latest, false, compiler.LanguageVariant.Standard, text);
  const token = scanner.scan();
  if (scanner.getTokenEnd() !== text.length) return undefined;
  if (token === compiler.SyntaxKind.Identifier) return 'identifier';
  const keyword = token >= compiler.SyntaxKind.FirstKeyword && token <= compiler.SyntaxKind.LastKeyword;
  return keyword ? 'keyword' : undefined;
}

/** A property name: bare when it is an identifier, quoted otherwise (URNs, "cost-center"). */
export function propertyName(name: string): string {
  return scanWord(name) ? name : stringLiteral(name);
}

// Doc lines longer than this are wrapped at spaces; schema descriptions are often one long line.
const DOC_WIDTH = 90;

/** Text safe inside a JSDoc block (a stray "*\/" would end it early), wrapped for reading. */
export function docText(text: string): string {
  return text
    .trim()
    .replaceAll('*/', '*\\/')
    .split('\n')
    .map((line) => wrap(line.trimEnd()))
    .join('\n');
}

function wrap(line: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of line.split(' ')) {
    if (current !== '' && current.length + 1 + word.length > DOC_WIDTH) {
      lines.push(current);
      current = word;
    } else {
      current = current === '' ? word : `${current} ${word}`;
    }
  }
  lines.push(current);
  return lines.join('\n');
}

export type Doc = OptionalKind<JSDocStructure>;

/** A JSDoc block with an optional description and `@tag text` lines. */
export function jsDoc(
  description: string | undefined,
  tags: ReadonlyArray<[tagName: string, text: string]> = [],
): Doc {
  return {
    description: description === undefined ? '' : docText(description),
    tags: tags.map(([tagName, text]) => ({ tagName, text: docText(text) })),
  };
}

// Arrays of short scalars stay on one line, as a formatter would leave them.
const INLINE_ARRAY_WIDTH = 60;

/** Writes a value as a multi-line literal: objects expanded, short scalar arrays inline. */
export function literalWriter(value: Literal): WriterFunction {
  return (writer) => writeLiteral(writer, value);
}

function writeLiteral(writer: CodeBlockWriter, value: Literal): void {
  if (typeof value === 'string') {
    writer.write(stringLiteral(value));
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    writer.write(String(value));
  } else if (isLiteralArray(value)) {
    writeArray(writer, value);
  } else {
    const entries = Object.entries(value).filter(
      (entry): entry is [string, Literal] => entry[1] !== undefined,
    );
    if (entries.length === 0) {
      writer.write('{}');
      return;
    }
    writer.write('{').newLine();
    writer.indent(() => {
      for (const [key, item] of entries) {
        writer.write(`${propertyName(key)}: `);
        writeLiteral(writer, item);
        writer.write(',').newLine();
      }
    });
    writer.write('}');
  }
}

function writeArray(writer: CodeBlockWriter, items: readonly Literal[]): void {
  const scalars = items.every((item) => typeof item !== 'object');
  const inline = scalars ? items.map((item) => scalarText(item)) : [];
  if (items.length === 0 || (scalars && inline.join(', ').length <= INLINE_ARRAY_WIDTH)) {
    writer.write('[');
    inline.forEach((text, i) => writer.conditionalWrite(i > 0, ', ').write(text));
    writer.write(']');
    return;
  }
  writer.write('[').newLine();
  writer.indent(() => {
    for (const item of items) {
      writeLiteral(writer, item);
      writer.write(',').newLine();
    }
  });
  writer.write(']');
}

function scalarText(item: Literal): string {
  return typeof item === 'string' ? stringLiteral(item) : String(item);
}

function isLiteralArray(value: Literal): value is readonly Literal[] {
  return Array.isArray(value);
}
