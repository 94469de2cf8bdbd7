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
  session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: false): { execute(): Promise<unknown> } };
}

/**
 * Runs a hand-built statement whose text never changes (only its
 * parameters do) as a named prepared statement: PostgreSQL parses and plans
 * it once per connection instead of at every call. Same result as
 * `db.execute(statement)`. A text that changed under the same name would be
 * refused by node-postgres, so each call site owns its name.
 */
export async function executeNamed(db: Db | Tx, name: string, statement: SQL): Promise<unknown> {
  const { dialect, session } = db as unknown as Internals;
  return session.prepareQuery(dialect.sqlToQuery(statement), undefined, name, false).execute();
}
