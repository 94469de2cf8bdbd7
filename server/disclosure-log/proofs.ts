import { and, asc, desc, eq, gt, gte, inArray, lt, lte } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { consistencyProof, consistencyProofNodes, inclusionProof, inclusionProofNodes } from '../../protocol/log/merkle.js';
import { addSignatures } from '../../protocol/log/note.js';
import type { Db } from '../db/connect.js';
import { fetchNodes } from './nodes.js';
import { logCheckpoints, logCosignatures, logLeaves, logNodes, logRecords } from './tables.js';
import { DIRECTORY_KINDS } from './leaves.js';

export async function inclusionProofAt(db: Db, crypto: CryptoPort, index: number, size: number): Promise<Uint8Array[]> {
  const nodes = await fetchNodes(db, inclusionProofNodes(index, size));
  return inclusionProof(crypto, index, size, (l, i) => nodes.get(l, i));
}

export async function consistencyProofBetween(db: Db, crypto: CryptoPort, oldSize: number, newSize: number): Promise<Uint8Array[]> {
  const nodes = await fetchNodes(db, consistencyProofNodes(oldSize, newSize));
  return consistencyProof(crypto, oldSize, newSize, (l, i) => nodes.get(l, i));
}

/** The newest signed checkpoint, with every witness cosignature collected for it. */
export async function latestCheckpoint(db: Db): Promise<{ size: number; rootHash: Uint8Array; note: string; cosignatures: number } | null> {
  const [cp] = await db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
  if (!cp) return null;
  const cosigs = await db.select({ line: logCosignatures.line }).from(logCosignatures).where(eq(logCosignatures.size, cp.size)).orderBy(asc(logCosignatures.witness));
  return { size: cp.size, rootHash: cp.rootHash, note: cosigs.length ? addSignatures(cp.note, cosigs.map((c) => c.line)) : cp.note, cosignatures: cosigs.length };
}

/** Hashes of one tile: nodes of tree level 8·L, indices [N·256, N·256+W). */
export async function tileHashes(db: Db, level: number, first: number, width: number): Promise<Uint8Array[]> {
  const rows = await db
    .select({ hash: logNodes.hash })
    .from(logNodes)
    .where(and(eq(logNodes.level, level * 8), gte(logNodes.index, first), lte(logNodes.index, first + width - 1)))
    .orderBy(asc(logNodes.index));
  return rows.map((r) => r.hash);
}

export async function leafRange(db: Db, first: number, count: number): Promise<{ index: number; data: string }[]> {
  return db
    .select({ index: logLeaves.index, data: logLeaves.data })
    .from(logLeaves)
    .where(and(gte(logLeaves.index, first), lte(logLeaves.index, first + count - 1)))
    .orderBy(asc(logLeaves.index));
}

/** A leaf, the record it commits to and the salt of the commitment (null for a version-1 leaf). */
export interface LeafWithRecord {
  index: number;
  data: string;
  record: string;
  salt: string | null;
}

/**
 * The latest (or, with `first`, the earliest) leaf recording an event about
 * `subject` (e.g. the acceptance of a message), within the first
 * `beforeSize` leaves, with its record.
 */
export async function leafOf(db: Db, kind: string, subject: string, beforeSize?: number, first = false): Promise<LeafWithRecord | null> {
  const [row] = await db
    .select({ index: logLeaves.index, data: logLeaves.data, record: logRecords.record, salt: logRecords.salt })
    .from(logLeaves)
    .innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
    .where(and(eq(logLeaves.kind, kind), eq(logLeaves.subject, subject), beforeSize === undefined ? undefined : lt(logLeaves.index, beforeSize)))
    .orderBy(first ? asc(logLeaves.index) : desc(logLeaves.index))
    .limit(1);
  return row ?? null;
}

/** The records of directory events after `after`, within the first `size` leaves, in log order. */
export async function directoryRecords(db: Db, after: number, limit: number, size: number) {
  return db
    .select({ index: logLeaves.index, kind: logLeaves.kind, subject: logLeaves.subject, record: logRecords.record, salt: logRecords.salt })
    .from(logLeaves)
    .innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
    .where(and(inArray(logLeaves.kind, [...DIRECTORY_KINDS]), gt(logLeaves.index, after), lt(logLeaves.index, size)))
    .orderBy(asc(logLeaves.index))
    .limit(limit);
}
