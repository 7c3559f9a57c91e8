import { describe, expect, it } from 'vitest';
import { adapters, selectedAdapters } from '../../../src/adapters/index.js';
import { envExample } from '../../../src/emit/project-files.js';
import { buildReadme, readmeView } from '../../../src/emit/readme.js';
import type { SchemaModel } from '../../../src/model/ir.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';
import { NORMALISERS } from '../../../templates/scim/normalise.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

// The README reads only resource types (names, endpoints, extensions) from the model.
const model = (enterpriseUser: boolean): SchemaModel => ({
  schemas: [],
  resourceTypes: [
    {
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      schema: 'urn:ietf:params:scim:schemas:core:2.0:User',
      schemaExtensions: enterpriseUser ? [{ schema: ENTERPRISE, required: false }] : [],
    },
    { id: 'Group', name: 'Group', endpoint: '/Groups', schema: 'urn:ietf:params:scim:schemas:core:2.0:Group', schemaExtensions: [] },
  ],
  sources: new Map(),
});

const options = (over: Partial<ProjectOptions> = {}): ProjectOptions => ({
  ...DEFAULT_PROJECT_OPTIONS,
  projectName: 'acme-scim',
  ...over,
});

/** The rows of the Markdown table under `heading`, as arrays of trimmed cells. */
function table(markdown: string, heading: string): string[][] {
  const section = markdown.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !line.startsWith('| ---'))
    .slice(1)
    .map((line) => line.slice(1, -1).split(' | ').map((cell) => cell.trim()));
}

describe('buildReadme', () => {
  const readme = buildReadme(options(), model(true));

  it('renders every placeholder', () => {
    expect(readme).toMatch(/^# acme-scim\n/);
    expect(readme).not.toMatch(/\{\{|\}\}/);
  });

  it('documents every variable of .env.example, with the defaults', () => {
    const rows = table(readme, 'Configuration');
    const names = rows.map(([name]) => name?.replace(/`/g, ''));
    const fromEnvExample = [...envExample(options(), selectedAdapters(options())).matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(new Set(names)).toEqual(new Set(fromEnvExample));
    const defaults = Object.fromEntries(rows.map(([name, value]) => [name?.replace(/`/g, ''), value]));
    expect(defaults).toMatchObject({
      PORT: '3000',
      HOST: '0.0.0.0',
      SCIM_BEARER_TOKEN: 'required; generated into .env',
      DATABASE_PATH: './data/scim.sqlite',
      LOG_LEVEL: 'info',
      SCIM_MAX_BODY_BYTES: '1048576',
      SCIM_PATCH_STATUS: '200',
    });
  });

  it.each([
    { basePath: '/scim/v2', port: 3000 },
    { basePath: '/api/identity', port: 8443 },
  ])('uses the exact base path and port ($basePath, $port)', ({ basePath, port }) => {
    const text = buildReadme(options({ basePath, port }), model(true));
    const paths = table(text, 'Endpoints').map(([, path]) => path);
    expect(paths).toContain(`\`${basePath}/Users/{id}\``);
    expect(paths).toContain(`\`${basePath}/Groups/.search\``);
    expect(paths).toContain(`\`${basePath}/ServiceProviderConfig\``);
    expect(text).toContain(`the base URL is \`https://<your-host>${basePath}\``);
    expect(text).toContain(`curl -H "Authorization: Bearer $TOKEN" http://localhost:${port}${basePath}/ServiceProviderConfig`);
    expect(text).toContain(`docker run -p ${port}:${port} -e SCIM_BEARER_TOKEN=<secret> -v acme-scim-data:/data acme-scim`);
    expect(text).toContain('The data lives in `/data` inside the');
  });

  it('links the generated Okta and Entra ID guide instead of repeating it', () => {
    // The guide is regenerated with the schemas; the README is the user's and is written once.
    expect(readme).toContain('[`docs/idp-setup.md`](docs/idp-setup.md)');
    expect(readme).toContain("Okta's authentication mode\nis **HTTP Header**");
    expect(readme).toContain('| `docs/idp-setup.md` | Generated.');
    expect(readme).not.toContain('**Secret Token**');
  });

  it('lists every PATCH dialect quirk the engine absorbs', () => {
    for (const n of NORMALISERS) expect(readme).toContain(`  - ${n.idp}: ${n.absorbs}`);
  });

  it.each([true, false])('lists the Enterprise User extension only when it is on (%s)', (enterpriseUser) => {
    const text = buildReadme(options({ enterpriseUser }), model(enterpriseUser));
    expect(text.includes(`\`${ENTERPRISE}\` on User`)).toBe(enterpriseUser);
  });
});

describe('mounting into your own app', () => {
  const section = (text: string) => text.split('## Mounting into your own app\n')[1]?.split('\n## ')[0] ?? '';

  it.each(adapters.framework.map((a) => a.id))("shows the %s adapter's own unit under another prefix, and its test", (framework) => {
    const text = section(buildReadme(options({ framework }), model(true)));
    const { mountExample } = adapters.framework.find((a) => a.id === framework)!;
    expect(text).toContain(mountExample.unit);
    expect(text).toContain("import { createScim } from './generated/app.js';");
    expect(text).toContain("'/api/scim/v2'");
    expect(text).toContain('test/mount.test.ts');
  });

  it('mounts the auth mode\'s own routes only when it has some', () => {
    const routesOf = (auth: string) => section(buildReadme(options({ auth }), model(true))).includes('OAuth 2.0 endpoints');
    expect(routesOf('oauth2')).toBe(true);
    expect(routesOf('bearer')).toBe(false);
  });
});

describe('readmeView', () => {
  it('takes the stack labels and auth wording from the selected adapters', () => {
    const view = readmeView(options(), model(true));
    expect(view.stack.framework).toBe('Fastify 5');
    expect(view.auth).toMatchObject({ envVar: 'SCIM_BEARER_TOKEN', okta: { mode: 'HTTP Header', oinMode: 'Bearer' } });
    expect(view.hasMigrations).toBe(true);
  });
});

describe('getting started per variant (issue 16)', () => {
  const gettingStarted = (over: Partial<ProjectOptions>) => {
    const text = buildReadme(options(over), model(true));
    return text.slice(text.indexOf('## Getting started'), text.indexOf('## Configuration'));
  };

  it('says to create the PostgreSQL or MySQL database first, with the command', () => {
    expect(gettingStarted({ database: 'postgres' })).toContain('```sh\n  createdb -h 127.0.0.1 -p 5432 -U postgres scim\n  ```');
    expect(gettingStarted({ database: 'mysql' })).toContain("mysql -h 127.0.0.1 -P 3306 -u root -e 'CREATE DATABASE scim CHARACTER SET utf8mb4'");
    expect(gettingStarted({})).not.toContain('First:');
  });

  it('names the OAuth redirect URIs to allow, and where the API docs are', () => {
    const text = gettingStarted({ auth: 'oauth2' });
    expect(text).toContain('`OAUTH_REDIRECT_URIS=https://portal.azure.com/TokenAuthorize` for Entra ID');
    expect(text).toContain('[http://localhost:3000/docs](http://localhost:3000/docs)');
  });

  it('states the Node.js versions package.json allows', () => {
    expect(buildReadme(options({ framework: 'fastify' }), model(true))).toContain('- Node.js 22.12 or later');
    expect(buildReadme(options({ framework: 'express' }), model(true))).toContain('- Node.js 22 or 24. Node.js 20.19 still works');
  });
});
