import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseArgs } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/errors.js';
import { choices } from '../../../src/adapters/index.js';
import { LAYERS } from '../../../src/adapters/types.js';
import { PACKAGE_MANAGERS } from '../../../src/options.js';

/**
 * yargs lays a `[choices: ...]` list out by its length, so the snapshot below has each list
 * folded to `[choices]` (a new adapter changes no layout there); the lists are checked apart.
 */
const foldChoices = (help: string) => help.replace(/\s*\[choices: [^\]]*\]\s*/g, ' [choices] ');
/** The choices --flag lists, e.g. ["fastify", "express"]. */
const choicesOf = (help: string, flag: string) =>
  [...(new RegExp(`--${flag}\\b[^\\[]*\\[choices: ([^\\]]*)\\]`).exec(help)?.[1] ?? '').matchAll(/"([^"]*)"/g)].map((m) => m[1]);

describe('parseArgs', () => {
  test('--help', async () => {
    const parsed = await parseArgs(['--help']);
    expect(parsed.kind).toBe('exit');
    if (parsed.kind !== 'exit') return;
    expect(parsed.exitCode).toBe(0);
    for (const layer of LAYERS) expect(choicesOf(parsed.output, layer)).toEqual(choices(layer));
    expect(choicesOf(parsed.output, 'package-manager')).toEqual(PACKAGE_MANAGERS);
    expect(foldChoices(parsed.output)).toMatchInlineSnapshot(`
      "create-scim-server [directory]

      Create a SCIM 2.0 server project that Okta and Microsoft Entra ID can provision into.

      Commands:
        create-scim-server [directory]             Create a SCIM 2.0 server project that Okta and
                                                   Microsoft Entra ID can provision into.        [default]
        create-scim-server regenerate [directory]  Regenerate a generated project from its
                                                   scim.config.json and schemas/ (run inside it, or name
                                                   it)
        create-scim-server check <base-url>        Check a running SCIM 2.0 server against what Okta and
                                                   Microsoft Entra ID send

      Positionals:
        directory  Where to create the project; its name becomes the package name                 [string]

      Options:
        -y, --yes                 Use the default for every question; ask nothing
                                                                                [boolean] [default: false]
            --config              A JSON file of answers (config.schema.json); flags override it  [string]
            --base-path           SCIM base path (leading "/", no trailing "/", no "_")
                                                                              [string] [default: /scim/v2]
            --port                Port the server listens on                      [string] [default: 3000]
            --enterprise-user     Include the Enterprise User extension on /Users (--no-enterprise-user to
                                  leave it out)                                  [boolean] [default: true]
            --schema              A SCIM schema JSON file (RFC 7643 §7): an extension, or the core schema
                                  of a --resource-type; repeatable                 [array] [default: none]
            --resource-type       A ResourceType JSON file (RFC 7643 §6) adding an endpoint such as
                                  /Entitlements; repeatable                        [array] [default: none]
            --extend              URN=ResourceTypeName: attach an extension schema whose URN does not end
                                  in the type's name; repeatable                   [array] [default: none]
            --framework           Web framework [choices] [default: fastify]
            --database            Database [choices] [default: sqlite]
            --auth                How identity providers authenticate [choices] [default: bearer]
            --auth-header-name    Header that carries the secret, with --auth custom-header
                                                                             [string] [default: X-API-Key]
            --unknown-attributes  Request attributes no schema declares: reject (400) or ignore (drop and
                                  log) [choices] [default: reject]
            --tenancy             single: one customer at the base path; multi: one server for many
                                  customers, each at <base-path>/<tenant> [choices] [default: single]
            --install             Install dependencies (--no-install to skip)    [boolean] [default: true]
            --git                 Create a git repository with a first commit (--no-git to skip)
                                                                                 [boolean] [default: true]
            --package-manager     Package manager for install and the printed commands [choices] [default: the one running create, else npm]
            --dry-run             Print the files that would be written; write nothing
                                                                                [boolean] [default: false]
            --force               Allow a target directory that is not empty    [boolean] [default: false]
            --interactive         Ask for answers not given as flags (--no-interactive never asks)
                                                             [boolean] [default: when stdin is a terminal]
            --version             Show version number                                            [boolean]
        -h, --help                Show help                                                      [boolean]

      Non-interactive usage:
        Without a terminal (CI, scripts) nothing is asked: pass the directory, and --yes takes the
        default for every other question. npm needs "--" before the flags:

          npm create scim-server@latest my-scim -- --yes
          npx create-scim-server my-scim --yes --base-path /api/scim/v2 --port 8080
          npx create-scim-server my-scim --yes --schema ./acme-user.schema.json --no-enterprise-user
          npx create-scim-server my-scim --yes --schema Entitlement.schema.json --resource-type
          Entitlement.resource-type.json
          npx create-scim-server my-scim --yes --framework express --database postgres --auth oauth2
          npx create-scim-server my-scim --yes --auth custom-header --auth-header-name X-Api-Token
          npx create-scim-server my-scim --yes --tenancy multi --database postgres
          npx create-scim-server my-scim --yes --no-install --no-git --package-manager pnpm
          npx create-scim-server my-scim --yes --dry-run

        Per-customer projects: --config FILE answers the questions from a JSON file (its JSON Schema is
        config.schema.json in this package). Flags given as well override it; paths in it are relative
        to its directory. A generated project's scim.config.json is such a file, so it clones a project:

          npx create-scim-server --config customers/acme.json
          npx create-scim-server globex-scim --config acme-scim/scim.config.json --no-install"
    `);
  });

  test('flags map to CliFlags; prompted values stay undefined when not given', async () => {
    expect(await parseArgs(['my-scim'])).toEqual({
      kind: 'run',
      flags: {
        directory: 'my-scim',
        yes: false,
        basePath: undefined,
        port: undefined,
        enterpriseUser: undefined,
        schema: [],
        resourceType: [],
        extend: [],
        framework: undefined,
        database: undefined,
        auth: undefined,
        adapterFlags: {},
        // Not given stays undefined so a --config file's answer can apply.
        install: undefined,
        git: undefined,
        dryRun: false,
        force: false,
        packageManager: undefined,
        interactive: undefined,
      },
    });
    const parsed = await parseArgs([
      'dir', '-y', '--base-path', '/api', '--port', '8080', '--no-enterprise-user', '--schema', 'a.json',
      '--schema', 'b.json', '--framework', 'fastify', '--no-install', '--no-git', '--dry-run', '--force',
      '--package-manager', 'pnpm', '--no-interactive', '--config', 'acme.json',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      flags: {
        directory: 'dir', yes: true, basePath: '/api', port: '8080', enterpriseUser: false, schema: ['a.json', 'b.json'],
        framework: 'fastify', install: false, git: false, dryRun: true, force: true, packageManager: 'pnpm', interactive: false,
        config: 'acme.json',
      },
    });
  });

  test("an adapter's own flag lands in adapterFlags under its question key", async () => {
    const parsed = await parseArgs(['dir', '--auth', 'custom-header', '--auth-header-name', 'X-Acme-Key']);
    expect(parsed).toMatchObject({ kind: 'run', flags: { auth: 'custom-header', adapterFlags: { authHeaderName: 'X-Acme-Key' } } });
  });

  test('--resource-type and --extend repeat', async () => {
    const parsed = await parseArgs([
      'dir', '--schema', 'Role.schema.json', '--resource-type', 'Role.resource-type.json', '--resource-type', 'Device.json',
      '--extend', 'urn:acme:badge=User', '--extend', 'urn:acme:risk=Role',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      flags: {
        resourceType: ['Role.resource-type.json', 'Device.json'],
        extend: ['urn:acme:badge=User', 'urn:acme:risk=Role'],
      },
    });
  });

  const errors = [
    { given: ['--bogus'], want: /^Unknown argument: bogus\nRun "create-scim-server --help" for usage\.$/ },
    { given: ['x', '--framework', 'koa'], want: `Invalid --framework "koa": expected one of ${choices('framework').map((id) => `"${id}"`).join(', ')}.` },
    { given: ['x', '--port'], want: /Not enough arguments following: port/ },
    { given: ['a', 'b'], want: /Unknown argument: b/ },
  ];
  test.each(errors)('$given is a usage error', async ({ given, want }) => {
    const error = await parseArgs(given).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(want);
  });

  test('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(await parseArgs(['--version'])).toEqual({ kind: 'exit', output: version, exitCode: 0 });
  });
});
