import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AttributeDef } from '../../../src/model/ir.js';
import { loadSchemaModel, SchemaValidationError, type SchemaIssue } from '../../../src/model/load.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-model-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  await writeFile(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return name;
}

async function loadIssues(schemaFiles: string[], enterpriseUser = true): Promise<SchemaIssue[]> {
  const error = await loadSchemaModel({ enterpriseUser, schemaFiles, cwd: dir }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SchemaValidationError);
  return [...(error as SchemaValidationError).issues];
}

const find = (attrs: readonly AttributeDef[] | undefined, name: string) => attrs?.find((a) => a.name === name);
const extension = (id: string, attributes: unknown[] = [{ name: 'badge', type: 'string' }]) => ({
  id,
  name: 'Ext',
  attributes,
});

describe('bundled schemas', () => {
  test("a project's own copies of the RFC schemas replace the bundled ones (regenerate reads them)", async () => {
    const { mkdir, readFile } = await import('node:fs/promises');
    const schemas = join(dir, 'project-schemas');
    await mkdir(schemas, { recursive: true });
    const bundled = JSON.parse(await readFile(join(import.meta.dirname, '../../../schemas/Group.schema.json'), 'utf8')) as {
      attributes: Array<{ name: string; description: string }>;
    };
    bundled.attributes.find((a) => a.name === 'displayName')!.description = 'Edited in the project.';
    await writeFile(join(schemas, 'Group.schema.json'), JSON.stringify(bundled));
    // User.schema.json has no copy there: the bundled one is read.
    const model = await loadSchemaModel({ enterpriseUser: false, schemaFiles: [], cwd: dir, coreSchemasDir: schemas });
    expect(find(model.schemas[1]?.attributes, 'displayName')?.description).toBe('Edited in the project.');
    expect(model.sources.get(GROUP)?.file).toBe('schemas/Group.schema.json');
    expect(find(model.schemas[0]?.attributes, 'userName')).toMatchObject({ uniqueness: 'server' });

    await writeFile(join(schemas, 'Group.schema.json'), '{ "id": ');
    const error = await loadSchemaModel({ enterpriseUser: false, schemaFiles: [], cwd: dir, coreSchemasDir: schemas }).catch((e: unknown) => e);
    expect((error as SchemaValidationError).issues[0]?.file).toBe('schemas/Group.schema.json');
  });

  test('User, Group and the enterprise extension load with their RFC attributes', async () => {
    const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: dir });
    expect(model.schemas.map((s) => s.id)).toEqual([USER, GROUP, ENTERPRISE]);

    const user = model.schemas[0];
    expect(user?.attributes.map((a) => a.name)).toEqual([
      'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage',
      'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses',
      'groups', 'entitlements', 'roles', 'x509Certificates',
    ]);
    expect(find(user?.attributes, 'userName')).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
    expect(find(user?.attributes, 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(find(user?.attributes, 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
    expect(find(find(user?.attributes, 'emails')?.subAttributes, 'type')?.canonicalValues).toEqual(['work', 'home', 'other']);

    const members = find(model.schemas[1]?.attributes, 'members');
    expect(members?.subAttributes?.map((a) => [a.name, a.mutability])).toEqual([
      ['value', 'immutable'],
      ['$ref', 'immutable'],
      ['type', 'immutable'],
      ['display', 'readOnly'],
    ]);
    expect(find(model.schemas[2]?.attributes, 'manager')?.subAttributes?.map((a) => a.name)).toEqual([
      'value', '$ref', 'displayName',
    ]);

    expect(model.resourceTypes).toEqual([
      {
        id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: USER,
        schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      },
      { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group', schema: GROUP, schemaExtensions: [] },
    ]);
    expect(model.sources.get(USER)).toMatchObject({ file: 'User.schema.json', bundled: true });
    expect(JSON.parse(model.sources.get(USER)?.text ?? '{}').id).toBe(USER);
  });

  test('without --enterprise-user the extension is neither loaded nor attached', async () => {
    const model = await loadSchemaModel({ enterpriseUser: false, schemaFiles: [], cwd: dir });
    expect(model.schemas.map((s) => s.id)).toEqual([USER, GROUP]);
    expect(model.resourceTypes[0]?.schemaExtensions).toEqual([]);
    expect(model.sources.has(ENTERPRISE)).toBe(false);
  });
});

describe('--schema files', () => {
  test('extensions ending in :User and :Group attach to their resource type', async () => {
    const files = [
      await file('acme-user.json', extension('urn:acme:scim:schemas:extension:2.0:User')),
      await file('acme-group.json', [extension('urn:acme:scim:schemas:extension:2.0:Group')]),
    ];
    const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: files, cwd: dir });
    expect(model.resourceTypes.map((rt) => rt.schemaExtensions)).toEqual([
      [
        { schema: ENTERPRISE, required: false },
        { schema: 'urn:acme:scim:schemas:extension:2.0:User', required: false },
      ],
      [{ schema: 'urn:acme:scim:schemas:extension:2.0:Group', required: false }],
    ]);
    const source = model.sources.get('urn:acme:scim:schemas:extension:2.0:Group');
    expect(source).toMatchObject({ file: 'acme-group.json', bundled: false });
    expect(source?.text).toContain('"attributes"');
  });

  const cases: { name: string; files: [string, unknown][]; want: { file: string; path: string; message: RegExp }[] }[] = [
    {
      name: 'missing file',
      files: [],
      want: [{ file: 'nope.json', path: '$', message: /^cannot read the file \(no such file; looked at .*nope\.json\)$/ }],
    },
    {
      name: 'JSON syntax error',
      files: [['broken.json', '{\n  "id": "urn:x:User",\n  "name": "X"\n  "attributes": []\n}']],
      want: [{ file: 'broken.json', path: '$', message: /^invalid JSON: Expected ',' or '}' after property value/ }],
    },
    {
      name: 'a schema that extends nothing',
      files: [['device.json', extension('urn:acme:scim:schemas:core:2.0:Device')]],
      want: [
        {
          file: 'device.json',
          path: '$.id',
          message: /^"urn:acme:scim:schemas:core:2\.0:Device" extends no resource type: .*does not end in the name of one \(":User", ":Group"\)\. Attach it with --extend "urn:acme:scim:schemas:core:2\.0:Device=<resource type name>", list it in a --resource-type file's "schemaExtensions", or make it the "schema" of a resource type of its own \(--resource-type FILE\)$/,
        },
      ],
    },
    {
      name: 'schema id already bundled',
      files: [['dup.json', [extension('urn:acme:x:User'), extension(ENTERPRISE)]]],
      want: [
        {
          file: 'dup.json',
          path: '$[1].id',
          message: /^duplicate schema id "urn:ietf:params:scim:schemas:extension:enterprise:2\.0:User" \(already defined in EnterpriseUser\.schema\.json\)$/,
        },
      ],
    },
    {
      name: 'schema id repeated across user files, and invalid attributes in another',
      files: [
        ['a.json', extension('urn:acme:x:User')],
        ['b.json', extension('urn:acme:x:User', [{ name: 'badge', type: 'string', mutability: 'readonly' }])],
        ['c.json', extension('URN:acme:x:User')],
      ],
      want: [
        { file: 'b.json', path: '$.attributes[0].mutability', message: /^expected one of "readOnly", .* got "readonly"$/ },
        { file: 'c.json', path: '$.id', message: /^duplicate schema id "URN:acme:x:User" \(already defined in a\.json\)$/ },
      ],
    },
  ];

  test.each(cases)('$name', async ({ name, files, want }) => {
    const names = name === 'missing file' ? ['nope.json'] : await Promise.all(files.map(([n, c]) => file(n, c)));
    const issues = await loadIssues(names);
    expect(issues).toHaveLength(want.length);
    want.forEach((w, i) => {
      expect(issues[i]).toMatchObject({ file: w.file, path: w.path });
      expect(issues[i]?.message).toMatch(w.message);
    });
  });

  test('JSON syntax errors carry line and column, and the error message lists every problem', async () => {
    await file('broken2.json', '{\n  "id": "urn:x:User",\n  "name": "X"\n  "attributes": []\n}');
    await file('bad-type.json', extension('urn:acme:y:User', [{ name: 'n', type: 'text' }]));
    const error = (await loadSchemaModel({
      enterpriseUser: true,
      schemaFiles: ['broken2.json', 'bad-type.json'],
      cwd: dir,
    }).catch((e: unknown) => e)) as SchemaValidationError;
    expect(error.issues[0]).toMatchObject({ line: 4, column: 3 });
    expect(error.message).toMatch(/^Invalid SCIM schema \(2 problems\):\n/);
    expect(error.message).toContain('  - broken2.json:4:3: invalid JSON: ');
    expect(error.message).toContain('  - bad-type.json: $.attributes[0].type: expected one of "string"');
  });
});
