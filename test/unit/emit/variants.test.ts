// Every variant's generated project describes that variant exactly: the adapter folders it
// copies, its packages, .env.example, Dockerfile, README and OpenAPI security scheme.

import { beforeAll, describe, expect, it } from 'vitest';
import { adapters, selectAdapters } from '../../../src/adapters/index.js';
import { generate } from '../../../src/emit/generate.js';
import type { PlannedFile } from '../../../src/emit/plan.js';
import { loadSchemaModel } from '../../../src/model/load.js';
import type { SchemaModel } from '../../../src/model/ir.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';
import { versions } from '../../../src/versions.js';

let model: SchemaModel;
beforeAll(async () => {
  model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
});

const plan = (over: Partial<ProjectOptions>) => generate({ ...DEFAULT_PROJECT_OPTIONS, projectName: 'acme', ...over }, model);
const file = (files: PlannedFile[], path: string) => {
  const found = files.find((f) => f.path === path);
  if (!found) throw new Error(`${path} was not generated`);
  return found.content;
};

describe.each(adapters.auth.map((a) => a.id))('auth %s', (auth) => {
  const over = { auth, ...(auth === 'custom-header' ? { adapterOptions: { authHeaderName: 'X-Acme-Key' } } : {}) } as Partial<ProjectOptions>;
  const adapter = selectAdapters({ ...DEFAULT_PROJECT_OPTIONS, ...over } as ProjectOptions).auth;

  it('copies its folder and declares its variables', () => {
    const files = plan(over);
    expect(files.some((f) => f.path === 'src/generated/auth/index.ts')).toBe(true);
    expect(files.some((f) => f.path === 'src/generated/auth/testing.ts')).toBe(true);
    const example = file(files, '.env.example');
    for (const v of adapter.env) {
      expect(example).toContain(`${v.name}=`);
      // Secrets never get a value in the example.
      if (v.secret) expect(example).toMatch(new RegExp(`^${v.name}=$`, 'm'));
    }
  });

  it('documents itself in the README and Dockerfile', () => {
    const files = plan(over);
    const readme = file(files, 'README.md');
    expect(readme).toContain(adapter.docs.header);
    expect(readme).toContain(adapter.docs.curlOption);
    expect(readme).toContain(`**${adapter.docs.okta.mode}**`);
    const guide = file(files, 'docs/idp-setup.md');
    for (const line of [...adapter.docs.okta.fields, ...adapter.docs.entra.fields]) expect(guide).toContain(line);
    expect(guide).toContain(adapter.docs.entra.summary);
    for (const v of adapter.env.filter((e) => e.secret)) {
      expect(file(files, 'Dockerfile')).toContain(v.name);
      expect(readme).toContain(`-e ${v.name}=<secret>`);
    }
  });

  it('is the only security scheme of the SCIM endpoints in openapi.json (the admin API and the SET poll have their own tokens)', () => {
    const openapi = JSON.parse(file(plan(over), 'openapi.json')) as {
      components: { securitySchemes: Record<string, unknown> };
      security: Array<Record<string, unknown>>;
    };
    const { adminToken, setPollToken, ...scim } = openapi.components.securitySchemes;
    expect(scim).toEqual({ [adapter.securityScheme.name]: adapter.securityScheme.scheme });
    expect(adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(setPollToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(openapi.security).toEqual([{ [adapter.securityScheme.name]: [] }]);
  });
});

describe('custom header name', () => {
  it('is written into the project and its docs', () => {
    const files = plan({ auth: 'custom-header', adapterOptions: { authHeaderName: 'X-Acme-Key' } });
    expect(file(files, 'src/generated/project.gen.ts')).toContain('export const AUTH_HEADER_NAME = "X-Acme-Key";');
    expect(file(files, 'README.md')).toContain('X-Acme-Key: <secret>');
    const openapi = JSON.parse(file(files, 'openapi.json')) as { components: { securitySchemes: Record<string, { name?: string }> } };
    expect(openapi.components.securitySchemes.apiKeyHeader?.name).toBe('X-Acme-Key');
  });

  it('is absent from other auth modes', () => {
    expect(file(plan({}), 'src/generated/project.gen.ts')).not.toContain('AUTH_HEADER_NAME');
  });
});

describe.each(adapters.framework.map((a) => a.id))('framework %s', (framework) => {
  it('copies its HTTP adapter and depends on exactly its packages', () => {
    const files = plan({ framework } as Partial<ProjectOptions>);
    expect(files.some((f) => f.path === 'src/generated/framework/index.ts')).toBe(true);
    const pkg = JSON.parse(file(files, 'package.json')) as { dependencies: Record<string, string> };
    const own = adapters.framework.find((a) => a.id === framework)!.dependencies;
    for (const name of own) expect(pkg.dependencies[name]).toBe(versions[name]);
    for (const other of adapters.framework.filter((a) => a.id !== framework)) {
      for (const name of other.dependencies.filter((n) => !own.includes(n))) expect(pkg.dependencies[name]).toBeUndefined();
    }
  });
});

describe.each(adapters.database.map((a) => a.id))('database %s', (database) => {
  const adapter = adapters.database.find((a) => a.id === database)!;

  it('copies its store with test support, and its migrations if it has any', () => {
    const files = plan({ database } as Partial<ProjectOptions>);
    expect(files.some((f) => f.path === 'src/generated/database/index.ts')).toBe(true);
    expect(files.some((f) => f.path === 'src/generated/database/testing.ts')).toBe(true);
    const migrations = files.filter((f) => f.path.startsWith('migrations/'));
    if (adapter.migrations) {
      expect(migrations.map((f) => f.path)).toContain(`migrations/${adapter.migrations.dir}/0001_init.sql`);
    } else {
      expect(migrations).toEqual([]);
    }
    const dockerfile = file(files, 'Dockerfile');
    expect(dockerfile.includes('COPY --from=build /app/migrations')).toBe(adapter.migrations !== undefined);
  });

  it('states its requirements and variables in the README', () => {
    const files = plan({ database } as Partial<ProjectOptions>);
    const readme = file(files, 'README.md');
    expect(readme).toContain(`stores resources in ${adapter.summary}`);
    for (const row of adapter.layout ?? []) expect(readme).toContain(`| ${row.path} | ${row.owner} |`);
    for (const line of adapter.requirements) expect(readme).toContain(line);
    for (const v of adapter.env) expect(readme).toContain(`\`${v.name}\``);
  });
});

describe('event destinations in a multi-tenant project', () => {
  it("say in the README and .env.example that they carry every tenant's events (the operator's stream)", () => {
    const multi = plan({ tenancy: 'multi' } as Partial<ProjectOptions>);
    expect(file(multi, 'README.md')).toContain("**Every tenant's events, one stream.**");
    const example = file(multi, '.env.example');
    expect(example).toContain("It reads every tenant's events: the operator's, never a customer's.");
    expect(example).toContain("Every tenant's changes (data.tenant says whose)");
    const single = plan({});
    expect(file(single, 'README.md')).not.toContain("Every tenant's events");
    expect(file(single, '.env.example')).not.toContain("every tenant's events");
  });
});
