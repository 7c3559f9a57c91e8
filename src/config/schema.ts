// The config file's JSON Schema (draft 2020-12), published as config.schema.json in the package
// so editors complete and check config files. Built from FIELDS; a unit test keeps the committed
// file equal to this (update it with `npx vitest run --project unit test/unit/config/schema.test.ts -u`).

import { CONFIG_KEYS, FIELDS, QUESTION_FIELDS, type JsonSchema } from './fields.js';

/** Where editors fetch the schema for a given generator version (the package's own copy). */
export const configSchemaUrl = (generatorVersion: string): string =>
  `https://cdn.jsdelivr.net/npm/create-scim-server@${generatorVersion}/config.schema.json`;

export function buildConfigSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'create-scim-server config',
    description:
      'Answers for create-scim-server (`--config FILE`), and the format of a generated project\'s scim.config.json. Every key is optional; a missing one is asked for on a terminal, or takes its default. Paths are relative to this file\'s directory.',
    type: 'object',
    // Description first: it is what a reader of the file looks for.
    properties: Object.fromEntries(
      CONFIG_KEYS.map((key) => {
        const { schema } = FIELDS[key]!;
        return [key, { description: schema.description, ...schema } satisfies JsonSchema];
      }),
    ),
    additionalProperties: false,
    // Mirrors the check in validate.ts: an adapter's answer means nothing for the other choices.
    dependentSchemas: Object.fromEntries(
      Object.entries(QUESTION_FIELDS).map(([key, { requires }]) => [
        key,
        { required: [requires.layer], properties: { [requires.layer]: { const: requires.id } } },
      ]),
    ),
  };
}
