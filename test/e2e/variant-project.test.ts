// A non-default answer set end to end: no Enterprise User extension, a custom base path and
// port, and a custom User extension schema given with --schema. The generated project must
// install, type-check, pass its own suite, and store, filter and return the extension.

import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, boot, installDependencies, npx, runCli, tempDir } from './support.js';

const ACME = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
const log = (line: string) => process.stdout.write(`[e2e] ${line}\n`);

describe('variant project: --no-enterprise-user, --base-path /api/scim/v2, --schema acme', () => {
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
    const result = await runCli([...args, '--base-path', '/api/scim/v2', '--port', '4100', '--schema', schema], workspace);
    expect(result.exitCode, result.all).toBe(0);
    // The user's schema is copied into the project, where it is edited from now on.
    expect(await readFile(join(project, 'schemas/acme-user-extension.schema.json'), 'utf8')).toContain(ACME);
    expect(await readFile(join(project, '.env.example'), 'utf8')).toContain('PORT=4100');

    log(`dependencies ${await installDependencies(project, log)}`);
    const typecheck = await npx(project, ['tsc', '--noEmit']);
    expect(typecheck.exitCode, typecheck.all).toBe(0);
    const tests = await npx(project, ['vitest', 'run']);
    if (tests.exitCode !== 0) log(tests.all ?? '');
    expect(tests.exitCode).toBe(0);
    expect(tests.all).not.toContain('enterprise-user.test.ts');
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
      expect(userType.schemaExtensions.map((e) => e.schema)).toEqual([ACME]);

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

      // The default base path is not served.
      expect((await fetch(`${server.url}/scim/v2/Users`, { headers })).status).toBe(404);
    } finally {
      server.process.kill('SIGTERM');
      await server.process;
    }
  });
});
