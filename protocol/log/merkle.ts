/**
 * The disclosure log's Merkle tree (RFC 6962 / RFC 9162 hashing) as the hub
 * stores it: every complete subtree node `{ level, index }` is kept, so
 * appending, the root and any proof read O(log n) stored nodes.
 *
 * This module gathers the tree API: hashing and node ids (`tree-hash.ts`),
 * proofs (`proofs.ts`), and here appending and tree heads.
 *
 * @example
 * const reads = frontier(size); // fetch these nodes, then:
 * const created = appendNodes(crypto, size, hashes, get); // store these
 * const root = rootFromNodes(crypto, size + hashes.length, get);
 */
import type { CryptoPort } from '../crypto-port.js';
import { emptyRoot, HASH_SIZE, hashOfNodes, isCount, nodeHash, readNode, subtreeNodes, type NodeGetter, type NodeId } from './tree-hash.js';

export {
  emptyRoot,
  HASH_SIZE,
  hashOfNodes,
  largestPowerOfTwoBelow,
  leafHash,
  nodeHash,
  rootOf,
  subtreeNodes,
  type NodeGetter,
  type NodeId,
} from './tree-hash.js';
export { consistencyProof, consistencyProofNodes, inclusionProof, inclusionProofNodes, verifyConsistency, verifyInclusion } from './proofs.js';

/** A complete-subtree node with its hash, as `appendNodes` creates it. */
export interface TreeNode extends NodeId {
  hash: Uint8Array;
}

/**
 * The complete subtrees of the right edge of a tree of `size` leaves (the
 * binary decomposition of `size`, largest first): the only old nodes
 * `appendNodes` may read.
 *
 * @example
 * frontier(6) // [{ level: 2, index: 0 }, { level: 1, index: 2 }]
 */
export function frontier(size: number): NodeId[] {
  if (!isCount(size)) throw new RangeError(`invalid tree size ${size}`);
  return subtreeNodes(0, size);
}

/**
 * The nodes `rootFromNodes(crypto, size, get)` reads (the same set as
 * `frontier(size)`; none for the empty tree).
 *
 * @example
 * rootNodes(8) // [{ level: 3, index: 0 }]
 */
export function rootNodes(size: number): NodeId[] {
  return frontier(size);
}

/**
 * The root hash of the tree of `size` leaves from its stored nodes:
 * SHA-256("") for the empty tree, else the right-edge subtrees folded
 * from the right.
 *
 * @example
 * const root = rootFromNodes(crypto, 7, (level, index) => stored.get(level, index));
 */
export function rootFromNodes(crypto: CryptoPort, size: number, get: NodeGetter): Uint8Array {
  const nodes = rootNodes(size);
  return nodes.length === 0 ? emptyRoot(crypto) : hashOfNodes(crypto, nodes, get);
}

/**
 * Appends leaves to a tree of `oldSize` leaves and returns every complete
 * subtree node this creates, in creation order: each leaf node (level 0,
 * hash = the leaf hash) and each parent completed by it. Reads old nodes
 * only through `get`, and only nodes of `frontier(oldSize)`, each at most once.
 *
 * @example
 * const created = appendNodes(crypto, 3, [leafHash(crypto, d3)], get);
 * // [{ level: 0, index: 3, hash: … }, { level: 1, index: 1, hash: … }, { level: 2, index: 0, hash: … }]
 */
export function appendNodes(crypto: CryptoPort, oldSize: number, newLeafHashes: Uint8Array[], get: NodeGetter): TreeNode[] {
  if (!isCount(oldSize) || !isCount(oldSize + newLeafHashes.length)) throw new RangeError('tree size out of range');
  // The right edge as a stack, largest subtree at the bottom; old hashes are read lazily.
  const stack: { level: number; index: number; hash: Uint8Array | null }[] = frontier(oldSize).map((n) => ({ ...n, hash: null }));
  const created: TreeNode[] = [];
  newLeafHashes.forEach((leaf, i) => {
    if (!(leaf instanceof Uint8Array) || leaf.length !== HASH_SIZE) throw new RangeError('leaf hashes are 32 bytes');
    let node: TreeNode = { level: 0, index: oldSize + i, hash: leaf };
    created.push(node);
    for (let top = stack[stack.length - 1]; top !== undefined && top.level === node.level; top = stack[stack.length - 1]) {
      stack.pop();
      const left = top.hash ?? readNode(get, top);
      node = { level: node.level + 1, index: top.index / 2, hash: nodeHash(crypto, left, node.hash) };
      created.push(node);
    }
    stack.push(node);
  });
  return created;
}
