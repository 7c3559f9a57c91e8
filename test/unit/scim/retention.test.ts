// The deprovisioning and retention settings (SCIM_DELETE, SCIM_DELETE_RETENTION_DAYS,
// SCIM_AUDIT_RETENTION_DAYS): defaults, a clear error naming the variable, and what one pruning
// pass removes from a store.

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../templates/database-custom/memory-store.js';
import { ConfigError } from '../../../templates/scim/config.js';
import { pruneOnce, readRetentionSettings } from '../../../templates/scim/retention.js';
import { DEFAULT_TENANT } from '../../../templates/scim/tenancy.js';
import { registry } from '../store/contract.js';

const User = registry.byName('User')!;
const DAY = 24 * 3600 * 1000;

describe('retention settings', () => {
  it('default to hard deletes, 30 days of soft-deleted resources and 90 days of events', () => {
    expect(readRetentionSettings({})).toEqual({ deletePolicy: 'hard', deleteRetentionDays: 30, auditRetentionDays: 90 });
    expect(readRetentionSettings({ SCIM_DELETE: 'soft', SCIM_DELETE_RETENTION_DAYS: '7', SCIM_AUDIT_RETENTION_DAYS: '365' })).toEqual({
      deletePolicy: 'soft',
      deleteRetentionDays: 7,
      auditRetentionDays: 365,
    });
  });

  it('refuse a wrong value at start, naming the variable', () => {
    for (const [name, value] of [
      ['SCIM_DELETE', 'archive'],
      ['SCIM_DELETE_RETENTION_DAYS', '-1'],
      ['SCIM_AUDIT_RETENTION_DAYS', 'ninety'],
      ['SCIM_AUDIT_RETENTION_DAYS', '0'],
    ] as const) {
      expect(() => readRetentionSettings({ [name]: value }), `${name}=${value}`).toThrow(ConfigError);
      expect(() => readRetentionSettings({ [name]: value })).toThrow(name);
    }
  });

  it('one pass prunes events past the audit retention and purges soft deletes past theirs', async () => {
    const store = createMemoryStore({ registry });
    const draft = { time: new Date().toISOString(), resourceType: 'User', attributes: [], requestId: 'r', actor: { credentialId: null, via: 'scim' as const } };
    const kept = await store.create(DEFAULT_TENANT, User, { schemas: [User.def.schema], userName: 'kept' }, [], { ...draft, id: 'e1', kind: 'create' });
    const gone = await store.create(DEFAULT_TENANT, User, { schemas: [User.def.schema], userName: 'gone' }, [], { ...draft, id: 'e2', kind: 'create' });
    await store.delete(DEFAULT_TENANT, User, gone.id, { soft: true }, { ...draft, id: 'e3', kind: 'delete', resourceId: gone.id });
    const settings = { deletePolicy: 'soft' as const, deleteRetentionDays: 30, auditRetentionDays: 90 };
    expect(await pruneOnce(store, settings)).toEqual({ events: 0, deleted: 0 });
    expect(await pruneOnce(store, settings, Date.now() + 31 * DAY)).toEqual({ events: 0, deleted: 1 });
    expect(await pruneOnce(store, settings, Date.now() + 91 * DAY)).toEqual({ events: 3, deleted: 0 });
    expect(await store.get(DEFAULT_TENANT, User, kept.id, { withMembers: false, withGroups: false })).toBeDefined();
  });
});
