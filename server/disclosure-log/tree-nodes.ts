import { desc, sql } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { bytesEqual } from '../../protocol/encoding.js';
import { parentHashes } from '../../protocol/log/batch-hash.js';
import { parseCheckpoint } from '../../protocol/log/checkpoint.js';
import { consistencyProof, consistencyProofNodes, frontier, inclusionProof, inclusionProofNodes, nodeHash, rootFromNodes } from '../../protocol/log/merkle.js';
import { parseNote, verifyNoteSignature, type ParsedVkey } from '../../protocol/log/note.js';
import { TILE_WIDTH } from '../../protocol/log/tiles.js';
import { HASH_SIZE, type NodeId } from '../../protocol/log/tree-hash.js';
import type { Db } from '../db/connect.js';
import { fetchNodes, NodeMap } from './nodes.js';
import { logCheckpoints } from './tables.js';

/** Tree levels inside one level-0 tile: nodes below this level are hashed from the tile's 256 leaf hashes. */
const TILE_LEVELS = Math.log2(TILE_WIDTH);
const TILE_BYTES = TILE_WIDTH * HASH_SIZE;
// A constant of the query text, so that the grouped expression is the selected one.
const PER_TILE = sql.raw(String(TILE_WIDTH));
// Tiles read in the background after a proof missed them, at most this many at once.
const MISSED_TILE_READS = 2;
// After a checkpoint whose tree could not be checked, the next try waits this long.
const RETRY_MS = 1000;

export interface TreeNodesOptions {
  /** Full level-0 tiles held (16 KiB each, leaf hashes and the levels above them): 4,096 hold 1,048,576 leaves in 64 MiB. */
  maxTiles?: number;
  /** Tiles read per query when reading ahead. */
  page?: number;
  /**
   * A checkpoint whose tree could not be checked (its signature, a node
   * missing or not the hash of its children, a root that differs): told once
   * per checkpoint; proofs are then read from the table until one can be.
   */
  onRefused?: (size: number, reason: string) => void;
}

/**
 * The log's tree held in memory, so that a proof is answered without a
 * query — and only what a signed checkpoint vouches for, so that a table
 * altered behind the hub's back, even for a moment, is never answered from
 * memory once restored:
 * - the newest checkpoint is read and its signature checked with the hub's key;
 * - the stored nodes at tree level 8 and above that lie within it (one per
 *   128 leaves) are read, each checked to be the hash of its two children,
 *   and the checkpoint's root recomputed from them and from the right edge
 *   below level 8: only if it matches are they held (and the edge, for
 *   proofs at that size);
 * - the leaf hashes of the newest `maxTiles` full tiles, a page per query,
 *   with the levels above them hashed once, each held only if it hashes to
 *   its level-8 node held above.
 * `load()` does all of it (the hub calls it before it says it is ready); a
 * proof that names a larger tree starts it again in the background (only
 * what is new is read: the nodes above level 8, and tiles not held). A node
 * not held is read in one query, as before, and used for that proof only; a
 * full tile it falls in is read for the next ones (two such reads at most at
 * a time).
 */
export class TreeNodes {
  #upper = new NodeMap();
  /** The right edge below level 8 of the tree of #size leaves. */
  #edge = new NodeMap();
  readonly #tiles = new Map<number, Uint8Array[]>();
  readonly #maxTiles: number;
  readonly #page: number;
  /** The size of the signed tree everything held is checked against. */
  #size = 0;
  #loading: Promise<void> | null = null;
  readonly #tileReads = new Map<number, Promise<void>>();
  #closed = false;
  /** Bumped by forget(): a read that started before is not kept. */
  #epoch = 0;
  /** After a checkpoint that could not be checked: no new read before this time. */
  #retryAt = 0;
  /** The last checkpoint that could not be checked (reported once). */
  #refused: number | null = null;
  readonly #onRefused: (size: number, reason: string) => void;

  constructor(
    private readonly db: Db,
    private readonly crypto: CryptoPort,
    private readonly logKey: ParsedVkey,
    options: TreeNodesOptions = {},
  ) {
    this.#maxTiles = options.maxTiles ?? 4096;
    this.#page = options.page ?? 64;
    this.#onRefused = options.onRefused ?? (() => undefined);
  }

  /** PATH(index, D[size]) of RFC 6962, from memory where it can. */
  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    const nodes = await this.nodes(inclusionProofNodes(index, size), size);
    return inclusionProof(this.crypto, index, size, (l, i) => nodes.get(l, i));
  }

  /** PROOF(oldSize, D[newSize]) of RFC 6962, from memory where it can. */
  async consistencyProof(oldSize: number, newSize: number): Promise<Uint8Array[]> {
    const nodes = await this.nodes(consistencyProofNodes(oldSize, newSize), newSize);
    return consistencyProof(this.crypto, oldSize, newSize, (l, i) => nodes.get(l, i));
  }

  /** The nodes `ids` of a tree of `size` leaves: from memory, the rest in one query (not kept). */
  async nodes(ids: NodeId[], size: number): Promise<NodeMap> {
    // A tree signed since: its new nodes and tiles are read and checked in the background
    // (after a checkpoint that could not be checked, not before a second has passed).
    if (size > this.#size && !this.#closed && Date.now() >= this.#retryAt) void this.load().catch(() => undefined);
    const found = new NodeMap();
    const missing: NodeId[] = [];
    for (const id of ids) {
      const hash = this.#held(id, size);
      if (hash) found.set(id.level, id.index, hash);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    (await fetchNodes(this.db, missing)).forEach((level, index, hash) => found.set(level, index, hash));
    for (const id of missing) {
      const tile = Math.floor((id.index * 2 ** id.level) / TILE_WIDTH);
      if (id.level < TILE_LEVELS && this.#upper.has(TILE_LEVELS, tile)) this.#readMissedTile(tile);
    }
    return found;
  }

  /** What is held: full tiles, nodes at level 8 and above, and the size they were checked against. */
  get held(): { tiles: number[]; upper: number; size: number } {
    return { tiles: [...this.#tiles.keys()].sort((a, b) => a - b), upper: this.#upper.size, size: this.#size };
  }

  /**
   * Reads and checks the newest signed tree's upper nodes, then its newest
   * full tiles not yet held, a page per query. One at a time: a call while
   * one is under way gets that one.
   */
  load(): Promise<void> {
    this.#loading ??= this.#load().finally(() => (this.#loading = null));
    return this.#loading;
  }

  async #load(): Promise<void> {
    await this.#readSigned();
    const full = Math.floor(this.#size / TILE_WIDTH);
    // Beyond the limit, the newest tiles: recent leaves are the ones proofs are asked for most.
    // Only the tiles not held are read: runs of them, a page at most per query.
    for (let first = Math.max(0, full - this.#maxTiles); first < full && !this.#closed; ) {
      if (this.#tiles.has(first)) {
        first++;
        continue;
      }
      let count = 1;
      while (count < this.#page && first + count < full && !this.#tiles.has(first + count)) count++;
      await this.#readTiles(first, count);
      first += count;
    }
  }

  /**
   * Drops everything held (the hub's integrity check found the stored tree
   * altered, or sound again): it is read and checked anew.
   */
  forget(): void {
    this.#epoch += 1;
    this.#upper = new NodeMap();
    this.#edge = new NodeMap();
    this.#tiles.clear();
    this.#size = 0;
    this.#retryAt = 0;
    this.#refused = null;
  }

  /** Stops reading ahead and waits for the reads under way (the hub's close, before the database's). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([this.#loading, ...this.#tileReads.values()]);
  }

  #held(id: NodeId, size: number): Uint8Array | undefined {
    if (id.level >= TILE_LEVELS) return this.#upper.find(id.level, id.index);
    const perTile = TILE_WIDTH / 2 ** id.level;
    const tile = Math.floor(id.index / perTile);
    const levels = this.#tiles.get(tile);
    if (!levels) return size === this.#size ? this.#edge.find(id.level, id.index) : undefined;
    // Most recently used last.
    this.#tiles.delete(tile);
    this.#tiles.set(tile, levels);
    const at = (id.index - tile * perTile) * HASH_SIZE;
    return levels[id.level]!.slice(at, at + HASH_SIZE);
  }

  /** The newest checkpoint: its size, and its root if its signature is the log key's (null otherwise). */
  async #newestSigned(): Promise<{ size: number; rootHash: Uint8Array | null } | null> {
    const [row] = await this.db.select({ size: logCheckpoints.size, note: logCheckpoints.note }).from(logCheckpoints).orderBy(desc(logCheckpoints.size)).limit(1);
    if (!row) return null;
    try {
      const note = parseNote(row.note);
      const checkpoint = parseCheckpoint(note.text);
      return { size: row.size, rootHash: verifyNoteSignature(this.crypto, note, this.logKey) && checkpoint.size === row.size ? checkpoint.rootHash : null };
    } catch {
      return { size: row.size, rootHash: null };
    }
  }

  /** Reads the upper nodes new within the newest signed tree, and holds them once its root is recomputed from them. */
  async #readSigned(): Promise<void> {
    const epoch = this.#epoch;
    const signed = await this.#newestSigned();
    if (!signed || signed.size <= this.#size) return;
    const refusal = await this.#checkSigned(signed, epoch);
    if (epoch !== this.#epoch || this.#closed) return;
    if (refusal === null) {
      this.#retryAt = 0;
      this.#refused = null;
      return;
    }
    this.#retryAt = Date.now() + RETRY_MS;
    if (this.#refused !== signed.size) this.#onRefused(signed.size, refusal);
    this.#refused = signed.size;
  }

  /** Holds the tree of `signed` if it checks (null), else says why and holds nothing new. */
  async #checkSigned(signed: { size: number; rootHash: Uint8Array | null }, epoch: number): Promise<string | null> {
    if (!signed.rootHash) return 'the checkpoint is not signed by the log key';
    const { size } = signed;
    // Per level from 8: the complete nodes within `size` not yet held (held ones are [0, count) at each level).
    const levels: number[] = [];
    const from: number[] = [];
    const to: number[] = [];
    for (let level = TILE_LEVELS; 2 ** level <= size; level++) {
      const held = Math.floor(this.#size / 2 ** level);
      const within = Math.floor(size / 2 ** level);
      if (within > held) levels.push(level), from.push(held), to.push(within);
    }
    const rows =
      levels.length === 0
        ? []
        : ((await this.db.execute(
            sql`select n.level, n.index, n.hash
                from unnest(${`{${levels.join(',')}}`}::int[], ${`{${from.join(',')}}`}::bigint[], ${`{${to.join(',')}}`}::bigint[]) as r(level, first, until)
                join log_nodes n on n.level = r.level and n.index >= r.first and n.index < r.until`,
          )) as unknown as { rows: { level: number; index: string | number; hash: Uint8Array }[] }).rows;
    const fresh = new NodeMap();
    for (const r of rows) fresh.set(r.level, Number(r.index), new Uint8Array(r.hash));
    const edge = await fetchNodes(this.db, frontier(size).filter((n) => n.level < TILE_LEVELS));
    if (epoch !== this.#epoch || this.#closed) return null;
    const read = (level: number, index: number) => {
      const hash = fresh.find(level, index) ?? this.#upper.find(level, index) ?? edge.find(level, index);
      if (!hash) throw new Error(`node ${level}/${index} is missing`);
      return hash;
    };
    // Every new node above level 8 is the hash of its children; the frontier folds to the signed root.
    try {
      let wrong: string | null = null;
      fresh.forEach((level, index, hash) => {
        if (wrong === null && level > TILE_LEVELS && !bytesEqual(nodeHash(this.crypto, read(level - 1, 2 * index), read(level - 1, 2 * index + 1)), hash)) {
          wrong = `node ${level}/${index} is not the hash of its children`;
        }
      });
      if (wrong !== null) return wrong;
      if (!bytesEqual(rootFromNodes(this.crypto, size, read), signed.rootHash)) return 'the stored nodes do not hash to the signed root';
    } catch (err) {
      return (err as Error).message;
    }
    fresh.forEach((level, index, hash) => this.#upper.set(level, index, hash));
    this.#edge = edge;
    this.#size = size;
    return null;
  }

  /** A full tile a proof missed, read for the next proofs: at most MISSED_TILE_READS at once, one per tile. */
  #readMissedTile(tile: number): void {
    if (this.#closed || this.#tiles.has(tile) || this.#tileReads.has(tile) || this.#tileReads.size >= MISSED_TILE_READS) return;
    const read = this.#readTiles(tile, 1)
      .catch(() => undefined)
      .finally(() => this.#tileReads.delete(tile));
    this.#tileReads.set(tile, read);
  }

  /** Reads the leaf hashes of full tiles [first, first + count) in one query; holds each that hashes to its level-8 node held. */
  async #readTiles(first: number, count: number): Promise<void> {
    const epoch = this.#epoch;
    const res = (await this.db.execute(
      sql`select index / ${PER_TILE} as tile, count(*)::int as count, string_agg(hash, ''::bytea order by index) as hashes
          from log_nodes where level = 0 and index >= ${first * TILE_WIDTH} and index < ${(first + count) * TILE_WIDTH}
          group by 1 order by 1`,
    )) as unknown as { rows: { tile: string | number; count: number; hashes: Uint8Array }[] };
    for (const [k, row] of res.rows.entries()) {
      if (epoch !== this.#epoch) return;
      const root = this.#upper.find(TILE_LEVELS, Number(row.tile));
      // A tile with a leaf missing, or beyond the signed tree, is not held: its nodes are read from the table each time.
      if (!root || row.count !== TILE_WIDTH || row.hashes.length !== TILE_BYTES) continue;
      // Its levels above the leaves, hashed once (254 hashes in 7 calls): a proof then only copies.
      const levels: Uint8Array[] = [new Uint8Array(row.hashes)];
      while (levels.length < TILE_LEVELS) levels.push(parentHashes(this.crypto, levels[levels.length - 1]!));
      // Leaves that do not hash to the checked root (a table altered behind the hub's back) are not held.
      if (bytesEqual(parentHashes(this.crypto, levels[TILE_LEVELS - 1]!), root)) this.#tiles.set(Number(row.tile), levels);
      // Requests are answered between tiles of a long page.
      if (k % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const tile of this.#tiles.keys()) {
      if (this.#tiles.size <= this.#maxTiles) break;
      this.#tiles.delete(tile);
    }
  }
}
