// A member's `groups` as SQLite keeps them in its own row (GROUPS_COLUMN), so that reading a
// user is one row lookup rather than a join through every membership table. One SQL expression
// computes them, used by the store whenever a membership or an owner's display changes and by
// the migration that adds the column, so both write exactly the same JSON.

import { MEMBERSHIP_COLUMNS, membershipOwners, TENANT_COLUMN, type StoragePlan, type TablePlan } from '../scim/storage.js';
import { sqliteDialect } from './dialect.js';

const q = sqliteDialect.quoteId;
const T = q(TENANT_COLUMN);
const { owner: OWNER, member: MEMBER, type: MEMBER_TYPE } = MEMBERSHIP_COLUMNS;
/** Resource type names come from the schemas (never from a request); quoted all the same. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * SQL for the MemberOf[] JSON of the row `row` (a table name or alias) of `table`: the rows of
 * every membership table naming it, owner table by owner table, each in the order the
 * memberships were made, `display` left out when the owner has none. '[]' for no memberships.
 */
export function memberOfSql(plan: StoragePlan, table: TablePlan, row: string): string {
  const owners = membershipOwners(plan, table.resourceType);
  if (owners.length === 0) return `'[]'`;
  const parts = owners.map((owner, part) => {
    const display = firstNonNull(owner.displayColumns.map((c) => `nullif(o.${q(c)}, '')`));
    const type = literal(owner.resourceType);
    const entry =
      `CASE WHEN ${display} IS NULL THEN json_object('value', m.${q(OWNER)}, 'type', ${type}) ` +
      `ELSE json_object('value', m.${q(OWNER)}, 'type', ${type}, 'display', ${display}) END`;
    return (
      `SELECT ${entry} AS entry, ${part} AS part, m.rowid AS seq ` +
      `FROM ${q(owner.membership!.table)} m JOIN ${q(owner.table)} o ON o.${T} = m.${T} AND o.id = m.${q(OWNER)} ` +
      `WHERE m.${T} = ${row}.${T} AND m.${q(MEMBER)} = ${row}.id AND m.${q(MEMBER_TYPE)} = ${literal(table.resourceType)}`
    );
  });
  // json(): the entries lose their JSON subtype in the subquery and would be nested as strings.
  return `(SELECT json_group_array(json(entry) ORDER BY part, seq) FROM (${parts.join(' UNION ALL ')}))`;
}

/** SQL for the first non-NULL of these expressions (SQLite's coalesce needs two or more). */
export function firstNonNull(exprs: string[]): string {
  if (exprs.length <= 1) return exprs[0] ?? 'NULL';
  return `coalesce(${exprs.join(', ')})`;
}
