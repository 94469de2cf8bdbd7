import { sql, type SQL } from 'drizzle-orm';
import { afterCommit } from '../db/after-commit.js';
import type { Db, Tx } from '../db/connect.js';
import type { Leaf } from './leaves.js';
import { logQueue } from './tables.js';

const MAX_LEAF_CHARS = 16_000;

/** The sequencer of each database: woken once a transaction that queued leaves commits. */
const sequencers = new WeakMap<Db, () => void>();

/** The disclosure log plugin names the sequencer its database's leaves wake. */
export function wakeOnCommit(db: Db, kick: () => void): void {
  sequencers.set(db, kick);
}

const wake = (db: Db) => sequencers.get(db)?.();

/**
 * Queues leaves in the caller's transaction: they exist exactly when the
 * event they record does. The sequencer gives them their index in the tree;
 * it is woken when the transaction commits (and by its interval anyway).
 */
export async function appendLeaf(db: Db | Tx, ...leaves: Leaf[]): Promise<void> {
  if (leaves.length === 0) return;
  leaves.forEach(checkLeafSize);
  await db.insert(logQueue).values(leaves.map((l) => ({ kind: l.type, subject: l.subject, data: l.data, record: l.record, salt: l.salt })));
  afterCommit(db, wake);
}

/**
 * For a statement of the hot path, prepared once: the insert of one leaf
 * (its columns are placeholders, which `leafValues` fills) for each row the
 * select yields (none: no leaf).
 */
export function leafFrom(rows: SQL): SQL {
  const c = (col: { name: string }) => sql.identifier(col.name);
  const p = (name: keyof ReturnType<typeof leafValues>) => sql.placeholder(name);
  return sql`insert into ${logQueue} (${c(logQueue.kind)}, ${c(logQueue.subject)}, ${c(logQueue.data)}, ${c(logQueue.record)}, ${c(logQueue.salt)})
    select ${p('leaf_kind')}::text, ${p('leaf_subject')}::text, ${p('leaf_data')}::text, ${p('leaf_record')}::text, ${p('leaf_salt')}::text from (${rows}) as x`;
}

/** The values of leafFrom's placeholders for `leaf`. */
export function leafValues(leaf: Leaf) {
  checkLeafSize(leaf);
  return { leaf_kind: leaf.type, leaf_subject: leaf.subject, leaf_data: leaf.data, leaf_record: leaf.record, leaf_salt: leaf.salt };
}

/**
 * Wakes the sequencer once the write that queued leaves through `leafFrom`
 * is committed: now, given the database a statement ran on; after the commit,
 * given a transaction.
 */
export function leavesQueued(db: Db | Tx): void {
  afterCommit(db, wake);
}

/** Entry bundles carry at most 65,535 bytes per leaf; leaves are metadata, far below that. */
function checkLeafSize(l: Leaf): void {
  if (l.record.length > MAX_LEAF_CHARS) throw new Error(`log leaf ${l.type} too large`);
}
