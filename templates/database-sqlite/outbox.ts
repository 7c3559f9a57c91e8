// The delivery state of the outbox on SQLite (../scim/outbox.ts). SQLite has one writer at a time
// and the server is its only process, so an IMMEDIATE transaction is all the claiming needs.

import type Database from 'better-sqlite3';
import type { Delivery, DeliveryQuery, DeliveryStatus, Outbox } from '../scim/outbox.js';
import { EVENT_COLUMNS, EVENT_DELIVERIES_TABLE, eventFromRow, EVENTS_TABLE, TENANT_COLUMN, type EventRow } from '../scim/storage.js';
import { sqliteDialect } from './dialect.js';
import type { StatementCache } from './statements.js';

const q = sqliteDialect.quoteId;
const EVENTS = q(EVENTS_TABLE);
const DELIVERIES = q(EVENT_DELIVERIES_TABLE);
const T = q(TENANT_COLUMN);
/** A delivery row with its event's columns (`e.*` as EVENT_COLUMNS) beside it. */
const SELECT =
  `SELECT d.destination, d.status, d.attempts, d.next_attempt, d.last_error, d.delivered_at, e.seq, ` +
  `${EVENT_COLUMNS.map((c) => `e.${q(c)}`).join(', ')} FROM ${DELIVERIES} d JOIN ${EVENTS} e ON e.seq = d.event_seq`;

export interface DeliveryRow extends EventRow {
  destination: string;
  status: string;
  attempts: number | string;
  next_attempt: number | string;
  last_error: string | null;
  delivered_at: number | string | null;
}

export function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    destination: row.destination,
    event: eventFromRow(row),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttempt: Number(row.next_attempt),
    lastError: row.last_error,
    deliveredAt: row.delivered_at === null ? null : new Date(Number(row.delivered_at)).toISOString(),
  };
}

export class SqliteOutbox implements Outbox {
  private readonly immediate: <T>(work: () => T) => T;

  constructor(
    db: Database.Database,
    private readonly statements: StatementCache,
  ) {
    const transaction = db.transaction((work: () => unknown) => work());
    this.immediate = <T>(work: () => T) => transaction.immediate(work) as T;
  }

  fanOut(destinations: readonly string[], limit: number): Promise<number> {
    return run(() =>
      this.immediate(() => {
        const events = this.statements
          .get(`SELECT seq, ${T} AS tenant, resource_id FROM ${EVENTS} WHERE dispatched = 0 ORDER BY seq LIMIT ?`)
          .all(limit) as Array<{ seq: number; tenant: number; resource_id: string }>;
        const insert = this.statements.get(
          `INSERT OR IGNORE INTO ${DELIVERIES} (destination, event_seq, ${T}, resource_id, status, attempts, next_attempt) VALUES (?, ?, ?, ?, 'pending', 0, ?)`,
        );
        const mark = this.statements.get(`UPDATE ${EVENTS} SET dispatched = 1 WHERE seq = ?`);
        const now = Date.now();
        for (const event of events) {
          for (const destination of destinations) insert.run(destination, event.seq, event.tenant, event.resource_id, now);
          mark.run(event.seq);
        }
        return events.length;
      }),
    );
  }

  claim(destination: string, now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
    return run(() =>
      this.immediate(() => {
        const rows = this.statements
          .get(
            `${SELECT} WHERE d.destination = ? AND d.status = 'pending' AND d.next_attempt <= ? ` +
              `AND (d.claimed_until IS NULL OR d.claimed_until <= ?) ` +
              // First in line for its resource: nothing earlier still pending, nor still to fan out.
              `AND d.event_seq = (SELECT MIN(p.event_seq) FROM ${DELIVERIES} p WHERE p.destination = d.destination ` +
              `AND p.${T} = d.${T} AND p.resource_id = d.resource_id AND p.status = 'pending') ` +
              `AND NOT EXISTS (SELECT 1 FROM ${EVENTS} u WHERE u.dispatched = 0 AND u.${T} = d.${T} ` +
              `AND u.resource_id = d.resource_id AND u.seq < d.event_seq) ` +
              `ORDER BY d.event_seq LIMIT ?`,
          )
          .all(destination, now, now, limit) as DeliveryRow[];
        const lease = this.statements.get(`UPDATE ${DELIVERIES} SET claimed_until = ? WHERE destination = ? AND event_seq = ?`);
        for (const row of rows) lease.run(now + leaseMs, destination, row.seq);
        return rows.map(deliveryFromRow);
      }),
    );
  }

  delivered(destination: string, seqs: readonly number[], now: number): Promise<void> {
    return run(() =>
      this.immediate(() => {
        const mark = this.statements.get(
          `UPDATE ${DELIVERIES} SET status = 'delivered', delivered_at = ?, claimed_until = NULL WHERE destination = ? AND event_seq = ?`,
        );
        for (const seq of seqs) mark.run(now, destination, seq);
      }),
    );
  }

  failed(destination: string, seq: number, error: string, nextAttempt: number | null): Promise<void> {
    return run(() => {
      this.statements
        .get(
          `UPDATE ${DELIVERIES} SET attempts = attempts + 1, last_error = ?, claimed_until = NULL, ` +
            `status = CASE WHEN ? IS NULL THEN 'dead' ELSE 'pending' END, next_attempt = COALESCE(?, next_attempt) ` +
            `WHERE destination = ? AND event_seq = ?`,
        )
        .run(error, nextAttempt, nextAttempt, destination, seq);
    });
  }

  redeliver(eventId: string, now: number, destination?: string): Promise<number> {
    return run(() => {
      const sql =
        `UPDATE ${DELIVERIES} SET status = 'pending', attempts = 0, next_attempt = ?, claimed_until = NULL, delivered_at = NULL ` +
        `WHERE event_seq = (SELECT seq FROM ${EVENTS} WHERE id = ?)${destination === undefined ? '' : ' AND destination = ?'}`;
      const params: unknown[] = [now, eventId, ...(destination === undefined ? [] : [destination])];
      return this.statements.get(sql).run(...params).changes;
    });
  }

  deliveriesOf(eventId: string): Promise<Delivery[]> {
    return run(() =>
      (this.statements.get(`${SELECT} WHERE e.id = ? ORDER BY d.destination`).all(eventId) as DeliveryRow[]).map(deliveryFromRow),
    );
  }

  list(query: DeliveryQuery): Promise<Delivery[]> {
    return run(() => {
      const conditions: string[] = [];
      const params: unknown[] = [];
      if (query.status) conditions.push('d.status = ?'), params.push(query.status);
      if (query.before !== undefined) conditions.push('d.event_seq < ?'), params.push(query.before);
      const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
      const rows = this.statements.get(`${SELECT}${where} ORDER BY d.event_seq DESC, d.destination LIMIT ?`).all(...params, query.limit);
      return (rows as DeliveryRow[]).map(deliveryFromRow);
    });
  }

  undispatched(): Promise<number> {
    return run(() => Number(this.statements.get(`SELECT COUNT(*) FROM ${EVENTS} WHERE dispatched = 0`, 'pluck').get()));
  }
}

function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error);
  }
}
