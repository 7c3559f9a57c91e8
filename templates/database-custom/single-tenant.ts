// The upgrade path for a store written before tenants, whose methods take no tenant: wrapped
// with `withTenants`, it serves the tenant contract of src/generated/scim/store.ts for tenant 1
// (a single-tenant project's only tenant) unchanged. Any other tenant's request is refused with
// 501 rather than reaching data that cannot tell tenants apart. See docs/custom-store.md,
// "A store written before tenants".
//
//   import { withTenants } from '../generated/database/single-tenant.js';
//   export async function createStore(options: StoreOptions): Promise<ResourceStore> {
//     return withTenants(await createMyStore(options));
//   }

import { ScimError } from '../scim/errors.js';
import type { KeyValueStore } from '../scim/key-value.js';
import type { ResourceTypeModel } from '../scim/registry.js';
import type { ListQuery, ListResult, ReadOptions, ResourceStore, ScimObject, StoredResource, UpdateRequest } from '../scim/store.js';
import type { EventDraft } from '../scim/events.js';
import { DEFAULT_TENANT, type TenantDirectory, type TenantKey } from '../scim/tenancy.js';
import { MemoryEventLog, memoryTenantDirectory } from './memory-store.js';

/** The store contract as it was before tenants. */
export interface SingleTenantStore {
  create(type: ResourceTypeModel, attributes: ScimObject, members: string[]): Promise<StoredResource>;
  get(type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined>;
  list(type: ResourceTypeModel, query: ListQuery): Promise<ListResult>;
  update(type: ResourceTypeModel, id: string, request: UpdateRequest): Promise<StoredResource>;
  delete(type: ResourceTypeModel, id: string, options: { ifVersion?: number }): Promise<void>;
  readonly state: KeyValueStore;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `store` as a ResourceStore serving tenant 1 only. `tenants` keeps the tenants and hashed
 * credentials: by default in this process, which is enough while the only credential is the
 * `.env` secret (imported again at every start). Credentials added with `npm run tenant` or the
 * admin API last only as long as the process unless you pass a directory that persists them.
 *
 * An old store cannot commit an event with its change, so events are recorded in this process
 * after each write succeeds: the audit log and webhooks see them, but a crash between the write
 * and the record loses one. DELETE always deletes for good (SCIM_DELETE=soft needs the tenant
 * contract). Implement the contract itself for both; see docs/custom-store.md.
 */
export function withTenants(store: SingleTenantStore, tenants: TenantDirectory = memoryTenantDirectory()): ResourceStore {
  const only = (tenant: TenantKey): void => {
    if (tenant !== DEFAULT_TENANT) {
      throw new ScimError(501, 'This server\'s store keeps one tenant\'s resources only; see docs/custom-store.md to serve more.');
    }
  };
  const events = new MemoryEventLog();
  const record = (event: EventDraft | undefined, resourceId: string, version: number | null): void => {
    if (event) events.append({ ...event, tenant: DEFAULT_TENANT, resourceId, version });
  };
  return {
    tenants,
    state: store.state,
    events,
    async create(tenant, type, attributes, members, event) {
      only(tenant);
      const created = await store.create(type, attributes, members);
      record(event, created.id, created.version);
      return created;
    },
    async get(tenant, type, id, options) {
      only(tenant);
      return store.get(type, id, options);
    },
    async list(tenant, type, query) {
      only(tenant);
      return store.list(type, query);
    },
    async update(tenant, type, id, request, event) {
      only(tenant);
      const updated = await store.update(type, id, request);
      record(event, id, updated.version);
      return updated;
    },
    async delete(tenant, type, id, options, event) {
      only(tenant);
      await store.delete(type, id, { ifVersion: options.ifVersion });
      record(event, id, null);
    },
    purgeDeleted: async () => 0,
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
