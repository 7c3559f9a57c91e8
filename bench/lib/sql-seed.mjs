// Seeding a million users over HTTP takes hours on a 2-core machine, so `--seed-sql` writes the
// users beyond the first HTTP-seeded ones straight into the database. Not a layout of its own:
// each row is a copy of a template user the server itself created over HTTP (every column as the
// server wrote it: document, key and folded columns, groups), with its number, id and timestamps
// replaced; then the row counts (scim_counts) are counted again and PostgreSQL's statistics updated,
// as after any bulk load. SQLite and PostgreSQL; MySQL/MariaDB keep element tables too (not done).

import { randomUUID } from 'node:crypto';
import { userBody } from './dataset.mjs';

/** The template's number: a string no other value of a bench user contains. */
const MARK = 987654321;
const ROWS_PER_STATEMENT = 500;

/**
 * A seeder for one server's database, or undefined for databases it does not handle.
 * `env` is the server's database environment (DATABASE_PATH or DATABASE_URL).
 */
export async function sqlSeeder(database, env, client) {
  if (database === 'sqlite') return seeder(await sqliteDb(env.DATABASE_PATH), client);
  if (database === 'postgres') return seeder(await postgresDb(env.DATABASE_URL), client);
  return undefined;
}

function seeder(db, client) {
  let template;
  return {
    /** Inserts `count` users numbered from `first`; returns them as { id, n }, in creation order. */
    async createUsers(first, count) {
      if (!template) {
        // The server writes the template row; its id is removed again after copying.
        const { id } = await client.expect(201, 'POST', '/Users', userBody(MARK));
        template = await db.row(id);
        await client.expect(204, 'DELETE', `/Users/${id}`);
      }
      const created = [];
      const mark = String(MARK);
      const base = Date.now();
      for (let start = 0; start < count; start += ROWS_PER_STATEMENT) {
        const rows = [];
        for (let i = start; i < Math.min(count, start + ROWS_PER_STATEMENT); i++) {
          const n = first + i;
          const id = randomUUID();
          // Distinct, increasing creation times, as the server gives them (list order).
          const at = new Date(base + i).toISOString();
          const row = {};
          for (const [column, value] of Object.entries(template)) {
            row[column] = typeof value === 'string' ? value.replaceAll(mark, String(n)) : value;
          }
          Object.assign(row, { id, created: at, last_modified: at, version: 1 });
          rows.push(row);
          created.push({ id, n });
        }
        await db.insert(rows);
        // better-sqlite3 blocks: let the HTTP client see the server close its idle sockets
        // meanwhile, or its next request goes out on a closed one (socket hang up).
        await new Promise((resolve) => setImmediate(resolve));
      }
      await db.recount();
      return created;
    },
    close: () => db.close(),
  };
}

async function sqliteDb(path) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path);
  db.pragma('busy_timeout = 10000');
  const statements = new Map();
  return {
    row: async (id) => db.prepare('SELECT * FROM users WHERE id = ?').get(id),
    insert: async (rows) => {
      const columns = Object.keys(rows[0]);
      let insert = statements.get(columns.join());
      if (!insert) {
        const names = columns.map((c) => `"${c}"`).join(', ');
        insert = db.prepare(`INSERT INTO users (${names}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(columns.join(), insert);
      }
      db.transaction(() => {
        for (const row of rows) insert.run(...columns.map((c) => row[c]));
      })();
    },
    // As for PostgreSQL below: the row counts, where the project has them, counted again.
    recount: async () => {
      if (!db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'scim_counts'").get()) return;
      db.transaction(() => {
        db.prepare("DELETE FROM scim_counts WHERE resource_table = 'users'").run();
        db.prepare("INSERT INTO scim_counts (tenant, resource_table, row_count) SELECT tenant, 'users', COUNT(*) FROM users GROUP BY tenant").run();
      })();
    },
    close: async () => db.close(),
  };
}

async function postgresDb(url) {
  const { default: pg } = await import('pg');
  const db = new pg.Client({ connectionString: url });
  // The bench drops the database at the end, which ends this connection too.
  db.on('error', () => {});
  await db.connect();
  return {
    row: async (id) => {
      // jsonb as text, so the template's number can be replaced in it.
      const { rows } = await db.query('SELECT *, document::text AS document FROM users WHERE id = $1', [id]);
      return rows[0];
    },
    insert: async (rows) => {
      const columns = Object.keys(rows[0]);
      const values = [];
      const tuples = rows.map((row) =>
        `(${columns.map((c) => {
          values.push(row[c]);
          return `$${values.length}`;
        })})`,
      );
      await db.query(`INSERT INTO users (${columns.map((c) => `"${c}"`).join(', ')}) VALUES ${tuples.join(', ')}`, values);
    },
    // The rows came in behind the store's back: count them again, as the migration adding
    // scim_counts does, and let the planner see the table's new size.
    recount: async () => {
      await db.query('BEGIN');
      await db.query("DELETE FROM scim_counts WHERE resource_table = 'users'");
      await db.query(
        "INSERT INTO scim_counts (tenant, resource_table, shard, row_count) SELECT tenant, 'users', 0, COUNT(*) FROM users GROUP BY tenant",
      );
      await db.query('COMMIT');
      await db.query('ANALYZE users');
    },
    close: () => db.end(),
  };
}
