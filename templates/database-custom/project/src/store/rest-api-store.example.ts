// An example of a custom store: a SCIM facade over an existing REST API that already owns your
// users. It is complete and type-checked, and test/rest-api-store.test.ts runs the real server
// on it against a fake of the API below; copy it, then change the API calls and the field
// mapping to match your service. docs/custom-store.md explains the contract method by method.
//
// The API it assumes (a typical in-house user service), authenticated with
// `Authorization: Bearer ${API_TOKEN}`, errors as `{ "error": { "code", "message" } }`:
//
//   GET    /users?login=&email=&externalId=&limit=&offset=  200 { users: AppUser[], total }
//   GET    /users/{id}                                       200 AppUser, 404
//   POST   /users         AppUserFields                      201 AppUser, 409 login taken
//   PATCH  /users/{id}    AppUserFields, If-Match: "<rev>"   200 AppUser, 404, 409, 412
//   DELETE /users/{id}    If-Match: "<rev>"                  204, 404, 412
//
// What it maps: Users only. The service has no groups, so /Groups lists nothing and refuses to
// create one (501): turn off group push in the identity provider, or map your teams the same
// way (see docs/custom-store.md). Filters the API cannot answer are a 400 that says which ones it
// can; SCIM attributes with no field in the API are not kept.
//
// Tenants: the API has one set of users, so this store serves the default tenant (1) and
// answers any other with 501. Its tenant directory lives in this process (the default tenant
// and what the admin CLI or API adds until a restart): keep tenants and credentials in your
// own database, or map each tenant to its own API, for a multi-tenant server.
//
// Events (the outbox, docs/custom-store.md): a store must commit a change and its event together
// or neither. A facade cannot: the change commits in the service, the event here. So this one
// records the event in this process once the service confirmed the change: kept until a restart,
// and lost if the process dies between the two. For the durable promise, have the service write
// the event with the change (its own outbox), or keep the events in a database that takes part
// in the change's transaction.

import {
  ScimError,
  badRequest,
  conflict,
  notFound,
  preconditionFailed,
  serviceUnavailable,
} from '../generated/scim/errors.js';
import type { Filter } from '../generated/scim/filter/ast.js';
import { matchesFilter } from '../generated/scim/filter/evaluate.js';
import type { ResourceTypeModel } from '../generated/scim/registry.js';
import type { EventDraft } from '../generated/scim/events.js';
import type {
  DeleteOptions,
  ListQuery,
  ListResult,
  ReadOptions,
  ResourceStore,
  ScimObject,
  StoreOptions,
  StoredResource,
  UpdateRequest,
} from '../generated/scim/store.js';
import { MemoryEventLog, memoryKeyValue, memoryTenantDirectory } from '../generated/database/memory-store.js';
import { DEFAULT_TENANT, type TenantKey } from '../generated/scim/tenancy.js';
import type { ScimUser } from '../generated/types.gen.js';

/** A user as the API returns it: the service's own field names. */
export interface AppUser {
  id: string;
  /** Unique, compared case-insensitively by the service (as SCIM compares userName). */
  login: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  enabled: boolean;
  /** The identity provider's id for the user, kept so it can find the user by it. */
  externalId: string | null;
  /** Incremented by the service on every change: the SCIM version, so the ETag. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** What the API accepts on POST and PATCH. */
export type AppUserFields = Omit<AppUser, 'id' | 'revision' | 'createdAt' | 'updatedAt'>;

/** SCIM filter attributes the API can search by (`attr eq "value"`), and its query parameter for each. */
const SEARCHABLE: Record<string, string> = {
  username: 'login',
  externalid: 'externalId',
  'emails.value': 'email',
};

export interface RestApiStoreSettings {
  /** The API's base URL, e.g. https://users.internal.example.com/v1 (API_BASE_URL). */
  baseUrl: URL;
  /** Bearer token the API accepts (API_TOKEN). */
  token: string;
  /** How long one API call may take before the SCIM request fails with 503 (API_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Reads API_BASE_URL, API_TOKEN and API_TIMEOUT_MS; a wrong value stops the server at start. */
export function readSettings(env: NodeJS.ProcessEnv): RestApiStoreSettings {
  const base = env.API_BASE_URL?.trim() ?? '';
  if (!URL.canParse(base) || !/^https?:$/.test(new URL(base).protocol)) {
    throw new Error(
      `API_BASE_URL must be the http(s) URL of your user service, e.g. https://users.example.com/v1; got "${base}"`,
    );
  }
  const token = env.API_TOKEN?.trim();
  if (!token) throw new Error('API_TOKEN is not set: the token this server sends to your user service');
  const timeoutMs = Number(env.API_TIMEOUT_MS?.trim() || 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error('API_TIMEOUT_MS must be a positive integer');
  // A trailing slash, so relative paths append to the base path instead of replacing its last part.
  return { baseUrl: new URL(base.endsWith('/') ? base : `${base}/`), token, timeoutMs };
}

/** The store factory, with the signature of createStore in ./index.ts. Fails at start when the API cannot be reached. */
export async function createRestApiStore(options: StoreOptions): Promise<ResourceStore> {
  const store = new RestApiStore(readSettings(options.env));
  try {
    await store.ping();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot reach the user service at ${options.env.API_BASE_URL}: ${reason}`);
  }
  return store;
}

interface Call {
  body?: AppUserFields;
  query?: Record<string, string>;
  ifVersion?: number;
}

class RestApiStore implements ResourceStore {
  // OAuth 2.0 grants (--auth oauth2) live in this process: keep them in your own database if
  // you run several instances or need them to survive a restart.
  readonly state = memoryKeyValue();
  readonly events = new MemoryEventLog();
  readonly tenants = memoryTenantDirectory(undefined, (event) => this.events.append(event));

  constructor(private readonly settings: RestApiStoreSettings) {}

  async create(
    tenant: TenantKey,
    type: ResourceTypeModel,
    attributes: ScimObject,
    _members: string[],
    event?: EventDraft,
  ): Promise<StoredResource> {
    defaultTenantOnly(tenant);
    usersOnly(type, 'create');
    const user = await this.call<AppUser>('POST', 'users', { body: toApp(attributes) });
    const created = toScim(type, user, { withGroups: false });
    // Only once the service confirmed the change (see the top of this file).
    if (event) this.events.append({ ...event, tenant, resourceId: created.id, version: created.version });
    return created;
  }

  async get(tenant: TenantKey, type: ResourceTypeModel, id: string, options: ReadOptions): Promise<StoredResource | undefined> {
    defaultTenantOnly(tenant);
    if (!isUser(type)) return undefined;
    try {
      return toScim(type, await this.call<AppUser>('GET', userPath(id)), options);
    } catch (error) {
      if (error instanceof ScimError && error.status === 404) return undefined;
      throw error;
    }
  }

  async list(tenant: TenantKey, type: ResourceTypeModel, query: ListQuery): Promise<ListResult> {
    defaultTenantOnly(tenant);
    if (!isUser(type)) {
      // Nothing to list, but a malformed filter is still the client's 400.
      if (query.filter) matchesFilter(query.filter, {}, type);
      return { totalResults: 0, resources: [] };
    }
    if (query.sortBy) throw badRequest('invalidValue', 'This server cannot sort users; leave out sortBy');
    // The API pages by offset only: a cursor walk would skip users deleted under it, so none.
    if (query.keyset) throw badRequest('invalidCursor', 'This server pages with startIndex and count only; leave out cursor');
    const search = query.filter ? toSearch(type, query.filter) : {};
    const page = { limit: String(query.count), offset: String(query.startIndex - 1) };
    const found = await this.call<{ users: AppUser[]; total: number }>('GET', 'users', { query: { ...search, ...page } });
    return { totalResults: found.total, resources: found.users.map((user) => toScim(type, user, query)) };
  }

  async update(
    tenant: TenantKey,
    type: ResourceTypeModel,
    id: string,
    request: UpdateRequest,
    event?: EventDraft,
  ): Promise<StoredResource> {
    defaultTenantOnly(tenant);
    usersOnly(type, 'update');
    // Users have no members, so a request without attributes changes nothing.
    if (!request.attributes) {
      const current = await this.get(tenant, type, id, request);
      if (!current) throw notFound(`User ${id} not found`);
      return current;
    }
    const body = toApp(request.attributes);
    const updated = toScim(type, await this.call<AppUser>('PATCH', userPath(id), { body, ifVersion: request.ifVersion }), request);
    if (event) this.events.append({ ...event, tenant, resourceId: id, version: updated.version });
    return updated;
  }

  /** The service deletes for good: SCIM_DELETE=soft is for stores that keep the row themselves. */
  async delete(tenant: TenantKey, type: ResourceTypeModel, id: string, options: DeleteOptions, event?: EventDraft): Promise<void> {
    defaultTenantOnly(tenant);
    if (!isUser(type)) throw notFound(`${type.def.name} ${id} not found`);
    await this.call<void>('DELETE', userPath(id), { ifVersion: options.ifVersion });
    if (event) this.events.append({ ...event, tenant, resourceId: id, version: null });
  }

  async purgeDeleted(): Promise<number> {
    return 0;
  }

  async ping(): Promise<void> {
    // A page of nothing: proves the address, the token and the API in one cheap call.
    await this.call('GET', 'users', { query: { limit: '0' } });
  }

  async close(): Promise<void> {
    // fetch keeps no connections that need closing.
  }

  /** One API call; every failure becomes the SCIM error the identity provider should see. */
  private async call<T>(method: string, path: string, call: Call = {}): Promise<T> {
    const url = new URL(path, this.settings.baseUrl);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.settings.token}`, Accept: 'application/json' };
    if (call.body) headers['Content-Type'] = 'application/json';
    if (call.ifVersion !== undefined) headers['If-Match'] = `"${call.ifVersion}"`;

    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: call.body && JSON.stringify(call.body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (error) {
      // Refused connections, DNS failures and timeouts: the IdP retries a 503 later.
      const reason = error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'is unreachable';
      throw serviceUnavailable(`The user service ${reason}; retry later`);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw apiError(response.status, text);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw serviceUnavailable('The user service answered with something other than JSON');
    }
  }
}

const isUser = (type: ResourceTypeModel) => type.def.name === 'User';

/** The API holds one tenant's users: 501 for any other, which no retry will change. */
function defaultTenantOnly(tenant: TenantKey): void {
  if (tenant !== DEFAULT_TENANT) throw new ScimError(501, 'This server keeps the users of its default tenant only');
}

function usersOnly(type: ResourceTypeModel, what: string): void {
  if (!isUser(type)) {
    // 501: the operation is not supported (RFC 7644 §3.12), which no retry will change.
    throw new ScimError(501, `This server cannot ${what} ${type.def.name} resources: it provisions users only`);
  }
}

/** Ids come from the request URL: encoded into one path segment, so no id reaches another path of the API. */
function userPath(id: string): string {
  // "." and ".." would still climb out of /users/ once the URL is resolved: they name nobody.
  if (id === '.' || id === '..') throw notFound(`User ${id} not found`);
  return `users/${encodeURIComponent(id)}`;
}

/** The API's error, as the SCIM outcome it means. */
function apiError(status: number, text: string): ScimError {
  let message = '';
  try {
    message = String((JSON.parse(text) as { error?: { message?: unknown } }).error?.message ?? '');
  } catch {
    // Not the API's JSON error (a proxy's HTML page, say): go by the status alone.
  }
  switch (status) {
    case 404:
      return notFound('User not found');
    case 409:
      return conflict('A User with this userName already exists');
    case 412:
      return preconditionFailed('The user has changed; read it again');
    case 400:
    case 422:
      return badRequest('invalidValue', `The user service refused the user${message ? `: ${message}` : ''}`);
    case 401:
    case 403:
      // Our credential, not the identity provider's: a configuration problem on this side.
      return serviceUnavailable('The user service refused this server\'s API_TOKEN');
    default:
      return serviceUnavailable(`The user service failed (HTTP ${status}); retry later`);
  }
}

// ---- mapping --------------------------------------------------------------------------------

/**
 * SCIM -> API. The engine has already validated the document against the User schema (and its
 * PATCH applied), so it has ScimUser's shape; a field it lacks is sent as null, clearing it.
 */
function toApp(attributes: ScimObject): AppUserFields {
  const user = attributes as unknown as ScimUser;
  const email = user.emails?.find((e) => e.primary) ?? user.emails?.[0];
  return {
    login: user.userName,
    email: email?.value ?? null,
    firstName: user.name?.givenName ?? null,
    lastName: user.name?.familyName ?? null,
    displayName: user.displayName ?? null,
    enabled: user.active ?? true,
    externalId: user.externalId ?? null,
  };
}

/**
 * API -> SCIM: the attributes the API keeps, under their SCIM names, and the user's `groups`
 * when asked for them (none: the service has no groups).
 */
function toScim(type: ResourceTypeModel, app: AppUser, { withGroups }: Pick<ReadOptions, 'withGroups'>): StoredResource {
  const user: ScimUser = { schemas: [type.core.id], userName: app.login, active: app.enabled };
  if (app.externalId) user.externalId = app.externalId;
  if (app.displayName) user.displayName = app.displayName;
  if (app.firstName || app.lastName) {
    user.name = {
      ...(app.firstName ? { givenName: app.firstName } : {}),
      ...(app.lastName ? { familyName: app.lastName } : {}),
    };
  }
  if (app.email) user.emails = [{ value: app.email, type: 'work', primary: true }];
  return {
    id: app.id,
    attributes: { ...user },
    version: app.revision,
    created: app.createdAt,
    lastModified: app.updatedAt,
    ...(withGroups ? { groups: [] } : {}),
  };
}

/**
 * The SCIM filters the API can answer, as its query parameters: `userName eq "x"`,
 * `externalId eq "x"`, `emails.value eq "x"` (also written `emails[value eq "x"]`). Those are
 * what Okta and Entra ID send when they look a user up. Anything else is a 400 naming them.
 */
function toSearch(type: ResourceTypeModel, filter: Filter): Record<string, string> {
  const term = filter.kind === 'valuePath' && filter.filter.kind === 'compare'
    ? { ...filter.filter, path: { ...filter.path, sub: filter.filter.path.attr } }
    : filter;
  if (term.kind === 'compare' && term.op === 'eq' && typeof term.value === 'string') {
    const found = type.resolve(term.path);
    const name = found && !found.extension && `${found.attr.name}${found.sub ? `.${found.sub.name}` : ''}`;
    const param = name ? SEARCHABLE[name.toLowerCase()] : undefined;
    if (param) return { [param]: term.value };
  }
  throw badRequest(
    'invalidFilter',
    'This server can only filter users by userName eq "...", externalId eq "..." or emails.value eq "..."',
  );
}
