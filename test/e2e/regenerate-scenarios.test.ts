// `create-scim-server regenerate` on real generated projects on disk, through the built CLI:
// schema changes, user edits to generated and user-owned files, the generated test suite
// following the project's options, --check, --dry-run, projects from older generators, and the
// errors. Only the test-suite scenario installs dependencies (to run the project's own suite);
// regenerate.test.ts builds and boots a regenerated project.

import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATOR_VERSION } from '../../src/version.js';
import { sha256, type Manifest } from '../../src/write/manifest.js';
import { installDependencies, npx, REPO, runCli, tempDir } from './support.js';

const EXTENSION = 'urn:example:params:scim:schemas:extension:acme:2.0:User';
let workspace: string;
let template: string;
let count = 0;

beforeAll(async () => {
  workspace = await tempDir('scim-regen-');
  const result = await runCli(['acme-scim', '--yes', '--no-install', '--no-git'], workspace);
  expect(result.exitCode, result.all).toBe(0);
  template = join(workspace, 'acme-scim');
});

afterAll(async () => {
  if (!process.env.SCIM_E2E_KEEP) await rm(workspace, { recursive: true, force: true });
});

/** A fresh copy of the generated default project. */
async function project(): Promise<string> {
  const dir = join(workspace, `p${++count}`);
  await cp(template, dir, { recursive: true });
  return dir;
}

const regenerate = async (dir: string, ...args: string[]) => {
  const result = await runCli(['regenerate', ...args], dir);
  return { exitCode: result.exitCode, out: result.all ?? '' };
};
const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');
const edit = async (dir: string, path: string, change: (text: string) => string) => writeFile(join(dir, path), change(await read(dir, path)));
const exists = (dir: string, path: string) => read(dir, path).then(() => true, () => false);
const setAuth = (dir: string, auth: string) => edit(dir, 'scim.config.json', (text) => JSON.stringify({ ...JSON.parse(text), auth }));
const MANIFEST = '.scim-server/manifest.json';
const readManifest = async (dir: string) => JSON.parse(await read(dir, MANIFEST)) as Manifest;
const writeManifest = (dir: string, manifest: Manifest) => writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2));

/** Every file under dir (path -> content), to prove a run wrote nothing. */
async function tree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}

interface Attribute {
  name: string;
  type: string;
  [key: string]: unknown;
}

function extensionSchema(attributes: Attribute[]) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: EXTENSION,
    name: 'AcmeUser',
    description: "Acme's own user attributes.",
    attributes: attributes.map((a) => ({ multiValued: false, required: false, caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none', ...a })),
  };
}

const COST_CENTER: Attribute = { name: 'billingCode', type: 'string', description: 'Cost center the licence is charged to.' };
const BADGE: Attribute = { name: 'badgeCode', type: 'string', description: 'Code printed on the building badge.', uniqueness: 'server' };

/** Writes schemas/acme.schema.json and lists it in scim.config.json. */
async function useExtension(dir: string, attributes: Attribute[]): Promise<void> {
  await writeFile(join(dir, 'schemas/acme.schema.json'), JSON.stringify(extensionSchema(attributes), null, 2) + '\n');
  await edit(dir, 'scim.config.json', (text) => JSON.stringify({ ...JSON.parse(text), schemaFiles: ['schemas/acme.schema.json'] }, null, 2));
}

describe('regenerate: schema changes', () => {
  it('adds an extension attribute: types, OpenAPI and a new migration; the applied one is untouched', async () => {
    const dir = await project();
    const initial = await read(dir, 'migrations/sqlite/0001_init.sql');
    await useExtension(dir, [COST_CENTER, BADGE]);
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toMatch(/update\s+src\/generated\/types\.gen\.ts/);
    expect(await read(dir, 'src/generated/types.gen.ts')).toContain('badgeCode?: string');
    expect(await read(dir, 'openapi.json')).toContain('badgeCode');
    expect(await read(dir, 'src/generated/schemas.gen.ts')).toContain(EXTENSION);
    // The unique attribute needs a column and an index: a new numbered migration.
    const migrations = (await readdir(join(dir, 'migrations/sqlite'))).sort();
    expect(migrations).toHaveLength(2);
    expect(migrations[0]).toBe('0001_init.sql');
    expect(migrations[1]).toMatch(/^0002_.*\.sql$/);
    expect(await read(dir, `migrations/sqlite/${migrations[1]}`)).toMatch(/badge_code/);
    expect(await read(dir, 'migrations/sqlite/0001_init.sql')).toBe(initial);
    // A second run has nothing left to do.
    const again = await regenerate(dir, '--check');
    expect(again.exitCode, again.out).toBe(0);
  });

  it('removes an attribute from the types; earlier migrations stay as applied', async () => {
    const dir = await project();
    await useExtension(dir, [COST_CENTER, BADGE]);
    expect((await regenerate(dir)).exitCode).toBe(0);
    const migrations = await tree(join(dir, 'migrations'));
    await useExtension(dir, [COST_CENTER]);
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    const types = await read(dir, 'src/generated/types.gen.ts');
    expect(types).toContain('billingCode?: string');
    expect(types).not.toContain('badgeCode');
    expect(await read(dir, 'openapi.json')).not.toContain('badgeCode');
    for (const [path, sql] of migrations) expect(await read(dir, join('migrations', path))).toBe(sql);
  });

  it("changes an attribute's characteristics (required, readOnly)", async () => {
    const dir = await project();
    await useExtension(dir, [COST_CENTER]);
    expect((await regenerate(dir)).exitCode).toBe(0);
    await useExtension(dir, [{ ...COST_CENTER, required: true, mutability: 'readOnly' }]);
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    const types = await read(dir, 'src/generated/types.gen.ts');
    expect(types).toMatch(/@remarks mutability: readOnly, returned: default\n\s*\*\/\n\s*readonly billingCode: string;/);
    expect(types).not.toContain('billingCode?: string');
    expect(await read(dir, 'src/generated/schemas.gen.ts')).toMatch(/name: ['"]billingCode['"][\s\S]{0,400}mutability: ['"]readOnly['"]/);
  });

  it('adds a resource type: its files, a migration and a hook module, with the lines to wire it', async () => {
    const dir = await project();
    for (const f of ['Device.schema.json', 'Compliance.schema.json', 'Device.resource-type.json']) {
      await cp(join(REPO, 'examples/device', f), join(dir, 'schemas', f));
    }
    await edit(dir, 'scim.config.json', (text) =>
      JSON.stringify({
        ...JSON.parse(text),
        schemaFiles: ['schemas/Device.schema.json', 'schemas/Compliance.schema.json'],
        resourceTypeFiles: ['schemas/Device.resource-type.json'],
      }),
    );
    const hooksIndex = await read(dir, 'src/hooks/index.ts');
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toMatch(/create\s+src\/hooks\/device\.ts/);
    expect(run.out).toContain("import { deviceHooks } from './device.js';");
    expect(await read(dir, 'src/hooks/device.ts')).toContain('DeviceHooks');
    expect(await read(dir, 'src/generated/types.gen.ts')).toContain('interface ScimDevice');
    expect((await readdir(join(dir, 'migrations/sqlite'))).some((m) => m.startsWith('0002_'))).toBe(true);
    expect(await read(dir, 'src/hooks/index.ts')).toBe(hooksIndex);

    // Taking it out again: generated files go, the hook module the user wrote in stays.
    await edit(dir, 'src/hooks/device.ts', (t) => `${t}// our device rules\n`);
    await edit(dir, 'scim.config.json', (text) => JSON.stringify({ ...JSON.parse(text), schemaFiles: [], resourceTypeFiles: [] }));
    const back = await regenerate(dir);
    expect(back.exitCode, back.out).toBe(0);
    expect(back.out).toMatch(/keep\s+src\/hooks\/device\.ts: yours/);
    expect(await read(dir, 'src/generated/types.gen.ts')).not.toContain('interface ScimDevice');
    expect(await read(dir, 'src/hooks/device.ts')).toContain('// our device rules');
  });

  it('removes a hook module it created when the resource type goes and the module was never edited; the schema files stay', async () => {
    const dir = await project();
    for (const f of ['Device.schema.json', 'Compliance.schema.json', 'Device.resource-type.json']) {
      await cp(join(REPO, 'examples/device', f), join(dir, 'schemas', f));
    }
    const withDevice = { schemaFiles: ['schemas/Device.schema.json', 'schemas/Compliance.schema.json'], resourceTypeFiles: ['schemas/Device.resource-type.json'] };
    await edit(dir, 'scim.config.json', (text) => JSON.stringify({ ...JSON.parse(text), ...withDevice }));
    expect((await regenerate(dir)).exitCode).toBe(0);
    await edit(dir, 'scim.config.json', (text) => JSON.stringify({ ...JSON.parse(text), schemaFiles: [], resourceTypeFiles: [] }));
    const back = await regenerate(dir);
    expect(back.exitCode, back.out).toBe(0);
    expect(back.out).toMatch(/delete\s+src\/hooks\/device\.ts: unedited since it was created, and no longer applies/);
    expect(await readdir(join(dir, 'src/hooks'))).not.toContain('device.ts');
    // The schema files are the user's input: taken out of the config, they are still theirs.
    expect(back.out).toMatch(/keep\s+schemas\/Device\.schema\.json: yours/);
    expect(await exists(dir, 'schemas/Device.schema.json')).toBe(true);
  });
});

describe('regenerate: user edits', () => {
  it('keeps edits to hooks and other user-owned files', async () => {
    const dir = await project();
    await edit(dir, 'src/hooks/user.ts', (t) => t.replace('export const userHooks', '// audited\nexport const userHooks'));
    await edit(dir, 'src/server.ts', (t) => `${t}// my server tweak\n`);
    const before = { hook: await read(dir, 'src/hooks/user.ts'), server: await read(dir, 'src/server.ts') };
    await useExtension(dir, [COST_CENTER]);
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    expect(await read(dir, 'src/hooks/user.ts')).toBe(before.hook);
    expect(await read(dir, 'src/server.ts')).toBe(before.server);
  });

  it('merges an edit to a generated file that does not overlap the new output', async () => {
    const dir = await project();
    // Near the top, away from where the new extension's interface goes.
    await edit(dir, 'src/generated/types.gen.ts', (t) => t.replace('export interface ScimMeta {', '// Reviewed by the platform team.\nexport interface ScimMeta {'));
    await useExtension(dir, [COST_CENTER]);
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toMatch(/merge\s+src\/generated\/types\.gen\.ts/);
    const types = await read(dir, 'src/generated/types.gen.ts');
    expect(types).toContain('billingCode?: string');
    expect(types).toContain('// Reviewed by the platform team.');
    // Merged against the new base: the next run is clean.
    expect((await regenerate(dir, '--check')).exitCode).toBe(0);
  });

  it('on an overlapping edit keeps the user file, writes <file>.new and exits 1 (0 with --keep-going)', async () => {
    for (const keepGoing of [false, true]) {
      const dir = await project();
      await useExtension(dir, [COST_CENTER]);
      expect((await regenerate(dir)).exitCode).toBe(0);
      await edit(dir, 'src/generated/types.gen.ts', (t) => t.replace('Cost center the licence is charged to.', 'Cost center (see finance wiki).'));
      const mine = await read(dir, 'src/generated/types.gen.ts');
      await useExtension(dir, [{ ...COST_CENTER, description: 'Cost center for billing.' }]);
      const run = await regenerate(dir, ...(keepGoing ? ['--keep-going'] : []));
      expect(run.exitCode, run.out).toBe(keepGoing ? 0 : 1);
      expect(run.out).toMatch(/conflict\s+src\/generated\/types\.gen\.ts \(new version in src\/generated\/types\.gen\.ts\.new\)/);
      expect(await read(dir, 'src/generated/types.gen.ts')).toBe(mine);
      expect(await read(dir, 'src/generated/types.gen.ts.new')).toContain('Cost center for billing.');
      // Other files were still regenerated.
      expect(await read(dir, 'openapi.json')).toContain('Cost center for billing.');
      // --check reports the unmerged .new until the user deletes it.
      expect((await regenerate(dir, '--check')).exitCode).toBe(1);
    }
  });

  it('removes a file no longer generated only when unedited', async () => {
    const dir = await project();
    await setAuth(dir, 'oauth2');
    expect((await regenerate(dir)).exitCode).toBe(0);
    await edit(dir, 'src/generated/auth/pages.ts', (t) => `${t}// our branding\n`);
    // Back to bearer: the OAuth server's files are no longer generated.
    await setAuth(dir, 'bearer');
    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toMatch(/delete\s+src\/generated\/auth\/jwt\.ts/);
    expect(run.out).toMatch(/keep\s+src\/generated\/auth\/pages\.ts: edited by you and no longer generated/);
    const auth = await readdir(join(dir, 'src/generated/auth'));
    expect(auth).not.toContain('jwt.ts');
    expect(await read(dir, 'src/generated/auth/pages.ts')).toContain('// our branding');
  });
});

/** A test of the user's own, added at the end of a generated test file (which imports createUser). */
const OWN_TEST = `
describe('our own rule', () => {
  it('keeps the display name the identity provider sends', async () => {
    const user = await createUser(client, { displayName: 'Kept As Sent' });
    expect(user.displayName).toBe('Kept As Sent');
  });
});
`;

describe('regenerate: the generated test suite follows the project', () => {
  let dir: string;
  let run: Awaited<ReturnType<typeof regenerate>>;
  const USERS_TEST = 'test/users.test.ts';

  beforeAll(async () => {
    dir = await project();
    // test/users.test.ts as the previous generator version wrote it (so the new output differs
    // from its base), then edited by the user; and the project switches from bearer to header.
    const older = (await read(dir, USERS_TEST)).replace(`create-scim-server ${GENERATOR_VERSION}`, 'create-scim-server 0.0.9');
    await writeFile(join(dir, USERS_TEST), older + OWN_TEST);
    await writeFile(join(dir, '.scim-server/base', USERS_TEST), older);
    const manifest = await readManifest(dir);
    manifest.files[USERS_TEST]!.sha256 = sha256(older);
    await writeManifest(dir, manifest);
    await setAuth(dir, 'header');
    run = await regenerate(dir);
  });

  it('drops the bearer tests and adds the header tests when "auth" changes', async () => {
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toMatch(/delete\s+test\/auth-bearer\.test\.ts/);
    expect(run.out).toMatch(/create\s+test\/auth-header\.test\.ts/);
    expect(await exists(dir, 'test/auth-bearer.test.ts')).toBe(false);
    expect(await read(dir, 'test/auth-header.test.ts')).toContain('SCIM_AUTH_TOKEN');
  });

  it("merges the user's edit to a generated test file with the new output", async () => {
    expect(run.out).toMatch(/merge\s+test\/users\.test\.ts/);
    const merged = await read(dir, USERS_TEST);
    expect(merged.split('\n', 1)[0]).toContain(`create-scim-server ${GENERATOR_VERSION}.`);
    expect(merged).toContain(OWN_TEST);
    expect((await regenerate(dir, '--check')).exitCode).toBe(0);
  });

  it('passes its own suite, the header tests, the example and the merged test included', async () => {
    await installDependencies(dir, () => {});
    const suite = await npx(dir, ['vitest', 'run', '--reporter=verbose']);
    expect(suite.exitCode, suite.all).toBe(0);
    expect(suite.all).toMatch(/✓ test\/auth-header\.test\.ts/);
    expect(suite.all).toMatch(/✓ test\/example\.test\.ts/);
    expect(suite.all).toContain('keeps the display name the identity provider sends');
    expect(suite.all).not.toContain('auth-bearer');
  });
});

describe('regenerate: --check and --dry-run', () => {
  it('--check passes in a freshly generated project and writes nothing', async () => {
    const dir = await project();
    const before = await tree(dir);
    const run = await regenerate(dir, '--check');
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toContain('up to date');
    expect(await tree(dir)).toEqual(before);
  });

  it('--check fails in a dirty project, naming the files, and writes nothing', async () => {
    const dir = await project();
    await useExtension(dir, [COST_CENTER]);
    const before = await tree(dir);
    const run = await regenerate(dir, '--check');
    expect(run.exitCode).toBe(1);
    expect(run.out).toMatch(/update\s+src\/generated\/types\.gen\.ts/);
    expect(run.out).toMatch(/Regenerating would change \d+ files/);
    expect(await tree(dir)).toEqual(before);
  });

  it('--dry-run prints the plan per file and writes nothing', async () => {
    const dir = await project();
    await useExtension(dir, [COST_CENTER, BADGE]);
    await edit(dir, 'src/generated/scim/errors.ts', (t) => `${t}// mine\n`);
    const before = await tree(dir);
    const run = await regenerate(dir, '--dry-run');
    expect(run.exitCode, run.out).toBe(0);
    expect(run.out).toContain('Nothing was written');
    expect(run.out).toMatch(/unchanged\s+src\/server\.ts/);
    expect(run.out).toMatch(/update\s+src\/generated\/types\.gen\.ts/);
    expect(run.out).toMatch(/create\s+migrations\/sqlite\/0002_/);
    expect(await tree(dir)).toEqual(before);
  });
});

describe('regenerate: a project from an older generator', () => {
  it('upgrades unedited files, leaves edited ones with a .new (no base copy), and says so', async () => {
    const dir = await project();
    // What 0.0.9 would have left: its version in headers and manifest, and no base store.
    const manifest = JSON.parse(await read(dir, '.scim-server/manifest.json')) as {
      generatorVersion: string;
      files: Record<string, { sha256: string; owner: string }>;
    };
    for (const [path, entry] of Object.entries(manifest.files)) {
      if (entry.owner !== 'generated') continue;
      const old = (await read(dir, path)).replace('create-scim-server 0.1.0', 'create-scim-server 0.0.9');
      await writeFile(join(dir, path), old);
      entry.sha256 = sha256(old);
    }
    manifest.generatorVersion = '0.0.9';
    await writeFile(join(dir, '.scim-server/manifest.json'), JSON.stringify(manifest, null, 2));
    await rm(join(dir, '.scim-server/base'), { recursive: true });
    await edit(dir, 'src/generated/scim/errors.ts', (t) => `${t}// mine\n`);

    const run = await regenerate(dir);
    expect(run.exitCode).toBe(1);
    expect(run.out).toContain('generated by create-scim-server 0.0.9; regenerating with 0.1.0');
    expect(run.out).toMatch(/conflict\s+src\/generated\/scim\/errors\.ts .*no base copy/);
    expect(await read(dir, 'src/generated/scim/errors.ts')).toContain('// mine');
    expect(await read(dir, 'src/generated/scim/errors.ts.new')).toContain('create-scim-server 0.1.0');
    expect(await read(dir, 'src/generated/scim/service.ts')).toContain('create-scim-server 0.1.0');
    expect(JSON.parse(await read(dir, '.scim-server/manifest.json')).generatorVersion).toBe('0.1.0');
  });

  it('takes over the test suite of a project whose tests were the user\'s, and drops what no longer applies', async () => {
    const dir = await project();
    // What the generator before the test suite became generated (8682707) left, checked against
    // a project it generated: every file under test/ owned by the user, without a header or a
    // base copy, and no example.test.ts or scim-server.ts. Only owners and hashes decide.
    const manifest = await readManifest(dir);
    for (const [path, entry] of Object.entries(manifest.files)) {
      if (!path.startsWith('test/')) continue;
      await rm(join(dir, '.scim-server/base', path), { force: true });
      if (entry.owner === 'user') {
        await rm(join(dir, path));
        delete manifest.files[path];
        continue;
      }
      const created = (await read(dir, path)).replace(/^\/\/ Generated by create-scim-server [^\n]*\n/, '');
      await writeFile(join(dir, path), created);
      manifest.files[path] = { owner: 'user', sha256: sha256(created) };
    }
    await writeManifest(dir, manifest);
    await edit(dir, 'test/okta.test.ts', (t) => `${t}// our Okta tenant's quirk\n`);
    await setAuth(dir, 'header');

    const run = await regenerate(dir);
    expect(run.exitCode, run.out).toBe(1);
    expect(run.out).toMatch(/update\s+test\/users\.test\.ts: generated from now on; unedited since it was created/);
    expect(run.out).toMatch(/update\s+test\/helpers\/server\.ts: generated from now on/);
    expect(run.out).toMatch(/delete\s+test\/auth-bearer\.test\.ts: unedited since it was created, and no longer applies/);
    expect(run.out).toMatch(/create\s+test\/auth-header\.test\.ts/);
    expect(run.out).toMatch(/create\s+test\/example\.test\.ts/);
    expect(run.out).toMatch(/conflict\s+test\/okta\.test\.ts \(new version in test\/okta\.test\.ts\.new\): generated from now on; edited by you/);
    expect(await read(dir, 'test/users.test.ts')).toMatch(/^\/\/ Generated by create-scim-server /);
    expect(await read(dir, 'test/helpers/server.ts')).toContain('export function useScimServer(');
    expect(await exists(dir, 'test/auth-bearer.test.ts')).toBe(false);
    expect(await read(dir, 'test/okta.test.ts')).toContain("// our Okta tenant's quirk");
    const upgraded = await readManifest(dir);
    expect(upgraded.files['test/users.test.ts']?.owner).toBe('generated');
    expect(upgraded.files['test/example.test.ts']?.owner).toBe('user');

    // The user resolves the conflict by taking the new version: the project is then up to date.
    await writeFile(join(dir, 'test/okta.test.ts'), await read(dir, 'test/okta.test.ts.new'));
    await rm(join(dir, 'test/okta.test.ts.new'));
    const check = await regenerate(dir, '--check');
    expect(check.exitCode, check.out).toBe(0);
  });

  it('refuses to be regenerated by a generator older than the one that made it', async () => {
    const dir = await project();
    await edit(dir, '.scim-server/manifest.json', (t) => t.replace('"generatorVersion": "0.1.0"', '"generatorVersion": "9.0.0"'));
    const run = await regenerate(dir);
    expect(run.exitCode).toBe(1);
    expect(run.out).toContain('generated by create-scim-server 9.0.0, newer than this one (0.1.0)');
  });
});

describe('regenerate: errors', () => {
  it('outside a generated project', async () => {
    const run = await regenerate(workspace);
    expect(run.exitCode).toBe(1);
    expect(run.out).toContain('is not a project generated by create-scim-server (it has no .scim-server/manifest.json)');
  });

  it('a malformed manifest, naming the file and the entry', async () => {
    const dir = await project();
    await edit(dir, '.scim-server/manifest.json', (t) => t.replace(/"owner": "generated"/, '"owner": "robot"'));
    const run = await regenerate(dir);
    expect(run.exitCode).toBe(1);
    expect(run.out).toMatch(/\.scim-server\/manifest\.json is not a valid create-scim-server manifest \(the entry for "[^"]+" needs a sha256 string and an owner\)/);
  });

  it('a malformed scim.config.json, naming the key', async () => {
    const dir = await project();
    await edit(dir, 'scim.config.json', (text) => JSON.stringify({ ...JSON.parse(text), port: 'eighty' }));
    const run = await regenerate(dir);
    expect(run.exitCode).toBe(1);
    expect(run.out).toContain('scim.config.json');
    expect(run.out).toMatch(/\$\.port/);
  });

  it('a creation flag, pointing at scim.config.json', async () => {
    const dir = await project();
    const run = await runCli(['regenerate', '--framework', 'hono'], dir);
    expect(run.exitCode).toBe(1);
    expect(run.all).toContain('--framework does not apply to regenerate');
  });

  it('takes the project directory as an argument', async () => {
    const dir = await project();
    const run = await runCli(['regenerate', dir, '--check'], workspace);
    expect(run.exitCode, run.all).toBe(0);
  });
});
