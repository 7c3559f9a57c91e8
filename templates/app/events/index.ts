// Event delivery, put together from the settings: the delivery loop for webhooks and SET push,
// the SET routes (JWKS, poll), and what ServiceProviderConfig advertises (RFC 9967 §4).
// Without a destination configured nothing runs: events stay in the database (the audit log).

import type { HttpRoute } from '../scim/auth.js';
import type { ProvisioningEvent } from '../scim/events.js';
import type { Outbox } from '../scim/outbox.js';
import type { Registry } from '../scim/registry.js';
import type { ResourceStore } from '../scim/store.js';
import type { TenantDirectory, TenantKey } from '../scim/tenancy.js';
import { setRoutes } from './routes.js';
import { SetPushSender, WebhookSender } from './senders.js';
import { destinations, hasDestinations, type EventsSettings } from './settings.js';
import { EVENT_URIS, SetSigner } from './set-signer.js';
import { DeliveryWorker, type PushDestination, type WorkerLog } from './worker.js';

export { readEventsSettings } from './settings.js';

/** RFC 9967 §4 `securityEvents`: no asynchronous requests; the event URIs this server issues. */
export interface SecurityEventsConfig {
  asyncRequest: 'none';
  eventUris: string[];
}

export interface EventDelivery {
  /** Whether anything is delivered (a destination is configured and the store has an outbox). */
  enabled: boolean;
  /** Routes to mount outside the base path (JWKS and poll), when SETs are configured. */
  routes: HttpRoute[];
  securityEvents?: SecurityEventsConfig;
  /** Starts the delivery loop (when a push destination or the poll endpoint exists). */
  start(): void;
  /** Wakes the loop after a local commit. */
  wake(): void;
  stop(): Promise<void>;
}

export interface EventDeliveryOptions {
  settings: EventsSettings;
  /** The store's outbox; a custom store without one gets no delivery (a warning says so). */
  outbox: Outbox | undefined;
  registry: Registry;
  /** The SCIM base URL: the default `iss` of SETs. */
  scimUrl: string;
  /**
   * Multi-tenant projects: the path segment of a tenant under the base URL (`/acme`), so a SET's
   * relative `sub_id.uri` names the tenant's resource and a receiver of every tenant's SETs can
   * tell them apart.
   */
  tenantSegment?: (tenant: TenantKey) => Promise<string>;
  log: WorkerLog;
}

/** `/<slug>` of a tenant, read when a SET is made (a slug may be renamed; never on a request's path). */
export function tenantSegments(tenants: TenantDirectory): (tenant: TenantKey) => Promise<string> {
  return async (key) => {
    const tenant = await tenants.getTenant(key);
    return tenant ? `/${tenant.slug}` : '';
  };
}

const IDLE: EventDelivery = { enabled: false, routes: [], start() {}, wake() {}, stop: async () => {} };

export async function eventDelivery(options: EventDeliveryOptions): Promise<EventDelivery> {
  const { settings, outbox, registry } = options;
  if (!hasDestinations(settings)) return IDLE;
  if (!outbox) {
    options.log.warn({}, 'event destinations are configured but the store keeps no outbox: nothing will be delivered');
    return IDLE;
  }
  const endpointOf = async (event: ProvisioningEvent): Promise<string | undefined> => {
    const endpoint = registry.byName(event.resourceType)?.def.endpoint;
    if (endpoint === undefined || !options.tenantSegment) return endpoint;
    return `${await options.tenantSegment(event.tenant)}${endpoint}`;
  };
  const push: PushDestination[] = settings.webhooks.map((w) => ({
    name: w.destination,
    sender: new WebhookSender(w.url, settings.webhookSecret!, settings.timeoutMs),
  }));
  let routes: HttpRoute[] = [];
  let securityEvents: SecurityEventsConfig | undefined;
  if (settings.sets) {
    const sets = settings.sets;
    const signer = await SetSigner.fromEnv(sets.signingKey);
    const claims = { iss: sets.issuer ?? options.scimUrl, ...(sets.audience ? { aud: sets.audience } : {}) };
    if (sets.push) {
      push.push({
        name: sets.push.destination,
        sender: new SetPushSender(sets.push.url, signer, claims, endpointOf, settings.timeoutMs, sets.push.authorization),
      });
    }
    routes = setRoutes({ outbox, signer, claims: () => claims, endpointOf, pollToken: sets.pollToken });
    securityEvents = { asyncRequest: 'none', eventUris: Object.values(EVENT_URIS) };
  }
  const worker = new DeliveryWorker({
    outbox,
    destinations: destinations(settings),
    push,
    maxAttempts: settings.maxAttempts,
    retryMaxMs: settings.retryMaxMs,
    // An attempt's timeout twice over: a live sender never loses a lease it is still using.
    leaseMs: settings.timeoutMs * 2 + 5000,
    log: options.log,
  });
  return {
    enabled: true,
    routes,
    ...(securityEvents ? { securityEvents } : {}),
    start: () => worker.start(),
    wake: () => worker.wake(),
    stop: () => worker.stop(),
  };
}

const WRITES = new Set<PropertyKey>(['create', 'update', 'delete']);

/**
 * The store, with `wake` called after each write it commits: the delivery loop then sends the
 * change at once instead of at its next poll. The request does not wait for it.
 */
export function wakingStore(store: ResourceStore, wake: () => void): ResourceStore {
  return new Proxy(store, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (!WRITES.has(key)) return method.bind(target);
      return async (...args: unknown[]) => {
        const result = await method.apply(target, args);
        wake();
        return result;
      };
    },
  });
}
