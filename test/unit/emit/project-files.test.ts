import { describe, expect, it } from 'vitest';
import { selectedAdapters } from '../../../src/adapters/index.js';
import { configSchemaUrl } from '../../../src/config/schema.js';
import { envExample, packageJson, projectModule, scimConfig, tsconfigJson } from '../../../src/emit/project-files.js';
import { DEFAULT_PROJECT_OPTIONS, type ProjectOptions } from '../../../src/options.js';
import { NODE_ENGINES, versions } from '../../../src/versions.js';

const options: ProjectOptions = { ...DEFAULT_PROJECT_OPTIONS, projectName: 'acme-scim', port: 4100 };
const adapters = selectedAdapters(options);

describe('package.json', () => {
  const pkg = JSON.parse(packageJson(options, adapters, '0.1.0')) as Record<string, any>;

  it('is an ESM project named after the directory, with the supported Node versions', () => {
    expect(pkg).toMatchObject({ name: 'acme-scim', type: 'module', private: true, engines: { node: NODE_ENGINES } });
  });

  it('takes every version from src/versions.ts, adapters first', () => {
    expect(pkg.dependencies).toEqual({ 'better-sqlite3': versions['better-sqlite3'], fastify: versions.fastify });
    expect(pkg.devDependencies['@types/better-sqlite3']).toBe(versions['@types/better-sqlite3']);
    expect(pkg.devDependencies.vitest).toBe(versions.vitest);
  });

  it('lets npm pick better-sqlite3 13 on Node 22+ (12 aborts on Node 24) and 12 on Node 20', () => {
    expect(pkg.dependencies['better-sqlite3']).toBe('^12.4.1 || ^13.0.3');
  });

  it('starts from a fresh build and tests with vitest', () => {
    expect(pkg.scripts.start).toBe('tsc -p tsconfig.build.json && node dist/server.js');
    expect(pkg.scripts.test).toBe('vitest run');
  });

  it('regenerates with the generator version that made it (npm run scim:generate)', () => {
    expect(pkg.scripts['scim:generate']).toBe('npx create-scim-server@0.1.0 regenerate');
  });
});

describe('.env.example', () => {
  const text = envExample(options, adapters);
  const lines = text.split('\n');

  it('marks the token for generation and leaves secrets empty', () => {
    const at = lines.indexOf('SCIM_BEARER_TOKEN=');
    expect(at).toBeGreaterThan(0);
    expect(lines[at - 1]).toBe('# generate: token');
  });

  it('documents every variable with the chosen port', () => {
    for (const name of ['PORT=4100', 'HOST=0.0.0.0', 'DATABASE_PATH=./data/scim.sqlite', 'SCIM_PATCH_STATUS=200']) {
      expect(lines).toContain(name);
    }
    for (const [i, line] of lines.entries()) {
      if (/^[A-Z_]+=/.test(line)) expect(lines[i - 1], line).toMatch(/^# /);
    }
  });
});

describe('project.gen.ts and scim.config.json', () => {
  it('carry the base path and port the options give', () => {
    expect(projectModule({ ...options, basePath: '/api/scim/v2' })).toContain('export const BASE_PATH = "/api/scim/v2";');
    expect(projectModule(options)).toContain('export const DEFAULT_PORT = 4100;');
    // A config file (src/config) pointing editors at that version's JSON Schema.
    expect(JSON.parse(scimConfig(options, '9.9.9'))).toEqual({ $schema: configSchemaUrl('9.9.9'), generatorVersion: '9.9.9', ...options });
  });
});

describe('tsconfig.json', () => {
  const template = '{\n  "compilerOptions": { "strict": true, "target": "ES2023" },\n  "include": ["src"]\n}\n';
  const adapter = (compilerOptions: Record<string, boolean>) => ({ ...adapters[0]!, compilerOptions });

  it('is the template as it is when no adapter needs a compiler option', () => {
    expect(tsconfigJson(template, adapters)).toBe(template);
  });

  it("adds the compiler options an adapter needs, keeping the template's", () => {
    const config = JSON.parse(tsconfigJson(template, [adapter({ experimentalDecorators: true })]));
    expect(config).toEqual({ compilerOptions: { strict: true, target: 'ES2023', experimentalDecorators: true }, include: ['src'] });
  });
});
