// A non-default answer set end to end: no Enterprise User extension, a custom base path and
// port, custom User extensions given with --schema (the acme fixture and the workforce example
// with every attribute kind), Okta's Entitlement and Role and a Device as custom resource types
// (--resource-type), and an extension attached with --extend. The generated project must
// install, type-check, pass its own suite (which tests every custom schema), and serve them.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, boot, installDependencies, npx, runCli, tempDir } from './support.js';

const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const WORKFORCE = 'urn:example:params:scim:schemas:extension:workforce:2.0:User';
const RISK = 'urn:example:params:scim:schemas:extension:governance:2.0:RiskProfile';
const ENTITLEMENT = 'urn:okta:scim:schemas:core:1.0:Entitlement';
const ROLE = 'urn:okta:scim:schemas:core:1.0:Role';
const COMPLIANCE = 'urn:example:params:scim:schemas:extension:mdm:2.0:Compliance';
const example = (path: string) => join(REPO, 'examples', path);
const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

describe('variant project: --no-enterprise-user, --base-path /api/scim/v2, custom extensions and resource types', () => {
  let workspace: string;
  let project: string;

  beforeAll(async () => {
    workspace = await tempDir('scim-e2e-variant-');
    project = join(workspace, 'acme-variant');
  });

  afterAll(async () => {
    if (!process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
  });

  it('generates, installs, type-checks and passes its own suite', async () => {
    const schema = join(REPO, 'test/fixtures/acme-user-extension.schema.json');
    const args = ['acme-variant', '--yes', '--no-install', '--no-git', '--no-enterprise-user'];
    const custom = [
      ...['okta-governance/Entitlement.schema.json', 'okta-governance/Role.schema.json', 'custom-user-extension/Workforce.schema.json', 'device/Device.schema.json', 'device/Compliance.schema.json']
        .flatMap((f) => ['--schema', example(f)]),
      ...['okta-governance/Entitlement.resource-type.json', 'okta-governance/Role.resource-type.json', 'device/Device.resource-type.json']
        .flatMap((f) => ['--resource-type', example(f)]),
      '--schema', example('okta-governance/RiskProfile.schema.json'), '--extend', `${RISK}=Role`,
    ];
    const result = await runCli([...args, '--base-path', '/api/scim/v2', '--port', '4100', '--schema', schema, ...custom], workspace);
    expect(result.exitCode, result.all).toBe(0);
    // The user's schemas are copied into the project, where they are edited from now on.
    expect(await readFile(join(project, 'schemas/acme-user-extension.schema.json'), 'utf8')).toContain(ACME);
    expect(await readFile(join(project, 'schemas/Role.resource-type.json'), 'utf8')).toContain('"/Roles"');
    const config = JSON.parse(await readFile(join(project, 'scim.config.json'), 'utf8'));
    expect(config.resourceTypeFiles).toEqual(['schemas/Entitlement.resource-type.json', 'schemas/Role.resource-type.json', 'schemas/Device.resource-type.json']);
    expect(config.extend).toEqual({ [RISK]: 'Role' });
    expect(await readFile(join(project, '.env.example'), 'utf8')).toContain('PORT=4100');

    log(`dependencies ${await installDependencies(project, log)}`);
    const typecheck = await npx(project, ['tsc', '--noEmit']);
    expect(typecheck.exitCode, typecheck.all).toBe(0);
    const tests = await npx(project, ['vitest', 'run']);
    if (tests.exitCode !== 0) log(tests.all ?? '');
    expect(tests.exitCode).toBe(0);
    expect(tests.all).not.toContain('enterprise-user.test.ts');
    expect(tests.all).toContain('custom-schemas.test.ts');
  });

  it('serves the extension under the custom base path', async () => {
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);
    const token = /^SCIM_BEARER_TOKEN=(.+)$/m.exec(await readFile(join(project, '.env'), 'utf8'))![1]!;
    const server = await boot(project, {
      SCIM_BEARER_TOKEN: token,
      DATABASE_PATH: join(workspace, 'variant.sqlite'),
      LOG_LEVEL: 'warn',
    });
    try {
      const base = `${server.url}/api/scim/v2`;
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };

      const userType = (await (await fetch(`${base}/ResourceTypes/User`, { headers })).json()) as {
        schemaExtensions: Array<{ schema: string }>;
      };
      expect(userType.schemaExtensions.map((e) => e.schema)).toEqual([ACME, WORKFORCE]);

      const created = await fetch(`${base}/Users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ACME],
          userName: 'ext.user@example.com',
          [ACME]: { costCenter: 'CC-42', badgeNumber: 1234, licenceTier: 'pro' },
        }),
      });
      expect(created.status).toBe(201);

      const filter = encodeURIComponent(`${ACME}:costCenter eq "cc-42" and ${ACME}:badgeNumber gt 1000`);
      const list = (await (await fetch(`${base}/Users?filter=${filter}`, { headers })).json()) as {
        totalResults: number;
        Resources: Array<Record<string, { licenceTier?: string }>>;
      };
      expect(list.totalResults).toBe(1);
      expect(list.Resources[0]![ACME]!.licenceTier).toBe('pro');

      const wrongTier = await fetch(`${base}/Users`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x@example.com', [ACME]: { licenceTier: 'gold' } }),
      });
      expect(wrongTier.status).toBe(400);
      expect(((await wrongTier.json()) as { scimType: string }).scimType).toBe('invalidValue');

      await checkCustomTypes(base, headers);

      // The default base path is not served.
      expect((await fetch(`${server.url}/scim/v2/Users`, { headers })).status).toBe(404);
    } finally {
      server.process.kill('SIGTERM');
      await server.process;
    }
  });
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The custom resource types and the workforce extension over real HTTP, as Okta uses them. */
async function checkCustomTypes(base: string, headers: Record<string, string>): Promise<void> {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Json, text };
  };

  // Discovery: Okta reads the types and their extensions, then fetches the extension schemas.
  const types = (await call('GET', '/ResourceTypes')).body;
  const byId = Object.fromEntries((types.Resources as Json[]).map((t) => [t.id, t]));
  expect(Object.keys(byId)).toEqual(['User', 'Group', 'Entitlement', 'Role', 'Device']);
  expect(byId.Entitlement).toMatchObject({ endpoint: '/Entitlements', schema: ENTITLEMENT, schemaExtensions: [] });
  expect(byId.Role).toMatchObject({ endpoint: '/Roles', schema: ROLE, schemaExtensions: [{ schema: RISK, required: false }] });
  expect(byId.Device.schemaExtensions).toEqual([{ schema: COMPLIANCE, required: false }]);
  expect(byId.User.schemaExtensions.map((e: Json) => e.schema)).toEqual([ACME, WORKFORCE]);
  const schemaIds = ((await call('GET', '/Schemas')).body.Resources as Json[]).map((s) => s.id);
  expect(schemaIds).toEqual(expect.arrayContaining([ENTITLEMENT, ROLE, WORKFORCE, RISK, COMPLIANCE]));
  const workforce = (await call('GET', `/Schemas/${WORKFORCE}`)).body;
  expect(workforce.attributes.find((a: Json) => a.name === 'badgeId')).toMatchObject({ uniqueness: 'server', caseExact: false });

  // Okta's entitlement import: the first page of one, then the rest.
  for (const [displayName, type] of [['Pro licence', 'License'], ['Billing admin', 'Permission Set'], ['Viewer', 'License']]) {
    const created = await call('POST', '/Entitlements', { schemas: [ENTITLEMENT], displayName, type });
    expect(created.status, created.text).toBe(201);
  }
  const page = await call('GET', '/Entitlements?count=1&startIndex=1');
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 3, itemsPerPage: 1, startIndex: 1 });
  expect(page.body.Resources).toHaveLength(1);
  const licences = await call('GET', `/Entitlements?filter=${encodeURIComponent('type eq "license"')}&sortBy=displayName&sortOrder=descending`);
  expect(licences.body.Resources.map((e: Json) => e.displayName)).toEqual(['Viewer', 'Pro licence']);

  // A Role with the --extend extension; its displayName is unique, ignoring case.
  const role = await call('POST', '/Roles', { schemas: [ROLE, RISK], displayName: 'Auditor', [RISK]: { riskLevel: 'high', reviewer: 'ciso' } });
  expect(role.status, role.text).toBe(201);
  const sameRole = await call('POST', '/Roles', { schemas: [ROLE], displayName: 'AUDITOR' });
  expect(sameRole.status).toBe(409);
  expect(sameRole.body.scimType).toBe('uniqueness');
  const risky = await call('GET', `/Roles?filter=${encodeURIComponent(`${RISK}:riskLevel eq "HIGH"`)}`);
  expect(risky.body.Resources.map((r: Json) => r.id)).toEqual([role.body.id]);
  const noRisk = await call('POST', '/Roles', { schemas: [ROLE, RISK], displayName: 'Reader', [RISK]: { reviewer: 'ciso' } });
  expect(noRisk.status).toBe(400);
  expect(noRisk.body.scimType).toBe('invalidValue');

  // The workforce extension: created, filtered and sorted in the database, unique badge ids.
  const user = (userName: string, extension: Json) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', WORKFORCE],
    userName,
    [WORKFORCE]: { division: 'Operations', ...extension },
  });
  for (const [name, badgeId, level] of [['wf-b@example.com', 'B-200', 4], ['wf-a@example.com', 'B-100', 2]] as const) {
    const created = await call('POST', '/Users', user(name, { badgeId, clearanceLevel: level, workplace: { building: 'HQ', floor: 3 }, skills: ['sql'] }));
    expect(created.status, created.text).toBe(201);
  }
  const sorted = await call('GET', `/Users?filter=${encodeURIComponent(`${WORKFORCE}:workplace.building eq "hq" and ${WORKFORCE}:clearanceLevel ge 2`)}&sortBy=${WORKFORCE}:badgeId`);
  expect(sorted.body.Resources.map((u: Json) => u.userName)).toEqual(['wf-a@example.com', 'wf-b@example.com']);
  const badge = await call('POST', '/Users', user('wf-c@example.com', { badgeId: 'b-100' }));
  expect(badge.status).toBe(409);
  expect(badge.body.scimType).toBe('uniqueness');
  const noDivision = await call('POST', '/Users', { ...user('wf-d@example.com', {}), [WORKFORCE]: { badgeId: 'B-300' } });
  expect(noDivision.status).toBe(400);
}

