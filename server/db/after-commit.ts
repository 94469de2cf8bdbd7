import type { Db, Tx } from './connect.js';

/** Something to do once a transaction's writes are visible; it gets the database the transaction ran on. */
export type CommitHook = (db: Db) => void;

const pending = new WeakMap<object, { db: Db; hooks: Set<CommitHook> }>();
const tracked = new WeakSet<object>();

/**
 * Makes `db.transaction()` run the hooks its transactions registered with
 * `afterCommit`, once each, after the commit (never after a rollback).
 * connectDatabase() calls it on every database it opens.
 */
export function trackCommits(db: Db): Db {
  if (tracked.has(db)) return db;
  tracked.add(db);
  const transaction = db.transaction.bind(db);
  db.transaction = (async (run: (tx: Tx) => Promise<unknown>, config?: Parameters<Db['transaction']>[1]) => {
    const hooks = new Set<CommitHook>();
    const result = await transaction(async (tx) => {
      pending.set(tx, { db, hooks });
      return run(tx);
    }, config);
    for (const hook of hooks) hook(db);
    return result;
  }) as Db['transaction'];
  return db;
}

/**
 * Runs `hook` after the caller's transaction commits; given a database handle
 * rather than a transaction, the write already happened: it runs now. A hook
 * registered twice in one transaction runs once.
 */
export function afterCommit(dbOrTx: Db | Tx, hook: CommitHook): void {
  const open = pending.get(dbOrTx);
  if (open) open.hooks.add(hook);
  else hook(dbOrTx as Db);
}
