// The outbox on SQLite (../scim/events.ts): the store and the tenant directory write an event row
// with each change, inside the change's transaction; the audit log and retention read it here.
// One writer at a time (IMMEDIATE transactions), so `seq` is exactly the commit order.

import Database from 'better-sqlite3';
import { serviceUnavailable } from '../scim/errors.js';
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
import { sqliteDialect } from './dialect.js';
import type { StatementCache } from './statements.js';

const q = sqliteDialect.quoteId;
const EVENTS = q(EVENTS_TABLE);
const SELECT = `SELECT seq, ${EVENT_COLUMNS.map(q).join(', ')} FROM ${EVENTS}`;

/** Writes one event row; call it inside the transaction of the change it describes. */
export function insertEvent(statements: StatementCache, event: Omit<ProvisioningEvent, 'seq'>): void {
  statements
    .get(`INSERT INTO ${EVENTS} (${EVENT_COLUMNS.map(q).join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`)
    .run(...eventValues(event));
}

export class SqliteEventLog implements EventLog {
  constructor(private readonly statements: StatementCache) {}

  list(query: EventQuery): Promise<ProvisioningEvent[]> {
    return attempt(() => {
      const conditions: string[] = [];
      const values: unknown[] = [];
      const where = (condition: string, value: unknown) => {
        conditions.push(condition);
        values.push(value);
      };
      if (query.tenant !== undefined) where(`${q(TENANT_COLUMN)} = ?`, query.tenant);
      if (query.resourceId !== undefined) where('resource_id = ?', query.resourceId);
      if (query.actor !== undefined) where('actor_credential = ?', query.actor);
      if (query.since !== undefined) where('time >= ?', query.since);
      if (query.before !== undefined) where('seq < ?', query.before);
      const sql = `${SELECT}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT CAST(? AS INTEGER)`;
      return (this.statements.get(sql).all(...values, query.limit) as EventRow[]).map(eventFromRow);
    });
  }

  get(id: string): Promise<ProvisioningEvent | undefined> {
    return attempt(() => {
      const row = this.statements.get(`${SELECT} WHERE id = ?`).get(id) as EventRow | undefined;
      return row && eventFromRow(row);
    });
  }

  prune(before: string): Promise<number> {
    return attempt(() => {
      // Settled: no delivery of it is still pending (delivered or dead ones go with it).
      const deliveries = q(EVENT_DELIVERIES_TABLE);
      const old = `SELECT seq FROM ${EVENTS} e WHERE time < ? AND NOT EXISTS ` +
        `(SELECT 1 FROM ${deliveries} d WHERE d.event_seq = e.seq AND d.status = 'pending')`;
      this.statements.get(`DELETE FROM ${deliveries} WHERE event_seq IN (${old})`).run(before);
      return this.statements.get(`DELETE FROM ${EVENTS} WHERE seq IN (${old})`).run(before).changes;
    });
  }
}

/** Soft-deleted resources whose retention ended go for good. */
export function purgeDeleted(statements: StatementCache, before: string): Promise<number> {
  return attempt(() => statements.get(`DELETE FROM ${q(DELETED_TABLE)} WHERE deleted < ?`).run(before).changes);
}

function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Database.SqliteError ? serviceUnavailable(`The database is unavailable (${error.code})`) : error);
  }
}
