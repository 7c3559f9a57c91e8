import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configProjectOptions, ConfigError, readConfigFile } from '../../../src/config/read.js';
import { buildConfigSchema, configSchemaUrl } from '../../../src/config/schema.js';
import { generate } from '../../../src/emit/generate.js';
import { GENERATOR_VERSION } from '../../../src/version.js';
import { scimConfig } from '../../../src/emit/project-files.js';
import { loadSchemaModel } from '../../../src/model/load.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'scim-config-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const put = async (path: string, text: string) => {
  await mkdir(join(cwd, path, '..'), { recursive: true });
  await writeFile(join(cwd, path), text);
};
const failure = async (file: string) => {
  const error = await readConfigFile(file, { cwd }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
};

describe('readConfigFile', () => {
  it('reads the answers and where relative paths start', async () => {
    await put('customers/acme/badge.schema.json', '{}');
    await put('customers/acme.json', JSON.stringify({ directory: '../out/acme', schemaFiles: ['acme/badge.schema.json'], port: 4000 }));
    const config = await readConfigFile('customers/acme.json', { cwd });
    expect(config).toEqual({
      file: 'customers/acme.json',
      path: join(cwd, 'customers/acme.json'),
      dir: join(cwd, 'customers'),
      document: { directory: '../out/acme', schemaFiles: ['acme/badge.schema.json'], port: 4000 },
    });
  });

  it('names each listed file that is missing, relative to the cwd, and says where paths start', async () => {
    await put('customers/badge.schema.json', '{}');
    await put('customers/acme.json', JSON.stringify({ schemaFiles: ['badge.schema.json', 'customers/badge.schema.json'], resourceTypeFiles: ['.'] }));
    expect(await failure('customers/acme.json')).toBe(
      [
        'Invalid config file customers/acme.json (2 problems):',
        "  - customers/acme.json: $.schemaFiles[1]: no such file at customers/customers/badge.schema.json (paths are relative to the config file's directory)",
        "  - customers/acme.json: $.resourceTypeFiles[0]: expected a file, found a directory at customers (paths are relative to the config file's directory)",
      ].join('\n'),
    );
  });

  it('locates a JSON syntax error by line and column', async () => {
    await put('acme.json', '{\n  "port": 3000,\n}\n');
    expect(await failure('acme.json')).toMatch(/^Invalid config file acme\.json \(1 problem\):\n {2}- acme\.json:3:1: invalid JSON: /);
  });

  it('reports a missing file with where it looked', async () => {
    expect(await failure('nope.json')).toBe(
      `Invalid config file nope.json (1 problem):\n  - nope.json: $: cannot read the file (no such file; looked at ${join(cwd, 'nope.json')})`,
    );
  });

  it('asks for the file inside a directory', async () => {
    await mkdir(join(cwd, 'acme-scim'));
    expect(await failure('acme-scim')).toContain('it is a directory; name the JSON file inside it, e.g. scim.config.json');
  });

  it('reports validation and missing files together', async () => {
    await put('acme.json', JSON.stringify({ framwork: 'hono', schemaFiles: ['gone.json'] }));
    const message = await failure('acme.json');
    expect(message).toContain('(2 problems)');
    expect(message).toContain('acme.json: $.framwork: unknown key (did you mean "framework"?)');
    expect(message).toContain('acme.json: $.schemaFiles[0]: no such file at gone.json');
  });
});

describe("a project's scim.config.json is a config file", () => {
  const validateSchema = new Ajv2020({ strict: true, allErrors: true }).compile(buildConfigSchema());
  const variants: ProjectOptions[] = [
    { ...DEFAULT_PROJECT_OPTIONS, projectName: 'my-scim' },
    {
      ...DEFAULT_PROJECT_OPTIONS,
      projectName: 'acme-scim',
      basePath: '/api/scim/v2',
      port: 8443,
      enterpriseUser: false,
      schemaFiles: ['schemas/badge.schema.json', 'schemas/Entitlement.schema.json'],
      resourceTypeFiles: ['schemas/Entitlement.resource-type.json'],
      extend: { 'urn:acme:params:scim:schemas:extension:badge:1.0': 'User' },
      framework: 'express',
      database: 'postgres',
      auth: 'custom-header',
      adapterOptions: { authHeaderName: 'X-Acme-Key' },
    },
  ];

  for (const options of variants) {
    it(`validates and reads back to the same options (${options.projectName})`, async () => {
      const text = scimConfig(options, GENERATOR_VERSION);
      const document = JSON.parse(text) as Record<string, unknown>;
      expect(validateSchema(document), JSON.stringify(validateSchema.errors)).toBe(true);
      expect(Object.keys(document).slice(0, 3)).toEqual(['$schema', 'generatorVersion', 'projectName']);
      expect(document.$schema).toBe(configSchemaUrl(GENERATOR_VERSION));

      // Elsewhere, under another directory name: the recorded name wins for regenerate.
      const project = join(cwd, 'renamed');
      for (const file of [...options.schemaFiles, ...options.resourceTypeFiles]) await put(join('renamed', file), '{}');
      await put('renamed/scim.config.json', text);
      const config = await readConfigFile('scim.config.json', { cwd: project });
      expect(config.document.generatorVersion).toBe(GENERATOR_VERSION);
      expect(configProjectOptions(config.document, config.dir)).toEqual(options);
    });
  }

  it('is what generate() writes', async () => {
    const model = await loadSchemaModel({ enterpriseUser: true, schemaFiles: [], cwd: process.cwd() });
    const options: ProjectOptions = { ...DEFAULT_PROJECT_OPTIONS, projectName: 'my-scim' };
    const file = generate(options, model).find((f) => f.path === 'scim.config.json');
    expect(file?.content).toBe(scimConfig(options, GENERATOR_VERSION));
    expect(validateSchema(JSON.parse(file!.content))).toBe(true);
  });

  it('names the project after its directory when the file does not', () => {
    expect(configProjectOptions({ port: 4000 }, '/work/Acme-SCIM')).toEqual({ ...DEFAULT_PROJECT_OPTIONS, port: 4000, projectName: 'acme-scim' });
  });
});
