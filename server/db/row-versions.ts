/**
 * Optimistic checks on rows a decision read without a lock: each row's
 * version is PostgreSQL's `xmin`, which every update of the row changes. A
 * decision keeps the token of the rows it read; the statement that acts on
 * it share-locks the same rows and acts only if their token is unchanged (a
 * statement that waited for the lock compares the rows as committed). The
 * token's text is made here only, in JavaScript and in SQL alike.
 *
 * @example
 * const token = rowsToken(rows.map((r) => ({ key: r.version, rowVersion: r.rowVersion })));
 * sql`… where ${rowsUnchanged(protocols, protocols.version, sql`${protocols.id} = ${id}`, sql.placeholder('token'))}`
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

/** A row's version, to select beside its columns. */
export const rowVersionOf = (table: PgTable): SQL<string> => sql<string>`${table}.xmin::text`;

/**
 * The token of rows read: each key with its row version, in key order,
 * joined by commas; '' for no rows. Keys are integers or lower-case UUIDs,
 * whose order is the same here and in PostgreSQL.
 */
export function rowsToken(rows: { key: number | string; rowVersion: string }[]): string {
  const order = (a: number | string, b: number | string) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);
  return [...rows]
    .sort((a, b) => order(a.key, b.key))
    .map((r) => `${r.key}:${r.rowVersion}`)
    .join(',');
}

/** For a statement: true when the rows of `table` that `where` selects have the token `token` (rowsToken), each share-locked until the statement ends. */
export function rowsUnchanged(table: PgTable, key: PgColumn, where: SQL, token: SQLWrapper): SQL {
  return sql`coalesce((select string_agg(r.key::text || ':' || r.row_version, ',' order by r.key)
                       from (select ${key} as key, ${rowVersionOf(table)} as row_version from ${table} where ${where} for share) as r), '') = ${token}`;
}
