/**
 * Reading tree nodes out of C2SP tlog-tiles: which tile holds the hashes a
 * node is computed from, how wide a tile is at a tree size, and a
 * NodeGetter over downloaded tiles, so a client computes any root or proof
 * (`rootFromNodes`, `inclusionProof`, `consistencyProof`) from tiles alone.
 * `tiles.ts` re-exports it.
 *
 * @example
 * const get = nodeGetterFromTiles(crypto, (level, index) => downloaded.get(`${level}/${index}`));
 * const proof = inclusionProof(crypto, index, checkpoint.size, get);
 */
import type { CryptoPort } from '../crypto-port.js';
import { HASH_SIZE, nodeHash, type NodeGetter } from './tree-hash.js';

const WIDTH = 256;
const HEIGHT = 8;

/** Where the hashes of a node live: `count` hashes of tile (`tileLevel`, `tileIndex`) from `first`. */
export interface TileOfNode {
  tileLevel: number;
  tileIndex: number;
  first: number;
  count: number;
}

/**
 * The tile whose hashes a tree node is the Merkle root of: node (level h,
 * index i) covers 2^(h mod 8) consecutive hashes of tile level ⌊h/8⌋.
 *
 * @example
 * tileOfNode(9, 5) // { tileLevel: 1, tileIndex: 0, first: 10, count: 2 }
 */
export function tileOfNode(level: number, index: number): TileOfNode {
  if (!Number.isSafeInteger(level) || level < 0 || !Number.isSafeInteger(index) || index < 0) throw new RangeError('invalid node id');
  const tileLevel = Math.floor(level / HEIGHT);
  const count = 2 ** (level - tileLevel * HEIGHT);
  const position = index * count;
  return { tileLevel, tileIndex: Math.floor(position / WIDTH), first: position % WIDTH, count };
}

/**
 * The number of hashes tile (`tileLevel`, `tileIndex`) has in a tree of
 * `size` leaves: 256 for a full tile, 1–255 for the partial one at the
 * right edge, 0 if the tree has no such tile yet.
 *
 * @example
 * tileWidth(1, 0, 70_000) // 256
 * tileWidth(1, 1, 70_000) // 17
 * tileWidth(0, 273, 70_000) // 112
 */
export function tileWidth(tileLevel: number, tileIndex: number, size: number): number {
  const hashes = Math.floor(size / WIDTH ** tileLevel);
  return Math.max(0, Math.min(WIDTH, hashes - tileIndex * WIDTH));
}

/**
 * A NodeGetter backed by downloaded tiles (full or partial, as raw bytes).
 * `getTile` returns undefined for a tile it does not have; the getter then
 * throws RangeError, as it does for a tile too narrow for the node.
 *
 * @example
 * const get = nodeGetterFromTiles(crypto, (l, n) => tiles.get(tilePath(l, n, tileWidth(l, n, size))));
 * rootFromNodes(crypto, size, get);
 */
export function nodeGetterFromTiles(crypto: CryptoPort, getTile: (tileLevel: number, tileIndex: number) => Uint8Array | undefined): NodeGetter {
  return (level, index) => {
    const t = tileOfNode(level, index);
    const tile = getTile(t.tileLevel, t.tileIndex);
    if (!(tile instanceof Uint8Array) || tile.length % HASH_SIZE !== 0 || tile.length < (t.first + t.count) * HASH_SIZE) {
      throw new RangeError(`tile ${t.tileLevel}/${t.tileIndex} does not hold node ${level}/${index}`);
    }
    let row: Uint8Array[] = [];
    for (let i = t.first; i < t.first + t.count; i++) row.push(tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    while (row.length > 1) {
      const next: Uint8Array[] = [];
      for (let i = 0; i < row.length; i += 2) next.push(nodeHash(crypto, row[i]!, row[i + 1]!));
      row = next;
    }
    return row[0]!.slice();
  };
}
