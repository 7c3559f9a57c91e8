// src/generated/schemas.gen.ts: the project's schemas and resource types as typed data, the
// input of the engine's buildRegistry(). Every characteristic is written out, in a fixed key
// order, so the file documents exactly what the server enforces.

import type { VariableStatementStructure } from 'ts-morph';
import type { AttributeDef, ResourceTypeDef, SchemaDef, SchemaModel } from '../../model/ir.js';
import { tsMorph } from './morph.js';
import { literalWriter, printModule, type Literal } from './printer.js';

export function emitSchemasModule(model: SchemaModel): string {
  const { StructureKind } = tsMorph();
  const data: Record<string, Literal> = {
    schemas: model.schemas.map(schemaLiteral),
    resourceTypes: model.resourceTypes.map(resourceTypeLiteral),
  };
  return printModule(
    [
      {
        kind: StructureKind.ImportDeclaration,
        isTypeOnly: true,
        moduleSpecifier: './scim/schema.js',
        namedImports: ['ResourceTypeDef', 'SchemaDef'],
      },
      constant('schemas', 'readonly SchemaDef[]'),
      constant('resourceTypes', 'readonly ResourceTypeDef[]'),
    ],
    (file) => {
      // Written after creation: ts-morph gives structure initializers a hanging indent, while
      // replacing the node indents the literal relative to its statement.
      for (const [name, value] of Object.entries(data)) {
        const initializer = file.getVariableDeclarationOrThrow(name).getInitializerOrThrow();
        initializer.replaceWithText(literalWriter(value));
      }
    },
  );
}

function constant(name: string, type: string): VariableStatementStructure {
  const { StructureKind, VariableDeclarationKind } = tsMorph();
  return {
    kind: StructureKind.VariableStatement,
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name, type, initializer: '[]' }],
    leadingTrivia: (writer) => writer.blankLineIfLastNot(),
  };
}

function schemaLiteral(schema: SchemaDef): Literal {
  return {
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeLiteral),
  };
}

function attributeLiteral(attr: AttributeDef): Literal {
  return {
    name: attr.name,
    type: attr.type,
    multiValued: attr.multiValued,
    description: attr.description,
    required: attr.required,
    caseExact: attr.caseExact,
    mutability: attr.mutability,
    returned: attr.returned,
    uniqueness: attr.uniqueness,
    canonicalValues: attr.canonicalValues,
    referenceTypes: attr.referenceTypes,
    subAttributes: attr.subAttributes?.map(attributeLiteral),
  };
}

function resourceTypeLiteral(rt: ResourceTypeDef): Literal {
  return {
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    schemaExtensions: rt.schemaExtensions.map((e) => ({ schema: e.schema, required: e.required })),
  };
}
