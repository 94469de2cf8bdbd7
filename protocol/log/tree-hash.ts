/**
 * RFC 6962 / RFC 9162 Merkle tree hashing: leaf and interior node hashes,
 * the tree head of a list of leaves, and the complete subtrees ("nodes")
 * that a range of leaves decomposes into. `merkle.ts` re-exports all of it.
 *
 * A node id `{ level, index }` names the complete subtree of 2^level leaves
 * that starts at leaf `index · 2^level`; level 0 nodes are the leaf hashes.
 *
 * @example
 * const h = leafHash(crypto, utf8('entry'));
 * rootOf(crypto, [h]); // equals h: a one-leaf tree's root is its leaf hash
 */
import type { CryptoPort } from '../crypto-port.js';

/** SHA-256 output size: every tree hash is 32 bytes. */
export const HASH_SIZE = 32;

/** The complete subtree of 2^level leaves starting at leaf index·2^level. */
export interface NodeId {
  level: number;
  index: number;
}

/** Reads a stored complete-subtree hash (32 bytes); throws if it is missing. */
export type NodeGetter = (level: number, index: number) => Uint8Array;

// Scratch inputs: the port's sha256 copies its input, so reusing them saves
// an allocation per hash on the hot paths (appending, verifying a whole log).
const nodeInput = new Uint8Array(1 + 2 * HASH_SIZE);
let leafInput = new Uint8Array(1024);

/**
 * The RFC 6962 leaf hash: SHA-256(0x00 ‖ data).
 *
 * @example
 * leafHash(crypto, new Uint8Array()) // 6e340b9c…a01d
 */
export function leafHash(crypto: CryptoPort, data: Uint8Array): Uint8Array {
  const size = 1 + data.length;
  // Reuse grows up to the largest entry a bundle can carry; larger data gets its own buffer.
  if (leafInput.length < size && size <= 65_536) leafInput = new Uint8Array(65_536);
  const input = leafInput.length >= size ? leafInput.subarray(0, size) : new Uint8Array(size);
  input[0] = 0x00;
  input.set(data, 1);
  return crypto.sha256(input);
}

/**
 * The RFC 6962 interior node hash: SHA-256(0x01 ‖ left ‖ right).
 *
 * @example
 * const parent = nodeHash(crypto, leafHash(crypto, a), leafHash(crypto, b));
 */
export function nodeHash(crypto: CryptoPort, left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError('tree hashes are 32 bytes');
  nodeInput[0] = 0x01;
  nodeInput.set(left, 1);
  nodeInput.set(right, 1 + HASH_SIZE);
  return crypto.sha256(nodeInput);
}

/**
 * The root of the empty tree: SHA-256 of the empty string.
 *
 * @example
 * emptyRoot(crypto) // e3b0c442…b855
 */
export function emptyRoot(crypto: CryptoPort): Uint8Array {
  return crypto.sha256(new Uint8Array(0));
}

/**
 * The Merkle Tree Hash MTH(D[n]) of a list of leaf hashes, by the recursive
 * definition of RFC 6962 §2.1 (for small trees and tests; the hub uses
 * `rootFromNodes`, a verifier `TreeBuilder`).
 *
 * @example
 * rootOf(crypto, [leafHash(crypto, a), leafHash(crypto, b)])
 */
export function rootOf(crypto: CryptoPort, leafHashes: Uint8Array[]): Uint8Array {
  const mth = (start: number, end: number): Uint8Array => {
    if (end - start === 1) return leafHashes[start]!;
    const k = largestPowerOfTwoBelow(end - start);
    return nodeHash(crypto, mth(start, start + k), mth(start + k, end));
  };
  return leafHashes.length === 0 ? emptyRoot(crypto) : mth(0, leafHashes.length);
}

/**
 * The largest power of two strictly less than n (n ≥ 2), the split point k
 * of RFC 6962. Arithmetic, not bit shifts: sizes go beyond 2^32.
 *
 * @example
 * largestPowerOfTwoBelow(5) // 4
 * largestPowerOfTwoBelow(8) // 4
 */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees, left to right, whose leaves are exactly
 * D[start:end], for the ranges that RFC 6962's recursion produces (start
 * aligned to the largest power of two that fits). For start = 0 these are
 * the right edge ("frontier") of a tree of `end` leaves.
 *
 * @example
 * subtreeNodes(0, 7) // [{ level: 2, index: 0 }, { level: 1, index: 2 }, { level: 0, index: 6 }]
 */
export function subtreeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    let width = 1;
    let level = 0;
    while (at % (width * 2) === 0 && at + width * 2 <= end) {
      width *= 2;
      level += 1;
    }
    nodes.push({ level, index: at / width });
    at += width;
  }
  return nodes;
}

/**
 * MTH of a range from its complete subtrees (`subtreeNodes`), folded from
 * the right as RFC 6962 nests an incomplete right subtree.
 *
 * @example
 * hashOfNodes(crypto, subtreeNodes(0, size), get) // the root of a tree of `size`
 */
export function hashOfNodes(crypto: CryptoPort, nodes: readonly NodeId[], get: NodeGetter): Uint8Array {
  if (nodes.length === 0) throw new RangeError('an empty range has no subtree hash');
  let hash = readNode(get, nodes[nodes.length - 1]!);
  for (let i = nodes.length - 2; i >= 0; i--) hash = nodeHash(crypto, readNode(get, nodes[i]!), hash);
  return hash;
}

/**
 * Calls the getter and checks it returned a 32-byte hash (RangeError otherwise).
 *
 * @example
 * readNode(get, { level: 3, index: 0 }) // the root of the first 8 leaves
 */
export function readNode(get: NodeGetter, node: NodeId): Uint8Array {
  const hash = get(node.level, node.index);
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new RangeError(`node ${node.level}/${node.index} is not a 32-byte hash`);
  }
  return hash;
}

/**
 * Whether `n` is a non-negative safe integer (a tree size or index).
 *
 * @example
 * isCount(2 ** 53) // false
 */
export function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}
