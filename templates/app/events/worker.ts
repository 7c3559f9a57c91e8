// The delivery loop: runs in the server process beside the HTTP server, never on a request's
// path. Each round fans new events out to the destinations, then leases each push
// destination's due deliveries and sends them, one per resource at a time (the outbox hands out
// only the first in line of each resource, so each resource's changes arrive in commit order).
// A receiver that is down, slow or failing only delays its own deliveries: each attempt has a
// timeout, and failures are retried with exponential backoff and jitter until they are dead.

import { errorText, nextAttemptAt, type Delivery, type Outbox } from '../scim/outbox.js';
import type { Sender } from './senders.js';

/** How long a wake waits for more writes to join its round. */
const WAKE_MS = 20;

export interface WorkerLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PushDestination {
  name: string;
  sender: Sender;
}

export interface WorkerOptions {
  outbox: Outbox;
  /** Every destination events are fanned out to (push ones and the poll endpoint's). */
  destinations: readonly string[];
  push: readonly PushDestination[];
  maxAttempts: number;
  /** The backoff's cap: the longest pause between two attempts. */
  retryMaxMs: number;
  /** How long a lease lasts: longer than an attempt's timeout, so a live sender keeps its rows. */
  leaseMs: number;
  log: WorkerLog;
  /** Pause between rounds that found nothing to do. */
  idleMs?: number;
  /** Rows taken per fan-out and per claim. */
  batch?: number;
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  /** Each push destination's sends in flight, by name. */
  private readonly sending = new Map<string, Promise<void>>();
  private stopped = true;
  /** A round is scheduled within WAKE_MS. */
  private soon = false;
  private wakeUp = false;
  private readonly idleMs: number;
  private readonly batch: number;

  constructor(private readonly options: WorkerOptions) {
    this.idleMs = options.idleMs ?? 200;
    this.batch = options.batch ?? 50;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Runs a round soon (after a local commit, or a send that may have unblocked more). Wakes
   * within WAKE_MS make one round, so a burst of writes costs a few rounds, not one each.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.round) this.wakeUp = true;
    else if (!this.soon) {
      this.soon = true;
      this.schedule(WAKE_MS);
    }
  }

  /** Stops taking rows and waits for the sends in flight; unsent leases run out and are retaken. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    await Promise.all(this.sending.values());
  }

  private schedule(ms: number): void {
    if (ms > WAKE_MS) this.soon = false;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    // The loop never keeps the process alive by itself.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    this.soon = false;
    if (this.stopped || this.round) return;
    let busy = false;
    this.round = this.runRound()
      .then((worked) => {
        busy = worked;
      })
      .catch((error: unknown) => {
        this.options.log.warn({ err: errorText(error) }, 'event delivery round failed; retrying');
      });
    await this.round;
    this.round = undefined;
    if (this.stopped) return;
    const again = busy || this.wakeUp;
    this.wakeUp = false;
    this.schedule(again ? WAKE_MS : this.idleMs);
  }

  /**
   * One round; true when it found work (so the next round starts at once). Each destination's
   * sends run on their own: a destination whose receiver hangs until the timeout holds up only
   * its own queue, never the fan-out or the other destinations.
   */
  async runRound(): Promise<boolean> {
    const { outbox } = this.options;
    let worked = false;
    for (;;) {
      const taken = await outbox.fanOut(this.options.destinations, this.batch);
      if (taken > 0) worked = true;
      if (taken < this.batch || this.stopped) break;
    }
    for (const destination of this.options.push) {
      if (this.sending.has(destination.name) || this.stopped) continue;
      const sending = this.deliver(destination)
        .then((sent) => {
          // More may be due at once (the next change of each resource just sent).
          if (sent > 0) this.wake();
        })
        .catch((error: unknown) => {
          this.options.log.warn({ destination: destination.name, err: errorText(error) }, 'event delivery failed; retrying');
        })
        .finally(() => this.sending.delete(destination.name));
      this.sending.set(destination.name, sending);
    }
    return worked;
  }

  private async deliver(destination: PushDestination): Promise<number> {
    const { outbox } = this.options;
    const due = await outbox.claim(destination.name, Date.now(), this.options.leaseMs, this.batch);
    const accepted = await Promise.all(due.map((delivery) => this.attempt(destination, delivery)));
    // The batch's successes in one transaction: one commit, not one per event.
    await outbox.delivered(destination.name, due.filter((_, i) => accepted[i]).map((d) => d.event.seq), Date.now());
    return due.length;
  }

  /** Sends one delivery; true when the receiver accepted it (settled by the caller). */
  private async attempt(destination: PushDestination, delivery: Delivery): Promise<boolean> {
    const { outbox, log, maxAttempts } = this.options;
    const { event } = delivery;
    const result = await destination.sender.send(event);
    if (result.outcome === 'delivered') return true;
    const attempts = delivery.attempts + 1;
    const dead = result.outcome === 'dead' || attempts >= maxAttempts;
    await outbox.failed(destination.name, event.seq, result.error, dead ? null : nextAttemptAt(attempts, Date.now(), Math.random, 1000, this.options.retryMaxMs));
    const facts = { destination: destination.name, event: event.id, attempts, error: result.error };
    if (dead) log.warn(facts, 'event delivery is dead: `npm run events -- redeliver <id>` sends it again');
    else log.info(facts, 'event delivery failed; will retry');
    return false;
  }
}
