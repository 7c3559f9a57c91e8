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
