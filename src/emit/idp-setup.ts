// buildIdpSetup(options, model) -> docs/idp-setup.md: the Okta (App Integration Wizard, OIN
// Wizard) and Microsoft Entra ID guide for this exact server. The auth mode's fields come from
// its adapter's docs, the attribute tables from the model (idp-attributes.ts); the template only
// loops and substitutes.

import { selectAdapters } from '../adapters/index.js';
import type { SchemaModel } from '../model/ir.js';
import type { ProjectOptions } from '../options.js';
import { RATE_LIMIT_DEFAULTS } from '../../templates/scim/config.js';
import { NORMALISERS } from '../../templates/scim/normalise.js';
import { CORE_USER, isUserOrGroup, mappingTables } from './idp-attributes.js';
import { render } from './render.js';
import { bundledTemplates, type Templates } from './templates.js';

/** Where the guide lands in the generated project; the README links to it. */
export const IDP_SETUP_PATH = 'docs/idp-setup.md';

const TEMPLATE = 'idp-setup.md.hbs';

const ENTITLEMENT_SCHEMAS: Record<string, string> = {
  'urn:okta:scim:schemas:core:1.0:Entitlement': 'entitlements',
  'urn:okta:scim:schemas:core:1.0:Role': 'roles',
};

export function idpSetupView(
  options: ProjectOptions,
  model: SchemaModel,
  adapters: Pick<ReturnType<typeof selectAdapters>, 'auth'> = selectAdapters(options),
) {
  const { auth } = adapters;
  const multi = options.tenancy === 'multi';
  // A multi-tenant server: each customer's identity provider uses its tenant's base URL.
  const publicUrl = `https://<your-host>${options.basePath}${multi ? '/<tenant>' : ''}`;
  const pathOf = (endpoint: string) => `${options.basePath}${multi ? '/<tenant>' : ''}${endpoint}`;
  const userOrGroup = model.resourceTypes.filter(isUserOrGroup).map((rt) => ({
    name: rt.name,
    path: pathOf(rt.endpoint),
    tables: mappingTables(rt, model.schemas),
  }));
  const userExtensions = userOrGroup
    .flatMap((rt) => rt.tables)
    .filter((t) => t.custom && model.resourceTypes.some((rt) => rt.schema === CORE_USER && rt.schemaExtensions.some((e) => e.schema === t.schema)));
  const customResourceTypes = model.resourceTypes
    .filter((rt) => !isUserOrGroup(rt))
    .map((rt) => ({
      name: rt.name,
      path: pathOf(rt.endpoint),
      schema: rt.schema,
      okta: ENTITLEMENT_SCHEMAS[rt.schema]
        ? `${ENTITLEMENT_SCHEMAS[rt.schema]} (Okta Identity Governance)`
        : 'not read: its schema is neither Okta\'s entitlement nor role schema',
    }));
  return {
    projectName: options.projectName,
    basePath: options.basePath,
    // The check below uses .env's credential: the tenant "default", at the base path itself.
    localUrl: `http://localhost:${options.port}${options.basePath}`,
    port: options.port,
    localTenantUrl: `http://localhost:${options.port}${options.basePath}${multi ? '/<tenant>' : ''}`,
    publicUrl,
    multi,
    rateLimit: RATE_LIMIT_DEFAULTS,
    // The flag rides on the URL Entra ID calls: it sees no difference in the base path.
    entraTenantUrl: `${publicUrl}?aadOptscim062020`,
    auth: auth.docs,
    secrets: auth.env.filter((v) => v.secret).map((v) => v.name),
    enterpriseUser: options.enterpriseUser,
    resourceTypes: model.resourceTypes.map((rt) => ({ name: rt.name, path: pathOf(rt.endpoint) })),
    userOrGroup,
    hasUserExtensions: userExtensions.length > 0,
    exampleExtensionPath: userExtensions.flatMap((t) => t.rows)[0]?.path ?? '',
    customResourceTypes,
    hasCustomResourceTypes: customResourceTypes.length > 0,
    entraDialects: NORMALISERS.filter((n) => n.idp.startsWith('Microsoft Entra ID')).map((n) => n.absorbs),
  };
}

export type IdpSetupView = ReturnType<typeof idpSetupView>;

export function buildIdpSetup(
  options: ProjectOptions,
  model: SchemaModel,
  adapters: Pick<ReturnType<typeof selectAdapters>, 'auth'> = selectAdapters(options),
  templates: Templates = bundledTemplates(),
): string {
  const template = templates.dir('docs').find((f) => f.path === TEMPLATE);
  if (!template) throw new Error(`templates/docs/${TEMPLATE} is missing from the package`);
  return render(template.content, idpSetupView(options, model, adapters), TEMPLATE);
}
