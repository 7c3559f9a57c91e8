// buildReadme(options, model) -> the generated project's README.md, including the Okta and
// Microsoft Entra ID setup guide. The template only loops and substitutes: everything that
// depends on options, adapters or schemas is decided here, in the view.

import { selectedAdapters } from '../adapters/index.js';
import type { Adapter } from '../adapters/types.js';
import type { SchemaModel } from '../model/ir.js';
import type { AuthId, DatabaseId, ProjectOptions } from '../options.js';
import { NORMALISERS } from '../../templates/scim/normalise.js';
import { coreEnv, type CoreEnvVar } from './core-env.js';
import { render } from './render.js';
import { bundledTemplates, type Templates } from './templates.js';

const TEMPLATE = 'README.md.hbs';

export interface EnvRow {
  name: string;
  default: string;
  description: string;
}

export interface EndpointRow {
  method: string;
  path: string;
  description: string;
}

/** What the README says about the auth mode: one case per mode, like the OpenAPI scheme. */
export interface AuthView {
  /** "a bearer token" — completes "Identity providers authenticate with …". */
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
    fields: string[];
    /** The mode to choose in the OIN Wizard, when publishing to the Okta Integration Network. */
    oinMode: string;
  };
  entra: {
    fields: string[];
  };
}

export function authView(auth: AuthId): AuthView {
  switch (auth) {
    case 'bearer':
      return {
        summary: 'a bearer token',
        envVar: 'SCIM_BEARER_TOKEN',
        header: 'Authorization: Bearer <token>',
        shellSetup: "TOKEN=$(grep '^SCIM_BEARER_TOKEN=' .env | cut -d= -f2-)",
        curlOption: '-H "Authorization: Bearer $TOKEN"',
        newSecretCommand: `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`,
        okta: {
          mode: 'HTTP Header',
          fields: [
            '**Authorization**: Okta shows a fixed `Bearer` label in front of this box. Paste only the ' +
              'value of `SCIM_BEARER_TOKEN`, without the word `Bearer`; Okta sends ' +
              '`Authorization: Bearer <token>`. (If your form has one box for the whole header value ' +
              'and no `Bearer` label, type `Bearer <token>` there.)',
          ],
          oinMode: 'Bearer',
        },
        entra: {
          fields: [
            '**Secret Token**: the value of `SCIM_BEARER_TOKEN`, without `Bearer` (Entra ID adds it). ' +
              'Entra ID needs a token that does not expire; rotate it by changing both sides together.',
          ],
        },
      };
    default: {
      const unknown: never = auth;
      throw new Error(`No README text for auth mode ${String(unknown)}`);
    }
  }
}

/** What the README says about the database: one case per database. */
export interface DatabaseView {
  /** Deployment advice, as Markdown bullet lines. */
  deployNotes: string[];
}

export function databaseView(database: DatabaseId): DatabaseView {
  switch (database) {
    case 'sqlite':
      return {
        deployNotes: [
          'Run one instance per database file: SQLite lives on one machine, so scale up, not out.',
          'Back up the database file (for example with `sqlite3 <file> ".backup <copy>"`), not by copying it while the server writes.',
        ],
      };
    default: {
      const unknown: never = database;
      throw new Error(`No README text for database ${String(unknown)}`);
    }
  }
}

function envRow(v: CoreEnvVar): EnvRow {
  const required = v.secret ? 'required' : undefined;
  const fallback =
    v.readmeDefault ?? (v.generate ? `${required ?? 'set'}; generated into .env` : (v.example ?? required ?? ''));
  return { name: v.name, default: fallback || '—', description: v.description };
}

function endpoints(options: ProjectOptions, model: SchemaModel): EndpointRow[] {
  const base = options.basePath;
  const rows: EndpointRow[] = [];
  for (const rt of model.resourceTypes) {
    const at = `${base}${rt.endpoint}`;
    rows.push(
      { method: 'GET', path: at, description: `List, filter, sort and page ${rt.name} resources` },
      { method: 'POST', path: at, description: `Create a ${rt.name}` },
      { method: 'GET', path: `${at}/{id}`, description: `Read a ${rt.name}` },
      { method: 'PUT', path: `${at}/{id}`, description: `Replace a ${rt.name}` },
      { method: 'PATCH', path: `${at}/{id}`, description: `Modify a ${rt.name}` },
      { method: 'DELETE', path: `${at}/{id}`, description: `Delete a ${rt.name}` },
      { method: 'POST', path: `${at}/.search`, description: `Search ${rt.name} resources with a JSON body` },
    );
  }
  rows.push(
    { method: 'POST', path: `${base}/.search`, description: 'Search every resource type' },
    { method: 'GET', path: `${base}/ServiceProviderConfig`, description: 'Supported features' },
    { method: 'GET', path: `${base}/ResourceTypes`, description: 'Resource types (also `/ResourceTypes/{id}`)' },
    { method: 'GET', path: `${base}/Schemas`, description: 'Schemas (also `/Schemas/{urn}`)' },
    { method: 'GET', path: '/health', description: 'Liveness probe: no credentials, outside the base path' },
  );
  return rows;
}

const layerOf = (adapters: readonly Adapter[], layer: Adapter['layer']) => {
  const found = adapters.find((a) => a.layer === layer);
  if (!found) throw new Error(`No ${layer} adapter selected`);
  return found;
};

export function readmeView(options: ProjectOptions, model: SchemaModel) {
  const adapters = selectedAdapters(options);
  const env = coreEnv(options);
  const database = layerOf(adapters, 'database');
  const extensions = model.resourceTypes.flatMap((rt) =>
    rt.schemaExtensions.map((e) => ({ resourceType: rt.name, schema: e.schema })),
  );
  const volumes = adapters.flatMap((a) => (a.docker?.volume ? [a.docker.volume] : []));
  const auth = authView(options.auth);
  return {
    projectName: options.projectName,
    basePath: options.basePath,
    port: options.port,
    localUrl: `http://localhost:${options.port}${options.basePath}`,
    stack: {
      framework: layerOf(adapters, 'framework').label,
      database: database.label,
      auth: layerOf(adapters, 'auth').label,
    },
    auth,
    database: databaseView(options.database),
    env: [
      ...env.listen.map(envRow),
      ...adapters.filter((a) => a.layer === 'auth').flatMap((a) => a.env.map(envRow)),
      ...adapters.filter((a) => a.layer !== 'auth').flatMap((a) => a.env.map(envRow)),
      ...env.tuning.map(envRow),
    ],
    endpoints: endpoints(options, model),
    resourceTypes: model.resourceTypes.map((rt) => ({ name: rt.name, endpoint: rt.endpoint })),
    extensions,
    hasExtensions: extensions.length > 0,
    enterpriseUser: options.enterpriseUser,
    dialects: NORMALISERS.map((n) => ({ idp: n.idp, absorbs: n.absorbs })),
    hasMigrations: adapters.some((a) => a.migrations),
    docker: {
      run: [
        `docker run -p ${options.port}:${options.port}`,
        `-e ${auth.envVar}=<token>`,
        ...volumes.map((v, i) => `-v ${options.projectName}-data${i ? i + 1 : ''}:${v}`),
        options.projectName,
      ].join(' '),
      hasVolumes: volumes.length > 0,
      volumes,
    },
  };
}

export type ReadmeView = ReturnType<typeof readmeView>;

export function buildReadme(
  options: ProjectOptions,
  model: SchemaModel,
  templates: Templates = bundledTemplates(),
): string {
  const template = templates.dir('project').find((f) => f.path === TEMPLATE);
  if (!template) throw new Error(`templates/project/${TEMPLATE} is missing from the package`);
  return render(template.content, readmeView(options, model), TEMPLATE);
}
