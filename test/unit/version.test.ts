// One version source: package.json's version is the generator's everywhere it is written.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { generate } from '../../src/emit/generate.js';
import { loadSchemaModel } from '../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS } from '../../src/options.js';
import { GENERATOR_VERSION } from '../../src/version.js';

const packageVersion = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

describe('the generator version', async () => {
  const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
  const plan = generate({ ...DEFAULT_PROJECT_OPTIONS, projectName: 'v' }, model);
  const content = (path: string) => plan.find((f) => f.path === path)!.content;

  it("is package.json's", () => {
    expect(GENERATOR_VERSION).toBe(packageVersion);
  });

  it('heads every generated source file', () => {
    expect(content('src/generated/app.ts').split('\n')[0]).toContain(`create-scim-server ${packageVersion}`);
  });

  it('is recorded in the manifest and scim.config.json', () => {
    expect(JSON.parse(content('.scim-server/manifest.json')).generatorVersion).toBe(packageVersion);
    expect(JSON.parse(content('scim.config.json')).generatorVersion).toBe(packageVersion);
  });

  it("is what the project's scim:generate runs", () => {
    expect(JSON.parse(content('package.json')).scripts['scim:generate']).toContain(`create-scim-server@${packageVersion} `);
  });

  it('is what --version prints', async () => {
    expect(await parseArgs(['--version'])).toMatchObject({ kind: 'exit', output: packageVersion });
  });
});
