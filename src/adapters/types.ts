// The shape of a variant: one declarative entry per framework, database and auth mode. Each
// contributes a template folder and data (packages, environment variables, documentation, the
// OpenAPI security scheme); the core emitters fill their slots from these entries and never
// ask which variant they are emitting.

import type { OpenAPIV3_1 } from 'openapi-types';
import type { StoragePlan } from '../../templates/scim/storage.js';
import type { StorageDiff } from '../emit/storage-diff.js';
import type { ProjectOptions } from '../options.js';
import type { PackageName } from '../versions.js';

export type Layer = 'framework' | 'database' | 'auth';

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
  id: string;
  label: string;
  /** Template folder under templates/, copied verbatim. */
  templateDir: string;
  /** Where the folder lands in the generated project. */
  target: string;
  /** More template folders it needs, e.g. the SQL store core shared by PostgreSQL and MySQL. */
  sharedTemplates?: ReadonlyArray<{ templateDir: string; target: string }>;
  dependencies: readonly PackageName[];
  devDependencies: readonly PackageName[];
  env: readonly EnvVar[];
  /** What the Dockerfile needs for this adapter. */
  docker?: { volume?: string; env?: Record<string, string> };
  /** Printed by the generator when this adapter is chosen (e.g. Basic and new OIN integrations). */
  warning?: string;
}

export interface FrameworkAdapter extends Adapter {
  layer: 'framework';
}

export interface DatabaseAdapter extends Adapter {
  layer: 'database';
  /** The migration files for a storage plan, written into migrations/<dir>/ (none for a store over someone else's API). */
  migrations?: {
    dir: string;
    build(plan: StoragePlan): Array<{ name: string; sql: string }>;
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
  /** The OpenAPI security scheme, under `name` in components.securitySchemes. */
  securityScheme: { name: string; scheme: OpenAPIV3_1.SecuritySchemeObject };
  /** Fills in what depends on the answers (a custom header's name); selectAdapters applies it. */
  forOptions?(options: Pick<ProjectOptions, 'authHeaderName'>): AuthAdapter;
}

export const defineAdapter = <T extends FrameworkAdapter | DatabaseAdapter | AuthAdapter>(adapter: T): T => adapter;
