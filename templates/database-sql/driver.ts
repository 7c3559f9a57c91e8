// The contract between the SQL store core (store.ts, shared by PostgreSQL and MySQL/MariaDB)
// and one database's driver: how to run statements in a transaction, how to spell what
// differs in SQL, and how to turn the driver's errors into SCIM outcomes.
//
// Additions since the first version, all optional so existing drivers keep compiling:
// - transaction(work, { readOnly }): reads ask for one consistent snapshot (PostgreSQL runs
//   them REPEATABLE READ, READ ONLY); a driver may ignore it.
// - SqlStoreDialect.currentSchema: the schema checkTables looks in (default `current_schema()`;
//   MySQL/MariaDB: `DATABASE()`).
// - SqlStoreDialect.elementIndexLookup: an indexable test the core adds to filters such as
//   `emails.value eq "x"` (storage.ts ElementIndex); without it such filters are not narrowed.
// - SqlDriver.read(sql, params): one read statement without BEGIN/COMMIT around it; without
//   it the core runs such reads in a read-only transaction.
// - SqlStoreDialect.elementTables: element indexes kept in tables of their own
//   (element-tables.ts) by databases that cannot index into a JSON array (MySQL/MariaDB).

import type { SqlDialect } from '../scim/filter/sql-dialect.js';
import type { ElementIndex, TablePlan } from '../scim/storage.js';
import type { TenantKey } from '../scim/tenancy.js';

/** One connection inside a transaction. Parameters are always bound, never spliced into SQL. */
export interface SqlConnection {
  /** The rows of a SELECT (or of a statement with RETURNING). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** What the core needs spelled per database, beyond what the filter compiler needs. */
export interface SqlStoreDialect extends SqlDialect {
  /** INSERT of one row that does nothing (changes 0 rows) when it would violate a unique key. */
  insertIgnoring(table: string, columns: readonly string[]): string;
  /** INSERT of one row that replaces the row with the same primary key `key`. */
  upsert(table: string, key: string, columns: readonly string[]): string;
  /** Membership table column that orders memberships by insertion (an auto-increment). */
  membershipSequence: string;
  /** SQL naming the schema (database) that holds the store's tables; default `current_schema()`. */
  currentSchema?: string;
  /**
   * A condition true for every row whose `index.attribute` has an element whose `index.sub`
   * folds (storage.ts foldCase) to the bound `value` (a placeholder), written so the database
   * answers it from the index the migrations create. The core adds it next to the exact test.
   */
  elementIndexLookup?(doc: string, index: ElementIndex, value: string): string;
  /**
   * Set when the database keeps element indexes in tables of their own (element-tables.ts),
   * whose keys hold at most `keyLength` characters: the core writes their rows with every write
   * and narrows filters through them (`eq` and `sw`), instead of calling elementIndexLookup.
   */
  elementTables?: { keyLength: number };
  /**
   * An aggregate of the rows of a subquery into one JSON array, holding per row a JSON array of
   * `values` (SQL expressions, in order; NULL as JSON null); NULL, or an empty array, over no
   * rows. Its order may be any: the core sorts. Brings a member's groups along with its row.
   */
  jsonArrayAgg(values: readonly string[]): string;
}

export interface TransactionOptions {
  /** The work only reads: it wants one snapshot for all its statements, and takes no locks. */
  readOnly?: boolean;
  /**
   * The tenant whose rows the work reads and writes. Every statement names it already; a
   * driver may also hand it to the database as a second line of isolation (PostgreSQL's
   * row-level security policies read it from the `scim.tenant` setting).
   */
  tenant?: TenantKey;
}

export interface SqlDriver {
  dialect: SqlStoreDialect;
  /**
   * Runs `work` in one transaction on one connection and commits, or rolls back and rethrows.
   * Retries the whole transaction a few times on deadlocks and serialization failures, so
   * `work` must not have effects outside the database.
   */
  transaction<T>(work: (connection: SqlConnection) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs one read-only statement on any connection, in the implicit transaction every
   * statement has (one statement sees one snapshot): a GET by id then costs one round trip
   * instead of three.
   */
  read?<T = Record<string, unknown>>(sql: string, params?: readonly unknown[], tenant?: TenantKey): Promise<T[]>;
  /**
   * A driver error as a SCIM outcome: a unique-key violation becomes 409 `uniqueness` (naming
   * the attribute from `table`), a lost or refused connection 503; anything else unchanged.
   */
  translate(error: unknown, table?: TablePlan): unknown;
  /** Rejects with a 503 ScimError when the database does not answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
