import type { Db, Tx } from '../db/connect.js';
import type { Leaf } from './leaves.js';
import { logQueue } from './tables.js';

const MAX_LEAF_CHARS = 16_000;

/**
 * Queues a leaf in the caller's transaction: it exists exactly when the event
 * it records does. The sequencer gives it its index in the tree.
 */
export async function appendLeaf(db: Db | Tx, ...leaves: Leaf[]): Promise<void> {
  if (leaves.length === 0) return;
  leaves.forEach(checkLeafSize);
  await db.insert(logQueue).values(leaves.map((l) => ({ kind: l.type, subject: l.subject, data: l.data, record: l.record, salt: l.salt })));
}

/** Entry bundles carry at most 65,535 bytes per leaf; leaves are metadata, far below that. */
export function checkLeafSize(l: Leaf): void {
  if (l.record.length > MAX_LEAF_CHARS) throw new Error(`log leaf ${l.type} too large`);
}
