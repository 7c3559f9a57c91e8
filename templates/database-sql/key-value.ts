// KeyValueStore (../scim/key-value.ts) over the state table of a SQL database, through its driver.

import type { KeyValueStore } from '../scim/key-value.js';
import { STATE_TABLE } from '../scim/storage.js';
import type { SqlConnection, SqlDriver } from './driver.js';

interface StateRow {
  value: string;
  expires_at: number | string;
}

export function sqlKeyValue(driver: SqlDriver): KeyValueStore {
  const { dialect } = driver;
  const q = dialect.quoteId;
  const t = q(STATE_TABLE);
  const [key, value, expiresAt] = ['key', 'value', 'expires_at'].map(q) as [string, string, string];
  const $ = dialect.placeholder;
  const attempt = async <T>(work: (db: SqlConnection) => Promise<T>): Promise<T> => {
    try {
      return await driver.transaction(work);
    } catch (error) {
      throw driver.translate(error);
    }
  };

  return {
    get: async (k) => {
      const sql = `SELECT ${value} FROM ${t} WHERE ${key} = ${$(1)} AND ${expiresAt} > ${$(2)}`;
      const params = [k, Date.now()];
      try {
        const rows = driver.read
          ? await driver.read<StateRow>(sql, params)
          : await driver.transaction((db) => db.query<StateRow>(sql, params), { readOnly: true });
        return rows[0]?.value;
      } catch (error) {
        throw driver.translate(error);
      }
    },
    set: (k, v, expires) =>
      attempt(async (db) => {
        await db.execute(dialect.upsert(STATE_TABLE, 'key', ['key', 'value', 'expires_at']), [k, v, expires.getTime()]);
      }),
    take: (k) =>
      attempt(async (db) => {
        // The row lock makes a second, concurrent take wait, then find the row gone.
        const rows = await db.query<StateRow>(`SELECT ${value}, ${expiresAt} FROM ${t} WHERE ${key} = ${$(1)} FOR UPDATE`, [k]);
        const row = rows[0];
        if (!row) return undefined;
        await db.execute(`DELETE FROM ${t} WHERE ${key} = ${$(1)}`, [k]);
        return Number(row.expires_at) > Date.now() ? row.value : undefined;
      }),
    delete: (k) =>
      attempt(async (db) => {
        await db.execute(`DELETE FROM ${t} WHERE ${key} = ${$(1)}`, [k]);
      }),
    purgeExpired: () => attempt((db) => db.execute(`DELETE FROM ${t} WHERE ${expiresAt} <= ${$(1)}`, [Date.now()])),
  };
}
