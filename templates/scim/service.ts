// The SCIM operations (RFC 7644 §3), independent of any web framework: an HTTP adapter turns a
// request into a ScimRequest, calls one method, and writes the ScimResponse back. The resources
// they return are built by representation.ts.

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Authenticator } from './auth.js';
import { DEFAULT_BULK_LIMITS, runBulk, type BulkLimits } from './bulk.js';
import { CursorCodec } from './cursor.js';
import { cursorListResponse, listResponse, resourceTypeResource, schemaResource, serviceProviderConfig, findSchema, type DiscoveryOptions } from './discovery.js';
import { ScimError, badRequest, notFound, serviceUnavailable } from './errors.js';
import { REDACTED_ATTRIBUTE_NAMES, type EventDraft, type EventKind, type EventMembers } from './events.js';
import { checkIfMatch, etagOf, notModified } from './etag.js';
import type { HookContext, HookLogger, HookMap, ResourceHooks } from './hooks.js';
import { normalisePatchRequest, normaliseResourceBody } from './normalise.js';
import { applyPatch } from './patch.js';
import { includesAttribute, project, type Projection } from './projection.js';
import { readListParameters, readProjection, readSearchRequest, type ListParameters, type PagingLimits } from './query.js';
import type { Registry, ResourceTypeModel } from './registry.js';
import { GROUPS, location, MEMBERS, renderResource } from './representation.js';
import { groupsAttribute, membershipAttribute } from './storage.js';
import type { MemberChange, ReadOptions, ResourceStore, StoredResource } from './store.js';
import type { TenantKey } from './tenancy.js';
import { Unknowns, type UnknownAttributesPolicy } from './unknown.js';
import { validateResource } from './validate.js';

export interface ScimRequest {
  /** The tenant the request was resolved to (from its URL and credential) before the engine runs. */
  tenant: TenantKey;
  /** Absolute URL of the SCIM base path as the client sees it, e.g. https://host/scim/v2. */
  baseUrl: string;
  query: Record<string, unknown>;
  body?: unknown;
  ifMatch?: string;
  ifNoneMatch?: string;
  requestId: string;
  log: HookLogger;
  /** Id of the credential that authenticated the request (never its secret): the events' actor. */
  credentialId?: string;
}

export interface ScimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ServiceOptions {
  registry: Registry;
  store: ResourceStore;
  authenticator: Pick<Authenticator, 'scheme'>;
  hooks?: HookMap;
  paging?: PagingLimits;
  /** Seals RFC 9865 cursors; one with a per-process random key when not given. */
  cursors?: CursorCodec;
  /** 200 returns the resource after a PATCH; 204 returns nothing (Entra ID prefers it). */
  patchStatus?: 200 | 204;
  /** Attributes and schema URNs no schema declares: refused (400, the default) or dropped and logged. */
  unknownAttributes?: UnknownAttributesPolicy;
  /**
   * How long a PUT or PATCH without If-Match keeps retrying while concurrent writes change the
   * resource under it, before answering 503 (never 412: the client set no precondition).
   */
  writeRetryTimeoutMs?: number;
  /** /Bulk limits, advertised in ServiceProviderConfig and enforced (bulk.ts). */
  bulk?: BulkLimits;
  /** RFC 9967 `securityEvents` of ServiceProviderConfig, when SETs are delivered. */
  securityEvents?: DiscoveryOptions['securityEvents'];
  /**
   * SCIM_DELETE: `hard` (the default) removes a deleted resource's row; `soft` moves it aside
   * (store.ts DeleteOptions.soft) until the retention period ends. A 404 to SCIM either way.
   */
  deletePolicy?: 'hard' | 'soft';
}

type Json = Record<string, unknown>;

/** What a write answers with: the resource as asked for, or only its id (see create). */
export type Answer = 'full' | 'summary';

/** RFC 9865's example value; long enough for a client to fetch and process a page. */
const DEFAULT_CURSOR_TIMEOUT_SECONDS = 600;

/** The longest pause before the first retry of a write that lost a race; doubled per attempt. */
const RETRY_PAUSE_MS = 20;
/** The longest pause, so ten writers colliding on one resource all finish within a few seconds. */
const MAX_RETRY_PAUSE_MS = 250;

/** Whether a type keeps `members` in a membership table (Group) instead of its document. */
const hasMembers = (model: ResourceTypeModel) => membershipAttribute(model) !== undefined;
/** Whether a type shows its memberships as a computed, readOnly `groups` (User). */
const hasGroups = (model: ResourceTypeModel) => groupsAttribute(model) !== undefined;
/** Reads for the engine's own use (version checks, PATCH input): the document alone. */
const NOTHING_MORE: ReadOptions = { withMembers: false, withGroups: false };

export class ScimService {
  readonly registry: Registry;
  private readonly store: ResourceStore;
  private readonly hooks: HookMap;
  private readonly paging: PagingLimits;
  private readonly cursors: CursorCodec;
  private readonly patchStatus: 200 | 204;
  private readonly retryTimeoutMs: number;
  private readonly unknownAttributes: UnknownAttributesPolicy;
  private readonly authenticator: Pick<Authenticator, 'scheme'>;
  private readonly bulkLimits: BulkLimits;
  private readonly securityEvents: DiscoveryOptions['securityEvents'];
  private readonly softDelete: boolean;
  /** writeOnly attribute names per type (`password`): never named in an event. */
  private readonly secretNames = new Map<ResourceTypeModel, ReadonlySet<string>>();
  /** readOptions for requests without attributes/excludedAttributes: most requests, one per type. */
  private readonly defaultReadOptions = new Map<ResourceTypeModel, ReadOptions>();

  constructor(options: ServiceOptions) {
    this.registry = options.registry;
    this.store = options.store;
    this.hooks = options.hooks ?? {};
    this.paging = options.paging ?? { defaultCount: 100, maxCount: 1000 };
    this.cursors = options.cursors ?? new CursorCodec(undefined, DEFAULT_CURSOR_TIMEOUT_SECONDS);
    this.patchStatus = options.patchStatus ?? 200;
    this.retryTimeoutMs = options.writeRetryTimeoutMs ?? 30_000;
    this.unknownAttributes = options.unknownAttributes ?? 'reject';
    this.authenticator = options.authenticator;
    this.bulkLimits = options.bulk ?? DEFAULT_BULK_LIMITS;
    this.securityEvents = options.securityEvents;
    this.softDelete = options.deletePolicy === 'soft';
  }

  // ---- discovery ------------------------------------------------------------------------

  serviceProviderConfig(req: ScimRequest): ScimResponse {
    refuseFilter(req);
    const body = serviceProviderConfig(
      {
        authenticationSchemes: [this.authenticator.scheme],
        maxResults: this.paging.maxCount,
        defaultPageSize: this.paging.defaultCount,
        cursorTimeout: this.cursors.timeoutSeconds,
        bulk: this.bulkLimits,
        ...(this.securityEvents ? { securityEvents: this.securityEvents } : {}),
      },
      req.baseUrl,
    );
    return { status: 200, body };
  }

  resourceTypes(req: ScimRequest, id?: string): ScimResponse {
    refuseFilter(req);
    if (id === undefined) {
      return { status: 200, body: listResponse(this.registry.resourceTypes.map((m) => resourceTypeResource(m, req.baseUrl))) };
    }
    const model = this.registry.resourceTypes.find((m) => m.def.id.toLowerCase() === id.toLowerCase());
    if (!model) throw notFound(`Resource type ${id} not found`);
    return { status: 200, body: resourceTypeResource(model, req.baseUrl) };
  }

  schemas(req: ScimRequest, id?: string): ScimResponse {
    refuseFilter(req);
    if (id === undefined) {
      return { status: 200, body: listResponse(this.registry.schemas.map((s) => schemaResource(s, req.baseUrl))) };
    }
    const schema = findSchema(this.registry, id);
    if (!schema) throw notFound(`Schema ${id} not found`);
    return { status: 200, body: schemaResource(schema, req.baseUrl) };
  }

  // ---- reads ----------------------------------------------------------------------------

  async get(model: ResourceTypeModel, id: string, req: ScimRequest): Promise<ScimResponse> {
    const projection = readProjection(req.query);
    const stored = await this.store.get(req.tenant, model, id, this.readOptions(model, projection));
    if (!stored) throw notFound(`${model.def.name} ${id} not found`);
    if (notModified(req.ifNoneMatch, stored.version)) {
      return { status: 304, headers: { ETag: etagOf(stored.version) } };
    }
    return this.resourceResponse(200, model, stored, req, projection);
  }

  async list(model: ResourceTypeModel, req: ScimRequest): Promise<ScimResponse> {
    // Awaited, not returned: an async function settles on a returned promise two ticks later.
    return await this.query(model, readListParameters(req.query, this.paging), req);
  }

  /** POST {endpoint}/.search, or POST /.search across every resource type when model is undefined. */
  async search(model: ResourceTypeModel | undefined, req: ScimRequest): Promise<ScimResponse> {
    const params = readSearchRequest(req.body, this.paging);
    if (model) return await this.query(model, params, req);
    if (params.cursor !== undefined) {
      // A cursor walks one resource type's keyset; the root search pages several types as one list.
      throw badRequest('invalidCursor', 'Cursor pagination is not available on the root /.search: search {endpoint}/.search, or page with startIndex.');
    }

    // Root search: the types' result sets one after the other, paged as one list.
    let total = 0;
    let skip = params.startIndex - 1;
    let room = params.count;
    const resources: Json[] = [];
    for (const m of this.registry.resourceTypes) {
      const counted = await this.store.list(req.tenant, m, { ...params, startIndex: 1, count: 0, ...NOTHING_MORE });
      total += counted.totalResults;
      if (room === 0 || skip >= counted.totalResults) {
        skip = Math.max(0, skip - counted.totalResults);
        continue;
      }
      const page = await this.store.list(req.tenant, m, {
        ...params,
        startIndex: skip + 1,
        count: room,
        ...this.readOptions(m, params),
      });
      skip = 0;
      room -= page.resources.length;
      resources.push(...(this.renderPage(m, page.resources, req, params)));
    }
    return { status: 200, body: listResponse(resources, total, params.startIndex) };
  }

  private async query(
    model: ResourceTypeModel,
    params: ListParameters,
    req: ScimRequest,
  ): Promise<ScimResponse> {
    if (params.cursor !== undefined) return await this.cursorQuery(model, params, req);
    const result = await this.store.list(req.tenant, model, {
      filter: params.filter,
      sortBy: params.sortBy,
      sortOrder: params.sortOrder,
      startIndex: params.startIndex,
      count: params.count,
      ...(params.count > 0 ? this.readOptions(model, params) : NOTHING_MORE),
    });
    const resources = this.renderPage(model, result.resources, req, params);
    return { status: 200, body: listResponse(resources, result.totalResults, params.startIndex) };
  }

  /** A page of a cursor walk (RFC 9865): the resources after the cursor's position, and the next cursor. */
  private async cursorQuery(model: ResourceTypeModel, params: ListParameters, req: ScimRequest): Promise<ScimResponse> {
    const scope = { tenant: req.tenant, resourceType: model.def.name, filter: params.filter, sortBy: params.sortBy, sortOrder: params.sortOrder };
    const after = params.cursor ? this.cursors.decode(params.cursor, scope) : null;
    const result = await this.store.list(req.tenant, model, {
      filter: params.filter,
      sortBy: params.sortBy,
      sortOrder: params.sortOrder,
      startIndex: 1,
      count: params.count,
      keyset: { after },
      ...this.readOptions(model, params),
    });
    const resources = this.renderPage(model, result.resources, req, params);
    const next = result.next && this.cursors.encode(scope, result.next);
    return { status: 200, body: cursorListResponse(resources, result.totalResults, next) };
  }

  /** A page of resources as the response shows them. */
  private renderPage(model: ResourceTypeModel, page: StoredResource[], req: ScimRequest, projection: Projection): Json[] {
    return page.map((r) => project(model, this.render(model, r, req.baseUrl), projection));
  }

  // ---- writes ---------------------------------------------------------------------------

  /**
   * Writes take `answer`: 'full' (the default) answers the resource as the request asks for it;
   * 'summary' answers only its id (with the same status, ETag and Location), so nothing is read
   * or rendered only to be thrown away: /Bulk reports an operation's status, version and location.
   */
  async create(model: ResourceTypeModel, req: ScimRequest, answer: Answer = 'full'): Promise<ScimResponse> {
    const body = normaliseResourceBody(req.body, model);
    const unknowns = this.unknowns(model);
    const { attributes, writeOnly } = validateResource(model, body, 'create', undefined, unknowns);
    this.logDropped(model, unknowns, req);
    const ctx = this.context(req, writeOnly);
    const hooks = this.hooksFor(model);
    const memberIds = this.takeMembers(model, attributes);

    let document = attributes;
    const changed = await hooks.beforeCreate?.(this.render(model, draft(document), req.baseUrl), ctx);
    if (changed) document = stripServerAttributes(model, changed as Json);

    const members: EventMembers | undefined =
      memberIds.length > 0 ? { added: memberIds, removed: [], removedAll: false } : undefined;
    const names = this.attributeNames(model, {}, document, members !== undefined);
    const stored = await this.store.create(req.tenant, model, document, memberIds, this.event('create', model, req, names, members));
    await this.afterCommit(model, 'afterCreate', req, () => hooks.afterCreate?.(this.render(model, stored, req.baseUrl), ctx));
    if (members) await this.afterCommit(model, 'onMembershipChange', req, () => hooks.onMembershipChange?.(stored.id, members, ctx));
    const response = this.resourceResponse(201, model, stored, req, readProjection(req.query), answer);
    response.headers = { ...response.headers, Location: location(model, stored.id, req.baseUrl) };
    return response;
  }

  async replace(model: ResourceTypeModel, id: string, req: ScimRequest, answer: Answer = 'full'): Promise<ScimResponse> {
    const body = normaliseResourceBody(req.body, model);
    const projection = readProjection(req.query);

    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const current = await this.store.get(req.tenant, model, id, NOTHING_MORE);
      if (!current) throw notFound(`${model.def.name} ${id} not found`);
      checkIfMatch(req.ifMatch, current.version);

      // Validated against the version read, since immutable attributes are compared with it.
      const unknowns = this.unknowns(model);
      const { attributes, writeOnly } = validateResource(model, body, 'replace', current.attributes, unknowns);
      this.logDropped(model, unknowns, req);
      const ctx = this.context(req, writeOnly);
      const members: MemberChange | undefined = hasMembers(model)
        ? { removeAll: true, add: this.takeMembers(model, attributes) }
        : undefined;

      const event = this.updateEvent('replace', model, id, req, current.attributes, attributes, members);
      let stored: StoredResource;
      try {
        stored = await this.store.update(req.tenant, model, id, {
          attributes,
          members,
          ifVersion: current.version,
          ...(answer === 'summary' ? NOTHING_MORE : this.readOptions(model, projection)),
        }, event);
      } catch (error) {
        if (await this.shouldRetry(error, req, attempt, started)) continue;
        throw error;
      }
      await this.afterUpdate(model, current, stored, members, req, ctx);
      return this.resourceResponse(200, model, stored, req, projection, answer);
    }
  }

  private unknowns(model: ResourceTypeModel): Unknowns {
    return new Unknowns(this.unknownAttributes, model.def.name);
  }

  /** Names (never values) of what "unknownAttributes": "ignore" dropped, so admins can fix mappings. */
  private logDropped(model: ResourceTypeModel, unknowns: Unknowns, req: ScimRequest): void {
    if (unknowns.dropped.length === 0) return;
    req.log.warn({ resourceType: model.def.name, attributes: unknowns.dropped }, 'dropped attributes no schema declares');
  }

  /**
   * A concurrent write (a membership change bumps a user's version too) won the race between
   * our read and our write: re-read and re-apply, unless the client pinned a version itself.
   * A short random pause first, growing with each attempt: writers that collided on a database
   * that runs requests concurrently then spread out instead of colliding again. Without
   * If-Match the client set no precondition, so it never gets 412: every round one writer wins,
   * so all finish; past the time budget the answer is 503, which identity providers retry.
   */
  private async shouldRetry(error: unknown, req: ScimRequest, attempt: number, started: number): Promise<boolean> {
    const lostRace = error instanceof ScimError && error.status === 412 && req.ifMatch === undefined;
    if (!lostRace) return false;
    if (Date.now() - started >= this.retryTimeoutMs) {
      throw serviceUnavailable('The resource kept changing under this request (concurrent writes); retry it');
    }
    await sleep(Math.random() * Math.min(RETRY_PAUSE_MS * 2 ** attempt, MAX_RETRY_PAUSE_MS));
    return true;
  }

  async patch(model: ResourceTypeModel, id: string, req: ScimRequest, answer: Answer = 'full'): Promise<ScimResponse> {
    const operations = normalisePatchRequest(req.body, model);
    const projection = readProjection(req.query);
    const named = (projection.attributes?.length ?? 0) > 0;

    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const current = await this.store.get(req.tenant, model, id, NOTHING_MORE);
      if (!current) throw notFound(`${model.def.name} ${id} not found`);
      checkIfMatch(req.ifMatch, current.version);

      const unknowns = this.unknowns(model);
      const result = applyPatch(model, current.attributes, operations, {
        membersAttribute: hasMembers(model) ? MEMBERS : undefined,
        unknowns,
      });
      this.logDropped(model, unknowns, req);
      const ctx = this.context(req, result.writeOnly);
      const memberChange = result.members && isMemberChange(result.members) ? result.members : undefined;
      // A PATCH that touches members answers 204 unless the request names `attributes`: a group
      // can hold tens of thousands of members, and Okta and Entra ID send a PATCH per change.
      const quiet = this.patchStatus === 204 || (result.members !== undefined && !named);
      // With 204 nothing is shown, so nothing more is read.
      const shown = quiet || answer === 'summary' ? NOTHING_MORE : this.readOptions(model, projection);

      let stored: StoredResource;
      if (!result.changed && !memberChange) {
        const more = shown.withMembers || shown.withGroups;
        stored = more ? ((await this.store.get(req.tenant, model, id, shown)) ?? current) : current;
      } else {
        const after = result.changed ? result.attributes : current.attributes;
        const event = this.updateEvent('patch', model, id, req, current.attributes, after, memberChange);
        try {
          stored = await this.store.update(req.tenant, model, id, {
            attributes: result.changed ? result.attributes : undefined,
            members: memberChange,
            // Membership deltas commute, so only a document change needs the version check.
            ifVersion: result.changed || req.ifMatch !== undefined ? current.version : undefined,
            ...shown,
          }, event);
        } catch (error) {
          if (await this.shouldRetry(error, req, attempt, started)) continue;
          throw error;
        }
        await this.afterUpdate(model, current, stored, memberChange, req, ctx);
      }
      if (quiet) return { status: 204, headers: { ETag: etagOf(stored.version) } };
      return this.resourceResponse(200, model, stored, req, projection, answer);
    }
  }

  async delete(model: ResourceTypeModel, id: string, req: ScimRequest): Promise<ScimResponse> {
    const current = await this.store.get(req.tenant, model, id, NOTHING_MORE);
    if (!current) throw notFound(`${model.def.name} ${id} not found`);
    checkIfMatch(req.ifMatch, current.version);
    await this.store.delete(
      req.tenant,
      model,
      id,
      { ifVersion: req.ifMatch !== undefined ? current.version : undefined, soft: this.softDelete },
      { ...this.event('delete', model, req, []), resourceId: id },
    );
    const hooks = this.hooksFor(model);
    await this.afterCommit(model, 'afterDelete', req, () => hooks.afterDelete?.(id, this.context(req, {})));
    return { status: 204 };
  }

  /** POST /Bulk (RFC 7644 §3.7): each operation through create, replace, patch or delete above. */
  async bulk(req: ScimRequest): Promise<ScimResponse> {
    return await runBulk(this, this.bulkLimits, req);
  }

  /**
   * /Me (RFC 7644 §3.11), for every method. The credentials this server accepts (a static token,
   * Basic or header secret, or an OAuth 2.0 access token, whose subject is the OAuth client: the
   * identity provider's provisioning connection, see auth-oauth2/tokens.ts) authenticate a client,
   * never a provisioned User, so there is no resource /Me could alias. §3.11: "A service provider
   * that does NOT support this feature SHOULD respond with HTTP status code 501 (Not Implemented)";
   * a 404 would instead claim that the subject is a resource which does not exist.
   */
  me(_req: ScimRequest): ScimResponse {
    throw new ScimError(
      501,
      '/Me is not supported: this server authenticates provisioning clients, not users, so no resource corresponds to the credential',
    );
  }

  // ---- helpers --------------------------------------------------------------------------

  private async afterUpdate(
    model: ResourceTypeModel,
    previous: StoredResource,
    stored: StoredResource,
    members: MemberChange | undefined,
    req: ScimRequest,
    ctx: HookContext,
  ): Promise<void> {
    const hooks = this.hooksFor(model);
    // Rendered only for a hook that exists: most servers have none, and this runs on every write.
    let rendered: Json | undefined;
    const current = () => (rendered ??= this.render(model, stored, req.baseUrl));
    await this.afterCommit(model, 'afterUpdate', req, () =>
      hooks.afterUpdate?.(current(), this.render(model, previous, req.baseUrl), ctx),
    );
    if (activeFlip(previous.attributes, stored.attributes) === 'deactivate') {
      await this.afterCommit(model, 'afterDeactivate', req, () => hooks.afterDeactivate?.(current(), ctx));
    }
    if (members) {
      const change = eventMembers(members);
      await this.afterCommit(model, 'onMembershipChange', req, () => hooks.onMembershipChange?.(stored.id, change, ctx));
    }
  }

  /**
   * Runs an after-commit hook. The change is committed (and its event written with it), so the
   * request succeeds whatever the hook does: a hook that throws is logged, at error, by name
   * only (its message may carry personal data), and not retried. The outbox is the durable path.
   */
  private async afterCommit(model: ResourceTypeModel, hook: string, req: ScimRequest, run: () => unknown): Promise<void> {
    try {
      await run();
    } catch (error) {
      const name = error instanceof Error ? error.name : typeof error;
      req.log.error({ hook, resourceType: model.def.name, requestId: req.requestId, error: name }, 'hook failed after commit (not retried)');
    }
  }

  /** An event draft of this request (events.ts); the store completes it and writes it with the change. */
  private event(kind: EventKind, model: ResourceTypeModel, req: ScimRequest, attributes: string[], members?: EventMembers): EventDraft {
    return {
      id: randomUUID(),
      time: new Date().toISOString(),
      resourceType: model.def.name,
      kind,
      attributes,
      ...(members ? { members } : {}),
      requestId: req.requestId,
      actor: { credentialId: req.credentialId ?? null, via: 'scim' },
    };
  }

  /** A PUT's or PATCH's event: `activate`/`deactivate` when `active` moved, else the method's kind. */
  private updateEvent(
    kind: 'replace' | 'patch',
    model: ResourceTypeModel,
    id: string,
    req: ScimRequest,
    before: Json,
    after: Json,
    change: MemberChange | undefined,
  ): EventDraft {
    const members = change ? eventMembers(change) : undefined;
    const names = this.attributeNames(model, before, after, members !== undefined);
    return { ...this.event(activeFlip(before, after) ?? kind, model, req, names, members), resourceId: id };
  }

  /**
   * Names of the attributes that differ between two documents: core ones by name, extension
   * ones as `urn:...:name`; never `schemas`, and never a writeOnly one (`password`), even when
   * the request set it.
   */
  private attributeNames(model: ResourceTypeModel, before: Json, after: Json, members: boolean): string[] {
    const secret = this.writeOnlyNames(model);
    const extensions = new Set(model.extensions.map((e) => e.schema.id));
    const names: string[] = [];
    const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b);
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (key === 'schemas' || secret.has(key.toLowerCase())) continue;
      if (extensions.has(key)) {
        const a = (before[key] ?? {}) as Json;
        const b = (after[key] ?? {}) as Json;
        for (const sub of new Set([...Object.keys(a), ...Object.keys(b)])) {
          if (!secret.has(sub.toLowerCase()) && differs(a[sub], b[sub])) names.push(`${key}:${sub}`);
        }
      } else if (differs(before[key], after[key])) {
        names.push(key);
      }
    }
    if (members && !names.includes(MEMBERS)) names.push(MEMBERS);
    return names;
  }

  private writeOnlyNames(model: ResourceTypeModel): ReadonlySet<string> {
    let names = this.secretNames.get(model);
    if (!names) {
      const all = [model.core, ...model.extensions.map((e) => e.schema)].flatMap((schema) => schema.attributes);
      names = new Set([
        ...REDACTED_ATTRIBUTE_NAMES,
        ...all.filter((a) => a.mutability === 'writeOnly' || a.returned === 'never').map((a) => a.name.toLowerCase()),
      ]);
      this.secretNames.set(model, names);
    }
    return names;
  }

  private hooksFor(model: ResourceTypeModel): ResourceHooks {
    return this.hooks[model.def.name] ?? {};
  }

  private context(req: ScimRequest, writeOnly: Record<string, unknown>): HookContext {
    return { requestId: req.requestId, log: req.log, writeOnly };
  }

  /** `members` and `groups` are read only when the response shows them. */
  private readOptions(model: ResourceTypeModel, projection: Projection): ReadOptions {
    const plain = !projection.attributes?.length && !projection.excludedAttributes?.length;
    let options = plain ? this.defaultReadOptions.get(model) : undefined;
    if (!options) {
      options = {
        withMembers: hasMembers(model) && includesAttribute(model, projection, MEMBERS),
        withGroups: hasGroups(model) && includesAttribute(model, projection, GROUPS),
      };
      if (plain) this.defaultReadOptions.set(model, Object.freeze(options));
    }
    return options;
  }

  /** Moves `members` out of a validated document (they live in the membership table). */
  private takeMembers(model: ResourceTypeModel, attributes: Json): string[] {
    if (!hasMembers(model)) return [];
    const members = attributes[MEMBERS];
    delete attributes[MEMBERS];
    if (!Array.isArray(members)) return [];
    return [...new Set(members.map((m) => String((m as Json).value)))];
  }

  /** The SCIM representation of `stored` (representation.ts). */
  render(model: ResourceTypeModel, stored: StoredResource, baseUrl: string): Json {
    return renderResource(this.registry, model, stored, baseUrl);
  }

  private resourceResponse(
    status: number,
    model: ResourceTypeModel,
    stored: StoredResource,
    req: ScimRequest,
    projection: Projection,
    answer: Answer = 'full',
  ): ScimResponse {
    return {
      status,
      headers: { ETag: etagOf(stored.version) },
      body: answer === 'summary' ? { id: stored.id } : project(model, this.render(model, stored, req.baseUrl), projection),
    };
  }
}

/**
 * RFC 7644 §4: discovery endpoints ignore filters, so a client sending one gets 403 rather than
 * an unfiltered answer it could mistake for a filtered one.
 */
function refuseFilter(req: ScimRequest): void {
  if (Object.keys(req.query).some((k) => k.toLowerCase() === 'filter')) {
    throw new ScimError(403, 'Discovery endpoints do not support filtering');
  }
}

/** Whether a write moved `active`: an absent `active` counts as active (RFC 7643 leaves it to the server). */
function activeFlip(before: Json, after: Json): 'activate' | 'deactivate' | undefined {
  const was = before.active !== false;
  const is = after.active !== false;
  if (was && !is) return 'deactivate';
  if (!was && is) return 'activate';
  return undefined;
}

const eventMembers = (c: MemberChange): EventMembers => ({
  added: c.add ?? [],
  removed: c.remove ?? [],
  removedAll: c.removeAll ?? false,
});

const isMemberChange = (c: MemberChange) =>
  Boolean(c.removeAll) || (c.add?.length ?? 0) > 0 || (c.remove?.length ?? 0) > 0;

/** A not-yet-stored resource, so beforeCreate hooks see the same shape as every other hook. */
function draft(attributes: Json): StoredResource {
  const now = new Date().toISOString();
  return { id: '', attributes, version: 0, created: now, lastModified: now };
}

/** What a beforeCreate hook returns goes back through the store: drop what the server owns. */
function stripServerAttributes(model: ResourceTypeModel, resource: Json): Json {
  const { id: _id, meta: _meta, members: _members, ...attributes } = resource;
  if (hasGroups(model)) delete attributes[GROUPS];
  return attributes;
}
