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

  it('is an ESM project named after the directory, with the Node versions its dependencies support', () => {
    expect(pkg).toMatchObject({ name: 'acme-scim', type: 'module', private: true });
    // Fastify's light-my-request needs cookie@2, which declares node >=22.
    expect(pkg.engines).toEqual({ node: '^22.12.0 || >=24.0.0' });
    const express = JSON.parse(packageJson(options, selectedAdapters({ ...options, framework: 'express' }), '0.1.0')) as Record<string, any>;
    expect(express.engines).toEqual({ node: NODE_ENGINES });
  });

  it('reviews every install script for npm (allowScripts): native builds run, telemetry does not', () => {
    expect(pkg.allowScripts).toEqual({ '@scarf/scarf': false, 'better-sqlite3': true, esbuild: true });
    expect(pkg.scarfSettings).toEqual({ enabled: false });
    const postgres = JSON.parse(packageJson(options, selectedAdapters({ ...options, database: 'postgres' }), '0.1.0')) as Record<string, any>;
    expect(postgres.allowScripts).toEqual({ '@scarf/scarf': false, esbuild: true });
  });

  it('serves the API docs from swagger-ui-dist and pretty-prints logs in dev only', () => {
    expect(pkg.dependencies['swagger-ui-dist']).toBe(versions['swagger-ui-dist']);
    expect(pkg.devDependencies['pino-pretty']).toBe(versions['pino-pretty']);
    expect(pkg.dependencies['pino-pretty']).toBeUndefined();
    expect(pkg.scripts.dev).toBe('tsx watch src/server.ts | pino-pretty --colorize --ignore pid,hostname');
  });

  it('takes every version from src/versions.ts, adapters first', () => {
    expect(pkg.dependencies).toEqual({
      'better-sqlite3': versions['better-sqlite3'],
      fastify: versions.fastify,
      jose: versions.jose,
      standardwebhooks: versions.standardwebhooks,
      'swagger-ui-dist': versions['swagger-ui-dist'],
    });
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

  it('checks the running server with the credential in .env (npm run scim:check)', () => {
    expect(pkg.scripts['scim:check']).toBe(
      'npx create-scim-server@0.1.0 check http://localhost:{PORT:-4100}/scim/v2 --env-file .env --token-env SCIM_BEARER_TOKEN',
    );
  });

  it('names each auth mode\'s variables, never their values', () => {
    const check = (auth: string, extra: Partial<ProjectOptions> = {}) => {
      const o = { ...options, auth, ...extra };
      return (JSON.parse(packageJson(o, selectedAdapters(o), '0.1.0')) as { scripts: Record<string, string> }).scripts['scim:check']!.split(' --env-file .env ')[1];
    };
    expect(check('header')).toBe('--header Authorization --token-env SCIM_AUTH_TOKEN');
    expect(check('basic')).toBe('--basic-env SCIM_BASIC_USERNAME:SCIM_BASIC_PASSWORD');
    expect(check('custom-header', { adapterOptions: { authHeaderName: 'X-Api-Token' } })).toBe('--header X-Api-Token --token-env SCIM_API_KEY');
    expect(check('oauth2')).toBe('--oauth-token-url /oauth/token --client-id-env OAUTH_CLIENT_ID --client-secret-env OAUTH_CLIENT_SECRET');
  });

  it('made from a clone, calls that clone instead of the registry', () => {
    const fromClone = JSON.parse(packageJson(options, adapters, '0.1.0', { kind: 'path', bin: '/src/create scim/bin/create-scim-server.js' })) as Record<string, any>;
    expect(fromClone.scripts['scim:generate']).toBe('node "/src/create scim/bin/create-scim-server.js" regenerate');
    expect(fromClone.scripts['scim:check']).toMatch(/^node "\/src\/create scim\/bin\/create-scim-server\.js" check http:/);
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
