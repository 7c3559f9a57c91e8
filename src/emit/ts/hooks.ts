// src/generated/hooks.gen.ts: the lifecycle hook signatures, typed by types.gen.ts. The user's
// own src/hooks/*.ts implement these interfaces, so a schema change that breaks a hook is a
// tsc error rather than a surprise at runtime.
//
// Keying: `Hooks` has one optional property per resource type, named exactly as the resource
// type ("User", "Group"), which is also how the engine's registry finds the type by name.

import type {
  InterfaceDeclarationStructure,
  MethodSignatureStructure,
  OptionalKind,
  StatementStructures,
} from 'ts-morph';
import type { ResourceTypeDef, SchemaModel } from '../../model/ir.js';
import {
  camelCase,
  createNamer,
  pascalCase,
  resourceInterfaceNames,
  schemaByUrn,
} from './names.js';
import { tsMorph } from './morph.js';
import { jsDoc, printModule, propertyName } from './printer.js';

type Method = OptionalKind<MethodSignatureStructure>;

const CONTEXT = 'HookContext';
const LOGGER = 'HookLogger';
const MEMBERSHIP = 'MembershipChange';
const ROOT = 'Hooks';
const ABORTS = 'Throwing a ScimError aborts the request with that error.';
/** What every after-hook promises: the change is already committed when it runs. */
const AFTER_COMMIT =
  'Runs after the change is committed, and is not retried: if it throws, the error is logged ' +
  '(by name, at error) and the request still succeeds. For changes your app must not miss, ' +
  'read the events (webhooks or the audit log) instead.';
// Names the hook parameters already use; a resource parameter must not shadow them.
const PARAMETER_NAMES = new Set(['ctx', 'previous', 'id', 'change']);

export function emitHooksTypesModule(model: SchemaModel): string {
  const { StructureKind } = tsMorph();
  const resourceNames = resourceInterfaceNames(model);
  const namer = createNamer([CONTEXT, LOGGER, MEMBERSHIP, ROOT]);
  const perType = model.resourceTypes.map((rt) => ({
    rt,
    hooksName: namer.take(`${pascalCase(rt.name) || 'Resource'}Hooks`),
    traits: traitsOf(model, rt),
  }));
  const needsMembership = perType.some((t) => t.traits.members);

  const statements: StatementStructures[] = [
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: './types.gen.js',
      namedImports: [...resourceNames.values()],
    },
    {
      // The engine's own definitions, so the hooks the user writes are exactly what it calls.
      kind: StructureKind.ExportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: './scim/hooks.js',
      namedExports: [CONTEXT, LOGGER, ...(needsMembership ? [MEMBERSHIP] : [])],
    },
    {
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: './scim/hooks.js',
      namedImports: [CONTEXT, ...(needsMembership ? [MEMBERSHIP] : [])],
    },
    ...perType.map(({ rt, hooksName, traits }) =>
      hooksInterface(rt, hooksName, resourceNames.get(rt)!, traits),
    ),
    {
      // A type alias, not an interface: only object literal types are assignable to the
      // engine's name-indexed HookMap.
      kind: StructureKind.TypeAlias,
      isExported: true,
      name: ROOT,
      docs: [jsDoc('Every hook of the server, by resource type name as in /ResourceTypes. Each is optional.')],
      type: (writer) => {
        writer.block(() => {
          for (const { rt, hooksName } of perType) writer.writeLine(`${propertyName(rt.name)}?: ${hooksName};`);
        });
      },
    },
  ];
  return printModule(statements);
}

interface Traits {
  /** A single boolean `active`: the type can be deactivated, which IdPs do instead of DELETE. */
  active: boolean;
  /** A multi-valued complex `members`: the type has a membership list. */
  members: boolean;
}

export function traitsOf(model: SchemaModel, rt: ResourceTypeDef): Traits {
  const attrs = schemaByUrn(model, rt.schema, rt.name).attributes;
  const named = (name: string) => attrs.find((a) => a.name.toLowerCase() === name);
  const active = named('active');
  const members = named('members');
  return {
    active: active?.type === 'boolean' && !active.multiValued,
    members: members?.type === 'complex' && members.multiValued,
  };
}

function hooksInterface(
  rt: ResourceTypeDef,
  name: string,
  type: string,
  traits: Traits,
): InterfaceDeclarationStructure {
  const param = PARAMETER_NAMES.has(camelCase(rt.name)) ? 'resource' : camelCase(rt.name);
  const self = { name: param, type };
  const ctx = { name: 'ctx', type: CONTEXT };
  const after = 'void | Promise<void>';
  const a = rt.name;
  const methods: Method[] = [
    method(
      'beforeCreate',
      [self, ctx],
      `${type} | void | Promise<${type} | void>`,
      `Runs on POST ${rt.endpoint} after the request is validated and before the ${a} is stored. ` +
        `Return a changed ${a} to store that instead, or nothing to store it as received. ` +
        `${ABORTS} Nothing is stored.`,
    ),
    method(
      'afterCreate',
      [self, ctx],
      after,
      `Called once a new ${a} is stored, before the response is sent. ${AFTER_COMMIT}`,
    ),
    method(
      'afterUpdate',
      [self, { name: 'previous', type }, ctx],
      after,
      `Called once a PUT or PATCH of a ${a} is stored; \`previous\` is the ${a} as it was ` +
        `before. ${AFTER_COMMIT}`,
    ),
  ];
  if (traits.active) {
    methods.push(
      method(
        'afterDeactivate',
        [self, ctx],
        after,
        `Called once an update set \`active\` to false on a ${a} that was active, in addition ` +
          `to afterUpdate. Identity providers deactivate rather than delete: revoke the ${a}'s ` +
          `sessions and API keys here. ${AFTER_COMMIT}`,
      ),
    );
  }
  methods.push(
    method(
      'afterDelete',
      [{ name: 'id', type: 'string' }, ctx],
      after,
      `Called once DELETE ${rt.endpoint}/{id} removed the ${a}. ${AFTER_COMMIT}`,
    ),
  );
  if (traits.members) {
    methods.push(
      method(
        'onMembershipChange',
        [{ name: `${param}Id`, type: 'string' }, { name: 'change', type: MEMBERSHIP }, ctx],
        after,
        `Called once a PUT or PATCH changed the members of a ${a}, once per request, with the ` +
          `ids added and removed. ${AFTER_COMMIT}`,
      ),
    );
  }
  return { ...exported(name, `Lifecycle hooks for ${a} resources (${rt.endpoint}).`), methods };
}

/** An optional hook method: users implement only the hooks they need. */
function method(
  name: string,
  parameters: Array<{ name: string; type: string }>,
  returnType: string,
  doc: string,
): Method {
  return { name, hasQuestionToken: true, parameters, returnType, docs: [jsDoc(doc)] };
}

function exported(name: string, doc: string): InterfaceDeclarationStructure {
  return { kind: tsMorph().StructureKind.Interface, isExported: true, name, docs: [jsDoc(doc)] };
}
