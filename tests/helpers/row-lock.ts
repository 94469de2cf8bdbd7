// A row of the hub's database held locked for update by a transaction of the
// test's own, as a revocation or a retirement holds it until it commits: a
// message that needs the row waits, and the test sees it waiting in
// pg_stat_activity (never a sleep) before it commits a change or rolls back.
import pg from 'pg';
import type { Test } from 'tap';
import { ACCEPTANCE_STATEMENT_MARK } from '../../server/messages/accept.js';
import { eventually } from './env.js';

/** The statement that accepts a message (server/messages/accept.ts), by the mark its text begins with. */
export const ACCEPTANCE_STATEMENT = ACCEPTANCE_STATEMENT_MARK;

export interface LockWatcher {
  /**
   * Resolves once at least `count` sessions of the hub's database wait for a
   * lock, other than the test's own; with `statement`, only sessions whose
   * current statement contains that text count.
   */
  waits(opts?: { statement?: string; count?: number; timeoutMs?: number }): Promise<unknown>;
}

/**
 * Sessions waiting for a lock, seen from a connection of the test's own that
 * is never inside a transaction: PostgreSQL snapshots pg_stat_activity at a
 * transaction's first look at it, so a transaction that holds a lock and
 * polls would never see a session the hub opened since (a pool that grew
 * under load), and would show the statements its sessions ran then.
 */
export async function watchLocks(t: Test, databaseUrl: string | undefined, ignore: () => number[] = () => []): Promise<LockWatcher> {
  const watcher = new pg.Client({ connectionString: databaseUrl });
  await watcher.connect();
  t.teardown(() => watcher.end());
  const waiting = async (statement: string | undefined) => {
    const { rows } = await watcher.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and not (pid = any($1::int[]))
          and wait_event_type = 'Lock' and ($2::text is null or strpos(query, $2::text) > 0)`,
      [ignore(), statement ?? null],
    );
    return rows[0]!.n;
  };
  return {
    waits: ({ statement, count = 1, timeoutMs } = {}) => eventually(async () => (await waiting(statement)) >= count, timeoutMs),
  };
}

export interface HeldRow {
  /** The test's own connection: for counting what was stored once the lock is let go. */
  db: pg.Client;
  /** Resolves once another session of the hub's database waits for a lock. */
  someoneWaits(): Promise<unknown>;
  /** Resolves once a session whose current statement contains `statement` waits for a lock (ACCEPTANCE_STATEMENT: a message). */
  statementWaits(statement: string, timeoutMs?: number): Promise<unknown>;
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
  const { rows } = await db.query<{ pid: number }>('select pg_backend_pid() as pid');
  const holder = rows[0]!.pid;
  const watcher = await watchLocks(t, databaseUrl, () => [holder]);
  await db.query('begin');
  await db.query(lockQuery, params);
  return {
    db,
    someoneWaits: () => watcher.waits(),
    statementWaits: (statement, timeoutMs) => watcher.waits({ statement, timeoutMs }),
    async commit(...statements) {
      for (const [text, values] of statements) await db.query(text, values);
      await db.query('commit');
    },
    async rollback() {
      await db.query('rollback');
    },
  };
}
