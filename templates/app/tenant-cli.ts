// The admin CLI: `npm run tenant -- <command>`. The same operations as the admin HTTP API
// (scim/admin.ts), on the database the server uses (.env). A secret is printed once, at creation;
// the database keeps only its hash.
//
//   add <slug> [--name "Acme Corp"] [--idp okta|entra|other] [--label L] [--expires ISO] [--json]
//   list [--json]
//   disable <slug> | enable <slug>
//   remove <slug> [--yes]
//   credential add <slug> [--label L] [--expires ISO] [--json]
//   credential list <slug> [--json]
//   credential revoke <slug> <credential id>

import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createScim, type Scim } from './app.js';
import type { IssuedCredential } from './scim/admin.js';
import { CONSOLE_IO, reportFailure, UsageError, type CliIo } from './cli-io.js';
import { setupSteps } from './scim/idp-steps.js';
import type { Credential, Tenant } from './scim/tenancy.js';

const USAGE = `Usage: npm run tenant -- <command>

  add <slug> [--name "Acme Corp"] [--idp okta|entra|other] [--label L] [--expires 2027-01-31] [--json]
  list [--json]
  disable <slug>
  enable <slug>
  remove <slug> [--yes]
  credential add <slug> [--label L] [--expires 2027-01-31] [--json]
  credential list <slug> [--json]
  credential revoke <slug> <credential-id>`;


/** Runs one command; resolves to the exit code. `env` defaults to the process's, with .env read. */
export async function main(argv: readonly string[], io: CliIo = CONSOLE_IO, env?: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        idp: { type: 'string' },
        label: { type: 'string' },
        expires: { type: 'string' },
        json: { type: 'boolean', default: false },
        yes: { type: 'boolean', short: 'y', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }

  if (!env && existsSync('.env')) process.loadEnvFile('.env');
  let scim: Scim | undefined;
  try {
    scim = await createScim({ env: { ...(env ?? process.env), LOG_LEVEL: 'silent' } });
    return await run(scim, positionals, values, io);
  } catch (error) {
    return reportFailure(error, USAGE, io);
  } finally {
    await scim?.close();
  }
}

type Values = { name?: string; idp?: string; label?: string; expires?: string; json?: boolean; yes?: boolean };

async function run(scim: Scim, args: string[], values: Values, io: CliIo): Promise<number> {
  const { admin } = scim;
  const [command, ...rest] = args;
  const arg = (index: number, what: string): string => {
    const value = rest[index];
    if (value === undefined) throw new UsageError(`${command}: missing ${what}`);
    return value;
  };
  const noMore = (count: number) => {
    if (rest.length > count) throw new UsageError(`${command}: unexpected ${rest.slice(count).join(' ')}`);
  };
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));

  switch (command) {
    case 'add': {
      const slug = arg(0, 'the tenant slug');
      noMore(1);
      const result = await admin.addTenant({ slug, name: values.name, idp: values.idp, label: values.label, expires: values.expires });
      if (values.json) return (json(result), 0);
      io.out(`Tenant ${result.tenant.slug} (${result.tenant.name}) created.`);
      io.out(`Base URL: ${result.baseUrl}`);
      printCredential(result.credential, io.out);
      io.out('');
      for (const line of setupSteps({ idp: result.tenant.idp, baseUrl: result.baseUrl, credential: result.credential, ...extras(scim) })) io.out(line);
      return 0;
    }
    case 'list': {
      noMore(0);
      const tenants = await admin.listTenants();
      if (values.json) return (json(tenants.map((t) => ({ ...t, baseUrl: admin.baseUrl(t) }))), 0);
      if (tenants.length === 0) io.out('No tenants.');
      for (const t of tenants) io.out(tenantLine(t, admin.baseUrl(t)));
      return 0;
    }
    case 'disable':
    case 'enable': {
      const slug = arg(0, 'the tenant slug');
      noMore(1);
      const tenant = await admin.updateTenant(slug, { disabled: command === 'disable' });
      io.out(`Tenant ${tenant.slug} ${tenant.disabled ? 'disabled: its requests get 403, its data stays' : 'enabled'}.`);
      return 0;
    }
    case 'remove': {
      const slug = arg(0, 'the tenant slug');
      noMore(1);
      const tenant = await admin.tenant(slug);
      if (!values.yes) {
        if (!io.interactive) {
          io.err(`Refusing to remove tenant ${slug} without confirmation: run it in a terminal, or add --yes.`);
          return 1;
        }
        const prompt = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await prompt.question(`This deletes tenant ${slug} (${tenant.name}), its credentials and all its users and groups.\nType the slug to confirm: `);
        prompt.close();
        if (answer.trim() !== slug) {
          io.err('Not confirmed: nothing removed.');
          return 1;
        }
      }
      await admin.removeTenant(slug);
      io.out(`Tenant ${slug} removed, with its data and credentials.`);
      return 0;
    }
    case 'credential':
      return credentialCommand(scim, rest, values, io);
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

async function credentialCommand(scim: Scim, args: string[], values: Values, io: { out: (s: string) => void }): Promise<number> {
  const { admin } = scim;
  const [sub, slug, id, ...extra] = args;
  if (!slug) throw new UsageError(`credential ${sub ?? ''}: missing the tenant slug`);
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  switch (sub) {
    case 'add': {
      if (id !== undefined) throw new UsageError(`credential add: unexpected ${[id, ...extra].join(' ')}`);
      const credential = await admin.addCredential(slug, { label: values.label, expires: values.expires });
      if (values.json) return (json({ credential }), 0);
      printCredential(credential, io.out);
      io.out('Give it to the identity provider, check that provisioning works, then revoke the old one.');
      return 0;
    }
    case 'list': {
      if (id !== undefined) throw new UsageError(`credential list: unexpected ${[id, ...extra].join(' ')}`);
      const credentials = await admin.listCredentials(slug);
      if (values.json) return (json(credentials), 0);
      if (credentials.length === 0) io.out('No credentials.');
      for (const c of credentials) io.out(credentialLine(c));
      return 0;
    }
    case 'revoke': {
      if (!id) throw new UsageError('credential revoke: missing the credential id (see credential list)');
      if (extra.length > 0) throw new UsageError(`credential revoke: unexpected ${extra.join(' ')}`);
      await admin.revokeCredential(slug, id);
      io.out(`Credential ${id} revoked: it is refused from now on.`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown credential command ${JSON.stringify(sub)}: add, list or revoke`);
  }
}

function extras(scim: Scim): { customHeader?: string; tokenUrl?: string } {
  const header = scim.authenticator.secretHeaders?.[0];
  const scimUrl = scim.admin.baseUrl({ slug: '' } as Tenant);
  return { customHeader: header, tokenUrl: `${new URL(scimUrl).origin}/oauth/token` };
}

function printCredential(credential: IssuedCredential, out: (s: string) => void): void {
  out(`Credential ${credential.id} (${credential.label})${credential.expires ? `, expires ${credential.expires}` : ''}:`);
  if (credential.token) out(`  Token: ${credential.token}`);
  if (credential.username) out(`  Username: ${credential.username}\n  Password: ${credential.password}`);
  if (credential.clientId) out(`  Client ID: ${credential.clientId}\n  Client secret: ${credential.clientSecret}`);
  out('  Shown once: the server stores only its hash.');
}

function tenantLine(t: Tenant, baseUrl: string): string {
  return `${t.slug.padEnd(24)} ${t.disabled ? 'disabled' : 'enabled '} ${t.idp.padEnd(6)} ${baseUrl}  ${t.name}`;
}

function credentialLine(c: Credential): string {
  const state = c.revoked ? `revoked ${c.revoked}` : c.expires && Date.parse(c.expires) <= Date.now() ? `expired ${c.expires}` : 'active';
  const parts = [c.id, c.kind, state, `created ${c.created}`];
  if (c.expires && !c.revoked) parts.push(`expires ${c.expires}`);
  parts.push(c.lastUsed ? `last used ${c.lastUsed}` : 'never used');
  if (c.principal) parts.push(c.principal);
  return `${parts.join('  ')}  "${c.label}"`;
}

// Run as a script (npm run tenant), not when imported by a test.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
