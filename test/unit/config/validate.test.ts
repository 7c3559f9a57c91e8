import { describe, expect, it } from 'vitest';
import { choices } from '../../../src/adapters/index.js';
import { validateConfig } from '../../../src/config/validate.js';
import type { SchemaIssue } from '../../../src/model/errors.js';

/** A layer's choices as the messages list them, from the adapter registry. */
const quoted = (layer: 'framework' | 'database' | 'auth') => choices(layer).map((id) => `"${id}"`).join(', ');

const check = (value: unknown) => {
  const issues: SchemaIssue[] = [];
  const document = validateConfig(value, 'acme.json', issues);
  return { document, messages: issues.map((i) => `${i.path}: ${i.message}`) };
};

describe('validateConfig: a valid file', () => {
  it('keeps every answer as written', () => {
    const value = {
      $schema: './node_modules/create-scim-server/config.schema.json',
      directory: '../out/acme-scim',
      projectName: 'acme-scim',
      basePath: '/api/scim/v2',
      port: 8080,
      enterpriseUser: false,
      schemaFiles: ['schemas/badge.schema.json'],
      resourceTypeFiles: ['schemas/Entitlement.resource-type.json'],
      extend: { 'urn:acme:params:scim:schemas:extension:badge:1.0': 'User' },
      framework: 'hono',
      database: 'postgres',
      auth: 'custom-header',
      authHeaderName: 'X-Acme-Key',
      install: false,
      git: false,
      packageManager: 'pnpm',
    };
    expect(check(value)).toEqual({ document: value, messages: [] });
  });

  it('accepts an empty object: every answer is optional', () => {
    expect(check({})).toEqual({ document: {}, messages: [] });
  });
});

describe('validateConfig: every problem, each with its JSON path and what was expected', () => {
  const cases: Array<{ name: string; value: unknown; want: string[] }> = [
    { name: 'not an object', value: ['fastify'], want: ['$: expected a JSON object of answers, e.g. { "framework": "fastify" }, got an array'] },
    { name: 'null', value: null, want: ['$: expected a JSON object of answers, e.g. { "framework": "fastify" }, got null'] },
    { name: 'a typo in a key', value: { schemFiles: [] }, want: ['$.schemFiles: unknown key (did you mean "schemaFiles"?)'] },
    { name: 'a key in the wrong case', value: { BasePath: '/scim' }, want: ['$.BasePath: unknown key (did you mean "basePath"?)'] },
    {
      name: 'an unknown key with no near match',
      value: { 'tenant mode': 'x' },
      want: [
        '$["tenant mode"]: unknown key; expected one of $schema, generatorVersion, directory, projectName, basePath, port, enterpriseUser, schemaFiles, resourceTypeFiles, extend, framework, database, auth, authHeaderName, unknownAttributes, tenancy, install, git, packageManager',
      ],
    },
    {
      name: 'an unknown choice, with a suggestion',
      value: { framework: 'fastfy' },
      want: [`$.framework: expected one of ${quoted('framework')}, got "fastfy" (did you mean "fastify"?)`],
    },
    {
      name: 'an unknown choice',
      value: { auth: 'saml' },
      want: [`$.auth: expected one of ${quoted('auth')}, got "saml"`],
    },
    { name: 'a choice of the wrong type', value: { database: 5 }, want: [`$.database: expected one of ${quoted('database')}, got 5`] },
    { name: 'a port as a string', value: { port: '3000' }, want: ['$.port: expected a whole number from 1 to 65535, got "3000"'] },
    { name: 'a port out of range', value: { port: 70000 }, want: ['$.port: expected a whole number from 1 to 65535, got 70000'] },
    { name: 'a fractional port', value: { port: 80.5 }, want: ['$.port: expected a whole number from 1 to 65535, got 80.5'] },
    { name: 'a boolean as a string', value: { enterpriseUser: 'yes' }, want: ['$.enterpriseUser: expected true or false, got "yes"'] },
    {
      name: 'a base path with "_", with the CLI\'s reason',
      value: { basePath: '/scim_v2' },
      want: ['$.basePath: expected a SCIM base path like "/scim/v2", got "/scim_v2": it must not contain "_" because Okta rejects base URLs with underscores'],
    },
    {
      name: 'a base path with a trailing slash',
      value: { basePath: '/scim/v2/' },
      want: ['$.basePath: expected a SCIM base path like "/scim/v2", got "/scim/v2/": it must not end with "/"'],
    },
    {
      name: 'an invalid package name',
      value: { projectName: 'Acme SCIM' },
      want: [
        '$.projectName: expected an npm package name, got "Acme SCIM": it is not a valid npm package name (use lowercase letters, digits, "-", "." and "_", not starting with "." or "_")',
      ],
    },
    {
      name: 'one schema file as a string',
      value: { schemaFiles: 'badge.json' },
      want: ['$.schemaFiles: expected an array of file paths, got "badge.json" (write ["badge.json"] for one file)'],
    },
    {
      name: 'bad and repeated entries in a file list',
      value: { resourceTypeFiles: ['a.json', 3, '', 'a.json'] },
      want: [
        '$.resourceTypeFiles[1]: expected a file path (a non-empty string), got 3',
        '$.resourceTypeFiles[2]: expected a file path (a non-empty string), got ""',
        '$.resourceTypeFiles[3]: "a.json" is already listed at $.resourceTypeFiles[0]',
      ],
    },
    {
      name: 'extend with a key that is no URN and a value that is no type name',
      value: { extend: { badge: 'User', 'urn:acme:badge': 'Users!' } },
      want: [
        '$.extend.badge: expected the key to be a schema URN ("urn:..."), got "badge"',
        '$.extend["urn:acme:badge"]: expected a resource type name like "User", got "Users!"',
      ],
    },
    { name: 'extend as a list', value: { extend: ['urn:a=User'] }, want: ['$.extend: expected an object mapping schema URNs to resource type names, got an array'] },
    {
      name: 'a header name for another auth mode',
      value: { auth: 'bearer', authHeaderName: 'X-Key' },
      want: ['$.authHeaderName: only applies with "auth": "custom-header", but $.auth is "bearer"; remove authHeaderName or change auth'],
    },
    {
      name: 'a header name without auth',
      value: { authHeaderName: 'X-Key' },
      want: ['$.authHeaderName: only applies with "auth": "custom-header", which this file does not set; add it or remove authHeaderName'],
    },
    {
      name: 'a header name proxies set',
      value: { auth: 'custom-header', authHeaderName: 'X-Forwarded-For' },
      want: [
        '$.authHeaderName: expected an HTTP header name, got "X-Forwarded-For": it is a header clients and proxies set themselves; choose another, e.g. X-API-Key',
      ],
    },
    {
      name: 'a header name with a space',
      value: { auth: 'custom-header', authHeaderName: 'X Key' },
      want: [
        '$.authHeaderName: expected an HTTP header name, got "X Key": it is not a valid HTTP header name (letters, digits and - _ . ! # $ % & \' * + ^ ` | ~)',
      ],
    },
    { name: 'a generator version that is no version', value: { generatorVersion: 'latest' }, want: ['$.generatorVersion: expected a version like "1.2.3", got "latest"'] },
    { name: 'an empty directory', value: { directory: '' }, want: ['$.directory: expected a directory path (a non-empty string), got ""'] },
    { name: 'a tenancy that is not single or multi', value: { tenancy: 'mutli' }, want: ['$.tenancy: expected one of "single", "multi", got "mutli" (did you mean "multi"?)'] },
    { name: 'a tenancy of the wrong type', value: { tenancy: true }, want: ['$.tenancy: expected one of "single", "multi", got true'] },
    { name: 'a package manager not supported', value: { packageManager: 'deno' }, want: ['$.packageManager: expected one of "npm", "pnpm", "yarn", "bun", got "deno"'] },
  ];

  for (const { name, value, want } of cases) {
    it(name, () => expect(check(value).messages).toEqual(want));
  }

  it('reports all problems of a file at once and keeps only the valid answers', () => {
    const { document, messages } = check({ framework: 'express', port: 0, auth: 'beaer', git: 'no', schemaFiles: ['ok.json', null] });
    expect(messages).toEqual([
      '$.port: expected a whole number from 1 to 65535, got 0',
      '$.auth: expected one of "bearer", "header", "basic", "custom-header", "oauth2", got "beaer" (did you mean "bearer"?)',
      '$.git: expected true or false, got "no"',
      '$.schemaFiles[1]: expected a file path (a non-empty string), got null',
    ]);
    expect(document).toEqual({ framework: 'express' });
  });
});
