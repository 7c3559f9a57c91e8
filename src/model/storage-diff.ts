// The difference between the storage plan a project's migrations have created and the one its
// schemas ask for now: what the next numbered migration has to change. Database-neutral; each
// database's migrations module spells it in its SQL (migrations*-change.ts).
//
// Documents always hold every attribute, so key columns are copies that can be dropped and
// rebuilt from them at any time. Tables are different: they hold the documents, so nothing here
// ever drops or renames one.

import type {
  ElementIndex,
  IndexedColumn,
  MembershipPlan,
  StoragePlan,
  TablePlan,
} from '../../templates/scim/storage.js';

/** A key column whose attribute is the same but whose caseExact or uniqueness changed. */
export interface ColumnChange {
  before: IndexedColumn;
  after: IndexedColumn;
}

export interface TableDiff {
  /** The table as it is after the migration. */
  table: TablePlan;
  /** Key columns of attributes no longer indexed: their indexes and columns go. */
  removed: IndexedColumn[];
  /** Key columns to add, filled from the documents. */
  added: IndexedColumn[];
  /** Rebuilt: the old index and columns go, the new ones are added and filled. */
  changed: ColumnChange[];
  addedElementIndexes: ElementIndex[];
  removedElementIndexes: ElementIndex[];
  /** A membership table the resource type did not have. */
  addedMembership?: MembershipPlan;
  /** The member types the membership table accepted before, when they change. */
  memberTypesBefore?: string[];
  /** The type now shows its memberships (User.groups), or no longer does: SQLite's row copy of them comes or goes. */
  groupsShown?: boolean;
}

export interface StorageDiff {
  /** The plan the database has before the migration. */
  before: StoragePlan;
  /**
   * The database predates tenancy: every table of `before` gets the tenant column (1 for every
   * row) with its indexes rebuilt to lead with it, and the tenants table (with tenant 1,
   * `default`) and the credentials table are created. Done first, so every other step of the
   * migration finds the tables as a tenant-aware database has them.
   */
  addTenants?: boolean;
  /** The database predates the outbox: the events, event deliveries and deleted-resources tables are created. */
  addEvents?: boolean;
  /**
   * The database has no row counts table (StoragePlan.counts) yet: PostgreSQL and MySQL/MariaDB
   * create it and fill it with a COUNT of each table's rows per tenant. Done after addTenants.
   */
  addCounts?: boolean;
  /** Tables of new resource types (with their membership tables). */
  created: TablePlan[];
  changed: TableDiff[];
  /** What the schemas no longer need but the database keeps, with its data (for the warnings). */
  kept: string[];
  /** Changes no migration is derived for; when there is any, no migration is emitted at all. */
  refused: string[];
  /** The plan the database has once the migration ran: the new plan plus what it keeps. */
  recorded: StoragePlan;
}

const identity = (c: IndexedColumn) => `${c.extension ?? ''}\u0000${c.attribute}`;
const describe = (c: IndexedColumn) => (c.extension ? `${c.extension}:${c.attribute}` : c.attribute);
const sameColumn = (a: IndexedColumn, b: IndexedColumn) =>
  a.column === b.column && a.foldColumn === b.foldColumn && a.unique === b.unique;
const sameIndex = (a: ElementIndex, b: ElementIndex) => a.attribute === b.attribute && a.sub === b.sub;
const sameTypes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((n, i) => n === b[i]);

export function diffStoragePlans(before: StoragePlan, after: StoragePlan): StorageDiff {
  const diff: StorageDiff = { before, created: [], changed: [], kept: [], refused: [], recorded: { tables: [] } };
  if (after.tenants) {
    diff.recorded.tenants = true;
    if (!before.tenants) diff.addTenants = true;
  }
  if (after.events) {
    diff.recorded.events = true;
    if (!before.events) diff.addEvents = true;
  }
  if (after.counts) {
    diff.recorded.counts = true;
    if (!before.counts) diff.addCounts = true;
  }
  const previous = new Map(before.tables.map((t) => [t.resourceType.toLowerCase(), t]));
  const oldNames = new Set(before.tables.flatMap((t) => [t.table, ...(t.membership ? [t.membership.table] : [])]));

  for (const table of after.tables) {
    const old = previous.get(table.resourceType.toLowerCase());
    previous.delete(table.resourceType.toLowerCase());
    if (!old) {
      const taken = [table.table, table.membership?.table].find((n) => n !== undefined && oldNames.has(n));
      if (taken) diff.refused.push(`${table.resourceType}: table ${taken} already exists for another resource type`);
      diff.created.push(table);
      diff.recorded.tables.push(table);
      continue;
    }
    if (old.table !== table.table) {
      diff.refused.push(
        `${table.resourceType}: its table would be renamed from ${old.table} to ${table.table} (its endpoint ` +
          'changed); rename the table and its indexes by hand, or keep the old endpoint',
      );
      continue;
    }
    const change = diffTable(old, table, diff);
    if (change) diff.changed.push(change);
    // A membership the type no longer has stays in the database, and so in the record.
    diff.recorded.tables.push(old.membership && !table.membership ? { ...table, membership: old.membership } : table);
  }
  for (const old of previous.values()) {
    diff.kept.push(
      `The ${old.resourceType} resource type is gone from the schemas; its table ${old.table} stays, ` +
        'with its data: drop it by hand once you no longer need it.',
    );
    diff.recorded.tables.push(old);
  }
  return diff;
}

function diffTable(old: TablePlan, table: TablePlan, diff: StorageDiff): TableDiff | undefined {
  const before = new Map(old.columns.map((c) => [identity(c), c]));
  const change: TableDiff = {
    table,
    removed: [],
    added: [],
    changed: [],
    addedElementIndexes: table.elementIndexes.filter((i) => !old.elementIndexes.some((o) => sameIndex(i, o))),
    removedElementIndexes: old.elementIndexes.filter((o) => !table.elementIndexes.some((i) => sameIndex(i, o))),
  };
  for (const column of table.columns) {
    const was = before.get(identity(column));
    before.delete(identity(column));
    if (!was) change.added.push(column);
    else if (!sameColumn(was, column)) change.changed.push({ before: was, after: column });
  }
  change.removed.push(...before.values());

  if (table.membership && !old.membership) change.addedMembership = table.membership;
  if (old.membership && !table.membership) {
    diff.kept.push(
      `${table.resourceType} no longer has ${old.membership.attribute}; its table ${old.membership.table} ` +
        'stays, with its data: drop it by hand once you no longer need it.',
    );
  }
  if (old.membership && table.membership) {
    if (old.membership.table !== table.membership.table) {
      diff.refused.push(
        `${table.resourceType}: its membership table would be renamed from ${old.membership.table} to ` +
          `${table.membership.table}; rename it by hand`,
      );
    } else if (!sameTypes(old.membership.memberTypes, table.membership.memberTypes)) {
      change.memberTypesBefore = old.membership.memberTypes;
    }
  }
  if (Boolean(old.showsGroups) !== Boolean(table.showsGroups)) change.groupsShown = Boolean(table.showsGroups);
  const changes =
    change.removed.length + change.added.length + change.changed.length +
    change.addedElementIndexes.length + change.removedElementIndexes.length;
  return changes > 0 || change.addedMembership || change.memberTypesBefore || change.groupsShown !== undefined
    ? change
    : undefined;
}

/** The index on a key column, named as the first migration names it (`users_user_name_fold_key`). */
export function keyIndexName(table: TablePlan, c: IndexedColumn): string {
  return `${table.table}_${c.foldColumn ?? c.column}_${c.unique ? 'key' : 'idx'}`;
}

/** True when the migration would change nothing. */
export const isEmptyDiff = (diff: StorageDiff) =>
  !diff.addTenants && !diff.addEvents && !diff.addCounts && diff.created.length === 0 && diff.changed.length === 0;

/**
 * What a table diff does to key columns, in the order every database runs it: drop the indexes
 * that change, drop the columns no longer planned, add the new ones, fill them, index them.
 * A rebuilt attribute (caseExact or uniqueness changed) keeps the columns it still has: only
 * its folded copy comes or goes, and its index is replaced.
 */
export interface ColumnSteps {
  /** Old key columns whose index goes (keyIndexName of each). */
  dropIndexes: IndexedColumn[];
  dropColumns: string[];
  /** New physical columns: the value as stored, or its folded copy (`folded`). */
  addColumns: Array<{ name: string; of: IndexedColumn; folded: boolean }>;
  /** Value columns kept whose folded copy comes or goes (MySQL types them differently). */
  retyped: IndexedColumn[];
  /** Value columns to fill from the documents. */
  fillValues: IndexedColumn[];
  /** Folded columns to fill: from the document when the value is filled too, else from the value column. */
  fillFolds: IndexedColumn[];
  /** New key columns whose index is created, after they are filled. */
  addIndexes: IndexedColumn[];
}

export function columnSteps(t: TableDiff): ColumnSteps {
  const steps: ColumnSteps = { dropIndexes: [], dropColumns: [], addColumns: [], retyped: [], fillValues: [], fillFolds: [], addIndexes: [] };
  const drop = (c: IndexedColumn) => {
    steps.dropIndexes.push(c);
    steps.dropColumns.push(c.column, ...(c.foldColumn ? [c.foldColumn] : []));
  };
  const add = (c: IndexedColumn) => {
    steps.addColumns.push({ name: c.column, of: c, folded: false });
    if (c.foldColumn) steps.addColumns.push({ name: c.foldColumn, of: c, folded: true });
    steps.fillValues.push(c);
    if (c.foldColumn) steps.fillFolds.push(c);
    steps.addIndexes.push(c);
  };
  t.removed.forEach(drop);
  for (const { before, after } of t.changed) {
    if (before.column !== after.column) {
      drop(before);
      add(after);
      continue;
    }
    steps.dropIndexes.push(before);
    steps.addIndexes.push(after);
    if (before.foldColumn !== after.foldColumn) {
      if (before.foldColumn) steps.dropColumns.push(before.foldColumn);
      if (after.foldColumn) {
        steps.addColumns.push({ name: after.foldColumn, of: after, folded: true });
        steps.fillFolds.push(after);
      }
      if (Boolean(before.foldColumn) !== Boolean(after.foldColumn)) steps.retyped.push(after);
    }
  }
  t.added.forEach(add);
  return steps;
}

/**
 * A short snake_case name for the migration from what it does ("add_devices",
 * "users_cost_center"), at most a few words; the number in front keeps it unique anyway.
 */
export function migrationName(diff: StorageDiff): string {
  const words: string[] = [...(diff.addTenants ? ['tenants'] : []), ...(diff.addEvents ? ['events'] : [])];
  for (const t of diff.created) words.push(`add_${t.table}`);
  for (const { table, added, changed, removed } of diff.changed) {
    const columns = [...added, ...changed.map((c) => c.after), ...removed].map((c) => c.column);
    words.push(columns.length > 0 ? `${table.table}_${columns.join('_')}` : table.table);
  }
  // Row counts come along with the first change after them; named only when they are alone.
  if (words.length === 0 && diff.addCounts) words.push('counts');
  const name = words.join('_').replace(/[^a-z0-9_]+/g, '_');
  return (name.length > 60 ? name.slice(0, 60).replace(/_[^_]*$/, '') : name) || 'schema_change';
}

/** A comment line per change, for the top of the migration. */
/**
 * A change migration's file: its header (what it is, `applied`: how the database runs it, then
 * what changes), `preamble` and the non-empty `parts`. Undefined when no part has a statement:
 * the change needs nothing of this database, so no file is written for it.
 */
export function changeMigration(
  diff: StorageDiff,
  applied: string[],
  parts: string[],
  preamble: string[] = [],
): string | undefined {
  const statements = parts.filter((p) => p !== '');
  if (statements.length === 0) return undefined;
  const header = [
    '-- Generated by create-scim-server from the SCIM schemas: brings the tables from the previous',
    ...applied,
    '--',
    ...describeDiff(diff).map((line) => `-- ${line}`),
  ].join('\n');
  return [header, ...preamble, ...statements].join('\n\n') + '\n';
}

export function describeDiff(diff: StorageDiff): string[] {
  const lines: string[] = [];
  if (diff.addTenants) {
    lines.push(
      'Tenants: every table gets the tenant column, 1 for every row, and its indexes lead with it; the tenants',
      'table (tenant 1, "default", this database\'s existing data) and the credentials table are created.',
    );
  }
  if (diff.addEvents) {
    lines.push(
      'Events: the outbox (events), its deliveries (event_deliveries) and soft-deleted resources',
      '(deleted_resources) get their tables; every change from now on writes an event with it.',
    );
  }
  if (diff.addCounts) lines.push('Row counts: a table of each resource table\'s rows per tenant, counted once now.');
  for (const t of diff.created) lines.push(`New resource type ${t.resourceType}: table ${t.table}.`);
  for (const t of diff.changed) {
    const { resourceType } = t.table;
    for (const c of t.added) lines.push(`${resourceType}: ${describe(c)} gets a column (filled from the documents).`);
    for (const { before, after } of t.changed) {
      const what = [
        before.foldColumn !== after.foldColumn ? (after.foldColumn ? 'now ignores case' : 'now case-exact') : '',
        before.unique !== after.unique ? (after.unique ? 'now unique' : 'no longer unique') : '',
      ].filter((w) => w !== '');
      lines.push(`${resourceType}: ${describe(after)} ${what.join(', ') || 'changed'}: its column is rebuilt.`);
    }
    for (const c of t.removed) {
      lines.push(`${resourceType}: ${describe(c)} is no longer indexed: its column goes (the documents keep the values).`);
    }
    for (const i of t.addedElementIndexes) lines.push(`${resourceType}: ${i.attribute}.${i.sub} gets an index.`);
    for (const i of t.removedElementIndexes) lines.push(`${resourceType}: ${i.attribute}.${i.sub} loses its index.`);
    if (t.addedMembership) lines.push(`${resourceType}: ${t.addedMembership.attribute} gets its table.`);
    if (t.memberTypesBefore) {
      lines.push(`${resourceType}: members may now be ${t.table.membership!.memberTypes.join(', ')}.`);
    }
    if (t.groupsShown === true) lines.push(`${resourceType}: shows its groups (SQLite keeps a copy in each row).`);
    if (t.groupsShown === false) lines.push(`${resourceType}: no longer shows its groups.`);
  }
  return lines;
}
