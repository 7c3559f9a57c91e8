// TenantDirectory (../scim/tenancy.ts) on a SQL database server (PostgreSQL, MySQL/MariaDB): the
// tenants and credentials tables of the migrations. Every statement binds its values; a duplicate
// slug or secret hash is refused by a unique index, never by a read before the write. Statements
// are the subset both servers speak (no RETURNING): a write, then a read in its transaction.

import { conflict, notFound, ScimError } from '../scim/errors.js';
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
import type { SqlConnection, SqlDriver } from './driver.js';
import { insertEvent } from './events.js';

export class SqlTenantDirectory implements TenantDirectory {
  private readonly q: (name: string) => string;
  private readonly $: (n: number) => string;
  private readonly tenantsTable: string;
  private readonly credentialsTable: string;
  private readonly tenantColumns: string;
  private readonly credentialColumns: string;

  constructor(
    private readonly driver: SqlDriver,
    private readonly plan: StoragePlan,
  ) {
    const q = (this.q = driver.dialect.quoteId);
    this.$ = driver.dialect.placeholder;
    this.tenantsTable = q(TENANTS_TABLE);
    this.credentialsTable = q(CREDENTIALS_TABLE);
    this.tenantColumns = ['id', 'slug', 'name', 'idp', 'disabled', 'created'].map(q).join(', ');
    this.credentialColumns = ['id', TENANT_COLUMN, 'kind', 'label', 'principal', 'created', 'expires', 'last_used', 'revoked']
      .map(q)
      .join(', ');
  }

  /** One transaction; a unique-key violation is 409 with `duplicate` as its detail. */
  private async run<T>(
    work: (db: SqlConnection) => Promise<T>,
    duplicate = 'This already exists',
    readOnly = false,
    tenant?: TenantKey,
  ): Promise<T> {
    try {
      return await this.driver.transaction(work, { readOnly, ...(tenant !== undefined ? { tenant } : {}) });
    } catch (error) {
      const translated = this.driver.translate(error);
      if (translated instanceof ScimError && translated.status === 409) throw conflict(duplicate);
      throw translated;
    }
  }

  private async tenantRow(db: SqlConnection, column: 'id' | 'slug', value: unknown): Promise<Tenant | undefined> {
    const [row] = await db.query<TenantRow>(
      `SELECT ${this.tenantColumns} FROM ${this.tenantsTable} WHERE ${this.q(column)} = ${this.$(1)}`,
      [value],
    );
    return row && tenantFromRow(row);
  }

  async createTenant(input: { slug: string; name: string; idp: IdentityProvider }, origin?: EventOrigin): Promise<Tenant> {
    checkSlug(input.slug);
    const $ = this.$;
    return this.run(async (db) => {
      await db.execute(
        `INSERT INTO ${this.tenantsTable} (${['slug', 'name', 'idp', 'disabled', 'created'].map(this.q).join(', ')}) ` +
          `VALUES (${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)})`,
        [input.slug, input.name || input.slug, input.idp, 0, new Date().toISOString()],
      );
      const tenant = (await this.tenantRow(db, 'slug', input.slug))!;
      await insertEvent(db, this.driver, directoryEvent('tenant.create', tenant.key, String(tenant.key), ['slug', 'name', 'idp'], origin));
      return tenant;
    }, `A tenant with the slug ${input.slug} already exists`);
  }

  findTenant(slug: string): Promise<Tenant | undefined> {
    return this.run((db) => this.tenantRow(db, 'slug', slug), undefined, true);
  }

  getTenant(key: TenantKey): Promise<Tenant | undefined> {
    return this.run((db) => this.tenantRow(db, 'id', key), undefined, true);
  }

  listTenants(): Promise<Tenant[]> {
    return this.run(
      async (db) => (await db.query<TenantRow>(`SELECT ${this.tenantColumns} FROM ${this.tenantsTable} ORDER BY id`)).map(tenantFromRow),
      undefined,
      true,
    );
  }

  async updateTenant(
    key: TenantKey,
    change: { disabled?: boolean; name?: string; slug?: string; idp?: IdentityProvider },
    origin?: EventOrigin,
  ): Promise<Tenant> {
    if (change.slug !== undefined) checkSlug(change.slug);
    const $ = this.$;
    return this.run(async (db) => {
      if (!(await this.tenantRow(db, 'id', key))) throw notFound(`Tenant ${key} not found`);
      const sets = ['disabled', 'name', 'slug', 'idp'].map((c, i) => `${this.q(c)} = coalesce(${$(i + 1)}, ${this.q(c)})`);
      await db.execute(`UPDATE ${this.tenantsTable} SET ${sets.join(', ')} WHERE id = ${$(5)}`, [
        change.disabled === undefined ? null : Number(change.disabled),
        change.name ?? null,
        change.slug ?? null,
        change.idp ?? null,
        key,
      ]);
      const changed = Object.keys(change).filter((k) => change[k as keyof typeof change] !== undefined);
      await insertEvent(db, this.driver, directoryEvent('tenant.update', key, String(key), changed, origin));
      return (await this.tenantRow(db, 'id', key))!;
    }, `A tenant with the slug ${change.slug} already exists`);
  }

  removeTenant(key: TenantKey, origin?: EventOrigin): Promise<void> {
    const { q, $ } = this;
    const t = q(TENANT_COLUMN);
    return this.run(async (db) => {
      if (!(await this.tenantRow(db, 'id', key))) throw notFound(`Tenant ${key} not found`);
      // Membership rows first: they name resources that go next. Element rows go with their
      // resources (ON DELETE CASCADE).
      for (const table of this.plan.tables) {
        if (table.membership) await db.execute(`DELETE FROM ${q(table.membership.table)} WHERE ${t} = ${$(1)}`, [key]);
      }
      for (const table of this.plan.tables) await db.execute(`DELETE FROM ${q(table.table)} WHERE ${t} = ${$(1)}`, [key]);
      await db.execute(`DELETE FROM ${this.credentialsTable} WHERE ${t} = ${$(1)}`, [key]);
      await db.execute(`DELETE FROM ${this.tenantsTable} WHERE id = ${$(1)}`, [key]);
      await insertEvent(db, this.driver, directoryEvent('tenant.remove', key, String(key), [], origin));
      // In the tenant's context: row-level security (PostgreSQL) lets it reach only its own rows.
    }, undefined, false, key);
  }

  addCredential(input: NewCredential, origin?: EventOrigin): Promise<Credential> {
    const { q, $ } = this;
    return this.run(async (db) => {
      if (!(await this.tenantRow(db, 'id', input.tenant))) throw notFound(`Tenant ${input.tenant} not found`);
      const id = newCredentialId();
      const columns = ['id', TENANT_COLUMN, 'kind', 'label', 'principal', 'secret_hash', 'created', 'expires'];
      await db.execute(
        `INSERT INTO ${this.credentialsTable} (${columns.map(q).join(', ')}) VALUES (${columns.map((_, i) => $(i + 1)).join(', ')})`,
        [id, input.tenant, input.kind, input.label, input.principal ?? null, input.secretHash, new Date().toISOString(), input.expires ?? null],
      );
      const [row] = await db.query<CredentialRow>(
        `SELECT ${this.credentialColumns} FROM ${this.credentialsTable} WHERE id = ${$(1)}`,
        [id],
      );
      const named = ['kind', 'label', ...(input.principal !== undefined ? ['principal'] : []), ...(input.expires !== undefined ? ['expires'] : [])];
      await insertEvent(db, this.driver, directoryEvent('credential.create', input.tenant, id, named, origin));
      return credentialFromRow(row!);
    }, 'A credential with this secret already exists');
  }

  findCredential(secretHash: string): Promise<{ credential: Credential; tenant: Tenant } | undefined> {
    const { q, $ } = this;
    return this.run(
      async (db) => {
        const [row] = await db.query<CredentialRow>(
          `SELECT ${this.credentialColumns} FROM ${this.credentialsTable} WHERE ${q('secret_hash')} = ${$(1)}`,
          [secretHash],
        );
        if (!row) return undefined;
        const tenant = await this.tenantRow(db, 'id', row.tenant);
        return tenant && { credential: credentialFromRow(row), tenant };
      },
      undefined,
      true,
    );
  }

  listCredentials(tenant: TenantKey): Promise<Credential[]> {
    const { q, $ } = this;
    return this.run(
      async (db) =>
        (
          await db.query<CredentialRow>(
            `SELECT ${this.credentialColumns} FROM ${this.credentialsTable} WHERE ${q(TENANT_COLUMN)} = ${$(1)} ORDER BY created, id`,
            [tenant],
          )
        ).map(credentialFromRow),
      undefined,
      true,
    );
  }

  revokeCredential(tenant: TenantKey, id: string, origin?: EventOrigin): Promise<boolean> {
    const { q, $ } = this;
    const t = q(TENANT_COLUMN);
    return this.run(async (db) => {
      const [found] = await db.query<{ revoked: string | null }>(
        `SELECT revoked FROM ${this.credentialsTable} WHERE ${t} = ${$(1)} AND id = ${$(2)} FOR UPDATE`,
        [tenant, id],
      );
      if (!found) return false;
      // Revoking twice changes nothing, so it is no second event.
      if (found.revoked !== null) return true;
      await db.execute(
        `UPDATE ${this.credentialsTable} SET revoked = coalesce(revoked, ${$(1)}) WHERE ${t} = ${$(2)} AND id = ${$(3)}`,
        [new Date().toISOString(), tenant, id],
      );
      await insertEvent(db, this.driver, directoryEvent('credential.revoke', tenant, id, ['revoked'], origin));
      return true;
    });
  }

  async touchCredential(id: string, at: Date): Promise<void> {
    const $ = this.$;
    await this.run((db) => db.execute(`UPDATE ${this.credentialsTable} SET last_used = ${$(1)} WHERE id = ${$(2)}`, [at.toISOString(), id]));
  }
}
