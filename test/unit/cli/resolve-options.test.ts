import { describe, expect, test } from 'vitest';
import { choices } from '../../../src/adapters/index.js';
import type { CliFlags } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/errors.js';
import { resolveOptions, type Answers } from '../../../src/cli/resolve-options.js';
import { basePathError } from '../../../src/options.js';

const CWD = '/home/ada/work';
const flags = (overrides: Partial<CliFlags> = {}): CliFlags => ({
  yes: false,
  schema: [],
  adapterFlags: {},
  install: true,
  git: true,
  dryRun: false,
  force: false,
  ...overrides,
});

describe('resolveOptions fills every default', () => {
  test('only a directory given', () => {
    expect(resolveOptions(flags({ directory: 'my-scim' }), {}, { cwd: CWD })).toEqual({
      project: {
        projectName: 'my-scim',
        basePath: '/scim/v2',
        port: 3000,
        enterpriseUser: true,
        schemaFiles: [],
        resourceTypeFiles: [],
        framework: 'fastify',
        database: 'sqlite',
        auth: 'bearer',
        unknownAttributes: 'reject',
        tenancy: 'single',
      },
      run: {
        targetDir: '/home/ada/work/my-scim',
        install: true,
        git: true,
        dryRun: false,
        force: false,
        packageManager: 'npm',
      },
      schemaPaths: [],
      resourceTypePaths: [],
    });
  });
});

describe('resolveOptions precedence: flag, then answer, then default', () => {
  const cases: { name: string; flags: Partial<CliFlags>; answers: Answers; want: object }[] = [
    {
      name: 'flags',
      flags: { directory: 'a', basePath: '/api/scim', port: '8080', enterpriseUser: false },
      answers: {},
      want: { projectName: 'a', basePath: '/api/scim', port: 8080, enterpriseUser: false },
    },
    {
      name: 'answers fill what flags left out',
      flags: {},
      answers: { directory: 'b', basePath: '/x', port: 4000, enterpriseUser: false },
      want: { projectName: 'b', basePath: '/x', port: 4000, enterpriseUser: false },
    },
    {
      name: 'flags win over answers',
      flags: { directory: 'c', port: '5000' },
      answers: { directory: 'ignored', port: 1 },
      want: { projectName: 'c', port: 5000 },
    },
    {
      name: 'project name is the lowercased basename',
      flags: { directory: '../Clients/Acme-SCIM' },
      answers: {},
      want: { projectName: 'acme-scim' },
    },
    {
      name: '--schema files land in schemas/',
      flags: { directory: 'd', schema: ['./ext/acme.json', '/abs/other.schema.json'] },
      answers: {},
      want: { schemaFiles: ['schemas/acme.json', 'schemas/other.schema.json'] },
    },
    {
      name: '--resource-type files land in schemas/ too; --extend is recorded by URN',
      flags: {
        directory: 'e',
        schema: ['okta/Role.schema.json'],
        resourceType: ['okta/Role.resource-type.json'],
        extend: ['urn:acme:badge=User', 'urn:acme:risk = Role'],
      },
      answers: {},
      want: {
        schemaFiles: ['schemas/Role.schema.json'],
        resourceTypeFiles: ['schemas/Role.resource-type.json'],
        extend: { 'urn:acme:badge': 'User', 'urn:acme:risk': 'Role' },
      },
    },
  ];
  test.each(cases)('$name', ({ flags: given, answers, want }) => {
    expect(resolveOptions(flags(given), answers, { cwd: CWD }).project).toMatchObject(want);
  });

  test('run options come from flags; --schema paths are kept as given', () => {
    const resolved = resolveOptions(
      flags({ directory: '.', install: false, git: false, dryRun: true, force: true, schema: ['x/a.json'] }),
      {},
      { cwd: CWD },
    );
    expect(resolved.run).toMatchObject({ targetDir: CWD, install: false, git: false, dryRun: true, force: true });
    expect(resolved.project.projectName).toBe('work');
    expect(resolved.schemaPaths).toEqual(['x/a.json']);
  });

  test('no --extend leaves extend out of the recorded options', () => {
    expect(resolveOptions(flags({ directory: 'x' }), {}, { cwd: CWD }).project).not.toHaveProperty('extend');
  });
});

describe('package manager', () => {
  const cases = [
    { flag: undefined, userAgent: undefined, want: 'npm' },
    { flag: undefined, userAgent: 'pnpm/9.12.0 npm/? node/v22.11.0 linux x64', want: 'pnpm' },
    { flag: undefined, userAgent: 'yarn/1.22.22 npm/? node/v20.19.0 darwin arm64', want: 'yarn' },
    { flag: undefined, userAgent: 'bun/1.1.30 npm/? node/v22.6.0 linux x64', want: 'bun' },
    { flag: undefined, userAgent: 'cnpm/9.0.0 node/v20', want: 'npm' },
    { flag: 'yarn', userAgent: 'pnpm/9.12.0 npm/? node/v22', want: 'yarn' },
  ] as const;
  test.each(cases)('flag $flag, user agent $userAgent -> $want', ({ flag, userAgent, want }) => {
    const resolved = resolveOptions(flags({ directory: 'x', packageManager: flag }), {}, { cwd: CWD, npmConfigUserAgent: userAgent });
    expect(resolved.run.packageManager).toBe(want);
  });
});

describe('resolveOptions refuses bad input, naming the flag or argument', () => {
  const cases: { name: string; flags: Partial<CliFlags>; want: string | RegExp }[] = [
    {
      name: 'no directory',
      flags: {},
      want: /^No project directory given\. Pass it as the first argument, e\.g\. `npm create scim-server@latest my-scim-server`/,
    },
    {
      name: 'base path with an underscore',
      flags: { directory: 'x', basePath: '/scim_v2' },
      want: 'Invalid --base-path "/scim_v2": it must not contain "_" because Okta rejects base URLs with underscores.',
    },
    {
      name: 'base path without a leading slash',
      flags: { directory: 'x', basePath: 'scim/v2' },
      want: 'Invalid --base-path "scim/v2": it must start with "/", e.g. "/scim/v2".',
    },
    {
      name: 'port out of range',
      flags: { directory: 'x', port: '70000' },
      want: 'Invalid --port "70000": expected a whole number from 1 to 65535.',
    },
    {
      name: 'port not a number',
      flags: { directory: 'x', port: '30a' },
      want: 'Invalid --port "30a": expected a whole number from 1 to 65535.',
    },
    {
      name: 'directory name that is no npm package name',
      flags: { directory: 'My SCIM!' },
      want:
        'The project name "my scim!" comes from the directory "My SCIM!" and is not a valid npm package name ' +
        '(use lowercase letters, digits, "-", "." and "_", not starting with "." or "_"). ' +
        'Choose another directory (the first argument), e.g. "my-scim".',
    },
    {
      name: 'directory name starting with a dot',
      flags: { directory: '.hidden' },
      want: /^The project name "\.hidden" comes from the directory "\.hidden" and is not a valid npm package name .*e\.g\. "hidden"\.$/,
    },
    {
      name: 'two --schema files with the same name',
      flags: { directory: 'x', schema: ['a/ext.json', 'b/ext.json'] },
      want: '--schema "b/ext.json" would be copied to schemas/ext.json, which is already used by --schema "a/ext.json". Rename the file.',
    },
    {
      name: '--schema named like a bundled schema',
      flags: { directory: 'x', schema: ['mine/User.schema.json'] },
      want: '--schema "mine/User.schema.json" would be copied to schemas/User.schema.json, which is already used by a bundled schema. Rename the file.',
    },
    {
      name: 'a --resource-type file named like a --schema file',
      flags: { directory: 'x', schema: ['okta/Role.json'], resourceType: ['types/Role.json'] },
      want: '--resource-type "types/Role.json" would be copied to schemas/Role.json, which is already used by --schema "okta/Role.json". Rename the file.',
    },
    {
      name: '--extend without a resource type name',
      flags: { directory: 'x', extend: ['urn:acme:badge'] },
      want: 'Invalid --extend "urn:acme:badge": expected URN=ResourceTypeName, e.g. --extend urn:example:params:scim:schemas:extension:badge:2.0:Badge=User.',
    },
    {
      name: '--extend with something else than a URN',
      flags: { directory: 'x', extend: ['badge.json=User'] },
      want: /^Invalid --extend "badge\.json=User": expected URN=ResourceTypeName/,
    },
    {
      name: '--extend attaching one extension to two types',
      flags: { directory: 'x', extend: ['urn:acme:badge=User', 'URN:acme:badge=Group'] },
      want: '--extend names "URN:acme:badge" twice, for User and Group: an extension is attached once per flag, pass one.',
    },
    {
      name: 'unknown framework (from an answer or config)',
      flags: { directory: 'x', framework: 'koa' },
      want: `Invalid --framework "koa": expected one of ${choices('framework').map((id) => `"${id}"`).join(', ')}.`,
    },
    {
      name: '--auth-header-name without --auth custom-header',
      flags: { directory: 'x', auth: 'bearer', adapterFlags: { authHeaderName: 'X-Key' } },
      want: '--auth-header-name only applies to --auth custom-header, but --auth is "bearer". Add --auth custom-header or remove --auth-header-name.',
    },
    {
      name: '--auth-header-name Authorization',
      flags: { directory: 'x', auth: 'custom-header', adapterFlags: { authHeaderName: 'Authorization' } },
      want: 'Invalid --auth-header-name "Authorization": it is Authorization: use --auth header (raw token) or --auth bearer instead.',
    },
    {
      name: '--auth-header-name that is not a header name',
      flags: { directory: 'x', auth: 'custom-header', adapterFlags: { authHeaderName: 'X Key' } },
      want: /^Invalid --auth-header-name "X Key": it is not a valid HTTP header name/,
    },
    {
      name: '--auth-header-name a proxy sets',
      flags: { directory: 'x', auth: 'custom-header', adapterFlags: { authHeaderName: 'X-Forwarded-For' } },
      want: 'Invalid --auth-header-name "X-Forwarded-For": it is a header clients and proxies set themselves; choose another, e.g. X-API-Key.',
    },
  ];
  test.each(cases)('$name', ({ flags: given, want }) => {
    expect(() => resolveOptions(flags(given), {}, { cwd: CWD })).toThrowError(want);
    expect(() => resolveOptions(flags(given), {}, { cwd: CWD })).toThrowError(UsageError);
  });
});

describe('basePathError', () => {
  const cases: { given: string; want: string | undefined }[] = [
    { given: '/scim/v2', want: undefined },
    { given: '/api/scim-2.0/tenant~1', want: undefined },
    { given: '/a%20b', want: undefined },
    { given: '/', want: 'must name a path below the root, e.g. "/scim/v2"' },
    { given: '/scim/v2/', want: 'must not end with "/"' },
    { given: '/scim//v2', want: 'must not contain an empty segment ("//")' },
    { given: '/scim/../v2', want: 'must not contain "." or ".." segments' },
    { given: '/scim v2', want: `may only contain letters, digits and - . ~ ! $ & ' ( ) * + , ; = : @ (or %XX escapes), not " "` },
    { given: '/scim?x=1', want: `may only contain letters, digits and - . ~ ! $ & ' ( ) * + , ; = : @ (or %XX escapes), not "?"` },
    { given: '/a%2', want: `may only contain letters, digits and - . ~ ! $ & ' ( ) * + , ; = : @ (or %XX escapes), not "%"` },
  ];
  test.each(cases)('$given', ({ given, want }) => {
    expect(basePathError(given)).toBe(want);
  });
});

describe('--unknown-attributes', () => {
  test('ignore is recorded; anything else is refused naming the flag', () => {
    expect(resolveOptions(flags({ directory: 'x', unknownAttributes: 'ignore' }), {}, { cwd: CWD }).project.unknownAttributes).toBe('ignore');
    expect(() => resolveOptions(flags({ directory: 'x', unknownAttributes: 'drop' }), {}, { cwd: CWD })).toThrow(
      'Invalid --unknown-attributes "drop": expected "reject" or "ignore".',
    );
  });
});

describe('--tenancy', () => {
  test('single by default; multi from the flag or the prompt; anything else refused naming the flag', () => {
    expect(resolveOptions(flags({ directory: 'x' }), {}, { cwd: CWD }).project.tenancy).toBe('single');
    expect(resolveOptions(flags({ directory: 'x', tenancy: 'multi' }), {}, { cwd: CWD }).project.tenancy).toBe('multi');
    expect(resolveOptions(flags({ directory: 'x' }), { tenancy: 'multi' }, { cwd: CWD }).project.tenancy).toBe('multi');
    expect(resolveOptions(flags({ directory: 'x', tenancy: 'single' }), { tenancy: 'multi' }, { cwd: CWD }).project.tenancy).toBe('single');
    expect(() => resolveOptions(flags({ directory: 'x', tenancy: 'mutli' }), {}, { cwd: CWD })).toThrow(
      'Invalid --tenancy "mutli": expected "single" or "multi" (did you mean "multi"?).',
    );
  });
});
