// Regeneration of a running deployment: the default project stores a user, gains an extension
// with a unique attribute through `regenerate`, is rebuilt and booted on the same SQLite file.
// The user must survive, the new migration must be applied once, and the attribute must work
// over HTTP (stored, filtered, unique). Reuses the default project's shared install.

import Database from 'better-sqlite3';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, installDependencies, npx, runCli, tempDir } from './support.js';

const log = (line: string) => process.stdout.write(`[e2e regenerate] ${line}\n`);
const EXTENSION = 'urn:example:params:scim:schemas:extension:shop:2.0:User';
const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';

describe('regenerate a deployed project (Fastify + SQLite): data survives, the new attribute works', () => {
  let workspace: string;
  let project: string;
  let database: string;
  let token: string;
  let userId: string;

  beforeAll(async () => {
    workspace = await tempDir('scim-e2e-regen-');
    project = join(workspace, 'shop-scim');
    database = join(workspace, 'shop.sqlite');
    const result = await runCli(['shop-scim', '--yes', '--no-install', '--no-git'], workspace);
    expect(result.exitCode, result.all).toBe(0);
    token = /^SCIM_BEARER_TOKEN=(.+)$/m.exec(await readFile(join(project, '.env'), 'utf8'))![1]!;
    log(`dependencies ${await installDependencies(project, log)}`);
  });

  afterAll(async () => {
    if (!process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
  });

  const headers = () => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' });

  async function withServer(run: (base: string) => Promise<void>): Promise<void> {
    const build = await npx(project, ['tsc', '-p', 'tsconfig.build.json']);
    expect(build.exitCode, build.all).toBe(0);
    const server = await boot(project, { SCIM_BEARER_TOKEN: token, DATABASE_PATH: database, LOG_LEVEL: 'warn' });
    try {
      await run(`${server.url}/scim/v2`);
    } finally {
      server.process.kill('SIGTERM');
      const exit = await server.process;
      expect(exit.exitCode, String(exit.all)).toBe(0);
    }
  }

  it('stores a user with the project as first generated', async () => {
    await withServer(async (base) => {
      const created = await fetch(`${base}/Users`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ schemas: [CORE], userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, active: true }),
      });
      expect(created.status).toBe(201);
      userId = ((await created.json()) as { id: string }).id;
    });
  });

  it('regenerates with an extension whose unique attribute needs a new migration', async () => {
    const schema = {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
      id: EXTENSION,
      name: 'ShopUser',
      description: 'Store staff attributes.',
      attributes: [
        {
          name: 'badgeCode',
          type: 'string',
          multiValued: false,
          description: 'Code printed on the staff badge; one per person.',
          required: false,
          caseExact: false,
          mutability: 'readWrite',
          returned: 'default',
          uniqueness: 'server',
        },
      ],
    };
    await writeFile(join(project, 'schemas/shop.schema.json'), JSON.stringify(schema, null, 2) + '\n');
    const configPath = join(project, 'scim.config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
    await writeFile(configPath, JSON.stringify({ ...config, schemaFiles: ['schemas/shop.schema.json'] }, null, 2) + '\n');

    const result = await runCli(['regenerate'], project);
    expect(result.exitCode, result.all).toBe(0);
    const migrations = (await readdir(join(project, 'migrations/sqlite'))).sort();
    expect(migrations).toEqual(['0001_init.sql', expect.stringMatching(/^0002_.*\.sql$/)]);
    const typecheck = await npx(project, ['tsc', '--noEmit']);
    expect(typecheck.exitCode, typecheck.all).toBe(0);
  });

  it('boots on the same database: the user survives, the migration is applied, the attribute works', async () => {
    await withServer(async (base) => {
      const stored = await fetch(`${base}/Users/${userId}`, { headers: headers() });
      expect(stored.status).toBe(200);
      expect(((await stored.json()) as { userName: string }).userName).toBe('ada@example.com');

      const patched = await fetch(`${base}/Users/${userId}`, {
        method: 'PATCH',
        headers: headers(),
        body: JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'add', path: `${EXTENSION}:badgeCode`, value: 'B-1001' }],
        }),
      });
      expect(patched.status, await patched.clone().text()).toBe(200);
      expect(((await patched.json()) as Record<string, { badgeCode?: string }>)[EXTENSION]?.badgeCode).toBe('B-1001');

      const filter = encodeURIComponent(`${EXTENSION}:badgeCode eq "b-1001"`);
      const found = (await (await fetch(`${base}/Users?filter=${filter}`, { headers: headers() })).json()) as {
        totalResults: number;
        Resources: Array<{ id: string }>;
      };
      expect(found.totalResults).toBe(1);
      expect(found.Resources[0]!.id).toBe(userId);

      const duplicate = await fetch(`${base}/Users`, {
        method: 'POST',
        headers: headers(),
        body: JSON.stringify({ schemas: [CORE, EXTENSION], userName: 'grace@example.com', [EXTENSION]: { badgeCode: 'B-1001' } }),
      });
      expect(duplicate.status).toBe(409);
      expect(((await duplicate.json()) as { scimType?: string }).scimType).toBe('uniqueness');

      const schemas = (await (await fetch(`${base}/Schemas`, { headers: headers() })).json()) as { Resources: Array<{ id: string }> };
      expect(schemas.Resources.map((s) => s.id)).toContain(EXTENSION);
    });

    const db = new Database(database, { readonly: true });
    try {
      const applied = db.prepare('SELECT name FROM schema_migrations ORDER BY name').all() as Array<{ name: string }>;
      expect(applied.map((m) => m.name)).toEqual(['0001_init.sql', expect.stringMatching(/^0002_/)]);
    } finally {
      db.close();
    }
  });
});
