import type { Db } from './connect.js';

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
