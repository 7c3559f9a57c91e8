// The composition root: the engine plus the adapters chosen at generation time. Each adapter
// folder exports well-known factories, so this file is the same for every variant.
//
// createScim() builds everything but an HTTP server: the framework adapter
// (./framework/index.js) turns it into its framework's own unit, to mount in an existing app
// under any path (the README shows how). createScimServer() is the standalone server, which
// mounts that unit at BASE_PATH beside /health and the auth mode's own routes.

import { createAuthenticator } from './auth/index.js';
import { schemas, resourceTypes } from './schemas.gen.js';
import { createHttpServer } from './framework/index.js';
import type { Hooks } from './hooks.gen.js';
import { TenantAdmin, publicScimUrl, reservedSlugs } from './scim/admin.js';
import { adminRoutes } from './scim/admin-api.js';
import type { Authenticator } from './scim/auth.js';
import type { EventLog } from './scim/events.js';
import { readCoreSettings, type CoreSettings } from './scim/config.js';
import { CredentialChecker, ensureDefaultTenant, importEnvCredential } from './scim/credentials.js';
import { CursorCodec } from './scim/cursor.js';
import { createRateLimiter } from './scim/rate-limit.js';
import { readRetentionSettings, startPruner } from './scim/retention.js';
import { buildRegistry } from './scim/registry.js';
import { scimEndpoints, type ScimEndpoints } from './scim/routes.js';
import { ScimService } from './scim/service.js';
import { createStore } from './database/index.js';
import { BASE_PATH, DEFAULT_PORT, TENANCY, UNKNOWN_ATTRIBUTES } from './project.gen.js';
import { DOCS_PATH, docsRoutes } from './docs.js';
import { startupLines } from './startup.js';
import { eventDelivery, readEventsSettings, tenantSegments, wakingStore, type EventDelivery } from './events/index.js';
import { logLine } from './events/log.js';

export interface ScimOptions {
  env: NodeJS.ProcessEnv;
  hooks?: Hooks;
}

/** The SCIM endpoints and what they are made of, ready to mount; see ScimEndpoints. */
export interface Scim extends ScimEndpoints {
  settings: CoreSettings;
  service: ScimService;
  authenticator: Authenticator;
  /** The tenant operations (the admin CLI's and API's). */
  admin: TenantAdmin;
  /**
   * Delivery of committed changes (webhooks, security event tokens). createScimServer starts it
   * once listening; when you mount the endpoints in your own server, call `delivery.start()`.
   */
  delivery: EventDelivery;
  /** The audit log: every committed change (the audit CLI and GET /admin/v1/audit read it). */
  events: EventLog;
  /** Health probe of the database, for your own health check. */
  ping(): Promise<void>;
  /** Closes the database: call it once your server has stopped taking requests. */
  close(): Promise<void>;
  /** Database migrations applied when this was created (file names). */
  appliedMigrations: readonly string[];
}

export interface ScimServer {
  settings: CoreSettings;
  /** Listens on the configured (or given) port and host; resolves to the address. */
  listen(overrides?: { port?: number; host?: string }): Promise<string>;
  /** Stops accepting requests, waits for in-flight ones, then closes the database. */
  close(): Promise<void>;
  /** What to print once listening at `address`: base URL, auth mode, docs, applied migrations. */
  startupLines(address: string): string[];
}

export async function createScim(options: ScimOptions): Promise<Scim> {
  const { env } = options;
  const settings = readCoreSettings(env, { port: DEFAULT_PORT });
  const retention = readRetentionSettings(env);
  const registry = buildRegistry(resourceTypes, schemas);
  // Read before the database opens: a bad webhook URL or secret stops the start at once.
  const eventsSettings = readEventsSettings(env);
  const appliedMigrations: string[] = [];
  const store = await createStore({ env, registry, logger: migrationLog(appliedMigrations) });
  try {
    const credentials = new CredentialChecker(store.tenants);
    const authenticator = await createAuthenticator({ env, state: store.state, basePath: BASE_PATH, credentials, tenancy: TENANCY });
    // Tenant 1 always exists in a single-tenant project; the .env secret becomes its first credential.
    const envCredential = authenticator.envCredential;
    await ensureDefaultTenant(store.tenants, TENANCY === 'single' || envCredential !== undefined);
    if (envCredential) await importEnvCredential(store.tenants, store.state, envCredential);
    const scimUrl = publicScimUrl(env, BASE_PATH, settings.port);
    const admin = new TenantAdmin({
      tenants: store.tenants,
      credentialKind: authenticator.credentialKind,
      tenancy: TENANCY,
      scimUrl,
      reservedSlugs: reservedSlugs(registry.resourceTypes.map((t) => t.def.endpoint)),
    });
    const delivery = await eventDelivery({
      settings: eventsSettings,
      outbox: store.outbox,
      registry,
      scimUrl,
      ...(TENANCY === 'multi' ? { tenantSegment: tenantSegments(store.tenants) } : {}),
      log: logLine(settings.logLevel),
    });
    const service = new ScimService({
      registry,
      store: delivery.enabled ? wakingStore(store, () => delivery.wake()) : store,
      authenticator,
      hooks: options.hooks,
      patchStatus: settings.patchStatus,
      cursors: new CursorCodec(settings.cursorSecret, settings.cursorTimeoutSeconds),
      unknownAttributes: UNKNOWN_ATTRIBUTES,
      bulk: { maxOperations: settings.bulkMaxOperations, maxPayloadSize: settings.bulkMaxPayloadBytes },
      ...(delivery.securityEvents ? { securityEvents: delivery.securityEvents } : {}),
      deletePolicy: retention.deletePolicy,
    });
    const endpoints = scimEndpoints({
      service,
      authenticator,
      bodyLimit: settings.bodyLimit,
      publicUrl: settings.publicUrl,
      tenancy: TENANCY,
      tenants: store.tenants,
      extraRoutes: adminRoutes(env, admin, undefined, store.events),
      limiter: createRateLimiter(settings.rateLimit),
    });
    // Old events and expired soft deletes go in the background (an unref'd hourly timer).
    const pruner = startPruner(store, retention, console);
    let closed: Promise<void> | undefined;
    return {
      ...endpoints,
      // The SET routes (JWKS, poll) live outside the base path, like the auth mode's own.
      authRoutes: [...endpoints.authRoutes, ...delivery.routes],
      settings,
      service,
      authenticator,
      admin,
      events: store.events,
      delivery,
      ping: () => store.ping(),
      // The delivery loop finishes its round before the database closes under it.
      close: () => {
        pruner.stop();
        return (closed ??= delivery.stop().then(() => store.close()));
      },
      appliedMigrations,
    };
  } catch (error) {
    // A bad auth setting must not leave a database pool open behind the error.
    await store.close();
    throw error;
  }
}

export async function createScimServer(options: ScimOptions): Promise<ScimServer> {
  const scim = await createScim(options);
  const { settings } = scim;
  try {
    // The API reference (docs.ts) is mounted like the auth mode's own routes, outside BASE_PATH.
    const docs = docsRoutes({ env: options.env, basePath: BASE_PATH, publicUrl: settings.publicUrl });
    const http = await createHttpServer({
      scim: docs.length > 0 ? { ...scim, authRoutes: [...scim.authRoutes, ...docs] } : scim,
      basePath: BASE_PATH,
      logLevel: settings.logLevel,
      trustProxy: settings.trustProxy,
      secretHeaders: scim.authenticator.secretHeaders ?? [],
      limits: settings.http,
      ping: scim.ping,
    });

    let closed: Promise<void> | undefined;
    return {
      settings,
      listen: async (overrides = {}) => {
        const address = await http.listen(overrides.port ?? settings.port, overrides.host ?? settings.host);
        scim.delivery.start();
        return address;
      },
      startupLines: (address) =>
        startupLines({
          address,
          basePath: BASE_PATH,
          publicUrl: settings.publicUrl,
          auth: scim.authenticator.scheme.name,
          docsPath: docs.length > 0 ? DOCS_PATH : undefined,
          migrations: scim.appliedMigrations,
        }),
      close: () =>
        (closed ??= (async () => {
          await http.close();
          await scim.close();
        })()),
    };
  } catch (error) {
    await scim.close();
    throw error;
  }
}

/** Collects the migrations a store reports applying; passes anything else on to the console. */
function migrationLog(applied: string[]): { info(obj: object, msg?: string): void } {
  return {
    info(obj, msg) {
      const migrations = (obj as { migrations?: unknown }).migrations;
      if (Array.isArray(migrations)) applied.push(...migrations.map(String));
      else console.warn(msg ?? '', JSON.stringify(obj));
    },
  };
}
