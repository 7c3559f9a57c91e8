// Custom resource types (--resource-type) and how extension schemas find the type they extend:
// the shipped examples load, and every mistake is reported with its file, JSON path and fix.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatIssue } from '../../../src/model/errors.js';
import { loadSchemaModel, SchemaValidationError, type LoadSchemaOptions, type SchemaIssue } from '../../../src/model/load.js';
import { buildRegistry } from '../../../templates/scim/registry.js';
import { storagePlan, tableFor } from '../../../templates/scim/storage.js';

const REPO = join(import.meta.dirname, '../../..');
const OKTA = {
  entitlement: 'urn:okta:scim:schemas:core:1.0:Entitlement',
  role: 'urn:okta:scim:schemas:core:1.0:Role',
};
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const WORKFORCE = 'urn:example:params:scim:schemas:extension:workforce:2.0:User';
const COMPLIANCE = 'urn:example:params:scim:schemas:extension:mdm:2.0:Compliance';
const DEVICE = 'urn:example:params:scim:schemas:core:2.0:Device';

const example = (path: string) => join(REPO, 'examples', path);
const okta = {
  schemaFiles: [example('okta-governance/Entitlement.schema.json'), example('okta-governance/Role.schema.json')],
  resourceTypeFiles: [
    example('okta-governance/Entitlement.resource-type.json'),
    example('okta-governance/Role.resource-type.json'),
  ],
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scim-resource-types-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: unknown): Promise<string> {
  await writeFile(join(dir, name), JSON.stringify(content, null, 2));
  return name;
}

const load = (options: Partial<LoadSchemaOptions>) =>
  loadSchemaModel({ enterpriseUser: false, schemaFiles: [], cwd: dir, ...options });

async function issuesOf(options: Partial<LoadSchemaOptions>): Promise<SchemaIssue[]> {
  const error = await load(options).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SchemaValidationError);
  return [...(error as SchemaValidationError).issues];
}

const schema = (id: string, attributes: unknown[] = [{ name: 'displayName', type: 'string' }]) => ({
  id,
  name: id.split(':').pop(),
  attributes,
});
const resourceType = (name: string, schemaUrn: string, rest: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
  id: name,
  name,
  endpoint: `/${name}s`,
  schema: schemaUrn,
  ...rest,
});

describe('the shipped examples', () => {
  test("Okta's Entitlement and Role get endpoints, tables and copies of their files", async () => {
    const model = await load(okta);
    expect(model.resourceTypes.map((rt) => [rt.name, rt.endpoint, rt.schema])).toEqual([
      ['User', '/Users', USER],
      ['Group', '/Groups', 'urn:ietf:params:scim:schemas:core:2.0:Group'],
      ['Entitlement', '/Entitlements', OKTA.entitlement],
      ['Role', '/Roles', OKTA.role],
    ]);
    expect(model.resourceTypeSources?.map((s) => [s.file, s.bundled])).toEqual([
      [okta.resourceTypeFiles[0], false],
      [okta.resourceTypeFiles[1], false],
    ]);
    expect(JSON.parse(model.resourceTypeSources?.[0]?.text ?? '{}').endpoint).toBe('/Entitlements');

    const plan = storagePlan(buildRegistry(model.resourceTypes, model.schemas));
    expect(tableFor(plan, 'Entitlement')).toMatchObject({ table: 'entitlements', displayColumns: ['display_name'] });
    // Role's displayName is uniqueness "server": a unique, case-folded column.
    expect(tableFor(plan, 'Role').columns).toContainEqual({
      attribute: 'displayName',
      column: 'display_name',
      foldColumn: 'display_name_fold',
      unique: true,
    });
  });

  test('the workforce extension attaches to User by its URN and gets unique columns', async () => {
    const model = await load({ schemaFiles: [example('custom-user-extension/Workforce.schema.json')] });
    expect(model.resourceTypes[0]?.schemaExtensions).toEqual([{ schema: WORKFORCE, required: false }]);
    const users = tableFor(storagePlan(buildRegistry(model.resourceTypes, model.schemas)), 'User');
    expect(users.columns.filter((c) => c.extension === WORKFORCE)).toEqual([
      { attribute: 'badgeId', extension: WORKFORCE, column: 'badge_id', foldColumn: 'badge_id_fold', unique: true },
      // caseExact: no folded twin, the value itself is the key.
      { attribute: 'payrollCode', extension: WORKFORCE, column: 'payroll_code', unique: true },
    ]);
  });

  test("Device lists its Compliance extension in schemaExtensions (its URN does not end in ':Device')", async () => {
    const model = await load({
      schemaFiles: [example('device/Device.schema.json'), example('device/Compliance.schema.json')],
      resourceTypeFiles: [example('device/Device.resource-type.json')],
    });
    const device = model.resourceTypes.find((rt) => rt.name === 'Device');
    expect(device).toMatchObject({ endpoint: '/Devices', schema: DEVICE, schemaExtensions: [{ schema: COMPLIANCE, required: false }] });
    expect(model.resourceTypes[0]?.schemaExtensions).toEqual([]);
  });
});

describe('attaching extensions', () => {
  test('--extend attaches an extension to a bundled or a custom type; the URN suffix works for custom types too', async () => {
    const files = await Promise.all([
      file('role.schema.json', schema(OKTA.role)),
      file('badge.schema.json', schema('urn:acme:badge')),
      file('risk.schema.json', schema('urn:acme:risk')),
      file('role-ext.schema.json', schema('urn:acme:extension:Role')),
      file('role.resource-type.json', resourceType('Role', OKTA.role)),
    ]);
    const model = await load({
      schemaFiles: files.slice(0, 4),
      resourceTypeFiles: [files[4]!],
      extend: { 'urn:acme:badge': 'user', 'URN:ACME:RISK': 'Role' },
    });
    expect(model.resourceTypes.map((rt) => [rt.name, rt.schemaExtensions.map((e) => e.schema)])).toEqual([
      ['User', ['urn:acme:badge']],
      ['Group', []],
      ['Role', ['urn:acme:risk', 'urn:acme:extension:Role']],
    ]);
  });

  test('a ResourceType file may hold several types, and mark an extension required', async () => {
    const files = await Promise.all([
      file('types.schema.json', [schema('urn:acme:core:Badge'), schema('urn:acme:core:Door'), schema('urn:acme:door-ext')]),
      file('types.resource-type.json', [
        resourceType('Badge', 'urn:acme:core:Badge'),
        resourceType('Door', 'urn:acme:core:Door', { schemaExtensions: [{ schema: 'urn:acme:door-ext', required: true }] }),
      ]),
    ]);
    const model = await load({ schemaFiles: [files[0]!], resourceTypeFiles: [files[1]!] });
    expect(model.resourceTypes.slice(2)).toEqual([
      { id: 'Badge', name: 'Badge', endpoint: '/Badges', schema: 'urn:acme:core:Badge', schemaExtensions: [] },
      { id: 'Door', name: 'Door', endpoint: '/Doors', schema: 'urn:acme:core:Door', schemaExtensions: [{ schema: 'urn:acme:door-ext', required: true }] },
    ]);
  });
});

describe('mistakes name the file, the JSON path and the fix', () => {
  const role = () => file('r.schema.json', schema(OKTA.role));
  const cases: Array<{ name: string; types: unknown; noRole?: boolean; extra?: unknown[]; extend?: Record<string, string>; want: Array<[file: string, path: string, message: RegExp]> }> = [
    {
      name: 'a core schema no file defines',
      types: resourceType('Device', 'urn:acme:core:Device'),
      noRole: true,
      want: [['t.json', '$.schema', /^schema "urn:acme:core:Device" is not defined by any schema file; pass the file that defines it with --schema \(defined: "urn:ietf:params:scim:schemas:core:2\.0:User", "urn:ietf:params:scim:schemas:core:2\.0:Group"\)$/]],
    },
    {
      name: 'an extension no file defines',
      types: resourceType('Role', OKTA.role, { schemaExtensions: [{ schema: 'urn:acme:nope' }] }),
      want: [['t.json', '$.schemaExtensions[0].schema', /^schema "urn:acme:nope" is not defined by any schema file; pass the file that defines it with --schema/]],
    },
    {
      name: 'an endpoint /Users already serves, in another case',
      types: resourceType('Role', OKTA.role, { endpoint: '/users' }),
      want: [['t.json', '$.endpoint', /^endpoint "\/users" is already served by resource type User \(the bundled User\.resource-type\.json\); expected an endpoint of its own, like "\/Roles"$/]],
    },
    {
      name: 'a protocol endpoint',
      types: resourceType('Role', OKTA.role, { endpoint: '/Schemas' }),
      want: [['t.json', '$.endpoint', /^"\/Schemas" is a SCIM protocol endpoint \(RFC 7644 §3\.2\); expected an endpoint of its own, like "\/Roles"$/]],
    },
    {
      name: "an endpoint whose table is the server's own",
      types: resourceType('Role', OKTA.role, { endpoint: '/ScimState' }),
      want: [['t.json', '$.endpoint', /^endpoint "\/ScimState" would be stored in the table "scim_state", which the server keeps for itself; choose another endpoint$/]],
    },
    {
      name: 'two endpoints that map to one table',
      types: [resourceType('Role', OKTA.role, { endpoint: '/AppRoles' }), resourceType('Badge', 'urn:acme:core:Badge', { endpoint: '/App-Roles' })],
      extra: [schema('urn:acme:core:Badge')],
      want: [['t.json', '$[1].endpoint', /^endpoint "\/App-Roles" would be stored in the table "app_roles", as \/AppRoles \(t\.json at \$\[0\]\) is; choose an endpoint that differs/]],
    },
    {
      name: 'a name that is not an identifier',
      types: resourceType('App Role', OKTA.role, { id: 'AppRole', endpoint: '/AppRoles' }),
      want: [['t.json', '$.name', /^expected a name of letters and digits starting with a letter, like "Device" .*got "App Role"$/]],
    },
    {
      name: 'a name and an id already taken',
      types: resourceType('user', OKTA.role, { id: 'Group', endpoint: '/Roles' }),
      want: [
        ['t.json', '$.name', /^duplicate resource type name "user" \(already used by the bundled User\.resource-type\.json; names are case-insensitive\)$/],
        ['t.json', '$.id', /^duplicate resource type id "Group" \(already used by the bundled Group\.resource-type\.json\)$/],
      ],
    },
    {
      name: "another type's core schema as the core schema",
      types: resourceType('Person', USER),
      noRole: true,
      want: [['t.json', '$.schema', /^schema "urn:ietf:params:scim:schemas:core:2\.0:User" is already the core schema of resource type User .*each resource type needs a core schema of its own$/]],
    },
    {
      name: 'its own or another type\'s core schema as an extension',
      types: resourceType('Role', OKTA.role, { schemaExtensions: [{ schema: OKTA.role }, { schema: USER }] }),
      want: [
        ['t.json', '$.schemaExtensions[0].schema', /^"urn:okta:scim:schemas:core:1\.0:Role" is this resource type's core schema; expected an extension schema$/],
        ['t.json', '$.schemaExtensions[1].schema', /^"urn:ietf:params:scim:schemas:core:2\.0:User" is the core schema of resource type User; expected an extension schema$/],
      ],
    },
    {
      name: 'a malformed ResourceType',
      types: { id: 'Role', name: 'Role', schema: OKTA.role, endpoints: '/Roles' },
      want: [
        ['t.json', '$.endpoints', /^unknown key "endpoints" \(did you mean "endpoint"\?\)$/],
        ['t.json', '$', /^missing required key "endpoint"$/],
      ],
    },
    {
      name: '--extend naming what does not exist',
      types: resourceType('Role', OKTA.role),
      extend: { 'urn:acme:nope': 'Role', [OKTA.role]: 'User', 'urn:okta:scim:schemas:core:1.0:Role:x': 'Nobody' },
      want: [
        ['--extend urn:acme:nope=Role', '', /^no schema file defines "urn:acme:nope"; pass it with --schema, or fix the URN$/],
        [`--extend ${OKTA.role}=User`, '', /^"urn:okta:scim:schemas:core:1\.0:Role" is a resource type's core schema, not an extension$/],
        ['--extend urn:okta:scim:schemas:core:1.0:Role:x=Nobody', '', /^no schema file defines/],
        ['--extend urn:okta:scim:schemas:core:1.0:Role:x=Nobody', '', /^no resource type is named "Nobody"; expected one of "User", "Group", "Role"$/],
      ],
    },
  ];

  test.each(cases)('$name', async ({ types, noRole, extra, extend, want }) => {
    const schemaFiles = [...(noRole ? [] : [await role()]), ...(extra ? [await file('extra.schema.json', extra)] : [])];
    const issues = await issuesOf({ schemaFiles, resourceTypeFiles: [await file('t.json', types)], ...(extend ? { extend } : {}) });
    expect(issues.map((i) => [i.file, i.path])).toEqual(want.map(([f, p]) => [f, p]));
    want.forEach(([, , message], i) => expect(issues[i]?.message).toMatch(message));
  });

  test('uniqueness the database cannot enforce: multi-valued, not a string, or a sub-attribute', async () => {
    const badge = schema('urn:acme:badge:User', [
      { name: 'code', type: 'string', uniqueness: 'server' },
      { name: 'tags', type: 'string', multiValued: true, uniqueness: 'server' },
      { name: 'number', type: 'integer', uniqueness: 'global' },
      { name: 'desk', type: 'complex', subAttributes: [{ name: 'label', type: 'string', uniqueness: 'server' }] },
    ]);
    const issues = await issuesOf({ schemaFiles: [await file('badge.json', badge)] });
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ['$.attributes[1].uniqueness', '"server" uniqueness is enforced for single-valued string attributes only, and "tags" is multi-valued; expected "none", or make it a single-valued string'],
      ['$.attributes[2].uniqueness', '"global" uniqueness is enforced for single-valued string attributes only, and "number" is of type "integer"; expected "none", or make it a single-valued string'],
      ['$.attributes[3].subAttributes[0].uniqueness', '"server" uniqueness is enforced for top-level attributes only, and "desk.label" is a sub-attribute; expected "none", or move it to the top level'],
    ]);
  });

  test('a missing --resource-type file, and a flag issue printed without a JSON path', async () => {
    const issues = await issuesOf({ resourceTypeFiles: ['nope.json'], extend: { 'urn:acme:x': 'User' } });
    expect(issues[0]).toMatchObject({ file: 'nope.json', path: '$', message: expect.stringMatching(/^cannot read the file \(no such file/) });
    expect(formatIssue(issues[1]!)).toBe('--extend urn:acme:x=User: no schema file defines "urn:acme:x"; pass it with --schema, or fix the URN');
  });
});
