import { describe, expect, test } from 'vitest';
import type { SchemaIssue } from '../../../src/model/errors.js';
import { formatIssue } from '../../../src/model/errors.js';
import { parseJson } from '../../../src/model/parse-json.js';
import { validateResourceTypeDocument, validateSchemaDocument } from '../../../src/model/validate.js';

const URN = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const schema = (attributes: unknown[], extra: object = {}) => ({ id: URN, name: 'Acme', attributes, ...extra });
const attr = (extra: object = {}) => ({ name: 'badge', type: 'string', ...extra });

function issuesOf(document: unknown): Omit<SchemaIssue, 'file'>[] {
  const issues: SchemaIssue[] = [];
  validateSchemaDocument(document, 'acme.json', issues);
  expect(issues.every((i) => i.file === 'acme.json')).toBe(true);
  return issues.map(({ path, message }) => ({ path, message }));
}

describe('validateSchemaDocument reports file, path and expectation', () => {
  const cases: { name: string; given: unknown; want: { path: string; message: string }[] }[] = [
    {
      name: 'mutability with the wrong case',
      given: schema([attr(), attr({ name: 'x', type: 'complex', subAttributes: [attr({ mutability: 'readonly' })] })]),
      want: [
        {
          path: '$.attributes[1].subAttributes[0].mutability',
          message: 'expected one of "readOnly", "readWrite", "immutable", "writeOnly", got "readonly"',
        },
      ],
    },
    {
      name: 'unknown type',
      given: schema([attr({ type: 'number' })]),
      want: [
        {
          path: '$.attributes[0].type',
          message:
            'expected one of "string", "boolean", "decimal", "integer", "dateTime", "reference", "binary", "complex", got "number"',
        },
      ],
    },
    {
      name: 'returned and uniqueness values',
      given: schema([attr({ returned: 'sometimes', uniqueness: true })]),
      want: [
        { path: '$.attributes[0].returned', message: 'expected one of "always", "never", "default", "request", got "sometimes"' },
        { path: '$.attributes[0].uniqueness', message: 'expected one of "none", "server", "global", got true' },
      ],
    },
    {
      name: 'boolean characteristic given as a string',
      given: schema([attr({ multiValued: 'false' })]),
      want: [{ path: '$.attributes[0].multiValued', message: 'expected true or false, got "false"' }],
    },
    {
      name: 'missing schema keys',
      given: {},
      want: [
        { path: '$', message: 'missing required key "id"' },
        { path: '$', message: 'missing required key "name"' },
        { path: '$', message: 'missing required key "attributes"' },
      ],
    },
    {
      name: 'missing attribute name and type',
      given: schema([{ description: 'nameless' }]),
      want: [
        { path: '$.attributes[0]', message: 'missing required key "name"' },
        { path: '$.attributes[0]', message: 'missing required key "type"' },
      ],
    },
    {
      name: 'schema id is not a URN',
      given: schema([], { id: 'Acme' }),
      want: [{ path: '$.id', message: 'expected a URN starting with "urn:" (no spaces), got "Acme"' }],
    },
    {
      name: 'attributes is not an array',
      given: schema([], { attributes: { badge: {} } }),
      want: [{ path: '$.attributes', message: 'expected an array of attributes, got an object' }],
    },
    {
      name: 'attribute is not an object',
      given: schema(['badge']),
      want: [{ path: '$.attributes[0]', message: 'expected an object, got "badge"' }],
    },
    {
      name: 'attribute name outside the ATTRNAME grammar',
      given: schema([attr({ name: '1st.name' })]),
      want: [
        {
          path: '$.attributes[0].name',
          message:
            'expected an attribute name that starts with a letter and has only letters, digits, "-" and "_" (RFC 7643 §2.1), got "1st.name"',
        },
      ],
    },
    {
      name: 'duplicate attribute names, case-insensitive',
      given: schema([attr({ name: 'emails' }), attr({ name: 'Emails' })]),
      want: [
        {
          path: '$.attributes[1].name',
          message: 'duplicate attribute name "Emails" (already defined at $.attributes[0]; names are case-insensitive)',
        },
      ],
    },
    {
      name: 'duplicate sub-attribute names',
      given: schema([attr({ type: 'complex', subAttributes: [attr({ name: 'value' }), attr({ name: 'VALUE' })] })]),
      want: [
        {
          path: '$.attributes[0].subAttributes[1].name',
          message:
            'duplicate attribute name "VALUE" (already defined at $.attributes[0].subAttributes[0]; names are case-insensitive)',
        },
      ],
    },
    {
      name: 'sub-attributes on a non-complex attribute',
      given: schema([attr({ subAttributes: [attr()] })]),
      want: [{ path: '$.attributes[0].subAttributes', message: 'only allowed on attributes of type "complex", but type is "string"' }],
    },
    {
      name: 'nested complex',
      given: schema([attr({ type: 'complex', subAttributes: [attr({ type: 'complex', subAttributes: [attr()] })] })]),
      want: [
        {
          path: '$.attributes[0].subAttributes[0].type',
          message: 'a sub-attribute cannot be complex (RFC 7643 §2.3.8: no nested complex attributes)',
        },
      ],
    },
    {
      name: 'complex without sub-attributes',
      given: schema([attr({ type: 'complex' })]),
      want: [{ path: '$.attributes[0]', message: 'missing required key "subAttributes" (a complex attribute needs its sub-attributes)' }],
    },
    {
      name: 'canonicalValues with a non-string',
      given: schema([attr({ canonicalValues: ['work', 3] })]),
      want: [{ path: '$.attributes[0].canonicalValues[1]', message: 'expected a string, got 3' }],
    },
    {
      name: 'referenceTypes not an array',
      given: schema([attr({ type: 'reference', referenceTypes: 'User' })]),
      want: [{ path: '$.attributes[0].referenceTypes', message: 'expected an array of strings, got "User"' }],
    },
    {
      name: 'referenceTypes on a string attribute',
      given: schema([attr({ referenceTypes: ['User'] })]),
      want: [{ path: '$.attributes[0].referenceTypes', message: 'only allowed on attributes of type "reference", but type is "string"' }],
    },
    {
      name: 'misspelt characteristic gets a suggestion',
      given: schema([attr({ mutabilty: 'readOnly' })]),
      want: [{ path: '$.attributes[0].mutabilty', message: 'unknown key "mutabilty" (did you mean "mutability"?)' }],
    },
    {
      name: 'unknown schema key without a close match',
      given: schema([], { xyz: 1 }),
      want: [
        {
          path: '$.xyz',
          message: 'unknown key "xyz"; expected one of "schemas", "id", "name", "description", "attributes", "meta"',
        },
      ],
    },
    {
      name: 'array file: paths carry the index',
      given: [schema([attr()]), schema([attr({ required: 'yes' })])],
      want: [{ path: '$[1].attributes[0].required', message: 'expected true or false, got "yes"' }],
    },
    {
      name: 'empty array file',
      given: [],
      want: [{ path: '$', message: 'expected a schema object or a non-empty array of them, got an empty array' }],
    },
    {
      name: 'all problems are collected, not just the first',
      given: schema([attr({ type: 'text' }), attr({ name: 'b', caseExact: 1 })], { name: 7 }),
      want: [
        { path: '$.name', message: 'expected a string, got 7' },
        {
          path: '$.attributes[0].type',
          message:
            'expected one of "string", "boolean", "decimal", "integer", "dateTime", "reference", "binary", "complex", got "text"',
        },
        { path: '$.attributes[1].caseExact', message: 'expected true or false, got 1' },
      ],
    },
  ];

  test.each(cases)('$name', ({ given, want }) => {
    expect(issuesOf(given)).toEqual(want);
  });

  test('a valid schema has no issues, including "$ref" as a name', () => {
    const given = schema([attr({ type: 'complex', subAttributes: [attr({ name: '$ref', type: 'reference', referenceTypes: ['User'] })] })]);
    expect(issuesOf(given)).toEqual([]);
  });
});

describe('validateSchemaDocument fills RFC 7643 §2.2 defaults', () => {
  test('omitted characteristics get their defaults; given ones are kept', () => {
    const issues: SchemaIssue[] = [];
    const [result] = validateSchemaDocument(
      schema([
        { name: 'badge', type: 'string' },
        {
          name: 'card',
          type: 'complex',
          description: 'Access card',
          multiValued: true,
          subAttributes: [{ name: 'number', type: 'integer', required: true, mutability: 'immutable', returned: 'always' }],
        },
      ]),
      'acme.json',
      issues,
    );
    expect(issues).toEqual([]);
    expect(result?.path).toBe('$');
    expect(result?.value.attributes).toEqual([
      {
        name: 'badge',
        type: 'string',
        multiValued: false,
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
      },
      {
        name: 'card',
        type: 'complex',
        description: 'Access card',
        multiValued: true,
        required: false,
        caseExact: false,
        mutability: 'readWrite',
        returned: 'default',
        uniqueness: 'none',
        subAttributes: [
          {
            name: 'number',
            type: 'integer',
            multiValued: false,
            required: true,
            caseExact: false,
            mutability: 'immutable',
            returned: 'always',
            uniqueness: 'none',
          },
        ],
      },
    ]);
  });
});

describe('validateResourceTypeDocument', () => {
  test('reads a ResourceType and reports bad values', () => {
    const issues: SchemaIssue[] = [];
    const good = validateResourceTypeDocument(
      { id: 'User', name: 'User', endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User' },
      'rt.json',
      issues,
    );
    expect(good.map((l) => l.value)).toEqual([
      { id: 'User', name: 'User', endpoint: '/Users', schema: 'urn:ietf:params:scim:schemas:core:2.0:User', schemaExtensions: [] },
    ]);
    validateResourceTypeDocument(
      { id: 'X', name: 'X', endpoint: 'Xs', schema: 'urn:x', schemaExtensions: [{ schema: 'x', required: 'no' }] },
      'rt.json',
      issues,
    );
    expect(issues.map(formatIssue)).toEqual([
      'rt.json: $.endpoint: expected a single path segment with a leading "/", like "/Users", got "Xs"',
      'rt.json: $.schemaExtensions[0].schema: expected a URN starting with "urn:" (no spaces), got "x"',
      'rt.json: $.schemaExtensions[0].required: expected true or false, got "no"',
    ]);
  });
});

describe('parseJson', () => {
  const cases = [
    { name: 'trailing comma', given: '{\n  "id": "urn:x",\n}', want: { line: 3, column: 1 } },
    { name: 'missing colon', given: '{"id" "urn:x"}', want: { line: 1, column: 7 } },
    { name: 'truncated file', given: '{\n  "id":', want: { line: 2, column: 8 } },
  ];
  test.each(cases)('$name is located by line and column', ({ given, want }) => {
    const result = parseJson(given, 'bad.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issue).toMatchObject({ file: 'bad.json', ...want });
    expect(result.issue.message).toMatch(/^invalid JSON: /);
    expect(result.issue.message).not.toMatch(/position/);
  });

  test('a byte-order mark is accepted', () => {
    expect(parseJson('\uFEFF{"a":1}', 'bom.json')).toEqual({ ok: true, value: { a: 1 } });
  });
});
