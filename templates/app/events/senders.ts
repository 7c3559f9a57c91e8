// The two push transports: a Standard Webhooks POST (signed with the `standardwebhooks`
// package) and an RFC 8935 SET push. Each answers what the delivery loop should do next:
// done, try again later, or give up (the receiver refused the content for good).

import { Webhook } from 'standardwebhooks';
import type { ProvisioningEvent } from '../scim/events.js';
import { SET_MEDIA_TYPE, type SetClaims, type SetSigner } from './set-signer.js';

export type SendResult = { outcome: 'delivered' } | { outcome: 'retry' | 'dead'; error: string };

export interface Sender {
  send(event: ProvisioningEvent): Promise<SendResult>;
}

/**
 * The webhook `type`: `<resource type>.<kind>` in lower case, e.g. `user.create`,
 * `group.patch`, `user.deactivate`; tenant and credential kinds as they are (`tenant.create`).
 */
export function webhookType(event: ProvisioningEvent): string {
  return event.kind.includes('.') ? event.kind : `${event.resourceType.toLowerCase()}.${event.kind}`;
}

/** The JSON body of a webhook (the Standard Webhooks payload shape: type, timestamp, data). */
export function webhookBody(event: ProvisioningEvent): string {
  return JSON.stringify({ type: webhookType(event), timestamp: event.time, data: event });
}

export class WebhookSender implements Sender {
  private readonly signer: Webhook;

  constructor(
    private readonly url: URL,
    secret: string,
    private readonly timeoutMs: number,
  ) {
    this.signer = new Webhook(secret);
  }

  async send(event: ProvisioningEvent): Promise<SendResult> {
    const body = webhookBody(event);
    const now = new Date();
    const headers = {
      'content-type': 'application/json',
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': this.signer.sign(event.id, now, body),
    };
    return post(this.url, headers, body, this.timeoutMs, (status) => status >= 200 && status < 300);
  }
}

/** RFC 8935: the SET as the body; 202 means the receiver took it, 400 that it never will. */
export class SetPushSender implements Sender {
  constructor(
    private readonly url: URL,
    private readonly signer: SetSigner,
    private readonly claims: SetClaims,
    /** The resource's endpoint, relative to the base URL (a tenant's segment in front of it). */
    private readonly endpointOf: (event: ProvisioningEvent) => Promise<string | undefined>,
    private readonly timeoutMs: number,
    private readonly authorization?: string,
  ) {}

  async send(event: ProvisioningEvent): Promise<SendResult> {
    const endpoint = await this.endpointOf(event);
    const token = endpoint === undefined ? undefined : await this.signer.sign(event, endpoint, this.claims);
    // No SET for this kind of change (tenants, credentials): nothing to send, nothing to retry.
    if (token === undefined) return { outcome: 'delivered' };
    const headers: Record<string, string> = { 'content-type': SET_MEDIA_TYPE, accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    return post(this.url, headers, token, this.timeoutMs, (status) => status === 202 || status === 200, async (response) => {
      // §2.3: a 400 carries {"err", "description"}; the SET itself was refused, so resending is useless.
      if (response.status !== 400) return undefined;
      const detail = (await response.json().catch(() => ({}))) as { err?: unknown; description?: unknown };
      return `receiver refused the SET: ${String(detail.err ?? 'invalid_request')}${detail.description ? ` (${String(detail.description)})` : ''}`;
    });
  }
}

async function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  accepted: (status: number) => boolean,
  refused?: (response: Response) => Promise<string | undefined>,
): Promise<SendResult> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (accepted(response.status)) {
      await response.body?.cancel();
      return { outcome: 'delivered' };
    }
    const reason = await refused?.(response);
    if (reason) return { outcome: 'dead', error: reason };
    await response.body?.cancel();
    return { outcome: 'retry', error: `receiver answered ${response.status}` };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { outcome: 'retry', error: `no answer within ${timeoutMs} ms` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { outcome: 'retry', error: `cannot reach the receiver: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
