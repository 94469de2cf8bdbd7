import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './connect.js';

/**
 * A statement of the hot path, prepared once per database handle: drizzle
 * builds its SQL once, and PostgreSQL parses the named statement once per
 * connection. `build` names it (`.prepare('vigie_…')`).
 */
export function preparedOnce<T>(build: (db: Db) => T): (db: Db) => T {
  const byDb = new WeakMap<Db, T>();
  return (db) => {
    let prepared = byDb.get(db);
    if (prepared === undefined) byDb.set(db, (prepared = build(db)));
    return prepared;
  };
}

/** drizzle's own way to run a query (what `execute` does), reached to give the statement a name. */
interface Internals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: false): { execute(values?: Record<string, unknown>): Promise<unknown> };
  };
}

/**
 * A hand-built statement of the hot path whose values are all placeholders
 * (`sql.placeholder(…)`): drizzle renders its text once, at the first call,
 * and every call runs it as the named prepared statement `name` — which
 * PostgreSQL parses and plans once per connection — with `values` for the
 * placeholders, on the handle it is given (the pool or a transaction; `build`
 * is given the first, for drizzle's builders). Same result as
 * `db.execute(statement)`.
 *
 * @example
 * const byId = namedStatement('vigie_x', () => sql`select * from x where id = ${sql.placeholder('id')}`);
 * await byId(tx, { id });
 */
export function namedStatement(name: string, build: (db: Db | Tx) => SQL): (db: Db | Tx, values: Record<string, unknown>) => Promise<unknown> {
  let query: { sql: string; params: unknown[] } | null = null;
  return (db, values) => {
    const { dialect, session } = db as unknown as Internals;
    query ??= dialect.sqlToQuery(build(db));
    return session.prepareQuery(query, undefined, name, false).execute(values);
  };
}

/** A json column's value: node-postgres parses it, PGlite may hand it over as text. */
export const jsonColumn = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
