// Randomized properties of the stored-node tree up to 300 leaves (seeded, so
// a failure reproduces): random append batches build the same nodes, every
// (index, size) inclusion proof and every (m, n) consistency proof verifies,
// a random corruption of each does not, the …Nodes sets are exactly what the
// getters read, and a sample of proofs equals RFC 6962's recursive
// definitions computed straight from the leaves.
import t from 'tap';
import {
  appendNodes,
  consistencyProof,
  consistencyProofNodes,
  frontier,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  loadSodium,
  nodeHash,
  rootFromNodes,
  rootNodes,
  rootOf,
  toHex,
  verifyConsistency,
  verifyInclusion,
  type NodeGetter,
} from '../../../../protocol/index.js';

const crypto = await loadSodium();
const N = 300;

// xorshift32: a small deterministic generator.
let seed = 0x9e3779b9;
const random = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
// Distinct leaves (the index first): equal neighbours would make a proof valid at both indices.
const leaves = Array.from({ length: N }, (_, i) => leafHash(crypto, Uint8Array.from({ length: 2 + random(40) }, (_, j) => (j < 2 ? (i >> (8 * j)) & 0xff : random(256)))));

const nodes = new Map<string, Uint8Array>();
const reads = new Set<string>();
const get: NodeGetter = (level, index) => {
  reads.add(`${level}/${index}`);
  const h = nodes.get(`${level}/${index}`);
  if (!h) throw new Error(`missing ${level}/${index}`);
  return h;
};
const ids = (list: { level: number; index: number }[]) => list.map((n) => `${n.level}/${n.index}`).sort().join(' ');
const readIds = () => [...reads].sort().join(' ');
const corrupt = (proof: Uint8Array[]): Uint8Array[] => {
  const [i, byte, bit] = [random(proof.length), random(32), random(8)];
  return proof.map((h, j) => (j === i ? h.map((b, k) => (k === byte ? b ^ (1 << bit) : b)) : h));
};

// Reference PATH and PROOF of RFC 6962 §2.1.1–2.1.2, straight from the leaves.
const mth = (d: Uint8Array[]) => rootOf(crypto, d);
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const path = (m: number, d: Uint8Array[]): Uint8Array[] =>
  d.length <= 1 ? [] : m < k(d.length) ? [...path(m, d.slice(0, k(d.length))), mth(d.slice(k(d.length)))] : [...path(m - k(d.length), d.slice(k(d.length))), mth(d.slice(0, k(d.length)))];
const subproof = (m: number, d: Uint8Array[], b: boolean): Uint8Array[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const kk = k(d.length);
  return m <= kk ? [...subproof(m, d.slice(0, kk), b), mth(d.slice(kk))] : [...subproof(m - kk, d.slice(kk), false), mth(d.slice(0, kk))];
};

t.test('random append batches read only the old frontier and store every complete subtree once', async (t) => {
  const problems: string[] = [];
  for (let size = 0; size < N; ) {
    const count = Math.min(N - size, 1 + random(40));
    const allowed = new Set(frontier(size).map((n) => `${n.level}/${n.index}`));
    reads.clear();
    for (const n of appendNodes(crypto, size, leaves.slice(size, size + count), get)) {
      if (nodes.has(`${n.level}/${n.index}`)) problems.push(`${n.level}/${n.index} created twice`);
      nodes.set(`${n.level}/${n.index}`, n.hash);
    }
    for (const r of reads) if (!allowed.has(r)) problems.push(`append at ${size} read ${r}`);
    size += count;
  }
  let expected = 0;
  for (let level = 0; 2 ** level <= N; level++) expected += Math.floor(N / 2 ** level);
  t.equal(nodes.size, expected, 'one node per complete subtree');
  for (const [key, hash] of nodes) {
    const [level, index] = key.split('/').map(Number) as [number, number];
    const want = level === 0 ? leaves[index]! : nodeHash(crypto, nodes.get(`${level - 1}/${2 * index}`)!, nodes.get(`${level - 1}/${2 * index + 1}`)!);
    if (toHex(want) !== toHex(hash)) problems.push(`${key} has the wrong hash`);
  }
  t.same(problems, []);
});

t.test(`roots of every size up to ${N}`, async (t) => {
  const problems: string[] = [];
  for (let size = 0; size <= N; size++) {
    reads.clear();
    if (toHex(rootFromNodes(crypto, size, get)) !== toHex(rootOf(crypto, leaves.slice(0, size)))) problems.push(`root ${size}`);
    if (readIds() !== ids(rootNodes(size))) problems.push(`reads of root ${size}`);
  }
  t.same(problems, []);
});

t.test(`every inclusion proof up to ${N} leaves`, async (t) => {
  const problems: string[] = [];
  let checked = 0;
  for (let size = 1; size <= N; size++) {
    const root = rootFromNodes(crypto, size, get);
    for (let index = 0; index < size; index++) {
      reads.clear();
      const proof = inclusionProof(crypto, index, size, get);
      if (readIds() !== ids(inclusionProofNodes(index, size))) problems.push(`reads of ${index}/${size}`);
      const input = { index, size, leafHash: leaves[index]!, proof, root };
      if (!verifyInclusion(crypto, input)) problems.push(`${index}/${size} does not verify`);
      if (proof.length > 0 && verifyInclusion(crypto, { ...input, proof: corrupt(proof) })) problems.push(`${index}/${size} corrupted verifies`);
      if (size > 1 && verifyInclusion(crypto, { ...input, index: (index + 1 + random(size - 1)) % size })) problems.push(`${index}/${size} at another index verifies`);
      if (random(40) === 0 && toHex(Uint8Array.from(proof.flatMap((h) => [...h]))) !== toHex(Uint8Array.from(path(index, leaves.slice(0, size)).flatMap((h) => [...h])))) {
        problems.push(`${index}/${size} differs from RFC 6962 PATH`);
      }
      checked += 1;
    }
  }
  t.equal(checked, (N * (N + 1)) / 2);
  t.same(problems, []);
});

t.test(`every consistency proof up to ${N} leaves`, async (t) => {
  const problems: string[] = [];
  const roots = Array.from({ length: N + 1 }, (_, size) => rootFromNodes(crypto, size, get));
  for (let newSize = 1; newSize <= N; newSize++) {
    for (let oldSize = 0; oldSize <= newSize; oldSize++) {
      reads.clear();
      const proof = consistencyProof(crypto, oldSize, newSize, get);
      if (readIds() !== ids(consistencyProofNodes(oldSize, newSize))) problems.push(`reads of ${oldSize}→${newSize}`);
      const input = { oldSize, newSize, oldRoot: roots[oldSize]!, newRoot: roots[newSize]!, proof };
      if (!verifyConsistency(crypto, input)) problems.push(`${oldSize}→${newSize} does not verify`);
      if (proof.length > 0 && verifyConsistency(crypto, { ...input, proof: corrupt(proof) })) problems.push(`${oldSize}→${newSize} corrupted verifies`);
      if (oldSize < newSize && verifyConsistency(crypto, { ...input, oldRoot: roots[(oldSize + 1 + random(newSize)) % (newSize + 1)]! })) {
        // Another size's root can only verify if it is the same hash, which SHA-256 rules out.
        problems.push(`${oldSize}→${newSize} with another old root verifies`);
      }
      if (oldSize > 0 && oldSize < newSize && random(40) === 0) {
        const want = subproof(oldSize, leaves.slice(0, newSize), true);
        if (proof.map(toHex).join() !== want.map(toHex).join()) problems.push(`${oldSize}→${newSize} differs from RFC 6962 PROOF`);
      }
    }
  }
  t.same(problems, []);
});
