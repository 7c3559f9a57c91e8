// What regenerating after a change of `tenancy` in scim.config.json means for the running
// server: the data and credential already there are tenant "default" (every project has
// tenants; a single-tenant one has exactly that one), so nothing moves and the identity
// provider already connected keeps working at the same URL.

import type { Tenancy } from '../../options.js';

export interface TenancyNotice {
  level: 'info' | 'warn';
  lines: string[];
}

/** The notice for a switch from `before` (the manifest's options) to `after`, or undefined when none. */
export function tenancySwitchNotice(before: Tenancy | undefined, after: Tenancy, basePath: string): TenancyNotice | undefined {
  const was = before ?? 'single';
  if (was === after) return undefined;
  if (after === 'multi') {
    return {
      level: 'info',
      lines: [
        'This project is now multi-tenant (scim.config.json "tenancy": "multi").',
        `  - Its existing users, groups and credential are tenant "default", which keeps answering at ${basePath} (the URL your`,
        `    identity provider already uses, with the same secret) and at ${basePath}/default. Nothing to change there.`,
        `  - Add a tenant per customer: npm run tenant -- add <slug> [--name "Acme Corp"] [--idp okta|entra|other]`,
        `    It prints the tenant's base URL (${basePath}/<slug>), its credential and the identity provider's setup steps.`,
        '  - To create tenants over HTTP (the admin API under /admin/v1), set SCIM_ADMIN_TOKEN in .env to a long random',
        '    value: regeneration never edits .env.',
      ],
    };
  }
  return {
    level: 'warn',
    lines: [
      'This project is now single-tenant (scim.config.json "tenancy": "single"): only tenant "default" is served, at ' +
        `${basePath}. Other tenants' data stays in the database but is no longer reachable; switch back to "multi" to serve it.`,
    ],
  };
}

/**
 * A custom-store project generated before tenants: its own store in src/store/ implements the
 * contract without the tenant, so it stops type-checking. Says what to change, or to wrap it.
 * `before` is the manifest's tenancy, absent in every project made before tenants.
 */
export function customStoreUpgradeNotice(before: Tenancy | undefined, database: string): TenancyNotice | undefined {
  if (before !== undefined || database !== 'custom') return undefined;
  return {
    level: 'warn',
    lines: [
      'The store contract now takes the tenant first (src/generated/scim/store.ts), so your store in src/store/ needs a change:',
      '  - create, get, list, update and delete take `tenant: TenantKey` first, and the store has `tenants` (a TenantDirectory);',
      '  - or, in a single-tenant project, keep your store as it is and wrap it in src/store/index.ts:',
      '      return withTenants(await createMyStore(options));   // from ../generated/database/single-tenant.js',
      '  - src/store/testing.ts: name the in-memory store (SCIM_MEMORY_STORE) as a new project does.',
      'docs/custom-store.md, "A store written before tenants", has both ways; npm run typecheck lists what is left.',
    ],
  };
}
