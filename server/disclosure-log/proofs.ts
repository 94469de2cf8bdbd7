import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import { addSignatures } from '../../protocol/log/note.js';
import { MAX_ENTRY_BYTES, TILE_WIDTH } from '../../protocol/log/tiles.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Db } from '../db/connect.js';
import { logCheckpoints, logCosignatures, logLeaves, logNodes, logRecords } from './tables.js';
import { DIRECTORY_KINDS } from './leaves.js';

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

/**
 * The C2SP entry bundles of consecutive level-0 tiles [firstTile, firstTile
 * + tiles), the last one cut at `endLeaf`, in one query: PostgreSQL
 * concatenates each tile's leaves, so a bundle is one UTF-8 encoding and a
 * copy per entry rather than a row, a string and an allocation per leaf.
 * A tile with a leaf missing comes back short (the caller answers
 * TILE_NOT_FOUND); an entry over 65,535 bytes throws ENTRY_BUNDLE_INVALID.
 */
// A constant of the query text, so that the grouped expression is the selected one.
const PER_TILE = sql.raw(String(TILE_WIDTH));

export async function entryBundles(db: Db, firstTile: number, tiles: number, endLeaf: number): Promise<{ tile: number; count: number; bundle: Buffer }[]> {
  const res = (await db.execute(
    sql`select index / ${PER_TILE} as tile, count(*)::int as count,
               string_agg(data, '' order by index) as data, string_agg(octet_length(data)::text, ',' order by index) as lengths
        from log_leaves where index >= ${firstTile * TILE_WIDTH} and index < ${Math.min(endLeaf, (firstTile + tiles) * TILE_WIDTH)}
        group by 1 order by 1`,
  )) as unknown as { rows: { tile: string | number; count: number; data: string; lengths: string }[] };
  return res.rows.map((r) => {
    const lengths = r.lengths.split(',').map(Number);
    const head = 2 * lengths.length;
    // One allocation per bundle: the leaves' text is encoded at its end, then each entry is moved
    // down into place behind its length (in order, each move lands before what is still to move).
    const bundle = Buffer.allocUnsafe(head + Buffer.byteLength(r.data, 'utf8'));
    bundle.write(r.data, head, 'utf8');
    let from = head;
    let to = 0;
    for (const length of lengths) {
      if (length > MAX_ENTRY_BYTES) throw new ProtocolError('ENTRY_BUNDLE_INVALID', 'entry longer than 65,535 bytes');
      bundle.copyWithin(to + 2, from, from + length);
      bundle.writeUInt16BE(length, to);
      from += length;
      to += 2 + length;
    }
    if (from !== bundle.length) throw new Error('log leaves: lengths and text disagree');
    return { tile: Number(r.tile), count: r.count, bundle };
  });
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

/**
 * Full entry bundles, which never change, read ahead a page at a time when
 * tiles are asked for in order (an auditor downloading the whole log asks
 * for tile n after n − 1, several at once): one query per page, and tiles
 * asked for while their page is being read wait for it. A tile asked for
 * out of order is read alone. Holds at most `maxTiles` bundles and
 * `maxBytes` bytes, the oldest read dropped first.
 */
export class EntryBundleCache {
  readonly #tiles = new Map<number, Promise<Buffer | null>>();
  readonly #bytes = new Map<number, number>();
  #total = 0;

  constructor(
    private readonly db: Db,
    private readonly page = 16,
    private readonly maxTiles = 64,
    private readonly maxBytes = 32 * 2 ** 20,
  ) {}

  /** The bundle of full tile `n` in a tree of `size` leaves (n < ⌊size / 256⌋), or null when a leaf is missing. */
  get(n: number, size: number): Promise<Buffer | null> {
    const held = this.#tiles.get(n);
    if (held) return held;
    const full = Math.floor(size / TILE_WIDTH);
    const count = n === 0 || this.#tiles.has(n - 1) ? Math.min(this.page, full - n) : 1;
    const read = entryBundles(this.db, n, count, (n + count) * TILE_WIDTH);
    for (let k = n; k < n + count; k++) {
      if (this.#tiles.has(k)) continue;
      const tile = read.then((rows) => {
        const row = rows.find((r) => r.tile === k);
        const bundle = row && row.count === TILE_WIDTH ? row.bundle : null;
        this.#keep(k, bundle);
        return bundle;
      });
      // A failed read is not kept: the next request reads again.
      tile.catch(() => this.#drop(k));
      this.#tiles.set(k, tile);
    }
    this.#evict();
    return this.#tiles.get(n)!;
  }

  #keep(n: number, bundle: Buffer | null): void {
    if (!this.#tiles.has(n)) return;
    if (!bundle) return this.#drop(n);
    this.#bytes.set(n, bundle.length);
    this.#total += bundle.length;
    this.#evict();
  }

  #drop(n: number): void {
    this.#tiles.delete(n);
    this.#total -= this.#bytes.get(n) ?? 0;
    this.#bytes.delete(n);
  }

  #evict(): void {
    // Oldest first (a Map iterates in insertion order); a page being read counts as a tile.
    for (const n of this.#tiles.keys()) {
      if (this.#tiles.size <= this.maxTiles && this.#total <= this.maxBytes) break;
      this.#drop(n);
    }
  }
}
