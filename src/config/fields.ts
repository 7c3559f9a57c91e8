// The keys of a config file (`--config customer.json`, and every project's scim.config.json):
// one entry per answer the CLI takes. Both the published JSON Schema (schema.ts) and the
// validator (validate.ts) are built from this table, so they cannot disagree about a key.

import { choices } from '../adapters/index.js';
import { adapterQuestions } from '../adapters/questions.js';
import {
  basePathError,
  DEFAULT_PROJECT_OPTIONS,
  PACKAGE_MANAGERS,
  projectNameError,
  type AuthId,
  type DatabaseId,
  type FrameworkId,
  type ProjectOptions,
  type RunOptions,
  type Tenancy,
  TENANCY_MODES,
  type UnknownAttributesPolicy,
  UNKNOWN_ATTRIBUTES_POLICIES,
} from '../options.js';

/** The subset of JSON Schema (draft 2020-12) the config uses; validate.ts interprets exactly this. */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'boolean' | 'array' | 'object';
  description?: string;
  enum?: readonly string[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: JsonSchema;
  uniqueItems?: boolean;
  propertyNames?: JsonSchema;
  additionalProperties?: JsonSchema;
  not?: { enum: readonly string[] };
  default?: unknown;
  examples?: readonly unknown[];
}

export interface Field {
  schema: JsonSchema;
  /** What a valid value is, completing "expected ...". */
  expected: string;
  /**
   * Why a string value is unusable ("must not contain ..."), or undefined when it is fine: the
   * same reasons the flags give, which say more than "does not match the pattern".
   */
  reason?: (value: string) => string | undefined;
}

/** Every answer a config file can give. Paths are relative to the config file's directory. */
export interface ConfigAnswers {
  /** Where to generate the project. Not written into scim.config.json (the file sits there). */
  directory?: string;
  projectName?: string;
  basePath?: string;
  port?: number;
  enterpriseUser?: boolean;
  schemaFiles?: string[];
  resourceTypeFiles?: string[];
  extend?: Record<string, string>;
  framework?: FrameworkId;
  database?: DatabaseId;
  auth?: AuthId;
  unknownAttributes?: UnknownAttributesPolicy;
  tenancy?: Tenancy;
  install?: boolean;
  git?: boolean;
  packageManager?: RunOptions['packageManager'];
}

/** The chosen adapters' own answers (custom-header's authHeaderName), by question key. */
export type AdapterConfigAnswers = Record<string, unknown>;

/** Keys a config has besides the answers. */
export interface ConfigMeta {
  /** The JSON Schema editors use; any value is accepted. */
  $schema?: string;
  /** The generator version that wrote a project's scim.config.json. */
  generatorVersion?: string;
}

// RFC 3986 pchar segments, none of them "." or "..": basePathError in regex form, for editors.
const BASE_PATH_PATTERN = "^(?:/(?!\\.\\.?(?:/|$))(?:[A-Za-z0-9.~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})+)+$";

const filePaths = (what: string): Field => ({
  schema: {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    uniqueItems: true,
    description: `${what}, as paths relative to this file's directory. Each is copied to the project's schemas/ folder, so their file names must differ.`,
    default: [],
  },
  expected: 'an array of file paths',
});

const choice = (values: readonly string[], description: string, fallback?: string): Field => ({
  schema: { type: 'string', enum: values, description, ...(fallback !== undefined ? { default: fallback } : {}) },
  expected: `one of ${values.map((v) => `"${v}"`).join(', ')}`,
});

const flag = (description: string, fallback: boolean): Field => ({
  schema: { type: 'boolean', description, default: fallback },
  expected: 'true or false',
});

/**
 * Every ProjectOptions key and every run answer must appear here (the `satisfies` makes a new
 * option a compile error until it is added); the order is the order of the written file.
 * Adapters' own questions follow (QUESTION_FIELDS), as top-level keys.
 */
const CORE_FIELDS = {
  $schema: {
    schema: { type: 'string', description: 'The JSON Schema of this file, for editor completion. Ignored by the generator.' },
    expected: 'a string (a JSON Schema URL or path)',
  },
  generatorVersion: {
    schema: {
      type: 'string',
      pattern: '^\\d+\\.\\d+\\.\\d+(?:[-+][0-9A-Za-z.+-]*)?$',
      description:
        'The create-scim-server version that generated the project. Written into scim.config.json for `create-scim-server regenerate`; leave it out of a hand-written config.',
    },
    expected: 'a version like "1.2.3"',
  },
  directory: {
    schema: {
      type: 'string',
      minLength: 1,
      description:
        "Where to create the project, relative to this file's directory. The directory argument on the command line overrides it.",
      examples: ['../customers/acme-scim'],
    },
    expected: 'a directory path (a non-empty string)',
  },
  projectName: {
    schema: {
      type: 'string',
      pattern: '^[a-z0-9~-][a-z0-9._~-]*$',
      maxLength: 214,
      not: { enum: ['node_modules', 'favicon.ico'] },
      description:
        "npm package name of the project, recorded in scim.config.json. When creating a project it applies only if the directory comes from this file too; otherwise the directory's name is the package name.",
    },
    expected: 'an npm package name',
    reason: (value) => (projectNameError(value) ? `it ${projectNameError(value)}` : undefined),
  },
  basePath: {
    schema: {
      type: 'string',
      pattern: BASE_PATH_PATTERN,
      description: 'SCIM base path every endpoint lives under: a leading "/", no trailing "/", and no "_" (Okta rejects base URLs with underscores).',
      default: DEFAULT_PROJECT_OPTIONS.basePath,
    },
    expected: 'a SCIM base path like "/scim/v2"',
    reason: (value) => (basePathError(value) ? `it ${basePathError(value)}` : undefined),
  },
  port: {
    schema: { type: 'integer', minimum: 1, maximum: 65535, description: 'Port the server listens on when PORT is not set.', default: DEFAULT_PROJECT_OPTIONS.port },
    expected: 'a whole number from 1 to 65535',
  },
  enterpriseUser: flag('Include the RFC 7643 Enterprise User extension on /Users.', DEFAULT_PROJECT_OPTIONS.enterpriseUser),
  schemaFiles: filePaths('SCIM schema files (RFC 7643 §7 JSON) extending a resource type or defining a custom one'),
  resourceTypeFiles: filePaths('ResourceType files (RFC 7643 §6 JSON) for custom resource types'),
  extend: {
    schema: {
      type: 'object',
      // The same forms as --extend URN=ResourceTypeName (parseExtend in resolve-options.ts).
      propertyNames: { type: 'string', pattern: '^[Uu][Rr][Nn]:\\S+$' },
      additionalProperties: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9]*$' },
      description:
        'Which resource type each extension schema extends, by schema URN, for extensions whose URN does not end in the type name and that no ResourceType file lists.',
      examples: [{ 'urn:acme:params:scim:schemas:extension:badge:1.0': 'User' }],
    },
    expected: 'an object mapping schema URNs to resource type names',
  },
  framework: choice(choices('framework'), 'Web framework.', DEFAULT_PROJECT_OPTIONS.framework),
  database: choice(choices('database'), 'Database.', DEFAULT_PROJECT_OPTIONS.database),
  auth: choice(choices('auth'), 'How identity providers authenticate.', DEFAULT_PROJECT_OPTIONS.auth),
  unknownAttributes: choice(
    UNKNOWN_ATTRIBUTES_POLICIES,
    'Attributes and schema URNs in requests that no schema declares: "reject" answers 400 invalidSyntax naming them (the identity provider shows the admin why); "ignore" drops them, never stores them, and logs their names.',
    DEFAULT_PROJECT_OPTIONS.unknownAttributes,
  ),
  tenancy: choice(
    TENANCY_MODES,
    'One customer or many: "single" serves one tenant at the base path; "multi" serves each tenant (customer) at <basePath>/<slug> with its own credentials, added with `npm run tenant -- add <slug>` or the admin API. Switching a project from "single" to "multi" keeps its data and credential as tenant "default", still answering at the base path.',
    DEFAULT_PROJECT_OPTIONS.tenancy,
  ),
  install: flag('Install dependencies after generating.', true),
  git: flag('Create a git repository with a first commit.', true),
  packageManager: choice(PACKAGE_MANAGERS, 'Package manager for the install and the printed commands. Defaults to the one running create, else npm.'),
} as const satisfies Record<Exclude<keyof ProjectOptions, 'adapterOptions'> | keyof ConfigAnswers | keyof ConfigMeta, Field>;

/** Each adapter question as a key, with the adapter choice it needs (checked by validate.ts). */
export const QUESTION_FIELDS: Record<string, Field & { requires: { layer: 'framework' | 'database' | 'auth'; id: string } }> =
  Object.fromEntries(
    adapterQuestions().map(({ adapter, question }) => [
      question.key,
      {
        schema: {
          type: 'string',
          description: `${question.description} Only with "${adapter.layer}": "${adapter.id}".`,
          ...(question.pattern ? { pattern: question.pattern } : {}),
          default: question.default,
        },
        expected: question.expected,
        reason: (value: string) => {
          const problem = question.problem(value);
          return problem ? `it ${problem}` : undefined;
        },
        requires: { layer: adapter.layer, id: adapter.id },
      },
    ]),
  );

export const FIELDS: Record<string, Field> = { ...CORE_FIELDS, ...QUESTION_FIELDS };

export type ConfigKey = string;
/** Core keys with the adapters' right after auth (where a project's scim.config.json lists them). */
export const CONFIG_KEYS: string[] = (() => {
  const core = Object.keys(CORE_FIELDS);
  const at = core.indexOf('auth') + 1;
  return [...core.slice(0, at), ...Object.keys(QUESTION_FIELDS), ...core.slice(at)];
})();
