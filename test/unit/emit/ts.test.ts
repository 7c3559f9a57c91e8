// The ts-morph emitters against a small hand-written model: the RFC 7643 shapes that matter
// (complex, multi-valued, readOnly, writeOnly, required, an extension) plus awkward names.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import type { AttributeDef, SchemaModel } from '../../../src/model/ir.js';
import { emitHooksTypesModule } from '../../../src/emit/ts/hooks.js';
import { emitSchemasModule } from '../../../src/emit/ts/schemas.js';
import { emitTypesModule } from '../../../src/emit/ts/types.js';
import { attr } from '../scim/fixtures.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

function fixtureModel(): SchemaModel {
  return {
    schemas: [
      {
        id: USER,
        name: 'User',
        description: 'User Account',
        attributes: [
          attr('userName', 'string', {
            description: 'Unique identifier for the User, typically used to log in.',
            required: true,
            uniqueness: 'server',
          }),
          attr('name', 'complex', {
            description: 'The components of the user\'s name.',
            subAttributes: [attr('givenName', 'string'), attr('familyName', 'string', { description: 'Ends */ here?' })],
          }),
          attr('active', 'boolean'),
          attr('loginCount', 'integer', { mutability: 'readOnly' }),
          attr('password', 'string', { mutability: 'writeOnly', returned: 'never' }),
          attr('cost-center', 'string', { description: 'Not an identifier.' }),
          attr('emails', 'complex', {
            multiValued: true,
            subAttributes: [
              attr('value', 'string', { required: true }),
              attr('type', 'string', { canonicalValues: ['work', 'home', 'other'] }),
              attr('primary', 'boolean'),
            ],
          }),
          attr('addresses', 'complex', {
            multiValued: true,
            subAttributes: [attr('formatted', 'string')],
          }),
          attr('groups', 'complex', {
            multiValued: true,
            mutability: 'readOnly',
            subAttributes: [
              attr('value', 'string', { mutability: 'readOnly' }),
              attr('$ref', 'reference', { referenceTypes: ['User', 'Group'], mutability: 'readOnly' }),
            ],
          }),
        ],
      },
      {
        id: GROUP,
        name: 'Group',
        attributes: [
          attr('displayName', 'string', { required: true }),
          attr('members', 'complex', {
            multiValued: true,
            subAttributes: [attr('value', 'string', { mutability: 'immutable' }), attr('display', 'string')],
          }),
        ],
      },
      {
        id: ENTERPRISE,
        name: 'EnterpriseUser',
        description: 'Enterprise User',
        attributes: [
          attr('employeeNumber', 'string'),
          attr('manager', 'complex', {
            subAttributes: [attr('value', 'string'), attr('displayName', 'string', { mutability: 'readOnly' })],
          }),
        ],
      },
    ],
    resourceTypes: [
      {
        id: 'User',
        name: 'User',
        endpoint: '/Users',
        description: 'User Account',
        schema: USER,
        schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      },
      { id: 'Group', name: 'Group', endpoint: '/Groups', schema: GROUP, schemaExtensions: [] },
    ],
    sources: new Map(),
  };
}

/** The JSDoc block directly above the first line equal to `line` (trimmed). */
function docAbove(text: string, line: string): string {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim() === line);
  if (at === -1) throw new Error(`no line "${line}" in:\n${text}`);
  let start = at - 1;
  while (start > 0 && !lines[start]!.trim().startsWith('/**')) start--;
  return lines.slice(start, at).join('\n');
}

describe('emitTypesModule', () => {
  const text = emitTypesModule(fixtureModel());

  it.each([
    'ScimMeta',
    'ScimUser',
    'ScimUserName',
    'ScimUserEmail',
    'ScimUserAddress',
    'ScimUserGroup',
    'ScimGroup',
    'ScimGroupMember',
    'EnterpriseUserExtension',
    'EnterpriseUserManager',
  ])('exports interface %s', (name) => {
    expect(text).toContain(`export interface ${name} {`);
  });

  it.each([
    ['required string', 'userName: string;'],
    ['optional complex', 'name?: ScimUserName;'],
    ['boolean', 'active?: boolean;'],
    ['readOnly integer', 'readonly loginCount?: number;'],
    ['multi-valued complex, singular interface', 'emails?: ScimUserEmail[];'],
    ['"addresses" singularised', 'addresses?: ScimUserAddress[];'],
    ['readOnly multi-valued', 'readonly groups?: ScimUserGroup[];'],
    ['non-identifier name quoted', "'cost-center'?: string;"],
    ['$ref is an identifier', 'readonly $ref?: string;'],
    ['required sub-attribute', 'value: string;'],
    ['extension keyed by URN', `'${ENTERPRISE}'?: EnterpriseUserExtension;`],
    ['schemas', 'schemas: string[];'],
    ['id readOnly', 'readonly id?: string;'],
    ['externalId', 'externalId?: string;'],
    ['meta', 'readonly meta?: ScimMeta;'],
    ['meta sub-attribute', 'readonly lastModified?: string;'],
    ['immutable is not readonly', 'value?: string;'],
  ])('%s: %s', (_, line) => {
    expect(text.split('\n').map((l) => l.trim())).toContain(line);
  });

  it('leaves writeOnly attributes out (hooks get them in HookContext.writeOnly)', () => {
    expect(text).not.toMatch(/password/);
  });

  it.each([
    [
      'userName: string;',
      ['Unique identifier for the User', '@remarks mutability: readWrite, returned: default, uniqueness: server'],
    ],
    ['readonly id?: string;', ['@remarks mutability: readOnly, returned: always, uniqueness: server']],
    ['type?: string;', ['canonical values: work, home, other']],
    ['familyName?: string;', ['Ends *\\/ here?']],
  ])('documents %s', (line, wants) => {
    const doc = docAbove(text, line);
    for (const want of wants) expect(doc).toContain(want);
  });

  it('documents interfaces with the schema description and URN', () => {
    expect(docAbove(text, 'export interface EnterpriseUserExtension {')).toContain(
      `Enterprise User\n *\n * Extension schema ${ENTERPRISE}.`,
    );
  });

  it('is deterministic', () => {
    expect(emitTypesModule(fixtureModel())).toBe(text);
  });

  it('gives a required extension a required property', () => {
    const model = fixtureModel();
    const schemaExtensions = [{ schema: ENTERPRISE, required: true }];
    model.resourceTypes[0] = { ...model.resourceTypes[0]!, schemaExtensions };
    expect(emitTypesModule(model)).toContain(`  '${ENTERPRISE}': EnterpriseUserExtension;`);
  });

  it('keeps resource names and numbers a clashing complex attribute name', () => {
    const model = fixtureModel();
    const rt = { id: 'UserName', name: 'UserName', endpoint: '/UserNames', schema: GROUP };
    model.resourceTypes.push({ ...rt, schemaExtensions: [] });
    const out = emitTypesModule(model);
    expect(out).toContain('export interface ScimUserName {\n  /** URNs of the schemas');
    expect(out).toContain('name?: ScimUserName2;');
  });
});

describe('emitHooksTypesModule', () => {
  const text = emitHooksTypesModule(fixtureModel());
  const block = (name: string) => {
    const start = Math.max(text.indexOf(`export interface ${name} {`), text.indexOf(`export type ${name} = {`));
    expect(start).toBeGreaterThanOrEqual(0);
    return text.slice(start, text.indexOf('\n}\n', start));
  };

  it('imports the resource interfaces', () => {
    expect(text).toContain("import type { ScimUser, ScimGroup } from './types.gen.js';");
  });

  const after = 'void | Promise<void>;';
  it.each([
    ['UserHooks', 'beforeCreate?(user: ScimUser, ctx: HookContext): ScimUser | void | Promise<ScimUser | void>;'],
    ['UserHooks', `afterCreate?(user: ScimUser, ctx: HookContext): ${after}`],
    ['UserHooks', `afterUpdate?(user: ScimUser, previous: ScimUser, ctx: HookContext): ${after}`],
    ['UserHooks', `afterDeactivate?(user: ScimUser, ctx: HookContext): ${after}`],
    ['UserHooks', `afterDelete?(id: string, ctx: HookContext): ${after}`],
    ['GroupHooks', `afterUpdate?(group: ScimGroup, previous: ScimGroup, ctx: HookContext): ${after}`],
    ['GroupHooks', `onMembershipChange?(groupId: string, change: MembershipChange, ctx: HookContext): ${after}`],
    ['Hooks', 'User?: UserHooks;'],
    ['Hooks', 'Group?: GroupHooks;'],
  ])('%s has %s', (name, line) => {
    expect(block(name)).toContain(`  ${line}`);
  });

  it.each([
    ['GroupHooks', 'afterDeactivate'],
    ['UserHooks', 'onMembershipChange'],
  ])('%s has no %s (the type lacks the attribute)', (name, hook) => {
    expect(block(name)).not.toContain(hook);
  });

  it("re-exports the engine's context types instead of declaring its own", () => {
    expect(text).toContain("export type { HookContext, HookLogger, MembershipChange } from './scim/hooks.js';");
    expect(text).not.toContain('export interface HookContext');
  });

  it('documents that beforeCreate may abort the request, and that after-hooks run after the commit, not retried', () => {
    const before = docAbove(text, 'beforeCreate?(user: ScimUser, ctx: HookContext): ScimUser | void | Promise<ScimUser | void>;');
    const words = (doc: string) => doc.replace(/\s*\*\s*/g, ' ').replace(/\s+/g, ' ');
    expect(words(before)).toMatch(/Throwing a ScimError aborts the request/);
    const doc = words(docAbove(text, `afterDelete?(id: string, ctx: HookContext): ${after}`));
    expect(doc).toMatch(/after the change is committed, and is not retried/);
    expect(doc).toMatch(/the request still succeeds/);
  });

  it('omits MembershipChange without a members attribute and quotes odd type names', () => {
    const model = fixtureModel();
    const rt = { id: 'd', name: 'Device-Group', endpoint: '/Devices', schema: USER };
    model.resourceTypes = [{ ...rt, schemaExtensions: [] }];
    const out = emitHooksTypesModule(model);
    expect(out).not.toContain('MembershipChange');
    expect(out).toContain("'Device-Group'?: DeviceGroupHooks;");
    expect(out).toContain('beforeCreate?(deviceGroup: ScimDeviceGroup, ctx: HookContext)');
  });
});

describe('emitSchemasModule', () => {
  const text = emitSchemasModule(fixtureModel());

  it('declares typed constants', () => {
    expect(text).toContain("import type { ResourceTypeDef, SchemaDef } from './scim/schema.js';");
    expect(text).toContain('export const schemas: readonly SchemaDef[] = [\n  {\n');
    expect(text).toContain('export const resourceTypes: readonly ResourceTypeDef[] = [\n  {\n');
  });

  it('writes every characteristic of every attribute', () => {
    const count = (attrs: readonly AttributeDef[]): number =>
      attrs.reduce((n, a) => n + 1 + count(a.subAttributes ?? []), 0);
    const total = fixtureModel().schemas.reduce((n, s) => n + count(s.attributes), 0);
    const schemasPart = text.slice(0, text.indexOf('export const resourceTypes'));
    for (const key of ['type', 'multiValued', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness']) {
      expect(schemasPart.match(new RegExp(`^ +${key}: `, 'gm')), key).toHaveLength(total);
    }
  });

  it('quotes strings the way prettier would', () => {
    expect(text).toContain(`description: "The components of the user's name.",`);
    expect(text).toContain("canonicalValues: ['work', 'home', 'other'],");
  });

  it('round-trips: the module evaluates to the model it came from', async () => {
    const js = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    const dir = await mkdtemp(join(tmpdir(), 'scim-schemas-'));
    try {
      const file = join(dir, 'schemas.gen.mjs');
      await writeFile(file, js);
      const mod = (await import(pathToFileURL(file).href)) as Pick<SchemaModel, 'schemas' | 'resourceTypes'>;
      const model = fixtureModel();
      expect(mod.schemas).toStrictEqual(model.schemas);
      expect(mod.resourceTypes).toStrictEqual(model.resourceTypes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('emitted modules type-check', () => {
  // How user code uses the generated types; each @ts-expect-error must really be an error.
  const usage = `
import type { Hooks } from './generated/hooks.gen.js';
import type { HookMap } from './generated/scim/hooks.js';
import type { ScimUser } from './generated/types.gen.js';

export const hooks: Hooks = {
  User: {
    beforeCreate(user) {
      return { ...user, userName: user.userName.toLowerCase() };
    },
    afterDeactivate(user, ctx) {
      ctx.log.info({ id: user.id, password: ctx.writeOnly['password'] !== undefined }, 'deactivated');
    },
  },
  Group: {
    async onMembershipChange(groupId, change) {
      await Promise.resolve([groupId, change.added.length, change.removedAll]);
    },
  },
};

// The engine calls hooks through its name-indexed map; the typed hooks must fit it.
export const engineView: HookMap = hooks;

export function misuse(user: ScimUser): void {
  // @ts-expect-error id is readOnly
  user.id = 'x';
  // @ts-expect-error writeOnly attributes are not part of the resource
  void user.password;
  // @ts-expect-error userName is required
  const missing: ScimUser = { schemas: [] };
  void missing;
  void user['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.manager?.displayName;
}
`;

  it('has no diagnostics under strict NodeNext', async () => {
    const model = fixtureModel();
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: {
        strict: true,
        noUncheckedIndexedAccess: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        noEmit: true,
        // Only the ES library, unchecked: the emitted files are what is under test, and the
        // default (DOM included, lib files checked) makes this test several times slower.
        lib: ['lib.es2022.d.ts'],
        types: [],
        skipLibCheck: true,
      },
    });
    project.getFileSystem().writeFileSync('/p/package.json', '{ "type": "module" }');
    for (const engineFile of ['schema.ts', 'hooks.ts']) {
      const source = await readFile(new URL(`../../../templates/scim/${engineFile}`, import.meta.url), 'utf8');
      project.createSourceFile(`/p/src/generated/scim/${engineFile}`, source);
    }
    project.createSourceFile('/p/src/generated/schemas.gen.ts', emitSchemasModule(model));
    project.createSourceFile('/p/src/generated/types.gen.ts', emitTypesModule(model));
    project.createSourceFile('/p/src/generated/hooks.gen.ts', emitHooksTypesModule(model));
    project.createSourceFile('/p/src/usage.ts', usage);
    const diagnostics = project.getPreEmitDiagnostics();
    expect(project.formatDiagnosticsWithColorAndContext(diagnostics)).toBe('');
  }, 60_000);
});
