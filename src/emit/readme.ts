// buildReadme(options, model) -> the generated project's README.md, including the Okta and
// Microsoft Entra ID setup guide. The template only loops and substitutes: everything that
// depends on options, adapters or schemas is decided here, in the view.

import { RATE_LIMIT_DEFAULTS } from '../../templates/scim/config.js';
import { selectAdapters, selectedAdapters } from '../adapters/index.js';
import type { SchemaModel } from '../model/ir.js';
import type { ProjectOptions } from '../options.js';
import { NORMALISERS } from '../../templates/scim/normalise.js';
import { coreEnv, type CoreEnvVar } from './core-env.js';
import { IDP_SETUP_PATH } from './idp-setup.js';
import { DOCS_PATH, firstRunSteps } from './first-run.js';
import { projectEngines } from './project-files.js';
import { NODE_ENGINES } from '../versions.js';
import { render } from './render.js';
import { bundledTemplates, type Templates } from './templates.js';

const TEMPLATE = 'README.md.hbs';
/** Where the README's mount example puts the SCIM endpoints in the team's own app. */
const MOUNT_PREFIX = '/api/scim/v2';

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
    { method: 'GET', path: DOCS_PATH, description: 'API reference page (`SCIM_DOCS`; no credentials)' },
    { method: 'GET', path: `${DOCS_PATH}/openapi.json`, description: 'The OpenAPI document, with this server as its server URL' },
    ...(selectAdapters(options).auth.endpoints ?? []),
  );
  return rows;
}

export function readmeView(options: ProjectOptions, model: SchemaModel) {
  const selection = selectAdapters(options);
  const adapters = selectedAdapters(options);
  const env = coreEnv(options);
  const extensions = model.resourceTypes.flatMap((rt) =>
    rt.schemaExtensions.map((e) => ({ resourceType: rt.name, schema: e.schema })),
  );
  const volumes = adapters.flatMap((a) => (a.docker?.volume ? [a.docker.volume] : []));
  return {
    projectName: options.projectName,
    basePath: options.basePath,
    port: options.port,
    localUrl: `http://localhost:${options.port}${options.basePath}`,
    stack: {
      framework: selection.framework.label,
      database: selection.database.summary,
      auth: selection.auth.label,
    },
    auth: selection.auth.docs,
    mount: {
      unit: selection.framework.mountExample.unit,
      prefix: MOUNT_PREFIX,
      code: selection.framework.mountExample.code({
        prefix: MOUNT_PREFIX,
        authRoutes: (selection.auth.endpoints ?? []).length > 0,
      }),
    },
    database: {
      deployNotes: selection.database.deployNotes,
      requirements: selection.database.requirements,
      layout: selection.database.layout ?? [],
    },
    env: [
      ...env.listen.map(envRow),
      // The credential first: it is the one variable every user must look at.
      ...selection.auth.env.map(envRow),
      ...selection.framework.env.map(envRow),
      ...selection.database.env.map(envRow),
      ...env.tuning.map(envRow),
    ],
    endpoints: endpoints(options, model),
    // Issue 16: what this variant needs before its first run, and where the API docs are.
    firstRun: firstRunSteps(options),
    nodeRequirement: nodeRequirement(options),
    docsUrl: `http://localhost:${options.port}${DOCS_PATH}`,
    resourceTypes: model.resourceTypes.map((rt) => ({ name: rt.name, endpoint: rt.endpoint })),
    extensions,
    hasExtensions: extensions.length > 0,
    // Groups keep their members in a membership table: their membership PATCHes answer 204.
    hasGroups: model.resourceTypes.some((rt) => rt.name === 'Group'),
    enterpriseUser: options.enterpriseUser,
    idpSetup: IDP_SETUP_PATH,
    dialects: NORMALISERS.map((n) => ({ idp: n.idp, absorbs: n.absorbs })),
    hasMigrations: selection.database.migrations !== undefined,
    ignoresUnknownAttributes: options.unknownAttributes === 'ignore',
    // The IPSIE profile's authentication rows depend on it.
    oauth: options.auth === 'oauth2',
    multi: options.tenancy === 'multi',
    rateLimit: RATE_LIMIT_DEFAULTS,
    docker: {
      run: [
        `docker run -p ${options.port}:${options.port}`,
        // Every secret, plus what points at an external database.
        ...adapters.flatMap((a) => a.env.filter((e) => e.secret || e.name === 'DATABASE_URL')).map((e) => `-e ${e.name}=<${e.secret ? 'secret' : 'url'}>`),
        ...volumes.map((v, i) => `-v ${options.projectName}-data${i ? i + 1 : ''}:${v}`),
        options.projectName,
      ].join(' '),
      hasVolumes: volumes.length > 0,
      volumes,
    },
  };
}

export type ReadmeView = ReturnType<typeof readmeView>;

/** The README's Node.js line, as package.json's engines says (src/versions.ts). */
function nodeRequirement(options: ProjectOptions): string {
  const packages = selectedAdapters(options).flatMap((a) => a.dependencies);
  if (projectEngines(packages) === NODE_ENGINES) return 'Node.js 22 or 24. Node.js 20.19 still works, but Node 20 is end-of-life.';
  return 'Node.js 22.12 or later (24 recommended): some dependencies of this stack no longer support Node 20.';
}

export function buildReadme(
  options: ProjectOptions,
  model: SchemaModel,
  templates: Templates = bundledTemplates(),
): string {
  const template = templates.dir('project').find((f) => f.path === TEMPLATE);
  if (!template) throw new Error(`templates/project/${TEMPLATE} is missing from the package`);
  return render(template.content, readmeView(options, model), TEMPLATE);
}
