// TenantDirectory (../scim/tenancy.ts) on SQLite: the tenants and credentials tables of the first
// migration. Every statement binds its values; a duplicate slug or secret hash is refused by a
// UNIQUE index, never by a read before the write.

import Database from 'better-sqlite3';
import { conflict, notFound, ScimError, serviceUnavailable } from '../scim/errors.js';
import { directoryEvent, type EventOrigin } from '../scim/events.js';
import {
  CREDENTIALS_TABLE,
  credentialFromRow,
  TENANT_COLUMN,
  tenantFromRow,
  TENANTS_TABLE,
  type CredentialRow,
  type StoragePlan,
  type TenantRow,
} from '../scim/storage.js';
import {
  checkSlug,
  newCredentialId,
  type Credential,
  type IdentityProvider,
  type NewCredential,
  type Tenant,
  type TenantDirectory,
  type TenantKey,
} from '../scim/tenancy.js';
import { sqliteDialect } from './dialect.js';
import { insertEvent } from './events.js';
import type { StatementCache } from './statements.js';

const q = sqliteDialect.quoteId;
const TENANTS = q(TENANTS_TABLE);
const CREDENTIALS = q(CREDENTIALS_TABLE);
const T = q(TENANT_COLUMN);
const TENANT_COLUMNS = 'id, slug, name, idp, disabled, created';
const CREDENTIAL_COLUMNS = `id, ${T}, kind, label, principal, created, expires, last_used, revoked`;

export class SqliteTenantDirectory implements TenantDirectory {
  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
    private readonly plan: StoragePlan,
  ) {}

  private attempt<T>(work: () => T, duplicate = 'This already exists'): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (error instanceof ScimError || !(error instanceof Database.SqliteError)) return Promise.reject(error);
      if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        return Promise.reject(conflict(duplicate));
      }
      return Promise.reject(serviceUnavailable(`The database is unavailable (${error.code}); retry later`));
    }
  }

  /** `work` and its event in one IMMEDIATE transaction. */
  private inTransaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  private tenantRow(key: TenantKey): TenantRow | undefined {
    return this.statements.get(`SELECT ${TENANT_COLUMNS} FROM ${TENANTS} WHERE id = ?`).get(key) as TenantRow | undefined;
  }

  createTenant(input: { slug: string; name: string; idp: IdentityProvider }, origin?: EventOrigin): Promise<Tenant> {
    return this.attempt(() => {
      checkSlug(input.slug);
      return this.inTransaction(() => {
        const row = this.statements
          .get(`INSERT INTO ${TENANTS} (slug, name, idp, disabled, created) VALUES (?, ?, ?, 0, ?) RETURNING ${TENANT_COLUMNS}`)
          .get(input.slug, input.name || input.slug, input.idp, new Date().toISOString()) as TenantRow;
        const tenant = tenantFromRow(row);
        insertEvent(this.statements, directoryEvent('tenant.create', tenant.key, String(tenant.key), ['slug', 'name', 'idp'], origin));
        return tenant;
      });
    }, `A tenant with the slug ${input.slug} already exists`);
  }

  findTenant(slug: string): Promise<Tenant | undefined> {
    return this.attempt(() => {
      const row = this.statements.get(`SELECT ${TENANT_COLUMNS} FROM ${TENANTS} WHERE slug = ?`).get(slug) as TenantRow | undefined;
      return row && tenantFromRow(row);
    });
  }

  getTenant(key: TenantKey): Promise<Tenant | undefined> {
    return this.attempt(() => {
      const row = this.tenantRow(key);
      return row && tenantFromRow(row);
    });
  }

  listTenants(): Promise<Tenant[]> {
    return this.attempt(() =>
      (this.statements.get(`SELECT ${TENANT_COLUMNS} FROM ${TENANTS} ORDER BY id`).all() as TenantRow[]).map(tenantFromRow),
    );
  }

  updateTenant(
    key: TenantKey,
    change: { disabled?: boolean; name?: string; slug?: string; idp?: IdentityProvider },
    origin?: EventOrigin,
  ): Promise<Tenant> {
    return this.attempt(() => {
      if (change.slug !== undefined) checkSlug(change.slug);
      return this.inTransaction(() => {
        const row = this.statements
          .get(
            `UPDATE ${TENANTS} SET disabled = coalesce(?, disabled), name = coalesce(?, name), ` +
              `slug = coalesce(?, slug), idp = coalesce(?, idp) WHERE id = ? RETURNING ${TENANT_COLUMNS}`,
          )
          .get(
            change.disabled === undefined ? null : Number(change.disabled),
            change.name ?? null,
            change.slug ?? null,
            change.idp ?? null,
            key,
          ) as TenantRow | undefined;
        if (!row) throw notFound(`Tenant ${key} not found`);
        const changed = Object.keys(change).filter((k) => change[k as keyof typeof change] !== undefined);
        insertEvent(this.statements, directoryEvent('tenant.update', key, String(key), changed, origin));
        return tenantFromRow(row);
      });
    }, `A tenant with the slug ${change.slug} already exists`);
  }

  removeTenant(key: TenantKey, origin?: EventOrigin): Promise<void> {
    return this.attempt(() => {
      this.db
        .transaction(() => {
          if (!this.tenantRow(key)) throw notFound(`Tenant ${key} not found`);
          // Membership rows first: they name resources that go next.
          for (const table of this.plan.tables) {
            if (table.membership) this.statements.get(`DELETE FROM ${q(table.membership.table)} WHERE ${T} = ?`).run(key);
          }
          for (const table of this.plan.tables) this.statements.get(`DELETE FROM ${q(table.table)} WHERE ${T} = ?`).run(key);
          this.statements.get(`DELETE FROM ${CREDENTIALS} WHERE ${T} = ?`).run(key);
          this.statements.get(`DELETE FROM ${TENANTS} WHERE id = ?`).run(key);
          insertEvent(this.statements, directoryEvent('tenant.remove', key, String(key), [], origin));
        })
        .immediate();
    });
  }

  addCredential(input: NewCredential, origin?: EventOrigin): Promise<Credential> {
    return this.attempt(() => this.inTransaction(() => {
      if (!this.tenantRow(input.tenant)) throw notFound(`Tenant ${input.tenant} not found`);
      const row = this.statements
        .get(
          `INSERT INTO ${CREDENTIALS} (id, ${T}, kind, label, principal, secret_hash, created, expires) ` +
            `VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${CREDENTIAL_COLUMNS}`,
        )
        .get(
          newCredentialId(),
          input.tenant,
          input.kind,
          input.label,
          input.principal ?? null,
          input.secretHash,
          new Date().toISOString(),
          input.expires ?? null,
        ) as CredentialRow;
      const credential = credentialFromRow(row);
      const named = ['kind', 'label', ...(input.principal !== undefined ? ['principal'] : []), ...(input.expires !== undefined ? ['expires'] : [])];
      insertEvent(this.statements, directoryEvent('credential.create', input.tenant, credential.id, named, origin));
      return credential;
    }), 'A credential with this secret already exists');
  }

  findCredential(secretHash: string): Promise<{ credential: Credential; tenant: Tenant } | undefined> {
    return this.attempt(() => {
      const columns = CREDENTIAL_COLUMNS.split(', ').map((c) => `c.${c}`);
      const row = this.statements
        .get(
          `SELECT ${columns.join(', ')}, t.slug AS t_slug, t.name AS t_name, t.idp AS t_idp, ` +
            `t.disabled AS t_disabled, t.created AS t_created ` +
            `FROM ${CREDENTIALS} c JOIN ${TENANTS} t ON t.id = c.${T} WHERE c.secret_hash = ?`,
        )
        .get(secretHash) as
        | (CredentialRow & { t_slug: string; t_name: string; t_idp: IdentityProvider; t_disabled: number; t_created: string })
        | undefined;
      if (!row) return undefined;
      const tenant = tenantFromRow({
        id: row.tenant,
        slug: row.t_slug,
        name: row.t_name,
        idp: row.t_idp,
        disabled: row.t_disabled,
        created: row.t_created,
      });
      return { credential: credentialFromRow(row), tenant };
    });
  }

  listCredentials(tenant: TenantKey): Promise<Credential[]> {
    return this.attempt(() =>
      (
        this.statements.get(`SELECT ${CREDENTIAL_COLUMNS} FROM ${CREDENTIALS} WHERE ${T} = ? ORDER BY created, id`).all(tenant) as CredentialRow[]
      ).map(credentialFromRow),
    );
  }

  revokeCredential(tenant: TenantKey, id: string, origin?: EventOrigin): Promise<boolean> {
    return this.attempt(() => this.inTransaction(() => {
      const row = this.statements.get(`SELECT revoked FROM ${CREDENTIALS} WHERE ${T} = ? AND id = ?`).get(tenant, id) as
        | { revoked: string | null }
        | undefined;
      if (!row) return false;
      // Revoking twice changes nothing, so it is no second event.
      if (row.revoked !== null) return true;
      this.statements.get(`UPDATE ${CREDENTIALS} SET revoked = ? WHERE ${T} = ? AND id = ?`).run(new Date().toISOString(), tenant, id);
      insertEvent(this.statements, directoryEvent('credential.revoke', tenant, id, ['revoked'], origin));
      return true;
    }));
  }

  touchCredential(id: string, at: Date): Promise<void> {
    return this.attempt(() => {
      this.statements.get(`UPDATE ${CREDENTIALS} SET last_used = ? WHERE id = ?`).run(at.toISOString(), id);
    });
  }
}

