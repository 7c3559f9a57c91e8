// src/generated/types.gen.ts: one interface per resource type (ScimUser), per complex attribute
// (ScimUserEmail) and per extension schema (EnterpriseUserExtension), documented from the
// schema. Hooks and user code are typed by these, so a schema change surfaces as a tsc error.

import type { InterfaceDeclarationStructure, OptionalKind, PropertySignatureStructure } from 'ts-morph';
import { COMMON_ATTRIBUTES, type AttributeType } from '../../../templates/scim/schema.js';
import type { AttributeDef, SchemaDef, SchemaModel } from '../../model/ir.js';
import {
  META_INTERFACE,
  createNamer,
  pascalCase,
  resourceInterfaceNames,
  schemaBaseName,
  schemaByUrn,
  singular,
  type Namer,
} from './names.js';
import { tsMorph } from './morph.js';
import { jsDoc, printModule, propertyName, stringLiteral, type Doc } from './printer.js';

type Property = OptionalKind<PropertySignatureStructure>;

const SCALAR_TYPES: Record<Exclude<AttributeType, 'complex'>, string> = {
  string: 'string',
  boolean: 'boolean',
  decimal: 'number',
  integer: 'number',
  dateTime: 'string',
  reference: 'string',
  binary: 'string',
};

const commonNames = new Set(COMMON_ATTRIBUTES.map((a) => a.name.toLowerCase()));
const common = (name: string) => COMMON_ATTRIBUTES.find((a) => a.name === name)!;

export function emitTypesModule(model: SchemaModel): string {
  const resourceNames = resourceInterfaceNames(model);
  const namer = createNamer([META_INTERFACE, ...resourceNames.values()]);
  const extensionNames = new Map<SchemaDef, string>();
  const extensionInterfaces: InterfaceDeclarationStructure[] = [];

  const extensionInterface = (schema: SchemaDef): string => {
    const known = extensionNames.get(schema);
    if (known) return known;
    const base = schemaBaseName(schema);
    const name = namer.take(base.endsWith('Extension') ? base : `${base}Extension`);
    extensionNames.set(schema, name);
    extensionInterfaces.push(
      ...objectInterfaces(
        name,
        base,
        jsDoc(paragraphs(schema.description, `Extension schema ${schema.id}.`)),
        schema.attributes,
        namer,
      ),
    );
    return name;
  };

  const resourceInterfaces = model.resourceTypes.flatMap((rt) => {
    const name = resourceNames.get(rt)!;
    const core = schemaByUrn(model, rt.schema, rt.name);
    const nested: InterfaceDeclarationStructure[] = [];
    const properties: Property[] = [
      {
        name: 'schemas',
        type: 'string[]',
        docs: [jsDoc('URNs of the schemas this resource uses (RFC 7643 §3).')],
      },
      ...memberProperty(common('id'), name, nested, namer),
      ...memberProperty(common('externalId'), name, nested, namer),
      ...core.attributes
        .filter((attr) => !commonNames.has(attr.name.toLowerCase()))
        .flatMap((attr) => memberProperty(attr, name, nested, namer)),
      ...rt.schemaExtensions.map((ext): Property => {
        const schema = schemaByUrn(model, ext.schema, rt.name);
        return {
          name: stringLiteral(schema.id),
          type: extensionInterface(schema),
          hasQuestionToken: !ext.required,
          docs: [jsDoc(`The ${schema.name} extension${ext.required ? ' (required)' : ''}.`)],
        };
      }),
      attributeProperty(common('meta'), META_INTERFACE),
    ];
    const doc = jsDoc(
      paragraphs(rt.description, `A ${rt.name} resource (${rt.endpoint}), core schema ${core.id}.`),
    );
    return [{ ...interfaceOf(name, doc), properties }, ...nested];
  });

  const meta = objectInterfaces(
    META_INTERFACE,
    META_INTERFACE,
    jsDoc('Resource metadata, maintained by the server (RFC 7643 §3.1).'),
    common('meta').subAttributes ?? [],
    namer,
  );

  return printModule([...meta, ...resourceInterfaces, ...extensionInterfaces]);
}

/** The interface for an object with these attributes, followed by those of its complex ones. */
function objectInterfaces(
  name: string,
  prefix: string,
  doc: Doc,
  attributes: readonly AttributeDef[],
  namer: Namer,
): InterfaceDeclarationStructure[] {
  const nested: InterfaceDeclarationStructure[] = [];
  const properties = attributes.flatMap((attr) => memberProperty(attr, prefix, nested, namer));
  return [{ ...interfaceOf(name, doc), properties }, ...nested];
}

/**
 * The property for one schema attribute; complex ones get their own interface, named after
 * their owner (ScimUser + emails -> ScimUserEmail). writeOnly attributes (password) are left
 * out: they are never stored or returned, and hooks receive them in HookContext.writeOnly.
 */
function memberProperty(
  attr: AttributeDef,
  prefix: string,
  nested: InterfaceDeclarationStructure[],
  namer: Namer,
): Property[] {
  if (attr.mutability === 'writeOnly') return [];
  if (attr.type !== 'complex') return [attributeProperty(attr, SCALAR_TYPES[attr.type])];
  const element = attr.multiValued ? singular(attr.name) : attr.name;
  const name = namer.take(`${prefix}${pascalCase(element)}`);
  const role = attr.multiValued ? `One element of ${attr.name}.` : `The value of ${attr.name}.`;
  const doc = jsDoc(paragraphs(attr.description, role));
  nested.push(...objectInterfaces(name, name, doc, attr.subAttributes ?? [], namer));
  return [attributeProperty(attr, name)];
}

function attributeProperty(attr: AttributeDef, type: string): Property {
  const remarks = [`mutability: ${attr.mutability}`, `returned: ${attr.returned}`];
  if (attr.uniqueness !== 'none') remarks.push(`uniqueness: ${attr.uniqueness}`);
  if (attr.canonicalValues?.length) {
    remarks.push(`canonical values: ${attr.canonicalValues.join(', ')}`);
  }
  return {
    name: propertyName(attr.name),
    type: attr.multiValued ? `${type}[]` : type,
    hasQuestionToken: !attr.required,
    isReadonly: attr.mutability === 'readOnly',
    docs: [jsDoc(attr.description, [['remarks', remarks.join(', ')]])],
  };
}

/** The schema's description (when it has one) followed by what the generator knows. */
function paragraphs(description: string | undefined, known: string): string {
  const own = description?.trim();
  return own ? `${own}\n\n${known}` : known;
}

function interfaceOf(name: string, doc: Doc): InterfaceDeclarationStructure {
  return { kind: tsMorph().StructureKind.Interface, isExported: true, name, docs: [doc] };
}
