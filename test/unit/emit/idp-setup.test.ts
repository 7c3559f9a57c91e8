// docs/idp-setup.md says exactly what this server needs in Okta and Entra ID: the auth mode's
// fields and secret for each variant, and a mapping row for every attribute of every schema.

import { beforeAll, describe, expect, it } from 'vitest';
import { selectAdapters } from '../../../src/adapters/index.js';
import { generate } from '../../../src/emit/generate.js';
import { buildIdpSetup, IDP_SETUP_PATH } from '../../../src/emit/idp-setup.js';
import type { AttributeDef, SchemaDef, SchemaModel } from '../../../src/model/ir.js';
import { loadSchemaModel } from '../../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';
import { COMMON_ATTRIBUTES } from '../../../templates/scim/schema.js';

const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let model: SchemaModel;
let plain: SchemaModel;
beforeAll(async () => {
  model = await loadSchemaModel({
    enterpriseUser: true,
    schemaFiles: ['test/fixtures/acme-user-extension.schema.json'],
    cwd: process.cwd(),
  });
  plain = await loadSchemaModel({ enterpriseUser: false, schemaFiles: [], cwd: process.cwd() });
});

const options = (over: Partial<ProjectOptions> = {}): ProjectOptions => ({
  ...DEFAULT_PROJECT_OPTIONS,
  projectName: 'acme-scim',
  ...over,
});
const guide = (over: Partial<ProjectOptions> = {}, m: SchemaModel = model) => buildIdpSetup(options(over), m);

/** The rows of the mapping table under `#### \`schema\``, by SCIM path. */
function mappingRows(markdown: string, schema: string): Map<string, { type: string; okta: string; entra: string }> {
  const section = markdown.split(`#### \`${schema}\`\n`)[1]?.split(/\n#{2,4} /)[0] ?? '';
  const rows = new Map<string, { type: string; okta: string; entra: string }>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [path, type, okta, entra] = line.slice(2, -2).split(' | ');
    rows.set(path!.replace(/^`|`$/g, ''), { type: type!, okta: okta!, entra: entra! });
  }
  return rows;
}

// What each variant must say, written out rather than read from the adapters so a wrong adapter fact fails here.
const VARIANTS = [
  {
    auth: 'bearer',
    secrets: '`SCIM_BEARER_TOKEN` in `.env`',
    okta: ['**Authentication Mode**: **HTTP Header**', 'OIN Wizard: **Bearer**', 'Paste only the value of `SCIM_BEARER_TOKEN`'],
    entra: ['| Microsoft Entra ID | Supported:', '**Secret Token**: the value of `SCIM_BEARER_TOKEN`'],
    curl: '-H "Authorization: Bearer $TOKEN"',
  },
  {
    auth: 'header',
    secrets: '`SCIM_AUTH_TOKEN` in `.env`',
    okta: ['**Authentication Mode**: **HTTP Header**', 'OIN Wizard: **Header**', '**Authorization**: the value of `SCIM_AUTH_TOKEN`'],
    entra: ['| Microsoft Entra ID | Supported:', '**Secret Token**: the value of `SCIM_AUTH_TOKEN`'],
    curl: '-H "Authorization: $TOKEN"',
  },
  {
    auth: 'basic',
    secrets: '`SCIM_BASIC_PASSWORD` in `.env`',
    okta: ['**Authentication Mode**: **Basic Auth**', '**Username**: the value of `SCIM_BASIC_USERNAME`', '**Password**: the value of `SCIM_BASIC_PASSWORD`'],
    entra: ['| Microsoft Entra ID | Not supported: Entra ID does not offer HTTP Basic'],
    curl: '-u "$BASIC_USER:$BASIC_PASSWORD"',
  },
  {
    auth: 'custom-header',
    authHeaderName: 'X-Acme-Key',
    secrets: '`SCIM_API_KEY` in `.env`',
    okta: ['**Authentication Mode**: **HTTP Header**', 'not `X-Acme-Key`: put a proxy in front'],
    entra: ['| Microsoft Entra ID | Not supported: Entra ID sends only `Authorization: Bearer <token>`, never `X-Acme-Key`.'],
    curl: '-H "X-Acme-Key: $API_KEY"',
  },
  {
    auth: 'oauth2',
    secrets: '`OAUTH_CLIENT_SECRET` and `OAUTH_ADMIN_PASSWORD` in `.env`',
    okta: ['**Authentication Mode**: **OAuth 2**', '**Access Token endpoint URI**: `https://<your-host>/oauth/token`', '**Client Secret**: the value of `OAUTH_CLIENT_SECRET`'],
    entra: ['| Microsoft Entra ID | Gallery apps only:', '**Token endpoint**: `https://<your-host>/oauth/token`'],
    curl: '-H "Authorization: Bearer $TOKEN"',
  },
] as const;

describe.each(VARIANTS)('auth $auth', (variant) => {
  const over = { auth: variant.auth, ...('authHeaderName' in variant ? { adapterOptions: { authHeaderName: variant.authHeaderName } } : {}) } as Partial<ProjectOptions>;

  it('names the Okta and Entra ID fields, the secret and the local check', () => {
    const text = guide(over);
    expect(text).toContain(`| Credential | \`${selectAdapters(options(over)).auth.docs.header}\`, from ${variant.secrets} |`);
    for (const fact of [...variant.okta, ...variant.entra]) expect(text).toContain(fact);
    expect(text).toContain(`curl ${variant.curl} "http://localhost:3000/scim/v2/Users?filter=`);
    expect(text).not.toMatch(/\{\{|\}\}/);
  });

  it('has a row for each extension attribute, with its Okta and Entra ID expression', () => {
    const rows = mappingRows(guide(over), ACME);
    expect([...rows.keys()]).toEqual([`${ACME}:costCenter`, `${ACME}:badgeNumber`, `${ACME}:licenceTier`]);
    expect(rows.get(`${ACME}:costCenter`)).toEqual({
      type: 'string',
      okta: 'external name `costCenter`; map from e.g. `user.costCenter`',
      entra: `add \`${ACME}:costCenter\` (String) to the attribute list; map from e.g. \`extensionAttribute1\``,
    });
    expect(rows.get(`${ACME}:badgeNumber`)?.entra).toContain('(Integer)');
    expect(rows.get(`${ACME}:licenceTier`)?.type).toBe('string: `free`, `pro`, `enterprise`');
  });
});

describe('Entra ID app creation', () => {
  it('adds the app from the gallery when Entra ID offers the mode only to gallery apps (OAuth 2.0)', () => {
    const text = guide({ auth: 'oauth2' });
    expect(text).toContain('searches the gallery for it');
    expect(text).not.toContain('Create your own application**. Name it');
  });

  it('creates a non-gallery app otherwise', () => {
    const text = guide({ auth: 'bearer' });
    expect(text).toContain('Create your own application**. Name it');
    expect(text).not.toContain('searches the gallery for it');
  });
});

describe('mapping tables', () => {
  /** Every path the tables must list: top-level attributes, and the leaves of single-valued complex ones. */
  function expectedPaths(attributes: readonly AttributeDef[], prefix: string): string[] {
    return attributes.flatMap((a) =>
      a.type === 'complex' && !a.multiValued ? (a.subAttributes ?? []).map((s) => `${prefix}${a.name}.${s.name}`) : [`${prefix}${a.name}`],
    );
  }

  it('list every attribute of every User and Group schema, and each sub-attribute of a multi-valued one', () => {
    const text = guide();
    for (const rt of model.resourceTypes) {
      const core = model.schemas.find((s) => s.id === rt.schema)!;
      const coreRows = mappingRows(text, core.id);
      for (const path of expectedPaths([...COMMON_ATTRIBUTES, ...core.attributes], '')) expect(coreRows.has(path), `${rt.name} ${path}`).toBe(true);
      for (const attr of core.attributes.filter((a) => a.multiValued && a.type === 'complex')) {
        for (const sub of attr.subAttributes ?? []) expect(coreRows.get(attr.name)?.type).toContain(sub.name);
      }
      for (const ext of rt.schemaExtensions) {
        const schema = model.schemas.find((s) => s.id === ext.schema)!;
        const rows = mappingRows(text, schema.id);
        for (const path of expectedPaths(schema.attributes, `${schema.id}:`)) expect(rows.has(path), path).toBe(true);
      }
    }
  });

  it('give the default Okta and Entra ID mappings of well-known attributes', () => {
    const text = guide();
    const user = mappingRows(text, 'urn:ietf:params:scim:schemas:core:2.0:User');
    expect(user.get('name.givenName')).toMatchObject({ okta: '`user.firstName`', entra: '`givenName`' });
    expect(user.get('userName')?.entra).toContain('`userPrincipalName`');
    expect(user.get('active')?.entra).toBe('`Switch([IsSoftDeleted], , "False", "True", "True", "False")`');
    expect(user.get('emails[type eq "work"].value')).toMatchObject({ okta: '`user.email`', entra: '`mail`' });
    expect(user.get('groups')?.okta).toBe('read-only: set by the server');
    const enterprise = mappingRows(text, ENTERPRISE);
    expect(enterprise.get(`${ENTERPRISE}:department`)).toMatchObject({ okta: '`user.department`', entra: '`department`' });
    expect(enterprise.get(`${ENTERPRISE}:manager.value`)?.okta).toBe('`user.managerId`');
    const group = mappingRows(text, 'urn:ietf:params:scim:schemas:core:2.0:Group');
    expect(group.get('displayName')?.entra).toContain('matching attribute');
  });

  it('say which custom attributes Entra ID and Okta cannot map', () => {
    const extra: SchemaDef = {
      id: 'urn:example:params:scim:schemas:extension:badges:2.0:User',
      name: 'Badges',
      attributes: [
        attribute('tags', 'string', { multiValued: true }),
        attribute('badge', 'complex', { subAttributes: [attribute('number', 'integer'), attribute('site', 'string')] }),
        attribute('keys', 'complex', { multiValued: true, subAttributes: [attribute('value', 'string')] }),
      ],
    };
    const withExtra: SchemaModel = {
      ...model,
      schemas: [...model.schemas, extra],
      resourceTypes: model.resourceTypes.map((rt) =>
        rt.name === 'User' ? { ...rt, schemaExtensions: [...rt.schemaExtensions, { schema: extra.id, required: false }] } : rt,
      ),
    };
    const rows = mappingRows(guide({}, withExtra), extra.id);
    expect(rows.get(`${extra.id}:tags`)).toMatchObject({ type: 'string[]', okta: 'external name `tags` (an array attribute); map from e.g. `user.tags`' });
    expect(rows.get(`${extra.id}:tags`)?.entra).toMatch(/^not mappable in a non-gallery app/);
    expect(rows.get(`${extra.id}:badge.number`)).toMatchObject({ okta: 'external name `badge.number`; map from e.g. `user.number`' });
    expect(rows.get(`${extra.id}:badge.number`)?.entra).toMatch(/^not mappable/);
    expect(rows.get(`${extra.id}:keys`)?.okta).toMatch(/^not mappable/);
  });
});

describe('buildIdpSetup', () => {
  it.each(['/scim/v2', '/api/identity'])('uses the exact base path %s', (basePath) => {
    const text = guide({ basePath, port: 8443 });
    expect(text).toContain(`**SCIM connector base URL**: \`https://<your-host>${basePath}\``);
    expect(text).toContain(`**Tenant URL**: \`https://<your-host>${basePath}?aadOptscim062020\``);
    expect(text).toContain(`| Resource types | \`User\` at \`${basePath}/Users\`, \`Group\` at \`${basePath}/Groups\` |`);
    expect(text).toContain(`"http://localhost:8443${basePath}/Users?filter=`);
  });

  it('gives a tunnel recipe (cloudflared, ngrok) with the exact Okta and Entra ID fields to fill', () => {
    const text = guide({ basePath: '/api/identity', port: 8443 });
    const section = text.slice(text.indexOf('## Try it from your laptop: an HTTPS tunnel'), text.indexOf('## Okta: App Integration Wizard'));
    expect(section).toContain('cloudflared tunnel --url http://localhost:8443');
    expect(section).toContain('ngrok http 8443');
    expect(section).toContain('SCIM_PUBLIC_URL=https://<tunnel-host>/api/identity\n   TRUST_PROXY=true');
    expect(section).toContain('| Okta, **Provisioning > Integration** | **SCIM connector base URL** | `https://<tunnel-host>/api/identity` |');
    expect(section).toContain('| Entra ID, **Provisioning > Admin Credentials** | **Tenant URL** | `https://<tunnel-host>/api/identity?aadOptscim062020` |');
    expect(section).toContain('- Entra ID: **Secret Token**: the value of `SCIM_BEARER_TOKEN`');
    expect(section).toContain('test/proxy.test.ts');
    expect(section).toContain('https://<tunnel-host>/docs');
  });

  it('states the gotchas', () => {
    const text = guide();
    expect(text).toContain('**Okta never deletes users.**');
    expect(text).toContain('AIW apps with `PUT` of the whole user');
    expect(text).toContain('**Entra ID needs unique group `displayName`s**');
    expect(text).toContain('### The `aadOptscim062020` flag');
    expect(text).toContain('**Provision on demand**');
  });

  it('without the Enterprise User extension, has no table for it and tells both IdPs to drop its mappings', () => {
    const text = guide({ enterpriseUser: false }, plain);
    expect(text).not.toContain(`#### \`${ENTERPRISE}\``);
    expect(text).toContain('This server has no Enterprise User extension: if the app profile maps');
    expect(text).toContain('This server has no Enterprise User extension: remove the default mappings');
    expect(text).not.toContain('Edit attribute list for\n   your app');
  });

  it('lists custom resource types with their endpoints and how Okta reads them', () => {
    const entitlement: SchemaDef = {
      id: 'urn:okta:scim:schemas:core:1.0:Entitlement',
      name: 'Entitlement',
      attributes: [attribute('displayName', 'string'), attribute('type', 'string')],
    };
    const device: SchemaDef = { id: 'urn:example:params:scim:schemas:core:1.0:Device', name: 'Device', attributes: [attribute('serial', 'string')] };
    const withTypes: SchemaModel = {
      ...model,
      schemas: [...model.schemas, entitlement, device],
      resourceTypes: [
        ...model.resourceTypes,
        { id: 'Entitlement', name: 'Entitlement', endpoint: '/Entitlements', schema: entitlement.id, schemaExtensions: [] },
        { id: 'Device', name: 'Device', endpoint: '/Devices', schema: device.id, schemaExtensions: [] },
      ],
    };
    const text = guide({}, withTypes);
    expect(text).toContain('| Entitlement | `/scim/v2/Entitlements` | `urn:okta:scim:schemas:core:1.0:Entitlement` | entitlements (Okta Identity Governance) |');
    expect(text).toContain('| Device | `/scim/v2/Devices` | `urn:example:params:scim:schemas:core:1.0:Device` | not read:');
    expect(text).toContain('`Entitlement` at `/scim/v2/Entitlements`');
    // Only users and groups get IdP mapping tables.
    expect(text).not.toContain(`#### \`${entitlement.id}\``);
  });

  it('is planned as a generated file, with its header, and the README links it', () => {
    const files = generate(options(), model);
    const doc = files.find((f) => f.path === IDP_SETUP_PATH);
    expect(doc?.owner).toBe('generated');
    expect(doc?.content).toMatch(/^<!-- Generated by create-scim-server .* from scim\.config\.json and schemas\/\. Regenerate with npm run scim:generate/);
    expect(files.find((f) => f.path === 'README.md')?.content).toContain(`[\`${IDP_SETUP_PATH}\`](${IDP_SETUP_PATH})`);
  });
});

function attribute(name: string, type: AttributeDef['type'], rest: Partial<AttributeDef> = {}): AttributeDef {
  return { name, type, multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...rest };
}
