import { sql } from 'drizzle-orm';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { parentHashes } from '../../protocol/log/batch-hash.js';
import { consistencyProof, consistencyProofNodes, inclusionProof, inclusionProofNodes } from '../../protocol/log/merkle.js';
import { TILE_WIDTH } from '../../protocol/log/tiles.js';
import { HASH_SIZE, type NodeId } from '../../protocol/log/tree-hash.js';
import { bytesEqual } from '../../protocol/encoding.js';
import type { Db } from '../db/connect.js';
import { fetchNodes, NodeMap } from './nodes.js';

/** Tree levels inside one level-0 tile: nodes below this level are computed from the tile's 256 leaf hashes. */
const TILE_LEVELS = Math.log2(TILE_WIDTH);
const TILE_BYTES = TILE_WIDTH * HASH_SIZE;
// A constant of the query text, so that the grouped expression is the selected one.
const PER_TILE = sql.raw(String(TILE_WIDTH));

export interface TreeNodesOptions {
  /** Full level-0 tiles held (16 KiB each, leaf hashes and the levels above them): 4,096 hold 1,048,576 leaves in 64 MiB. */
  maxTiles?: number;
  /** Tiles read per query when loading ahead. */
  page?: number;
  /** Nodes below level 8 kept from single reads (32 bytes each). */
  maxLoose?: number;
}

/**
 * The stored nodes of the log's tree, held in memory so that a proof is
 * answered without a query. Every stored node is the root of a complete
 * subtree, which never changes once written, so what is read is kept:
 * - nodes at tree level 8 and above (one per 256 leaves) are kept, all of them;
 * - below, the 256 leaf hashes of each full level-0 tile are kept (at most
 *   `maxTiles` tiles, the least recently used dropped first), with the
 *   levels above them up to 7, hashed when the tile is read (16 KiB a tile);
 * - nodes read in a tile not yet full (the right edge, which every proof of
 *   a tree of that size reads) are kept, the newest `maxLoose` of them.
 * What is not held is read in one query, as before, and the full tile it
 * falls in is loaded for the next proof. `load()` reads the nodes above the
 * tiles and every full tile ahead, a page of tiles per query: the hub does
 * it before it says it is ready, and again in the background when a proof
 * names a larger tree.
 */
export class TreeNodes {
  readonly #upper = new Map<string, Uint8Array>();
  readonly #loose = new Map<string, Uint8Array>();
  readonly #tiles = new Map<number, Uint8Array[]>();
  readonly #loading = new Map<number, Promise<void>>();
  readonly #maxTiles: number;
  readonly #page: number;
  readonly #maxLoose: number;
  #closed = false;
  /** Full tiles of the largest tree read ahead, and the read-ahead under way. */
  #aheadTo = 0;
  #ahead: Promise<void> | null = null;
  /** Bumped by forget(): a read that started before is not kept. */
  #epoch = 0;

  constructor(
    private readonly db: Db,
    private readonly crypto: CryptoPort,
    options: TreeNodesOptions = {},
  ) {
    this.#maxTiles = options.maxTiles ?? 4096;
    this.#page = options.page ?? 64;
    this.#maxLoose = options.maxLoose ?? 4096;
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

  /** The nodes `ids` of a tree of `size` leaves: from memory, the rest in one query. */
  async nodes(ids: NodeId[], size: number): Promise<NodeMap> {
    // A log grown since the last read-ahead: its new full tiles are read in the background.
    if (Math.floor(size / TILE_WIDTH) > this.#aheadTo && !this.#ahead && !this.#closed) {
      this.#ahead = this.load(size)
        .catch(() => undefined)
        .finally(() => (this.#ahead = null));
    }
    const found = new NodeMap();
    const missing: NodeId[] = [];
    for (const id of ids) {
      const hash = this.#held(id);
      if (hash) found.set(id.level, id.index, hash);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const epoch = this.#epoch;
    const read = await fetchNodes(this.db, missing);
    const fullTiles = Math.floor(size / TILE_WIDTH);
    read.forEach((level, index, hash) => {
      found.set(level, index, hash);
      // Read before forget(): answered, not kept.
      if (epoch !== this.#epoch) return;
      if (level >= TILE_LEVELS) return void this.#upper.set(`${level}:${index}`, hash);
      const tile = Math.floor((index * 2 ** level) / TILE_WIDTH);
      // The next proof in this tile is answered from memory.
      if (tile < fullTiles) {
        if (!this.#closed) void this.#loadTiles(tile, 1).catch(() => undefined);
      } else {
        this.#loose.set(`${level}:${index}`, hash);
      }
    });
    for (const key of this.#loose.keys()) {
      if (this.#loose.size <= this.#maxLoose) break;
      this.#loose.delete(key);
    }
    return found;
  }

  /** What is held: full tiles of leaf hashes, and nodes at level 8 and above. */
  get held(): { tiles: number[]; upper: number } {
    return { tiles: [...this.#tiles.keys()].sort((a, b) => a - b), upper: this.#upper.size };
  }

  /**
   * Reads every node at level 8 and above (one per 256 leaves), then every
   * full tile of a tree of `size` leaves (by default, of every leaf stored)
   * not yet held, the newest `maxTiles` of them, a page per query.
   */
  async load(size?: number): Promise<void> {
    if (size === undefined) {
      // Every leaf stored, signed or not yet: a full tile never changes once its 256 leaves are written.
      const [stored] = ((await this.db.execute(sql`select coalesce(max(index) + 1, 0)::bigint as size from log_nodes where level = 0`)) as unknown as { rows: { size: string | number }[] }).rows;
      size = Number(stored?.size ?? 0);
    }
    const epoch = this.#epoch;
    const upper = (await this.db.execute(sql`select level, index, hash from log_nodes where level >= ${TILE_LEVELS}`)) as unknown as {
      rows: { level: number; index: string | number; hash: Uint8Array }[];
    };
    if (epoch !== this.#epoch) return;
    for (const r of upper.rows) this.#upper.set(`${r.level}:${Number(r.index)}`, new Uint8Array(r.hash));
    const full = Math.floor(size / TILE_WIDTH);
    // Beyond the limit, the newest tiles: recent leaves are the ones proofs are asked for most.
    for (let first = Math.max(0, full - this.#maxTiles); first < full && !this.#closed; first += this.#page) {
      const count = Math.min(this.#page, full - first);
      let held = 0;
      for (let t = first; t < first + count; t++) if (this.#tiles.has(t)) held++;
      if (held < count) await this.#loadTiles(first, count);
    }
    this.#aheadTo = Math.max(this.#aheadTo, Math.floor(size / TILE_WIDTH));
  }

  /**
   * Drops everything held (the hub's integrity check found the stored tree
   * altered, or sound again): what was read while it was altered is not
   * answered from memory, and is read again.
   */
  forget(): void {
    this.#epoch += 1;
    this.#upper.clear();
    this.#loose.clear();
    this.#tiles.clear();
    this.#aheadTo = 0;
  }

  /** Stops reading ahead and waits for the reads under way (the hub's close, before the database's). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#loading.values(), this.#ahead]);
  }

  #held(id: NodeId): Uint8Array | undefined {
    if (id.level >= TILE_LEVELS) return this.#upper.get(`${id.level}:${id.index}`);
    const perTile = TILE_WIDTH / 2 ** id.level;
    const tile = Math.floor(id.index / perTile);
    const levels = this.#tiles.get(tile);
    if (!levels) return this.#loose.get(`${id.level}:${id.index}`);
    // Most recently used last.
    this.#tiles.delete(tile);
    this.#tiles.set(tile, levels);
    const at = (id.index - tile * perTile) * HASH_SIZE;
    return levels[id.level]!.slice(at, at + HASH_SIZE);
  }

  /** Loads the leaf hashes of full tiles [first, first + count) in one query; one load per tile at a time. */
  #loadTiles(first: number, count: number): Promise<void> {
    const pending = this.#loading.get(first);
    if (pending) return pending;
    const load = this.#read(first, count).finally(() => {
      for (let t = first; t < first + count; t++) if (this.#loading.get(t) === load) this.#loading.delete(t);
    });
    for (let t = first; t < first + count; t++) if (!this.#loading.has(t)) this.#loading.set(t, load);
    return load;
  }

  async #read(first: number, count: number): Promise<void> {
    // Each tile's leaf hashes, and its root as stored (level 8), which the leaves must hash to.
    const res = (await this.db.execute(
      sql`select l.tile, l.count, l.hashes, r.hash as root
          from (select index / ${PER_TILE} as tile, count(*)::int as count, string_agg(hash, ''::bytea order by index) as hashes
                from log_nodes where level = 0 and index >= ${first * TILE_WIDTH} and index < ${(first + count) * TILE_WIDTH}
                group by 1) l
          left join log_nodes r on r.level = ${TILE_LEVELS} and r.index = l.tile
          order by l.tile`,
    )) as unknown as { rows: { tile: string | number; count: number; hashes: Uint8Array; root: Uint8Array | null }[] };
    const epoch = this.#epoch;
    for (const [k, row] of res.rows.entries()) {
      // A tile with a leaf missing is not held: its nodes are read from the table each time.
      if (row.count !== TILE_WIDTH || row.hashes.length !== TILE_BYTES || !row.root) continue;
      // Its levels above the leaves, hashed once (254 hashes in 7 calls): a proof then only copies.
      const levels: Uint8Array[] = [new Uint8Array(row.hashes)];
      while (levels.length < TILE_LEVELS) levels.push(parentHashes(this.crypto, levels[levels.length - 1]!));
      // Leaves that do not hash to the stored root (a table altered behind the hub's back) are not held.
      if (epoch === this.#epoch && bytesEqual(parentHashes(this.crypto, levels[TILE_LEVELS - 1]!), row.root)) this.#tiles.set(Number(row.tile), levels);
      // Requests are answered between tiles of a long page.
      if (k % 16 === 15) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const tile of this.#tiles.keys()) {
      if (this.#tiles.size <= this.#maxTiles) break;
      this.#tiles.delete(tile);
    }
  }
}
