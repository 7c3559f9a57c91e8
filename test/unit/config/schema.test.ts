// The published config.schema.json: equal to what src/config builds (so it follows the adapter
// registry), a valid draft 2020-12 schema, and in agreement with the CLI's own validator.
// After an intended change: `npx vitest run --project unit test/unit/config/schema.test.ts -u`.

import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { adapters } from '../../../src/adapters/index.js';
import { PACKAGE_MANAGERS } from '../../../src/options.js';
import { buildConfigSchema } from '../../../src/config/schema.js';
import { validateConfig } from '../../../src/config/validate.js';
import type { SchemaIssue } from '../../../src/model/errors.js';

const ROOT = join(import.meta.dirname, '../../..');
const schema = buildConfigSchema();
const ajv = new Ajv2020({ strict: true, allErrors: true });
const ajvValidate = ajv.compile(schema);
const ours = (value: unknown) => {
  const issues: SchemaIssue[] = [];
  validateConfig(value, 'x.json', issues);
  return issues;
};

describe('config.schema.json', () => {
  it('is the committed file', async () => {
    await expect(JSON.stringify(schema, null, 2) + '\n').toMatchFileSnapshot(join(ROOT, 'config.schema.json'));
  });

  it('offers exactly the registry\'s adapters and package managers', () => {
    const properties = schema.properties as Record<string, { enum?: readonly string[] }>;
    expect(properties.framework?.enum).toEqual(adapters.framework.map((a) => a.id));
    expect(properties.database?.enum).toEqual(adapters.database.map((a) => a.id));
    expect(properties.auth?.enum).toEqual(adapters.auth.map((a) => a.id));
    expect(properties.packageManager?.enum).toEqual(PACKAGE_MANAGERS);
  });

  it('describes every key, for editor hovers', () => {
    for (const [key, property] of Object.entries(schema.properties as Record<string, { description?: string }>)) {
      expect(property.description, key).toMatch(/\w{3,}/);
    }
  });
});

describe('the published schema and the CLI validator accept the same files', () => {
  const accepted: unknown[] = [
    {},
    { basePath: '/scim/v2', port: 1 },
    { basePath: '/a/b~c/%41/@x:y', port: 65535 },
    { projectName: 'acme-scim.v2' },
    { auth: 'custom-header', authHeaderName: 'X-Api-Key' },
    { schemaFiles: ['a.json', 'b.json'], resourceTypeFiles: [] },
    { extend: { 'URN:acme:badge:1.0': 'Device' } },
    { generatorVersion: '0.1.0', $schema: 'x' },
    { generatorVersion: '1.0.0-beta.2' },
  ];
  const rejected: unknown[] = [
    [],
    'fastify',
    { basePath: 'scim' },
    { basePath: '/' },
    { basePath: '/scim_v2' },
    { basePath: '/scim/' },
    { basePath: '/scim//v2' },
    { basePath: '/scim/../v2' },
    { basePath: '/scim/.' },
    { basePath: '/sc im' },
    { basePath: '/scim/%4' },
    { port: 0 },
    { port: 65536 },
    { port: 1.5 },
    { port: '80' },
    { projectName: '.hidden' },
    { projectName: 'Upper' },
    { projectName: 'node_modules' },
    { projectName: 'a'.repeat(215) },
    { framework: 'koa' },
    { enterpriseUser: 1 },
    { schemaFiles: 'a.json' },
    { schemaFiles: ['a.json', 'a.json'] },
    { schemaFiles: [''] },
    { extend: { badge: 'User' } },
    { extend: { 'urn:a': '1User' } },
    { authHeaderName: 'X-Key' },
    { auth: 'bearer', authHeaderName: 'X-Key' },
    { auth: 'custom-header', authHeaderName: 'X Key' },
    { generatorVersion: 'v1' },
    { unknown: true },
  ];

  for (const value of accepted) {
    it(`accepts ${JSON.stringify(value)}`, () => {
      expect(ours(value)).toEqual([]);
      expect(ajvValidate(value), JSON.stringify(ajvValidate.errors)).toBe(true);
    });
  }
  for (const value of rejected) {
    it(`rejects ${JSON.stringify(value).slice(0, 80)}`, () => {
      expect(ours(value)).not.toEqual([]);
      expect(ajvValidate(value)).toBe(false);
    });
  }

  it('only the CLI refuses header names proxies set, which no pattern can say case-insensitively', () => {
    const value = { auth: 'custom-header', authHeaderName: 'authorization' };
    expect(ajvValidate(value)).toBe(true);
    expect(ours(value)).toHaveLength(1);
  });
});
