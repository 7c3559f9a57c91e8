// The audit log CLI: `npm run audit -- ...`. Every committed change (the outbox's events), newest
// first, from the database the server uses (.env). Events name attributes, never their values,
// and the credential that made a change by its id, never its secret.
//
//   --resource <id> | --since <ISO time> | --actor <credential id>   (at least one, or --all)
//   [--tenant <slug>] [--limit n] [--before <seq>] [--json]

import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createScim, type Scim } from './app.js';
import { CONSOLE_IO, reportFailure, UsageError, type CliIo } from './cli-io.js';
import type { EventQuery, ProvisioningEvent } from './scim/events.js';

const USAGE = `Usage: npm run audit -- <filter> [options]

  --resource <id>        changes of one resource (its SCIM id, a tenant key or a credential id)
  --since <time>         changes at or after an ISO 8601 time, e.g. 2026-12-01 or 2026-12-01T09:00:00Z
  --actor <credential>   changes made with one credential (its id, "cred_...")
  --all                  every change
  --tenant <slug>        only this tenant's
  --limit <n>            at most n events (default 50, at most 1000)
  --before <seq>         the page before this sequence number (printed at the end of a full page)
  --json                 one JSON object per event, one per line`;

const MAX_LIMIT = 1000;


/** Runs one query; resolves to the exit code. `env` defaults to the process's, with .env read. */
export async function main(argv: readonly string[], io: CliIo = CONSOLE_IO, env?: NodeJS.ProcessEnv): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        resource: { type: 'string' },
        since: { type: 'string' },
        actor: { type: 'string' },
        all: { type: 'boolean', default: false },
        tenant: { type: 'string' },
        limit: { type: 'string' },
        before: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }

  if (!env && existsSync('.env')) process.loadEnvFile('.env');
  let scim: Scim | undefined;
  try {
    const query = readQuery(values);
    scim = await createScim({ env: { ...(env ?? process.env), LOG_LEVEL: 'silent' } });
    if (values.tenant !== undefined) query.tenant = (await scim.admin.tenant(values.tenant)).key;
    const events = await scim.events.list(query);
    if (values.json) {
      for (const event of events) io.out(JSON.stringify(event));
    } else if (events.length === 0) {
      io.out('No events.');
    } else {
      for (const event of events) io.out(line(event));
      if (events.length === query.limit) {
        io.out(`More: npm run audit -- ${argv.filter((a, i) => !isBefore(argv, i)).join(' ')} --before ${events[events.length - 1]!.seq}`);
      }
    }
    return 0;
  } catch (error) {
    return reportFailure(error, USAGE, io);
  } finally {
    await scim?.close();
  }
}

type Values = { resource?: string; since?: string; actor?: string; all?: boolean; limit?: string; before?: string };

function readQuery(values: Values): EventQuery {
  if (values.resource === undefined && values.since === undefined && values.actor === undefined && !values.all) {
    throw new UsageError('Say which changes: --resource, --since, --actor or --all');
  }
  const integer = (name: string, raw: string | undefined, max: number) => {
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > max) throw new UsageError(`--${name} must be an integer from 1 to ${max}`);
    return value;
  };
  const query: EventQuery = { limit: integer('limit', values.limit, MAX_LIMIT) ?? 50 };
  const before = integer('before', values.before, Number.MAX_SAFE_INTEGER);
  if (before !== undefined) query.before = before;
  if (values.since !== undefined) {
    const time = Date.parse(values.since);
    if (Number.isNaN(time)) throw new UsageError(`--since must be an ISO 8601 time, got ${JSON.stringify(values.since)}`);
    query.since = new Date(time).toISOString();
  }
  if (values.resource !== undefined) query.resourceId = values.resource;
  if (values.actor !== undefined) query.actor = values.actor;
  return query;
}

/** The `--before <seq>` pair of the arguments, left out of the next page's command. */
const isBefore = (argv: readonly string[], i: number) =>
  argv[i] === '--before' || argv[i - 1] === '--before' || argv[i]!.startsWith('--before=');

function line(e: ProvisioningEvent): string {
  const who = e.actor.credentialId ? `${e.actor.via} ${e.actor.credentialId}` : e.actor.via;
  const parts = [`#${e.seq}`, e.time, `tenant ${e.tenant}`, e.kind, `${e.resourceType} ${e.resourceId}`];
  if (e.version !== null) parts.push(`v${e.version}`);
  if (e.attributes.length > 0) parts.push(`[${e.attributes.join(', ')}]`);
  if (e.members) parts.push(`members +${e.members.added.length} -${e.members.removed.length}${e.members.removedAll ? ' (all removed first)' : ''}`);
  parts.push(`by ${who}`, `request ${e.requestId}`);
  return parts.join('  ');
}

// Run as a script (npm run audit), not when imported by a test.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
