// The shape of an adapter: one folder per framework, database and auth mode,
// `templates/<layer>-<id>/`, holding its declaration (`adapter.ts`, typed by this file), the
// files it adds to `src/generated/<layer>/`, and optionally `project/` (files it adds to the
// project: its tests, user-owned starting points, docs) and `generator/` (code the declaration
// uses at generation time, such as a database's DDL emitters). The core emitters fill their
// slots from these declarations and never ask which adapter they are emitting.

import type { OpenAPIV3_1 } from 'openapi-types';
import type { StoragePlan } from '../../templates/scim/storage.js';
import type { StorageDiff } from '../model/storage-diff.js';
import type { PackageName } from '../versions.js';

export const LAYERS = ['framework', 'database', 'auth'] as const;
export type Layer = (typeof LAYERS)[number];

/** A migration file: `NNNN_name.sql`, applied in order, recorded by name and checksum. */
export interface Migration {
  name: string;
  sql: string;
}

/**
 * A question only this adapter needs (a custom header's name). Asked, flagged, validated and
 * written to scim.config.json under `key` only when the adapter is chosen; the CLI, the prompts,
 * the config file's validation and JSON Schema, and --help all loop over these.
 */
export interface Question {
  /** Key in the project's answers and in scim.config.json, e.g. "authHeaderName". */
  key: string;
  /** The command-line flag without dashes, e.g. "auth-header-name". */
  flag: string;
  /** The prompt, e.g. "Header that carries the secret". */
  message: string;
  /** What the value is for: --help and the config file's JSON Schema. */
  description: string;
  /** The answer when none is given. */
  default: string;
  /** Completes "expected ...", e.g. "an HTTP header name". */
  expected: string;
  /** A JSON Schema pattern for editors; `problem` is the authority and says more. */
  pattern?: string;
  /** Why a value is unusable ("is ..."), or undefined when it is fine. */
  problem(value: string): string | undefined;
}

/** Answers to adapters' questions, by Question.key. */
export type AdapterAnswers = Readonly<Record<string, string>>;

export interface EnvVar {
  name: string;
  description: string;
  /** Written to .env.example as the value; omitted means the line is `NAME=`. */
  example?: string;
  /** Secrets are never given a value in .env.example and never logged. */
  secret?: boolean;
  /** The CLI fills it with a strong random value in the generated .env. */
  generate?: 'token';
}

export interface Adapter {
  layer: Layer;
  /** The value of --<layer>; its folder is templates/<layer>-<id>/. */
  id: string;
  label: string;
  /** Place in the layer's menu after the default (lower first); unranked adapters come last. */
  rank?: number;
  /**
   * Template folders of code several adapters share, copied to src/generated/<folder>/ beside
   * this adapter's own (e.g. "database-sql", the SQL store core of PostgreSQL and MySQL).
   */
  shared?: readonly string[];
  /** Questions only this adapter asks; see Question. */
  questions?: readonly Question[];
  /** Constants the adapter's files import from src/generated/project.gen.ts, from its answers. */
  constants?(answers: AdapterAnswers): ReadonlyArray<{ name: string; doc: string; value: string | number | boolean }>;
  dependencies: readonly PackageName[];
  devDependencies: readonly PackageName[];
  /**
   * TypeScript compiler options the adapter's files need, added to the project's tsconfig.json
   * (e.g. `experimentalDecorators` for a framework built on legacy decorators).
   */
  compilerOptions?: Readonly<Record<string, string | number | boolean>>;
  env: readonly EnvVar[];
  /** What the Dockerfile needs for this adapter. */
  docker?: { volume?: string; env?: Record<string, string> };
  /** Printed by the generator when this adapter is chosen (e.g. Basic and new OIN integrations). */
  warning?: string;
}

/** What a framework's mount example is written for. */
export interface MountContext {
  /** The path the example mounts the SCIM endpoints under, e.g. "/api/scim/v2". */
  prefix: string;
  /** The auth mode has endpoints of its own (OAuth 2.0), which the example mounts at the root too. */
  authRoutes: boolean;
}

export interface FrameworkAdapter extends Adapter {
  layer: 'framework';
  /**
   * How the README shows mounting the SCIM endpoints into an existing app of this framework,
   * as the framework's own unit, sharing that app's logger. The project's test/mount.test.ts
   * (the adapter's `project/test/`) does the same over real HTTP.
   */
  mountExample: {
    /** What the unit is, completing "mount them as ...", e.g. "a Fastify plugin". */
    unit: string;
    /** A src/server.ts that does it: TypeScript, importing from ./generated/ and ./hooks/. */
    code(context: MountContext): string;
  };
}

export interface DatabaseAdapter extends Adapter {
  layer: 'database';
  /** The migration files for a storage plan, written into migrations/<dir>/ (none for a store over someone else's API). */
  migrations?: {
    dir: string;
    build(plan: StoragePlan): Migration[];
    /**
     * The next migration's SQL for a schema change, or undefined when the change needs nothing of
     * this database (SQLite's row copy of groups, say); throws, saying why, for one it cannot make.
     */
    change(diff: StorageDiff): string | undefined;
  };
  /** The README's deployment advice for this database, as Markdown bullet lines. */
  deployNotes: readonly string[];
  /** What the README's Requirements list adds for this database, as Markdown bullet lines. */
  requirements: readonly string[];
  /** Completes "stores resources in ...", e.g. "PostgreSQL". */
  summary: string;
  /** Rows the README's project layout table adds (paths the user owns, e.g. a custom store). */
  layout?: ReadonlyArray<{ path: string; owner: string }>;
}

/** What the generated README says about an auth mode; the Okta and Entra steps name its fields. */
export interface AuthDocs {
  /** "a bearer token": completes "Identity providers authenticate with ...". */
  summary: string;
  envVar: string;
  /** The header identity providers send. */
  header: string;
  /** Shell lines that read the credential from .env into $TOKEN-like variables. */
  shellSetup: string;
  /** The curl option that sends the credential. */
  curlOption: string;
  /** How to make a new credential. */
  newSecretCommand: string;
  okta: {
    /** The "Authentication Mode" to pick in the App Integration Wizard's SCIM settings. */
    mode: string;
    /** Which field gets what, as Markdown bullet lines. */
    fields: readonly string[];
    /** The mode to choose in the OIN Wizard, when publishing to the Okta Integration Network. */
    oinMode: string;
    /** What to check when Okta's "Test Connector Configuration" gets a 401. */
    unauthorized: string;
  };
  entra: {
    /** Whether and where Entra ID offers this mode, in one sentence. */
    summary: string;
    /** Entra ID offers the mode only to apps published in its gallery, not to one the admin creates. */
    galleryOnly?: boolean;
    fields: readonly string[];
  };
}

export interface AuthAdapter extends Adapter {
  layer: 'auth';
  /** Endpoints of the auth mode itself (OAuth 2.0), listed in the README beside the SCIM ones. */
  endpoints?: ReadonlyArray<{ method: string; path: string; description: string }>;
  docs: AuthDocs;
  /**
   * How `create-scim-server check` authenticates against this mode, naming variables of the
   * project's .env (never values): the arguments of the project's `npm run scim:check`.
   */
  checkArgs: readonly string[];
  /** The OpenAPI security scheme, under `name` in components.securitySchemes. */
  securityScheme: { name: string; scheme: OpenAPIV3_1.SecuritySchemeObject };
  /** Fills in what depends on its answers (a custom header's name); selectAdapters applies it. */
  forAnswers?(answers: AdapterAnswers): AuthAdapter;
}

export const defineAdapter = <T extends FrameworkAdapter | DatabaseAdapter | AuthAdapter>(adapter: T): T => adapter;
