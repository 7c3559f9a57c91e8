// Sets every folded key column to exactly what the server writes, foldCase (JavaScript's
// toLowerCase). A migration that adds one fills it with LOWER(), which MySQL and MariaDB get
// right for all but a few letters (dialect.ts); this runs after new migrations have been applied,
// reads each table once in pages and rewrites only the keys that differ.

import type { Connection, RowDataPacket } from 'mysql2/promise';
import { foldCase, type StoragePlan } from '../scim/storage.js';
import { mysqlDialect } from './dialect.js';

const PAGE = 1000;
const q = mysqlDialect.quoteId;

/** Returns how many keys it corrected. */
export async function refoldKeys(connection: Connection, plan: StoragePlan): Promise<number> {
  let corrected = 0;
  for (const table of plan.tables) {
    const folded = table.columns.filter((c) => c.foldColumn);
    if (folded.length === 0) continue;
    const columns = folded.flatMap((c) => [c.column, c.foldColumn!]);
    const select =
      `SELECT ${q('id')}, ${columns.map(q).join(', ')} FROM ${q(table.table)} ` +
      `WHERE ${q('id')} > ? ORDER BY ${q('id')} LIMIT ${PAGE}`;
    let after = '';
    for (;;) {
      const [rows] = await connection.query<Array<Record<string, string | null> & RowDataPacket>>(select, [after]);
      for (const row of rows) {
        for (const c of folded) {
          const value = row[c.column];
          const key = typeof value === 'string' ? foldCase(value) : null;
          if (row[c.foldColumn!] === key) continue;
          try {
            await connection.query(`UPDATE ${q(table.table)} SET ${q(c.foldColumn!)} = ? WHERE ${q('id')} = ?`, [key, row.id]);
          } catch (error) {
            const duplicate = (error as { errno?: number }).errno === 1062;
            throw new Error(
              `Cannot set ${table.table}.${c.foldColumn} of ${table.resourceType} ${row.id} to its case-folded ` +
                `${c.attribute}: ${(error as Error).message}` +
                (duplicate ? `. Another ${table.resourceType} has the same ${c.attribute} ignoring case: change one of them, then start again.` : ''),
              { cause: error },
            );
          }
          corrected++;
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.id!;
    }
  }
  return corrected;
}
