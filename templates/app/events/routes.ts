// The HTTP side of security event tokens, outside the SCIM base path:
//   GET  /events/jwks.json  the public key that signs SETs (no credentials: it is public)
//   POST /events/poll       RFC 8936 poll-based delivery, behind SCIM_SET_POLL_TOKEN
// A poll acknowledges (`ack`) or rejects (`setErrs`) the SETs it was given before, then gets up
// to `maxEvents` new ones; unacknowledged ones come again once their lease runs out.

import type { HttpRoute, PlainRequest, PlainResponse } from '../scim/auth.js';
import type { ProvisioningEvent } from '../scim/events.js';
import type { Outbox } from '../scim/outbox.js';
import { secretMatcher } from '../scim/secret.js';
import { SET_POLL_DESTINATION } from './settings.js';
import type { SetClaims, SetSigner } from './set-signer.js';

export const EVENTS_PATH = '/events';

export interface SetRoutesOptions {
  outbox: Outbox;
  signer: SetSigner;
  claims: (request: PlainRequest) => SetClaims;
  endpointOf: (event: ProvisioningEvent) => Promise<string | undefined>;
  /** Bearer token of the poll endpoint; without it, no poll endpoint. */
  pollToken?: string;
  /** How long a SET handed out waits for its ack before it is handed out again. */
  leaseMs?: number;
  /** How long a poll without `returnImmediately: true` waits for a first SET. */
  waitMs?: number;
}

const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };
const DEFAULT_MAX_EVENTS = 100;
const MAX_EVENTS = 1000;

const answer = (status: number, body: unknown, headers: Record<string, string> = {}): PlainResponse => ({
  status,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});
/** RFC 8936 §2.4.4 error shape. */
const refuse = (description: string) => answer(400, { err: 'invalid_request', description });

interface PollBody {
  ack?: unknown;
  setErrs?: unknown;
  maxEvents?: unknown;
  returnImmediately?: unknown;
}

export function setRoutes(options: SetRoutesOptions): HttpRoute[] {
  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: `${EVENTS_PATH}/jwks.json`,
      handle: async () => answer(200, options.signer.jwks(), { 'cache-control': 'public, max-age=300' }),
    },
  ];
  if (options.pollToken) {
    const matches = secretMatcher(options.pollToken);
    routes.push({ method: 'POST', path: `${EVENTS_PATH}/poll`, handle: (request) => poll(options, matches, request) });
  }
  return routes;
}

async function poll(options: SetRoutesOptions, matches: (token: string) => boolean, request: PlainRequest): Promise<PlainResponse> {
  const header = request.headers.authorization;
  const token = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : '';
  if (!matches(token)) return answer(401, { err: 'authentication_failed', description: 'Bearer SCIM_SET_POLL_TOKEN required' }, { 'www-authenticate': 'Bearer' });

  let body: PollBody;
  try {
    body = (request.body.trim() === '' ? {} : JSON.parse(request.body)) as PollBody;
  } catch {
    return refuse('The body is not JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return refuse('The body must be a JSON object');
  const ack = body.ack ?? [];
  if (!Array.isArray(ack) || !ack.every((j) => typeof j === 'string')) return refuse('"ack" must be an array of jti strings');
  const errs = body.setErrs ?? {};
  if (errs === null || typeof errs !== 'object' || Array.isArray(errs)) return refuse('"setErrs" must be an object keyed by jti');
  const maxEvents = body.maxEvents ?? DEFAULT_MAX_EVENTS;
  if (typeof maxEvents !== 'number' || !Number.isInteger(maxEvents) || maxEvents < 0) return refuse('"maxEvents" must be a whole number, 0 or more');
  const immediately = body.returnImmediately ?? false;
  if (typeof immediately !== 'boolean') return refuse('"returnImmediately" must be true or false');

  const { outbox } = options;
  const settle = async (jti: string, error?: string) => {
    const delivery = (await outbox.deliveriesOf(jti)).find((d) => d.destination === SET_POLL_DESTINATION);
    if (!delivery || delivery.status !== 'pending') return;
    if (error === undefined) await outbox.delivered(SET_POLL_DESTINATION, [delivery.event.seq], Date.now());
    else await outbox.failed(SET_POLL_DESTINATION, delivery.event.seq, error, null);
  };
  for (const jti of ack as string[]) await settle(jti);
  for (const [jti, detail] of Object.entries(errs as Record<string, { err?: unknown; description?: unknown }>)) {
    await settle(jti, `receiver refused the SET: ${String(detail?.err ?? 'invalid_request')}${detail?.description ? ` (${String(detail.description)})` : ''}`);
  }

  const wanted = Math.min(maxEvents, MAX_EVENTS);
  const sets: Record<string, string> = {};
  const deadline = Date.now() + (immediately ? 0 : (options.waitMs ?? 10_000));
  const claims = options.claims(request);
  while (wanted > 0) {
    const due = await outbox.claim(SET_POLL_DESTINATION, Date.now(), options.leaseMs ?? 60_000, wanted);
    for (const delivery of due) {
      const endpoint = await options.endpointOf(delivery.event);
      const jwt = endpoint === undefined ? undefined : await options.signer.sign(delivery.event, endpoint, claims);
      // No SET for tenant and credential changes: settled without being handed out.
      if (jwt === undefined) await outbox.delivered(SET_POLL_DESTINATION, [delivery.event.seq], Date.now());
      else sets[delivery.event.id] = jwt;
    }
    if (Object.keys(sets).length > 0 || Date.now() >= deadline) break;
    if (due.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const count = Object.keys(sets).length;
  return answer(200, { sets, ...(count > 0 && count >= wanted ? { moreAvailable: true } : {}) });
}
