// generate() with the shipped examples: Okta's Entitlement and Role, a Device with its own
// extension, and the workforce User extension. Every emitter must treat them like User and
// Group: copies of the files, hook stubs, types, OpenAPI paths and components, tables.

import { Validator } from '@seriousme/openapi-schema-validator';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../../src/emit/generate.js';
import type { PlannedFile } from '../../../src/emit/plan.js';
import type { SchemaModel } from '../../../src/model/ir.js';
import { loadSchemaModel } from '../../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS, type DatabaseId, type ProjectOptions } from '../../../src/options.js';

const REPO = join(import.meta.dirname, '../../..');
const WORKFORCE = 'urn:example:params:scim:schemas:extension:workforce:2.0:User';
const COMPLIANCE = 'urn:example:params:scim:schemas:extension:mdm:2.0:Compliance';

const SCHEMA_FILES = [
  'okta-governance/Entitlement.schema.json',
  'okta-governance/Role.schema.json',
  'custom-user-extension/Workforce.schema.json',
  'device/Device.schema.json',
  'device/Compliance.schema.json',
];
const RESOURCE_TYPE_FILES = [
  'okta-governance/Entitlement.resource-type.json',
  'okta-governance/Role.resource-type.json',
  'device/Device.resource-type.json',
];

let model: SchemaModel;
beforeAll(async () => {
  model = await loadSchemaModel({
    enterpriseUser: false,
    schemaFiles: SCHEMA_FILES,
    resourceTypeFiles: RESOURCE_TYPE_FILES,
    cwd: join(REPO, 'examples'),
  });
});

const options = (database: DatabaseId = 'sqlite'): ProjectOptions => ({
  ...DEFAULT_PROJECT_OPTIONS,
  projectName: 'custom-types',
  enterpriseUser: false,
  database,
  schemaFiles: SCHEMA_FILES.map((f) => `schemas/${f.split('/').pop()}`),
  resourceTypeFiles: RESOURCE_TYPE_FILES.map((f) => `schemas/${f.split('/').pop()}`),
});

const fileOf = (plan: PlannedFile[], path: string) => {
  const found = plan.find((f) => f.path === path);
  if (!found) throw new Error(`no ${path} in the plan`);
  return found;
};

describe('the project files', () => {
  it('copies the resource type files next to the schemas, for the user to edit', () => {
    const plan = generate(options(), model);
    for (const name of ['Entitlement.resource-type.json', 'Role.resource-type.json', 'Device.resource-type.json']) {
      expect(fileOf(plan, `schemas/${name}`)).toMatchObject({ owner: 'user' });
    }
    expect(JSON.parse(fileOf(plan, 'schemas/Role.resource-type.json').content).endpoint).toBe('/Roles');
    expect(JSON.parse(fileOf(plan, 'scim.config.json').content).resourceTypeFiles).toEqual(options().resourceTypeFiles);
  });

  it('gives every resource type a hook stub, wired into src/hooks/index.ts', () => {
    const plan = generate(options(), model);
    expect(fileOf(plan, 'src/hooks/entitlement.ts').content).toContain('export const entitlementHooks: EntitlementHooks = {');
    expect(fileOf(plan, 'src/hooks/device.ts')).toMatchObject({ owner: 'user' });
    const index = fileOf(plan, 'src/hooks/index.ts').content;
    for (const name of ['User', 'Group', 'Entitlement', 'Role', 'Device']) expect(index).toContain(`  ${name}: `);
  });

  it('adds the schema-driven tests of custom schemas to the suite only when there are custom schemas', () => {
    const plan = generate(options(), model);
    expect(fileOf(plan, 'test/custom-schemas.test.ts').content).toContain('customSections()');
    expect(fileOf(plan, 'test/helpers/schema-values.ts')).toMatchObject({ owner: 'generated' });
    const plain = generate({ ...DEFAULT_PROJECT_OPTIONS, projectName: 'plain' }, { ...model, resourceTypeSources: [] });
    expect(plain.some((f) => f.path === 'test/custom-schemas.test.ts')).toBe(false);
  });
});

describe('schema-derived TypeScript', () => {
  it('types each resource type and extension, and the hooks by them', () => {
    const plan = generate(options(), model);
    const types = fileOf(plan, 'src/generated/types.gen.ts').content;
    expect(types).toContain('export interface ScimEntitlement {');
    expect(types).toContain('export interface ScimRole {');
    expect(types).toMatch(/export interface ScimDevice \{[\s\S]*'urn:example:params:scim:schemas:extension:mdm:2\.0:Compliance'\?: ComplianceExtension;/);
    expect(types).toMatch(/export interface ScimUser \{[\s\S]*'urn:example:params:scim:schemas:extension:workforce:2\.0:User'\?: WorkforceUserExtension;/);
    const workforce = types.slice(types.indexOf('export interface WorkforceUserExtension'));
    expect(workforce).toMatch(/readonly lastReviewed\?: string;/);
    expect(workforce).toMatch(/certifications\?: WorkforceUserCertification\[\];/);
    // writeOnly values reach hooks through ctx.writeOnly, never on the resource.
    expect(workforce.slice(0, workforce.indexOf('\n}'))).not.toContain('accessPin');

    const hooks = fileOf(plan, 'src/generated/hooks.gen.ts').content;
    expect(hooks).toMatch(/export interface EntitlementHooks \{[\s\S]*beforeCreate\?\(entitlement: ScimEntitlement, ctx: HookContext\)/);
    // Device has a boolean `active`, so it can be deactivated like a User.
    expect(hooks).toMatch(/export interface DeviceHooks \{[\s\S]*afterDeactivate\?\(device: ScimDevice/);
    expect(hooks).toMatch(/Entitlement\?: EntitlementHooks;\s*Role\?: RoleHooks;\s*Device\?: DeviceHooks;/);
  });
});

describe('openapi.json', () => {
  it('documents the custom endpoints and the extensions, and is a valid OpenAPI 3.1 document', async () => {
    const doc = JSON.parse(fileOf(generate(options(), model), 'openapi.json').content);
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/Entitlements', '/Entitlements/{id}', '/Entitlements/.search', '/Roles', '/Devices/{id}']));
    expect(doc.paths['/Entitlements'].get.operationId).toBe('listEntitlements');
    expect(doc.components.schemas.EntitlementRequest.required).toEqual(expect.arrayContaining(['schemas', 'displayName', 'type']));
    expect(doc.components.schemas.Device.properties).toHaveProperty([COMPLIANCE]);
    const workforce = doc.components.schemas.User.properties[WORKFORCE];
    expect(workforce.properties.badgeId.description).toContain('Unique within the server.');
    // Documented for requests, as password is: JSON Schema's writeOnly says it never comes back.
    expect(workforce.properties.accessPin).toMatchObject({ type: 'string', writeOnly: true });
    expect(workforce.properties.lastReviewed).toMatchObject({ readOnly: true });
    expect(doc.tags.map((t: { name: string }) => t.name)).toEqual(expect.arrayContaining(['Entitlement', 'Role', 'Device']));
  });
});

describe('migrations', () => {
  const cases: Array<[DatabaseId, string, RegExp]> = [
    ['sqlite', 'migrations/sqlite/0001_init.sql', /CREATE UNIQUE INDEX "roles_display_name_fold_key" ON "roles" \("tenant", "display_name_fold"\);/],
    ['postgres', 'migrations/postgres/0001_init.sql', /CREATE UNIQUE INDEX "roles_display_name_fold_key" ON "roles"/],
    ['mysql', 'migrations/mysql/0001_init.sql', /UNIQUE KEY `roles_display_name_fold_key` \(`tenant`, `display_name_fold`\)/],
  ];
  it.each(cases)('%s creates a table per custom type and unique keys for uniqueness "server"', (database, path, roleKey) => {
    const sql = fileOf(generate(options(database), model), path).content;
    for (const table of ['entitlements', 'roles', 'devices']) expect(sql).toMatch(new RegExp(`CREATE TABLE [\`"]${table}[\`"]`));
    expect(sql).toMatch(roleKey);
    expect(sql).toMatch(/badge_id_fold/);
    expect(sql).toMatch(/serial_number_fold/);
  });
});
