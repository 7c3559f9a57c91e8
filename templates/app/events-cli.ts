// The events CLI: `npm run events -- <command>`, on the database the server uses (.env).
//
//   list [--status pending|delivered|dead] [--limit N] [--json]   newest first
//   show <event id> [--json]                                      the event and its deliveries
//   redeliver <event id> [--destination D]                        pending again, sent at once

import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createStore } from './database/index.js';
import { schemas, resourceTypes } from './schemas.gen.js';
import type { ProvisioningEvent } from './scim/events.js';
import type { Delivery, DeliveryStatus } from './scim/outbox.js';
import { buildRegistry } from './scim/registry.js';
import type { ResourceStore } from './scim/store.js';
import { webhookType } from './events/senders.js';
import { CONSOLE_IO, reportFailure, UsageError, type CliIo } from './cli-io.js';

const USAGE = `Usage: npm run events -- <command>

  list [--status pending|delivered|dead] [--limit 20] [--json]
  show <event-id> [--json]
  redeliver <event-id> [--destination <name>]`;

const STATUSES: readonly DeliveryStatus[] = ['pending', 'delivered', 'dead'];

/** Runs one command; resolves to the exit code. `env` defaults to the process's, with .env read. */
export async function main(argv: readonly string[], io: CliIo = CONSOLE_IO, env?: NodeJS.ProcessEnv): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        status: { type: 'string' },
        limit: { type: 'string' },
        destination: { type: 'string' },
        json: { type: 'boolean', default: false },
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
  let store: ResourceStore | undefined;
  try {
    store = await createStore({ env: env ?? process.env, registry: buildRegistry(resourceTypes, schemas) });
    return await run(store, positionals, values, io);
  } catch (error) {
    return reportFailure(error, USAGE, io);
  } finally {
    await store?.close();
  }
}

type Values = { status?: string; limit?: string; destination?: string; json?: boolean };

async function run(store: ResourceStore, args: string[], values: Values, io: CliIo): Promise<number> {
  const [command, id, ...extra] = args;
  if (extra.length > 0) throw new UsageError(`${command}: unexpected ${extra.join(' ')}`);
  const outbox = store.outbox;
  if (!outbox) throw new Error('This store keeps no delivery state (its outbox): there is nothing to list or redeliver.');
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));

  switch (command) {
    case 'list': {
      if (id !== undefined) throw new UsageError(`list: unexpected ${id}`);
      const limit = Number(values.limit ?? 20);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError('--limit must be a whole number from 1 to 1000');
      if (values.status !== undefined) {
        const status = values.status as DeliveryStatus;
        if (!STATUSES.includes(status)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
        const deliveries = await outbox.list({ status, limit });
        if (values.json) return (json(deliveries), 0);
        if (deliveries.length === 0) io.out(`No ${status} deliveries.`);
        for (const d of deliveries) io.out(`${eventLine(d.event)}  ${deliveryLine(d)}`);
        return 0;
      }
      const events = await store.events.list({ limit });
      const rows = await Promise.all(events.map(async (event) => ({ event, deliveries: await outbox.deliveriesOf(event.id) })));
      if (values.json) return (json(rows), 0);
      if (rows.length === 0) io.out('No events.');
      for (const { event, deliveries } of rows) {
        const states = deliveries.length === 0 ? 'no deliveries' : deliveries.map((d) => `${d.destination} ${d.status}`).join(', ');
        io.out(`${eventLine(event)}  ${states}`);
      }
      return 0;
    }
    case 'show': {
      if (!id) throw new UsageError('show: missing the event id (see list)');
      const event = await known(store, id);
      const deliveries = await outbox.deliveriesOf(id);
      if (values.json) return (json({ event, deliveries }), 0);
      io.out(JSON.stringify(event, null, 2));
      if (deliveries.length === 0) io.out('No deliveries: no destination was configured when it was dispatched, or it is not yet.');
      for (const d of deliveries) io.out(deliveryLine(d));
      return 0;
    }
    case 'redeliver': {
      if (!id) throw new UsageError('redeliver: missing the event id (see list)');
      await known(store, id);
      const count = await outbox.redeliver(id, Date.now(), values.destination);
      if (count === 0) {
        io.err(`Event ${id} has no deliveries${values.destination ? ` to ${values.destination}` : ''}: nothing to send again.`);
        return 1;
      }
      io.out(`Event ${id}: ${count} ${count === 1 ? 'delivery' : 'deliveries'} pending again; the running server sends ${count === 1 ? 'it' : 'them'} shortly.`);
      return 0;
    }
    default:
      throw new UsageError(`Unknown command ${JSON.stringify(command)}`);
  }
}

async function known(store: ResourceStore, id: string): Promise<ProvisioningEvent> {
  const event = await store.events.get(id);
  if (!event) throw new Error(`No event ${JSON.stringify(id)}: see \`npm run events -- list\` for the ids.`);
  return event;
}

function eventLine(e: ProvisioningEvent): string {
  return `${e.id}  ${e.time}  ${webhookType(e).padEnd(18)} ${e.resourceType}/${e.resourceId}`;
}

function deliveryLine(d: Delivery): string {
  const parts = [d.destination, d.status, `${d.attempts} failed attempts`];
  if (d.deliveredAt) parts.push(`delivered ${d.deliveredAt}`);
  else if (d.status === 'pending') parts.push(`next ${new Date(d.nextAttempt).toISOString()}`);
  if (d.lastError) parts.push(`last error: ${d.lastError}`);
  return parts.join('  ');
}

// Run as a script (npm run events), not when imported by a test.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}

