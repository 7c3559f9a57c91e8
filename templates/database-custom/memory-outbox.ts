// The delivery state of the outbox in memory (../scim/outbox.ts), beside the in-memory store:
// the model of a store of your own. Events are appended in sequence order in one synchronous
// step each, so a cursor (the last sequence number fanned out) says which are dispatched. Gone
// after a restart, like the store's data; one process only.

import type { ProvisioningEvent } from '../scim/events.js';
import type { Delivery, DeliveryQuery, Outbox } from '../scim/outbox.js';

/** What the outbox reads of the event log: events after a sequence number, oldest first. */
export interface AppendedEvents {
  after(seq: number, limit: number): ProvisioningEvent[];
  byId(id: string): ProvisioningEvent | undefined;
}

interface Row extends Omit<Delivery, 'deliveredAt'> {
  claimedUntil: number | null;
  deliveredAt: string | null;
}

export class MemoryOutbox implements Outbox {
  private dispatchedUpTo = 0;
  /** Rows by destination, in event order. */
  private readonly rows = new Map<string, Row[]>();

  constructor(private readonly events: AppendedEvents) {}

  async fanOut(destinations: readonly string[], limit: number): Promise<number> {
    const taken = this.events.after(this.dispatchedUpTo, limit);
    const now = Date.now();
    for (const event of taken) {
      for (const destination of destinations) {
        const row: Row = { destination, event, status: 'pending', attempts: 0, nextAttempt: now, lastError: null, deliveredAt: null, claimedUntil: null };
        let list = this.rows.get(destination);
        if (!list) this.rows.set(destination, (list = []));
        list.push(row);
      }
      this.dispatchedUpTo = event.seq;
    }
    return taken.length;
  }

  async claim(destination: string, now: number, leaseMs: number, limit: number): Promise<Delivery[]> {
    const claimed: Delivery[] = [];
    const blocked = new Set<string>();
    for (const row of this.rows.get(destination) ?? []) {
      if (claimed.length >= limit) break;
      if (row.status !== 'pending') continue;
      const key = `${row.event.tenant}\u0000${row.event.resourceId}`;
      // Only the first pending row of each resource: its changes arrive in commit order.
      if (blocked.has(key)) continue;
      blocked.add(key);
      if (row.nextAttempt > now || (row.claimedUntil !== null && row.claimedUntil > now)) continue;
      row.claimedUntil = now + leaseMs;
      claimed.push(view(row));
    }
    return claimed;
  }

  async delivered(destination: string, seqs: readonly number[], now: number): Promise<void> {
    for (const seq of seqs) {
      const row = this.find(destination, seq);
      if (row) Object.assign(row, { status: 'delivered', deliveredAt: new Date(now).toISOString(), claimedUntil: null });
    }
  }

  async failed(destination: string, seq: number, error: string, nextAttempt: number | null): Promise<void> {
    const row = this.find(destination, seq);
    if (!row) return;
    row.attempts += 1;
    row.lastError = error;
    row.claimedUntil = null;
    if (nextAttempt === null) row.status = 'dead';
    else row.nextAttempt = nextAttempt;
  }

  async redeliver(eventId: string, now: number, destination?: string): Promise<number> {
    let count = 0;
    for (const [name, list] of this.rows) {
      if (destination !== undefined && name !== destination) continue;
      for (const row of list) {
        if (row.event.id !== eventId) continue;
        Object.assign(row, { status: 'pending', attempts: 0, nextAttempt: now, claimedUntil: null, deliveredAt: null });
        count++;
      }
    }
    return count;
  }

  async deliveriesOf(eventId: string): Promise<Delivery[]> {
    return [...this.rows.values()].flatMap((list) => list.filter((r) => r.event.id === eventId).map(view));
  }

  async list(query: DeliveryQuery): Promise<Delivery[]> {
    const all = [...this.rows.values()].flat().filter((r) => (!query.status || r.status === query.status) && (query.before === undefined || r.event.seq < query.before));
    all.sort((a, b) => b.event.seq - a.event.seq || a.destination.localeCompare(b.destination));
    return all.slice(0, query.limit).map(view);
  }

  async undispatched(): Promise<number> {
    return this.events.after(this.dispatchedUpTo, Number.MAX_SAFE_INTEGER).length;
  }

  private find(destination: string, seq: number): Row | undefined {
    return this.rows.get(destination)?.find((r) => r.event.seq === seq);
  }
}

function view(row: Row): Delivery {
  const { claimedUntil: _lease, ...delivery } = row;
  return { ...delivery, event: structuredClone(delivery.event) };
}
