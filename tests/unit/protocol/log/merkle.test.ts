// RFC 6962 known answers (tests/vectors/rfc6962.json, the 8-leaf tree of
// certificate-transparency via transparency-dev/merkle): roots, stored-node
// appends in every split, proof generation and verification, and the
// corruptions a verifier must reject.
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  appendNodes,
  consistencyProof,
  consistencyProofNodes,
  emptyRoot,
  frontier,
  fromHex,
  inclusionProof,
  inclusionProofNodes,
  leafHash,
  loadSodium,
  rootFromNodes,
  rootNodes,
  rootOf,
  toHex,
  verifyConsistency,
  verifyInclusion,
  type NodeGetter,
} from '../../../../protocol/index.js';

interface Vectors {
  emptyRoot: string;
  leaves: string[];
  roots: string[];
  inclusion: { index: number; size: number; proof: string[] }[];
  consistency: { oldSize: number; newSize: number; proof: string[] }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../../vectors/rfc6962.json', import.meta.url), 'utf8')) as Vectors;
const crypto = await loadSodium();
const hashes = vectors.leaves.map((l) => leafHash(crypto, fromHex(l)));
const roots = vectors.roots.map(fromHex);

/** A node store filled by appendNodes, and a getter that records what it reads. */
function storeOf(leafHashes: Uint8Array[]) {
  const nodes = new Map<string, Uint8Array>();
  for (const n of appendNodes(crypto, 0, leafHashes, () => t.fail('nothing to read in an empty tree') as never)) nodes.set(`${n.level}/${n.index}`, n.hash);
  const reads = new Set<string>();
  const get: NodeGetter = (level, index) => {
    reads.add(`${level}/${index}`);
    const h = nodes.get(`${level}/${index}`);
    if (!h) throw new Error(`missing ${level}/${index}`);
    return h;
  };
  return { nodes, reads, get };
}
const keys = (ids: { level: number; index: number }[]) => ids.map((n) => `${n.level}/${n.index}`).sort();
const flip = (proof: Uint8Array[], i: number, bit: number) => proof.map((h, j) => (j === i ? h.map((b, k) => (k === bit >> 3 ? b ^ (1 << (bit & 7)) : b)) : h));

t.test('leaf hashes, empty root and MTH of sizes 1…8', async (t) => {
  t.equal(toHex(emptyRoot(crypto)), vectors.emptyRoot);
  t.equal(toHex(rootOf(crypto, [])), vectors.emptyRoot);
  t.equal(toHex(hashes[0]!), vectors.roots[0], 'a one-leaf tree is its leaf hash: SHA-256(0x00)');
  for (let n = 1; n <= 8; n++) t.equal(toHex(rootOf(crypto, hashes.slice(0, n))), vectors.roots[n - 1], `MTH of ${n}`);
});

t.test('rootFromNodes reads exactly rootNodes and matches every root', async (t) => {
  const { get, reads } = storeOf(hashes);
  t.equal(toHex(rootFromNodes(crypto, 0, get)), vectors.emptyRoot, 'empty tree');
  t.same(rootNodes(0), []);
  for (let n = 1; n <= 8; n++) {
    reads.clear();
    t.equal(toHex(rootFromNodes(crypto, n, get)), vectors.roots[n - 1], `root of ${n}`);
    t.same([...reads].sort(), keys(rootNodes(n)), `reads of ${n}`);
  }
  t.same(frontier(7), [{ level: 2, index: 0 }, { level: 1, index: 2 }, { level: 0, index: 6 }]);
});

t.test('appendNodes: every split of 1…8 leaves creates the same nodes, reading only the old frontier', async (t) => {
  const all = storeOf(hashes).nodes;
  t.equal(all.size, 8 + 4 + 2 + 1, 'every complete subtree of 8 leaves');
  for (let total = 1; total <= 8; total++) {
    // Every composition of `total` into batches, encoded by the cut points.
    for (let mask = 0; mask < 2 ** (total - 1); mask++) {
      const store = new Map<string, Uint8Array>();
      let size = 0;
      let ok = true;
      for (let i = 1; i <= total; i++) {
        if (i < total && !(mask & (1 << (i - 1)))) continue;
        const allowed = new Set(keys(frontier(size)));
        const created = appendNodes(crypto, size, hashes.slice(size, i), (level, index) => {
          if (!allowed.has(`${level}/${index}`)) ok = false;
          return store.get(`${level}/${index}`)!;
        });
        for (const n of created) {
          if (store.has(`${n.level}/${n.index}`)) ok = false;
          store.set(`${n.level}/${n.index}`, n.hash);
        }
        size = i;
      }
      const expected = [...all].filter(([k]) => {
        const [level, index] = k.split('/').map(Number) as [number, number];
        return (index + 1) * 2 ** level <= total;
      });
      if (!ok || store.size !== expected.length || expected.some(([k, h]) => toHex(store.get(k) ?? new Uint8Array()) !== toHex(h))) {
        t.fail(`split ${mask.toString(2)} of ${total}`);
      }
    }
    t.pass(`all ${2 ** (total - 1)} splits of ${total} leaves`);
  }
  t.same(
    appendNodes(crypto, 3, [hashes[3]!], storeOf(hashes).get).map(({ level, index }) => ({ level, index })),
    [{ level: 0, index: 3 }, { level: 1, index: 1 }, { level: 2, index: 0 }],
    'creation order: the leaf, then the parents it completes',
  );
  t.throws(() => appendNodes(crypto, 0, [new Uint8Array(31)], storeOf([]).get), RangeError);
  t.throws(() => appendNodes(crypto, -1, [], storeOf([]).get), RangeError);
});

t.test('inclusion proofs: generation equals the vectors, verification accepts them and rejects corruptions', async (t) => {
  const { get, reads } = storeOf(hashes);
  for (const v of vectors.inclusion) {
    const name = `leaf ${v.index} of ${v.size}`;
    reads.clear();
    const proof = inclusionProof(crypto, v.index, v.size, get);
    t.same(proof.map(toHex), v.proof, `${name}: generated`);
    t.same([...reads].sort(), keys(inclusionProofNodes(v.index, v.size)), `${name}: reads exactly inclusionProofNodes`);
    const input = { index: v.index, size: v.size, leafHash: hashes[v.index]!, proof: v.proof.map(fromHex), root: roots[v.size - 1]! };
    t.ok(verifyInclusion(crypto, input), `${name}: verifies`);
    const bad: [string, typeof input][] = [
      ['index - 1', { ...input, index: v.index - 1 }],
      ['index + 1', { ...input, index: v.index + 1 }],
      ['index ^ 2', { ...input, index: v.index ^ 2 }],
      ['size * 2', { ...input, size: v.size * 2 }],
      ['size / 2', { ...input, size: Math.floor(v.size / 2) }],
      ['wrong leaf', { ...input, leafHash: hashes[(v.index + 1) % 8]! }],
      ['empty root', { ...input, root: emptyRoot(crypto) }],
      ['trailing root', { ...input, proof: [...input.proof, input.root] }],
      ['preceding root', { ...input, proof: [input.root, ...input.proof] }],
      ['short hash', { ...input, proof: [...input.proof, new Uint8Array(31)] }],
      ['inserted element', { ...input, proof: input.proof.length ? [input.proof[0]!, roots[2]!, ...input.proof.slice(1)] : [roots[2]!] }],
    ];
    if (input.proof.length > 0) bad.push(['removed element', { ...input, proof: input.proof.slice(0, -1) }]);
    for (let i = 0; i < input.proof.length; i++) for (let bit = 0; bit < 256; bit++) bad.push([`proof[${i}] bit ${bit}`, { ...input, proof: flip(input.proof, i, bit) }]);
    for (let bit = 0; bit < 256; bit++) {
      bad.push([`leaf bit ${bit}`, { ...input, leafHash: flip([input.leafHash], 0, bit)[0]! }]);
      bad.push([`root bit ${bit}`, { ...input, root: flip([input.root], 0, bit)[0]! }]);
    }
    t.same(bad.filter(([, p]) => verifyInclusion(crypto, p)).map(([d]) => d), [], `${name}: rejects ${bad.length} corruptions`);
  }
});

t.test('consistency proofs: generation equals the vectors, verification accepts them and rejects corruptions', async (t) => {
  const { get, reads } = storeOf(hashes);
  for (const v of vectors.consistency) {
    const name = `${v.oldSize} → ${v.newSize}`;
    reads.clear();
    const proof = consistencyProof(crypto, v.oldSize, v.newSize, get);
    t.same(proof.map(toHex), v.proof, `${name}: generated`);
    t.same([...reads].sort(), keys(consistencyProofNodes(v.oldSize, v.newSize)), `${name}: reads exactly consistencyProofNodes`);
    const input = { oldSize: v.oldSize, newSize: v.newSize, oldRoot: roots[v.oldSize - 1]!, newRoot: roots[v.newSize - 1]!, proof: v.proof.map(fromHex) };
    t.ok(verifyConsistency(crypto, input), `${name}: verifies`);
    if (input.proof.length === 0) continue;
    const bad: [string, typeof input][] = [
      ['oldSize - 1', { ...input, oldSize: v.oldSize - 1 }],
      ['oldSize + 1', { ...input, oldSize: v.oldSize + 1 }],
      ['oldSize ^ 2', { ...input, oldSize: v.oldSize ^ 2 }],
      ['newSize * 2', { ...input, newSize: v.newSize * 2 }],
      ['newSize / 2', { ...input, newSize: Math.floor(v.newSize / 2) }],
      ['swapped roots', { ...input, oldRoot: input.newRoot, newRoot: input.oldRoot }],
      ['empty proof', { ...input, proof: [] }],
      ['trailing old root', { ...input, proof: [...input.proof, input.oldRoot] }],
      ['trailing new root', { ...input, proof: [...input.proof, input.newRoot] }],
      ['preceding old root', { ...input, proof: [input.oldRoot, ...input.proof] }],
      ['preceding new root', { ...input, proof: [input.newRoot, ...input.proof] }],
      ['preceding proof[0]', { ...input, proof: [input.proof[0]!, ...input.proof] }],
      ['truncated', { ...input, proof: input.proof.slice(0, -1) }],
    ];
    for (let i = 0; i < input.proof.length; i++) for (let bit = 0; bit < 256; bit++) bad.push([`proof[${i}] bit ${bit}`, { ...input, proof: flip(input.proof, i, bit) }]);
    for (let bit = 0; bit < 256; bit++) {
      bad.push([`old root bit ${bit}`, { ...input, oldRoot: flip([input.oldRoot], 0, bit)[0]! }]);
      bad.push([`new root bit ${bit}`, { ...input, newRoot: flip([input.newRoot], 0, bit)[0]! }]);
    }
    t.same(bad.filter(([, p]) => verifyConsistency(crypto, p)).map(([d]) => d), [], `${name}: rejects ${bad.length} corruptions`);
  }
});

t.test('size 0, equal sizes and argument errors', async (t) => {
  const empty = emptyRoot(crypto);
  const [r1, r8] = [roots[0]!, roots[7]!];
  t.ok(verifyConsistency(crypto, { oldSize: 0, newSize: 0, oldRoot: empty, newRoot: empty, proof: [] }), '0 → 0');
  t.ok(verifyConsistency(crypto, { oldSize: 0, newSize: 8, oldRoot: empty, newRoot: r8, proof: [] }), 'the empty tree is a prefix of every tree');
  t.notOk(verifyConsistency(crypto, { oldSize: 0, newSize: 8, oldRoot: r1, newRoot: r8, proof: [] }), 'but only with the empty root');
  t.notOk(verifyConsistency(crypto, { oldSize: 0, newSize: 8, oldRoot: empty, newRoot: r8, proof: [empty] }), 'and an empty proof');
  t.ok(verifyConsistency(crypto, { oldSize: 8, newSize: 8, oldRoot: r8, newRoot: r8, proof: [] }), 'equal sizes, equal roots');
  t.notOk(verifyConsistency(crypto, { oldSize: 8, newSize: 8, oldRoot: r1, newRoot: r8, proof: [] }), 'equal sizes, different roots');
  t.notOk(verifyConsistency(crypto, { oldSize: 8, newSize: 8, oldRoot: r8, newRoot: r8, proof: [empty] }), 'equal sizes, non-empty proof');
  t.notOk(verifyConsistency(crypto, { oldSize: 8, newSize: 1, oldRoot: r8, newRoot: r1, proof: [] }), 'time travel');
  t.notOk(verifyInclusion(crypto, { index: 0, size: 0, leafHash: hashes[0]!, proof: [], root: empty }), 'nothing is in the empty tree');
  t.notOk(verifyInclusion(crypto, { index: 8, size: 8, leafHash: hashes[0]!, proof: [], root: r8 }), 'index ≥ size');
  for (const bad of [null, undefined, {}, { index: -1, size: 1 }, { index: 0.5, size: 1 }, { index: 0, size: 2 ** 53 }, { index: 0, size: 1, leafHash: 'x', proof: [], root: r1 }]) {
    t.notOk(verifyInclusion(crypto, bad as never), `verifyInclusion(${JSON.stringify(bad)}) is false, never a throw`);
    t.notOk(verifyConsistency(crypto, bad as never), `verifyConsistency(${JSON.stringify(bad)}) is false, never a throw`);
  }
  t.notOk(verifyInclusion(crypto, { index: 0, size: 2, leafHash: hashes[0]!, proof: Array(65).fill(r1), root: r1 }), 'over-long proof');
  const { get } = storeOf(hashes);
  t.same(consistencyProof(crypto, 0, 8, get), [], 'no proof from the empty tree');
  t.same(consistencyProof(crypto, 5, 5, get), [], 'no proof between equal sizes');
  t.throws(() => consistencyProof(crypto, 6, 5, get), RangeError);
  t.throws(() => inclusionProof(crypto, 8, 8, get), RangeError);
  t.throws(() => inclusionProofNodes(0, 0), RangeError);
  t.throws(() => inclusionProofNodes(0.5, 2), RangeError);
  t.throws(() => rootFromNodes(crypto, -1, get), RangeError);
  t.throws(() => inclusionProof(crypto, 0, 8, () => new Uint8Array(3)), RangeError, 'a getter returning a non-hash is caught');
});

t.test('sizes past 2^32 use arithmetic, not 32-bit shifts', async (t) => {
  const size = 2 ** 40 + 3;
  t.same(frontier(size), [{ level: 40, index: 0 }, { level: 1, index: 2 ** 39 }, { level: 0, index: 2 ** 40 + 2 }]);
  const ids = inclusionProofNodes(2 ** 40 + 1, size);
  t.same(ids, [{ level: 0, index: 2 ** 40 }, { level: 0, index: 2 ** 40 + 2 }, { level: 40, index: 0 }]);
  // A synthetic tree: each node's hash is derived from its id, so the proof can be verified against a root built the same way.
  const fake: NodeGetter = (level, index) => leafHash(crypto, new TextEncoder().encode(`${level}/${index}`));
  const proof = inclusionProof(crypto, 2 ** 40 + 1, size, fake);
  const root = rootFromNodes(crypto, size, (level, index) => (level === 1 && index === 2 ** 39 ? nodeOf(fake, 0, 2 ** 40) : fake(level, index)));
  t.ok(verifyInclusion(crypto, { index: 2 ** 40 + 1, size, leafHash: fake(0, 2 ** 40 + 1), proof, root }));
  t.notOk(verifyInclusion(crypto, { index: 1, size, leafHash: fake(0, 2 ** 40 + 1), proof, root }), 'the same proof for another index does not verify');
});

function nodeOf(get: NodeGetter, level: number, index: number): Uint8Array {
  // Parent of two level-`level` siblings starting at `index`.
  const left = get(level, index);
  const right = get(level, index + 1);
  return rootOf(crypto, [left, right]);
}
