/**
 * RFC 6962 §2.1.1 inclusion proofs (PATH) and §2.1.2 consistency proofs
 * (PROOF), built from stored complete-subtree nodes, and their RFC 9162
 * §2.1.3.2 / §2.1.4.2 verification. `merkle.ts` re-exports all of it.
 *
 * Each proof element is the MTH of a subrange; when that subrange is an
 * incomplete right subtree its hash is recomputed from its complete
 * subtrees. The `…Nodes` functions list exactly the nodes the proof
 * function reads, so a server fetches them in one query (O(log n) rows).
 *
 * @example
 * const ids = inclusionProofNodes(5, 8); // fetch these, then:
 * const proof = inclusionProof(crypto, 5, 8, (level, index) => stored.get(level, index));
 * verifyInclusion(crypto, { index: 5, size: 8, leafHash: h, proof, root }); // true
 */
import type { CryptoPort } from '../crypto-port.js';
import { bytesEqual } from '../encoding.js';
import { emptyRoot, HASH_SIZE, hashOfNodes, isCount, largestPowerOfTwoBelow, nodeHash, subtreeNodes, type NodeGetter, type NodeId } from './tree-hash.js';

/** Proof elements, leaf side first, each as the complete subtrees to fold. */
type Plan = NodeId[][];

function inclusionPlan(index: number, size: number): Plan {
  if (!isCount(index) || !isCount(size) || index >= size) throw new RangeError(`no leaf ${index} in a tree of ${size}`);
  const topDown: Plan = [];
  let start = 0;
  let end = size;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (index < start + k) {
      topDown.push(subtreeNodes(start + k, end));
      end = start + k;
    } else {
      topDown.push(subtreeNodes(start, start + k));
      start += k;
    }
  }
  return topDown.reverse();
}

function consistencyPlan(oldSize: number, newSize: number): Plan {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) throw new RangeError(`no consistency proof from ${oldSize} to ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  const topDown: Plan = [];
  let start = 0;
  let end = newSize;
  let complete = true; // SUBPROOF's flag b: the old tree is still a complete left subtree
  for (;;) {
    if (oldSize - start === end - start) {
      if (!complete) topDown.push(subtreeNodes(start, end));
      break;
    }
    const k = largestPowerOfTwoBelow(end - start);
    if (oldSize - start <= k) {
      topDown.push(subtreeNodes(start + k, end));
      end = start + k;
    } else {
      topDown.push(subtreeNodes(start, start + k));
      start += k;
      complete = false;
    }
  }
  return topDown.reverse();
}

const distinct = (plan: Plan): NodeId[] => {
  const seen = new Set<string>();
  return plan.flat().filter((n) => {
    const key = `${n.level}/${n.index}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
};

/**
 * The node ids `inclusionProof(crypto, index, size, get)` reads, and no other.
 * Throws RangeError unless 0 ≤ index < size.
 *
 * @example
 * inclusionProofNodes(0, 3) // [{ level: 0, index: 1 }, { level: 0, index: 2 }]
 */
export function inclusionProofNodes(index: number, size: number): NodeId[] {
  return distinct(inclusionPlan(index, size));
}

/**
 * PATH(index, D[size]) of RFC 6962 §2.1.1, leaf sibling first. Throws
 * RangeError unless 0 ≤ index < size.
 *
 * @example
 * const proof = inclusionProof(crypto, 2, 5, get); // 3 hashes
 */
export function inclusionProof(crypto: CryptoPort, index: number, size: number, get: NodeGetter): Uint8Array[] {
  return inclusionPlan(index, size).map((nodes) => hashOfNodes(crypto, nodes, get));
}

/**
 * The node ids `consistencyProof(crypto, oldSize, newSize, get)` reads.
 *
 * @example
 * consistencyProofNodes(6, 8) // [{ level: 1, index: 2 }, { level: 0, index: 6 }, { level: 0, index: 7 }, { level: 2, index: 0 }]
 */
export function consistencyProofNodes(oldSize: number, newSize: number): NodeId[] {
  return distinct(consistencyPlan(oldSize, newSize));
}

/**
 * PROOF(oldSize, D[newSize]) of RFC 6962 §2.1.2. Empty when oldSize is 0
 * or equals newSize; throws RangeError when oldSize > newSize.
 *
 * @example
 * const proof = consistencyProof(crypto, 3, 7, get);
 */
export function consistencyProof(crypto: CryptoPort, oldSize: number, newSize: number, get: NodeGetter): Uint8Array[] {
  return consistencyPlan(oldSize, newSize).map((nodes) => hashOfNodes(crypto, nodes, get));
}

const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;
const isProof = (p: unknown): p is Uint8Array[] => Array.isArray(p) && p.length <= 64 && p.every(isHash);
const half = (n: number) => Math.floor(n / 2);

function isPowerOfTwo(n: number): boolean {
  while (n > 1 && n % 2 === 0) n /= 2;
  return n === 1;
}

/**
 * Verifies an inclusion proof by RFC 9162 §2.1.3.2. Never throws: false
 * for any malformed input (sizes, hash lengths, proof length).
 *
 * @example
 * verifyInclusion(crypto, { index, size: cp.size, leafHash: leafHash(crypto, data), proof, root: cp.rootHash })
 */
export function verifyInclusion(
  crypto: CryptoPort,
  input: { index: number; size: number; leafHash: Uint8Array; proof: Uint8Array[]; root: Uint8Array },
): boolean {
  const { index, size, proof, root } = input ?? {};
  if (!isCount(index) || !isCount(size) || index >= size || !isHash(input.leafHash) || !isHash(root) || !isProof(proof)) return false;
  let fn = index;
  let sn = size - 1;
  let r = input.leafHash;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(crypto, p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = nodeHash(crypto, r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * Verifies a consistency proof by RFC 9162 §2.1.4.2. Equal sizes need an
 * empty proof and equal roots; the empty tree (oldSize 0, root SHA-256(""))
 * is consistent with every tree through an empty proof. Never throws.
 *
 * @example
 * verifyConsistency(crypto, { oldSize: 6, newSize: 8, oldRoot, newRoot, proof })
 */
export function verifyConsistency(
  crypto: CryptoPort,
  input: { oldSize: number; newSize: number; oldRoot: Uint8Array; newRoot: Uint8Array; proof: Uint8Array[] },
): boolean {
  const { oldSize, newSize, oldRoot, newRoot, proof } = input ?? {};
  if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize || !isHash(oldRoot) || !isHash(newRoot) || !isProof(proof)) return false;
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0 && bytesEqual(oldRoot, emptyRoot(crypto));
  if (proof.length === 0) return false;
  // A power-of-two old tree is a complete subtree of the new one: the proof omits its root.
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...proof] : proof;
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(crypto, c, fr);
      sr = nodeHash(crypto, c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = nodeHash(crypto, sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot);
}
