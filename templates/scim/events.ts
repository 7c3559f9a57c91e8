// Provisioning events: the outbox contract between the engine, the stores and the delivery loop.
// A store writes an event row in the same transaction as the change it describes, so an event
// exists exactly when its change committed. Delivery (webhooks, RFC 9967 SETs) and the audit log
// read those rows later; nothing on the request path waits for a receiver.

import { randomUUID } from 'node:crypto';
import type { TenantKey } from './tenancy.js';

/**
 * What happened to the resource. `activate`/`deactivate` are a replace or patch that moved
 * `active` (RFC 9967 has event types of their own for them); every other change of attributes or
 * members is `replace` (PUT) or `patch` (PATCH). Tenant and credential changes of the admin
 * surface use the `tenant.*` and `credential.*` kinds, with `resourceType` "Tenant"/"Credential".
 */
export type EventKind =
  | 'create'
  | 'replace'
  | 'patch'
  | 'activate'
  | 'deactivate'
  | 'delete'
  | 'tenant.create'
  | 'tenant.update'
  | 'tenant.remove'
  | 'credential.create'
  | 'credential.revoke';

/** Who made the change: the credential that authenticated the request (null for the CLI). */
export interface EventActor {
  credentialId: string | null;
  /** `cli` for the tenant and events CLIs, `scim` for SCIM requests, `admin` for the admin API. */
  via: 'scim' | 'admin' | 'cli';
}

/**
 * Where a change came from, for the changes that are not SCIM requests (tenant and credential
 * changes of the admin API and CLI): who, and the request (or CLI run) id.
 */
export interface EventOrigin {
  actor: EventActor;
  requestId: string;
}

/** Membership deltas of one write, for resource types with a membership table. */
export interface EventMembers {
  added: string[];
  removed: string[];
  /** Every member was removed first (PUT or `replace members`). */
  removedAll: boolean;
}

/**
 * One committed change. Carries names, never values: `attributes` lists the attribute names the
 * change touched (canonical, extension attributes as `urn:...:name`), and never a writeOnly one
 * such as `password` (see redactedAttributeNames).
 */
export interface ProvisioningEvent {
  /** UUID; the webhook-id and the SET's `jti`. */
  id: string;
  /** Commit-order position assigned by the store (an auto-increment); orders the audit log. */
  seq: number;
  tenant: TenantKey;
  /** ISO 8601, when the change was made. */
  time: string;
  resourceType: string;
  resourceId: string;
  kind: EventKind;
  attributes: string[];
  /** The resource's version after the change (its ETag's number); null after a delete. */
  version: number | null;
  members?: EventMembers;
  requestId: string;
  actor: EventActor;
}

/**
 * What the engine hands a store with a write: everything but what only the store knows at commit
 * (the sequence number, the new version, and for a create the new id).
 */
export type EventDraft = Omit<ProvisioningEvent, 'seq' | 'version' | 'resourceId' | 'tenant'> & {
  /** Absent for a create: the store assigns the id and fills it in. */
  resourceId?: string;
};

/** An audit query: newest first, `before` pages backwards by `seq`. */
export interface EventQuery {
  tenant?: TenantKey;
  resourceId?: string;
  actor?: string;
  /** ISO 8601: only events at or after it. */
  since?: string;
  /** Only events with a smaller seq (the previous page's last). */
  before?: number;
  limit: number;
}

/** The events side of a store: the audit log reads it, retention prunes it. */
export interface EventLog {
  list(query: EventQuery): Promise<ProvisioningEvent[]>;
  get(id: string): Promise<ProvisioningEvent | undefined>;
  /** Deletes events older than `before` (ISO 8601) whose deliveries are settled; returns how many. */
  prune(before: string): Promise<number>;
}

/** Attribute names that never enter an event, whatever the schema says (writeOnly ones too). */
export const REDACTED_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['password']);

/** Where a change came from when nobody said: a CLI run (its own request id). */
export const cliOrigin = (): EventOrigin => ({ actor: { credentialId: null, via: 'cli' }, requestId: randomUUID() });

/**
 * The event of a tenant or credential change (the tenant directory writes it with the change):
 * `attributes` names the fields that changed, never a secret (a credential's secret is only
 * ever hashed, and its hash is not named either).
 */
export function directoryEvent(
  kind: Extract<EventKind, `tenant.${string}` | `credential.${string}`>,
  tenant: TenantKey,
  resourceId: string,
  attributes: string[],
  origin: EventOrigin = cliOrigin(),
): Omit<ProvisioningEvent, 'seq'> {
  return {
    id: randomUUID(),
    tenant,
    time: new Date().toISOString(),
    resourceType: kind.startsWith('tenant.') ? 'Tenant' : 'Credential',
    resourceId,
    kind,
    attributes,
    version: null,
    requestId: origin.requestId,
    actor: origin.actor,
  };
}

/** A draft completed with what the store knows at commit (the sequence number is the database's). */
export const completeEvent = (
  draft: EventDraft,
  tenant: TenantKey,
  resourceId: string,
  version: number | null,
): Omit<ProvisioningEvent, 'seq'> => ({ ...draft, tenant, resourceId, version });
