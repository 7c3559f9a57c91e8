// MySQL 8 / MariaDB spelling of what the SQL store core and the filter compiler need. Only
// features both servers share: ? placeholders, backtick identifiers, JSON_EXTRACT / JSON_UNQUOTE
// / JSON_LENGTH / JSON_TABLE, JSON_ARRAYAGG, REGEXP_SUBSTR /
// REGEXP_REPLACE, INSERT IGNORE and ON DUPLICATE KEY.
//
// Comparisons are case-exact unless the compiler folds: every text column is utf8mb4_bin (see
// the migrations), JSON_UNQUOTE returns utf8mb4_bin on both servers, and the driver sets the
// connection collation to utf8mb4_bin, so bound values and literals compare by code point too.
// utf8mb4_bin pads with spaces, so "=" ignores trailing spaces ("bob" = "bob "); the substring
// operators below use INSTR, which does not.
//
// Case-insensitive matching: indexed attributes have folded key columns written by the store
// (storage.ts foldCase, JS toLowerCase), so `userName eq "x"` is an index lookup and
// uniqueness is an ordinary UNIQUE index. Other attributes are folded at query time with
// LOWER(), which agrees with toLowerCase (compared over every code point on MariaDB 10.11) for
// ASCII, Latin-1, Latin Extended-A and the modern Greek and Cyrillic alphabets. It differs where
// the server's case tables are older than JavaScript's: "İ" (JS gives "i̇"), a word-final "Σ"
// (JS gives "ς", LOWER "σ"), and about 800 letters added to Unicode later (Georgian Mtavruli,
// Cherokee, Deseret, Adlam, parts of Latin Extended-B/C/D ...). A document attribute holding
// those in upper case matches a case-insensitive filter only as written.

import type { AttributeType } from '../scim/schema.js';
import type { SqlStoreDialect } from '../database-sql/driver.js';

/** The membership table's AUTO_INCREMENT column: the order members were added in. */
export const MEMBERSHIP_SEQUENCE = 'seq';

/** The one column of a JSON_TABLE over an array: each element as JSON. */
const ELEMENT = '`value`';

const quoteId = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** JSON path keys are always quoted, so URNs with ":" and "." stay one key. */
function pathKey(key: string | number): string {
  if (typeof key === 'number') return `[${key}]`;
  if (key.includes('"') || key.includes('\\')) throw new Error(`Unsupported JSON key: ${key}`);
  return `."${key}"`;
}

/**
 * A JSON value (MySQL's JSON type, MariaDB's JSON text) as the SQL value the compiler compares:
 * numbers as DOUBLE, like JavaScript; everything else as unquoted text, booleans included
 * ("true"/"false", which is what bindValue binds for a boolean literal).
 */
function scalar(json: string, type: AttributeType): string {
  if (type === 'integer' || type === 'decimal') return `CAST(JSON_UNQUOTE(${json}) AS DOUBLE)`;
  return `JSON_UNQUOTE(${json})`;
}

/**
 * ISO 8601 text in any offset as a UTC DATETIME(6). `expr` may hold a placeholder, so it is
 * evaluated once, in a one-row JSON_TABLE, and its parts are taken from that row: the local
 * time (offset cut, "T" made a space) minus the offset as a TIME. No offset means UTC.
 * SUBTIME rather than CONVERT_TZ, which leaves values outside 1970-2038 unconverted.
 */
function dateTime(expr: string): string {
  const text = 'dt.`v`';
  const local = `REPLACE(REGEXP_REPLACE(${text}, '(Z|[+-][0-9]{2}:[0-9]{2})$', ''), 'T', ' ')`;
  const offset = `REPLACE(REGEXP_SUBSTR(${text}, '[+-][0-9]{2}:[0-9]{2}$'), '+', '')`;
  // MariaDB's REGEXP_SUBSTR returns '' where MySQL's returns NULL when nothing matches.
  const utc = `SUBTIME(CAST(${local} AS DATETIME(6)), CAST(COALESCE(NULLIF(${offset}, ''), '00:00') AS TIME))`;
  return `(SELECT ${utc} FROM JSON_TABLE(JSON_ARRAY(UPPER(${expr})), '$[0]' COLUMNS (\`v\` VARCHAR(255) PATH '$')) dt)`;
}

/**
 * One ORDER BY term with absent values last when ascending and first when descending (RFC 7644
 * §3.4.2.3): the opposite of where MySQL puts NULL, with no NULLS FIRST/LAST to say so. `expr`
 * may hold a placeholder, so it cannot appear twice (`x IS NULL, x`): numbers are negated and
 * sorted the other way; text is prefixed with "0" and NULL becomes "1", which sorts after it.
 */
function orderBy(expr: string, descending: boolean, type: AttributeType): string {
  if (type === 'integer' || type === 'decimal') return `-(${expr}) ${descending ? 'ASC' : 'DESC'}`;
  return `IFNULL(CONCAT('0', ${expr}), '1') ${descending ? 'DESC' : 'ASC'}`;
}

export const mysqlDialect: SqlStoreDialect = {
  quoteId,
  placeholder: () => '?',
  // JSON true/false unquote to the text "true"/"false" (MariaDB has no JSON type to compare).
  bindValue: (value) => (typeof value === 'boolean' ? String(value) : value),
  jsonPath: (keys) => `$${keys.map(pathKey).join('')}`,
  jsonValue: (doc, path, type) => scalar(`JSON_EXTRACT(${doc}, ${path})`, type),
  jsonArrayLength: (doc, path) => `JSON_LENGTH(${doc}, ${path})`,
  // JSON_TABLE's own path must be a literal, so the bound path selects the value first; the
  // second JSON_EXTRACT lists an array's elements or an object's member values (`name pr`).
  jsonElements: (doc, path, alias) =>
    `JSON_TABLE(JSON_EXTRACT(JSON_EXTRACT(${doc}, ${path}), '$[*]', '$.*'), '$[*]' ` +
    `COLUMNS (${ELEMENT} JSON PATH '$')) ${alias}`,
  elementValue: (alias, type) => scalar(`${alias}.${ELEMENT}`, type),
  // JSON_EXTRACT of a key from a scalar element is NULL, as the contract asks.
  elementField: (alias, path, type) => scalar(`JSON_EXTRACT(${alias}.${ELEMENT}, ${path})`, type),
  fold: (expr) => `LOWER(${expr})`,
  // INSTR rather than LIKE: "%" and "_" in the value are ordinary characters. The haystack
  // comes first in the text, as its placeholders were bound before the needle's.
  startsWith: (expr, needle) => `INSTR(${expr}, ${needle()}) = 1`,
  endsWith: (expr, needle) => `INSTR(REVERSE(${expr}), REVERSE(${needle()})) = 1`,
  contains: (expr, needle) => `INSTR(${expr}, ${needle()}) > 0`,
  dateTime,
  orderBy,
  // IGNORE also turns other errors into warnings; the core only uses it for membership rows
  // whose owner it has locked and whose member it has just looked up.
  insertIgnoring: (table, columns) =>
    `INSERT IGNORE INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')}) ` +
    `VALUES (${columns.map(() => '?').join(', ')})`,
  // VALUES(col) is deprecated in MySQL 8.0.20+ in favour of a row alias MariaDB lacks; it works on both.
  upsert: (table, key, columns) => {
    const others = columns.filter((c) => c !== key);
    const updates = (others.length > 0 ? others : [key]).map((c) => `${quoteId(c)} = VALUES(${quoteId(c)})`);
    return (
      `INSERT INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')}) ` +
      `VALUES (${columns.map(() => '?').join(', ')}) ON DUPLICATE KEY UPDATE ${updates.join(', ')}`
    );
  },
  membershipSequence: MEMBERSHIP_SEQUENCE,
  currentSchema: 'DATABASE()',
  // emails.value is indexed in a table of its own (database-sql/element-tables.ts): MySQL's
  // multi-valued indexes cannot hold folded values, and MariaDB has none. Its keys are
  // VARCHAR(767): with the tenant (4 bytes) before it, the longest an InnoDB key holds in utf8mb4 (3072 bytes).
  elementTables: { keyLength: 767 },
  // JSON_ARRAYAGG is capped at group_concat_max_len on MariaDB: the session raises it (index.ts).
  jsonArrayAgg: (values) => `JSON_ARRAYAGG(JSON_ARRAY(${values.join(', ')}))`,
};
