import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../../src/cli/args.js';
import { UsageError } from '../../../src/cli/errors.js';
import { compareVersions, missingDependencies } from '../../../src/cli/regenerate.js';
import { customStoreUpgradeNotice, tenancySwitchNotice } from '../../../src/cli/steps/tenancy-switch.js';

describe('regenerate arguments', () => {
  it('parses the command, its directory and its flags', async () => {
    expect(await parseArgs(['regenerate'])).toEqual({ kind: 'regenerate', flags: { check: false, dryRun: false, keepGoing: false } });
    expect(await parseArgs(['regenerate', '../acme', '--check', '--keep-going', '--dry-run'])).toEqual({
      kind: 'regenerate',
      flags: { directory: '../acme', check: true, dryRun: true, keepGoing: true },
    });
  });

  it('refuses creation flags, pointing at scim.config.json', async () => {
    const error = await parseArgs(['regenerate', '--auth', 'basic', '--schema', 'x.json']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "--schema, --auth do not apply to regenerate: it reads the project's answers from scim.config.json. " +
        'Edit that file (and the schema files it lists), then run regenerate again.',
    );
  });

  it('shows only its own flags in its --help, and is listed in the main --help', async () => {
    const own = await parseArgs(['regenerate', '--help']);
    expect(own.kind === 'exit' && own.output).toContain('--keep-going');
    expect(own.kind === 'exit' && own.output).not.toContain('--framework');
    const main = await parseArgs(['--help']);
    expect(main.kind === 'exit' && main.output).toContain('create-scim-server regenerate [directory]');
    expect(main.kind === 'exit' && main.output).toContain('--framework');
  });
});

describe('compareVersions', () => {
  it.each([
    ['0.1.0', '0.1.0', 0],
    ['0.0.9', '0.1.0', -1],
    ['0.10.0', '0.9.9', 1],
    ['1.0.0-beta.1', '1.0.0', 0],
    ['2.0', '1.9.9', 1],
  ])('%s vs %s', (a, b, want) => expect(compareVersions(a, b)).toBe(want));
});

describe('missingDependencies', () => {
  it('lists what the generator now needs and package.json has nowhere', () => {
    const planned = { dependencies: { fastify: '^5', pg: '^8' }, devDependencies: { vitest: '^4', '@types/pg': '^8' } };
    const current = { dependencies: { fastify: '^5' }, devDependencies: { vitest: '^3', pg: '^8' } };
    expect(missingDependencies(planned, current)).toEqual({ dependencies: [], devDependencies: ['@types/pg@"^8"'] });
    expect(missingDependencies(planned, {})).toEqual({
      dependencies: ['fastify@"^5"', 'pg@"^8"'],
      devDependencies: ['vitest@"^4"', '@types/pg@"^8"'],
    });
  });
});

describe('tenancySwitchNotice', () => {
  it('says nothing when tenancy is unchanged (a manifest without it was single)', () => {
    expect(tenancySwitchNotice(undefined, 'single', '/scim/v2')).toBeUndefined();
    expect(tenancySwitchNotice('multi', 'multi', '/scim/v2')).toBeUndefined();
  });

  it('single -> multi: the existing data and credential are tenant "default" at the old URL, and how to add tenants', () => {
    const notice = tenancySwitchNotice(undefined, 'multi', '/api/scim')!;
    const text = notice.lines.join('\n');
    expect(notice.level).toBe('info');
    expect(text).toContain('tenant "default", which keeps answering at /api/scim (the URL your');
    expect(text).toContain('npm run tenant -- add <slug>');
    expect(text).toContain('/api/scim/<slug>');
    expect(text).toContain('SCIM_ADMIN_TOKEN');
  });

  it('multi -> single warns that only tenant "default" stays served', () => {
    const notice = tenancySwitchNotice('multi', 'single', '/scim/v2')!;
    expect(notice.level).toBe('warn');
    expect(notice.lines.join('\n')).toContain('only tenant "default" is served, at /scim/v2');
  });
});

describe('customStoreUpgradeNotice', () => {
  it('names what to change in a custom store generated before tenants, and the wrapper', () => {
    const notice = customStoreUpgradeNotice(undefined, 'custom')!;
    const text = notice.lines.join('\n');
    expect(notice.level).toBe('warn');
    expect(text).toContain('take `tenant: TenantKey` first');
    expect(text).toContain('withTenants(await createMyStore(options))');
    expect(text).toContain('../generated/database/single-tenant.js');
    expect(text).toContain('SCIM_MEMORY_STORE');
    expect(text).toContain('docs/custom-store.md');
  });

  it('says nothing to a project made with tenants, or with a generated store', () => {
    expect(customStoreUpgradeNotice('single', 'custom')).toBeUndefined();
    expect(customStoreUpgradeNotice(undefined, 'sqlite')).toBeUndefined();
  });
});
