// A row of the hub's database held locked for update by a transaction of the
// test's own, as a revocation or a retirement holds it until it commits: a
// message that needs the row waits, and the test sees it waiting in
// pg_stat_activity (never a sleep) before it commits a change or rolls back.
import pg from 'pg';
import type { Test } from 'tap';
import { eventually } from './env.js';

export interface HeldRow {
  /** The test's own connection: for counting what was stored once the lock is let go. */
  db: pg.Client;
  /** Resolves once another session of the hub's database waits for a lock. */
  someoneWaits(): Promise<unknown>;
  /** Runs these statements in the open transaction, then commits it. */
  commit(...statements: [text: string, params: unknown[]][]): Promise<void>;
  /** Lets the row go unchanged. */
  rollback(): Promise<void>;
}

/**
 * Locks the rows `lockQuery` selects (`select 1 from … where … for update`) in a transaction left open.
 *
 * @example
 * const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from consents where id = $1 for update', [id]);
 * const sent = codeOf(send());
 * await held.someoneWaits();
 * await held.commit(['update consents set revoked_at = now() where id = $1', [id]]);
 */
export async function holdRows(t: Test, databaseUrl: string | undefined, lockQuery: string, params: unknown[]): Promise<HeldRow> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query('begin');
  await db.query(lockQuery, params);
  const waiting = async () =>
    (await db.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`)).rows[0].n > 0;
  return {
    db,
    someoneWaits: () => eventually(waiting),
    async commit(...statements) {
      for (const [text, values] of statements) await db.query(text, values);
      await db.query('commit');
    },
    async rollback() {
      await db.query('rollback');
    },
  };
}
