// The delivery side of the outbox: which event goes to which destination, and how far each
// delivery got. The stores write events (events.ts); the delivery loop fans each one out to the
// configured destinations (one row per destination), then claims, sends and settles the rows.
// At least once: a row stays pending until a receiver accepted it, and a claim is a lease that
// runs out when its process dies, so another process (or the next start) sends it again.

import type { ProvisioningEvent } from './events.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  /** The destination's name (see the delivery loop: `webhook:<hash>`, `set-push:<hash>`, `set-poll`). */
  destination: string;
  event: ProvisioningEvent;
  status: DeliveryStatus;
  /** Failed attempts so far. */
  attempts: number;
  /** Epoch ms: not sent again before. */
  nextAttempt: number;
  lastError: string | null;
  /** ISO 8601, once delivered. */
  deliveredAt: string | null;
}

/** How a listing of deliveries is narrowed (the events CLI). */
export interface DeliveryQuery {
  status?: DeliveryStatus;
  /** Only rows of a smaller event seq (the previous page's last). */
  before?: number;
  limit: number;
}

export interface Outbox {
  /**
   * Takes up to `limit` events not yet fanned out, oldest first, adds one pending delivery per
   * destination for each and marks them dispatched, in one transaction. Several processes may
   * run it at once: each event is taken by one. Resolves to how many events it took.
   */
  fanOut(destinations: readonly string[], limit: number): Promise<number>;
  /**
   * Leases up to `limit` due deliveries of `destination` until `now + leaseMs`: pending, due,
   * unleased (or the lease ran out), and first in line for their resource (no earlier pending
   * delivery of the same resource to that destination, nor an earlier event not yet fanned
   * out), so each resource's changes arrive in commit order. Oldest first.
   */
  claim(destination: string, now: number, leaseMs: number, limit: number): Promise<Delivery[]>;
  /** The receiver accepted them (a batch's worth, settled in one transaction). */
  delivered(destination: string, seqs: readonly number[], now: number): Promise<void>;
  /**
   * An attempt failed: counts it and records the reason; pending again from `nextAttempt`, or
   * `dead` (no more attempts) when `nextAttempt` is null.
   */
  failed(destination: string, seq: number, error: string, nextAttempt: number | null): Promise<void>;
  /** Makes the event's deliveries (every destination's, or one's) pending and due now; how many. */
  redeliver(eventId: string, now: number, destination?: string): Promise<number>;
  /** The deliveries of one event, by destination. */
  deliveriesOf(eventId: string): Promise<Delivery[]>;
  /** Deliveries newest first, for the CLI. */
  list(query: DeliveryQuery): Promise<Delivery[]>;
  /** Events written but not yet fanned out (a backlog gauge). */
  undispatched(): Promise<number>;
}

/** Longest error text kept with a delivery: enough to diagnose, never a whole response body. */
export const MAX_ERROR_LENGTH = 500;

/**
 * When to try again after `attempts` failed attempts: exponential backoff with full jitter
 * (a random pause up to base * 2^(attempts-1), capped), so receivers coming back are not hit
 * by every sender at once.
 */
export function nextAttemptAt(attempts: number, now: number, random: () => number = Math.random, baseMs = 1000, capMs = 3_600_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return now + Math.round(random() * ceiling);
}

/** An error text cut to MAX_ERROR_LENGTH. */
export function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
