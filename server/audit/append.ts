import type { Db, Tx } from '../db/connect.js';
import type { Leaf } from './leaves.js';
import { logQueue } from './tables.js';

/**
 * Queues a leaf in the caller's transaction: it exists exactly when the event
 * it records does. The sequencer gives it its index in the tree.
 */
export async function appendLeaf(db: Db | Tx, ...leaves: Leaf[]): Promise<void> {
  if (leaves.length === 0) return;
  await db.insert(logQueue).values(leaves.map((l) => ({ kind: l.type, subject: l.subject, data: l.data })));
}
