// The outbox on a SQL database server (../scim/events.ts): the store and the tenant directory
// write an event row with each change, inside the change's transaction; the audit log and
// retention read it here, across tenants when asked to (the tables have no row-level security).

import type { EventLog, EventQuery, ProvisioningEvent } from '../scim/events.js';
import {
  DELETED_TABLE,
  EVENT_COLUMNS,
  EVENT_DELIVERIES_TABLE,
  eventFromRow,
  EVENTS_TABLE,
  eventValues,
  TENANT_COLUMN,
  type EventRow,
} from '../scim/storage.js';
import type { SqlConnection, SqlDriver } from './driver.js';

/** Writes one event row; call it inside the transaction of the change it describes. */
export async function insertEvent(db: SqlConnection, driver: SqlDriver, event: Omit<ProvisioningEvent, 'seq'>): Promise<void> {
  const { quoteId: q, placeholder: $ } = driver.dialect;
  await db.execute(
    `INSERT INTO ${q(EVENTS_TABLE)} (${EVENT_COLUMNS.map(q).join(', ')}) VALUES (${EVENT_COLUMNS.map((_, i) => $(i + 1)).join(', ')})`,
    eventValues(event),
  );
}

export class SqlEventLog implements EventLog {
  private readonly select: string;

  constructor(private readonly driver: SqlDriver) {
    const q = driver.dialect.quoteId;
    this.select = `SELECT ${['seq', ...EVENT_COLUMNS].map(q).join(', ')} FROM ${q(EVENTS_TABLE)}`;
  }

  private async run<T>(work: (db: SqlConnection) => Promise<T>, readOnly: boolean): Promise<T> {
    try {
      return await this.driver.transaction(work, { readOnly });
    } catch (error) {
      throw this.driver.translate(error);
    }
  }

  list(query: EventQuery): Promise<ProvisioningEvent[]> {
    const { quoteId: q, placeholder: $ } = this.driver.dialect;
    const conditions: string[] = [];
    const values: unknown[] = [];
    const where = (column: string, op: string, value: unknown) => {
      values.push(value);
      conditions.push(`${q(column)} ${op} ${$(values.length)}`);
    };
    if (query.tenant !== undefined) where(TENANT_COLUMN, '=', query.tenant);
    if (query.resourceId !== undefined) where('resource_id', '=', query.resourceId);
    if (query.actor !== undefined) where('actor_credential', '=', query.actor);
    if (query.since !== undefined) where('time', '>=', query.since);
    if (query.before !== undefined) where('seq', '<', query.before);
    values.push(query.limit);
    const sql =
      `${this.select}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''} ` +
      `ORDER BY ${q('seq')} DESC LIMIT ${$(values.length)}`;
    return this.run(async (db) => (await db.query<EventRow>(sql, values)).map(eventFromRow), true);
  }

  get(id: string): Promise<ProvisioningEvent | undefined> {
    const { quoteId: q, placeholder: $ } = this.driver.dialect;
    return this.run(async (db) => {
      const [row] = await db.query<EventRow>(`${this.select} WHERE ${q('id')} = ${$(1)}`, [id]);
      return row && eventFromRow(row);
    }, true);
  }

  prune(before: string): Promise<number> {
    const { quoteId: q, placeholder: $ } = this.driver.dialect;
    const events = q(EVENTS_TABLE);
    const deliveries = q(EVENT_DELIVERIES_TABLE);
    return this.run(async (db) => {
      // Settled: no delivery of it is still pending (delivered or dead ones go with it). Read
      // first, then deleted by key: MySQL refuses a DELETE whose subquery reads its own table.
      const rows = await db.query<{ seq: number | string }>(
        `SELECT e.${q('seq')} AS seq FROM ${events} e WHERE e.${q('time')} < ${$(1)} AND NOT EXISTS ` +
          `(SELECT 1 FROM ${deliveries} d WHERE d.${q('event_seq')} = e.${q('seq')} AND d.${q('status')} = 'pending') ` +
          `ORDER BY e.${q('seq')} LIMIT 10000`,
        [before],
      );
      let pruned = 0;
      for (let start = 0; start < rows.length; start += 500) {
        const chunk = rows.slice(start, start + 500).map((r) => Number(r.seq));
        const list = chunk.map((_, i) => $(i + 1)).join(', ');
        await db.execute(`DELETE FROM ${deliveries} WHERE ${q('event_seq')} IN (${list})`, chunk);
        pruned += await db.execute(`DELETE FROM ${events} WHERE ${q('seq')} IN (${list})`, chunk);
      }
      return pruned;
    }, false);
  }
}

/** Soft-deleted resources whose retention ended go for good. */
export async function purgeDeleted(driver: SqlDriver, before: string): Promise<number> {
  const { quoteId: q, placeholder: $ } = driver.dialect;
  try {
    return await driver.transaction((db) => db.execute(`DELETE FROM ${q(DELETED_TABLE)} WHERE ${q('deleted')} < ${$(1)}`, [before]));
  } catch (error) {
    throw driver.translate(error);
  }
}
