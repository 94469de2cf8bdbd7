// Hashing a tile at a time (sha256Ranges, hashEntryBundle, parentHashes,
// completeSubtreeRoot, TreeBuilder.appendLeafHashes) against the one-at-a-time
// reference (sha256, leafHash, nodeHash, rootOf, TreeBuilder.append), on both
// adapters of the crypto port, at every size 0..300, a few large ones, and
// the edges: empty entries and ranges, the native adapter's switch to OpenSSL
// at 256 bytes, the largest entry, hostile bundles.
import t from 'tap';
import {
  completeSubtreeRoot,
  concatBytes,
  decodeEntryBundle,
  encodeEntryBundle,
  hashEntryBundle,
  leafHash,
  loadLibsodiumJs,
  nodeHash,
  parentHashes,
  rootOf,
  toHex,
  TreeBuilder,
  type CryptoPort,
} from '../../../../protocol/index.js';
import { loadNativeSodium } from '../../../../server/lib/native-sodium.js';

const ADAPTERS: [string, () => Promise<CryptoPort>][] = [
  ['libsodium.js', loadLibsodiumJs],
  ['sodium-native', loadNativeSodium],
];

// xorshift32: a small deterministic generator, so a failure reproduces.
let seed = 0x2545f491;
const random = (n: number): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
};
const bytes = (n: number) => Uint8Array.from({ length: n }, () => random(256));
// Distinct leaves: the index first, then random bytes.
const leaves = (crypto: CryptoPort, n: number) => Array.from({ length: n }, (_, i) => leafHash(crypto, concatBytes(Uint8Array.of(i & 0xff, (i >> 8) & 0xff, (i >> 16) & 0xff), bytes(random(8)))));

for (const [name, load] of ADAPTERS) {
  t.test(name, async (t) => {
    const crypto = await load();

    t.test('sha256Ranges equals sha256 of each range', async (t) => {
      // Around the native adapter's switch from libsodium to OpenSSL (256 bytes), empty and overlapping ranges.
      const data = bytes(4096);
      const spans = [[0, 0], [0, 3], [10, 265], [10, 266], [10, 267], [0, 4096], [100, 165], [4096, 4096], [5, 700]];
      for (let i = 0; i < 40; i++) {
        const start = random(4096);
        spans.push([start, start + random(4096 - start + 1)]);
      }
      const ranges = Uint32Array.from(spans.flat());
      const out = new Uint8Array(32 * spans.length);
      crypto.sha256Ranges(data, ranges, out);
      spans.forEach(([s, e], i) => t.equal(toHex(out.subarray(32 * i, 32 * i + 32)), toHex(crypto.sha256(data.subarray(s, e))), `range ${s}-${e}`));
      const none = new Uint8Array(0);
      crypto.sha256Ranges(data, new Uint32Array(0), none);
      t.equal(toHex(crypto.sha256(new Uint8Array(0))), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });

    t.test('sha256Ranges refuses ranges outside the data, an odd list, a short output', async (t) => {
      const data = bytes(10);
      t.throws(() => crypto.sha256Ranges(data, Uint32Array.of(0, 11), new Uint8Array(32)), RangeError);
      t.throws(() => crypto.sha256Ranges(data, Uint32Array.of(5, 4), new Uint8Array(32)), RangeError);
      t.throws(() => crypto.sha256Ranges(data, Uint32Array.of(0, 4, 4), new Uint8Array(64)), RangeError);
      t.throws(() => crypto.sha256Ranges(data, Uint32Array.of(0, 4, 4, 10), new Uint8Array(63)), RangeError);
      t.throws(() => crypto.sha256Ranges(data, [0, 4] as unknown as Uint32Array, new Uint8Array(32)), RangeError);
    });

    t.test('hashEntryBundle equals leafHash of each entry and leaves the bundle as it was', async (t) => {
      for (let count = 0; count <= 256; count++) {
        // Empty entries, short ones, and some past 256 bytes.
        const entries = Array.from({ length: count }, (_, i) => bytes(i % 17 === 0 ? 0 : i % 5 === 0 ? 250 + random(20) : random(40)));
        const bundle = encodeEntryBundle(entries);
        const before = toHex(bundle);
        const hashed = hashEntryBundle(crypto, bundle);
        t.equal(toHex(bundle), before);
        t.equal(hashed.entries.length, count);
        t.equal(hashed.hashes.length, 32 * count);
        const expected = entries.map((e) => toHex(leafHash(crypto, e))).join('');
        if (toHex(hashed.hashes) !== expected) t.fail(`bundle of ${count} entries`);
        t.same(hashed.entries.map(toHex), entries.map(toHex));
      }
      const largest = bytes(0xffff);
      const one = hashEntryBundle(crypto, encodeEntryBundle([largest, new Uint8Array(0)]));
      t.equal(toHex(one.hashes.subarray(0, 32)), toHex(leafHash(crypto, largest)));
      t.equal(toHex(one.hashes.subarray(32)), toHex(leafHash(crypto, new Uint8Array(0))));
    });

    t.test('hashEntryBundle refuses what decodeEntryBundle refuses', async (t) => {
      const hostile = [
        Uint8Array.of(0),
        Uint8Array.of(0, 5, 1, 2),
        concatBytes(encodeEntryBundle([bytes(3)]), Uint8Array.of(1)),
        encodeEntryBundle(Array.from({ length: 257 }, () => new Uint8Array(0))),
        'not bytes' as unknown as Uint8Array,
      ];
      for (const h of hostile) {
        t.throws(() => decodeEntryBundle(h), { code: 'ENTRY_BUNDLE_INVALID' });
        t.throws(() => hashEntryBundle(crypto, h), { code: 'ENTRY_BUNDLE_INVALID' });
      }
    });

    t.test('parentHashes and completeSubtreeRoot equal nodeHash and rootOf', async (t) => {
      const hs = leaves(crypto, 1024);
      const level = concatBytes(...hs);
      const parents = parentHashes(crypto, level);
      for (let i = 0; i < 512; i++) if (toHex(parents.subarray(32 * i, 32 * i + 32)) !== toHex(nodeHash(crypto, hs[2 * i]!, hs[2 * i + 1]!))) t.fail(`pair ${i}`);
      t.equal(parents.length, 512 * 32);
      for (let width = 1; width <= 1024; width *= 2) {
        t.equal(toHex(completeSubtreeRoot(crypto, level.subarray(0, 32 * width))), toHex(rootOf(crypto, hs.slice(0, width))), `${width} leaves`);
      }
      // A one-leaf subtree's root is a copy, not a view the caller may overwrite.
      const one = level.subarray(0, 32);
      t.not(completeSubtreeRoot(crypto, one).buffer, one.buffer);
      for (const bad of [0, 3, 6, 12, 255]) t.throws(() => completeSubtreeRoot(crypto, level.subarray(0, 32 * bad)), RangeError, `${bad} leaves`);
      t.throws(() => completeSubtreeRoot(crypto, new Uint8Array(33)), RangeError);
      t.throws(() => parentHashes(crypto, level.subarray(0, 96)), RangeError);
      t.throws(() => parentHashes(crypto, new Uint8Array(65)), RangeError);
    });

    t.test('appendLeafHashes equals append, from every size 0..300 in random chunks', async (t) => {
      const hs = leaves(crypto, 300);
      const all = concatBytes(...hs);
      for (let size = 0; size <= 300; size++) {
        // A prefix appended one by one (any alignment), the rest in random chunks (empty ones too).
        const prefix = random(size + 1);
        const tree = new TreeBuilder(crypto);
        for (let i = 0; i < prefix; i++) tree.append(hs[i]!);
        for (let at = prefix; at < size; ) {
          const n = Math.min(size - at, random(5) === 0 ? 0 : 1 + random(size - at < 64 ? size - at : 300));
          tree.appendLeafHashes(all.subarray(32 * at, 32 * (at + n)));
          at += n;
        }
        t.equal(tree.size, size);
        if (toHex(tree.root()) !== toHex(rootOf(crypto, hs.slice(0, size)))) t.fail(`size ${size} (prefix ${prefix})`);
      }
      t.throws(() => new TreeBuilder(crypto).appendLeafHashes(new Uint8Array(31)), RangeError);
    });

    t.test('appendLeafHashes equals append on large trees, a tile at a time and unaligned', async (t) => {
      for (const size of [65_536, 65_537, 100_003]) {
        const hs = leaves(crypto, size);
        const reference = new TreeBuilder(crypto);
        for (const h of hs) reference.append(h);
        const all = concatBytes(...hs);
        const tiled = new TreeBuilder(crypto);
        for (let at = 0; at < size; at += 256) tiled.appendLeafHashes(all.subarray(32 * at, 32 * Math.min(size, at + 256)));
        const unaligned = new TreeBuilder(crypto);
        unaligned.append(hs[0]!);
        for (let at = 1; at < size; at += 1000) unaligned.appendLeafHashes(all.subarray(32 * at, 32 * Math.min(size, at + 1000)));
        t.equal(toHex(tiled.root()), toHex(reference.root()), `${size} by tiles`);
        t.equal(toHex(unaligned.root()), toHex(reference.root()), `${size} unaligned`);
        t.equal(tiled.size, size);
      }
    });
  });
}

t.test('both adapters hash alike at every length 0..300 and a few large ones', async (t) => {
  const [wasm, native] = await Promise.all([loadLibsodiumJs(), loadNativeSodium()]);
  const lengths = [...Array.from({ length: 301 }, (_, i) => i), 1000, 4096, 65_536, 100_001];
  const data = bytes(100_001);
  const ranges = Uint32Array.from(lengths.flatMap((n) => [0, n]));
  const fromWasm = new Uint8Array(32 * lengths.length);
  const fromNative = new Uint8Array(32 * lengths.length);
  wasm.sha256Ranges(data, ranges, fromWasm);
  native.sha256Ranges(data, ranges, fromNative);
  t.equal(toHex(fromNative), toHex(fromWasm), 'sha256Ranges');
  for (const n of lengths) if (toHex(native.sha256(data.subarray(0, n))) !== toHex(wasm.sha256(data.subarray(0, n)))) t.fail(`sha256 of ${n} bytes`);
  t.equal(toHex(native.sha256(data.subarray(0, 300))), toHex(fromWasm.subarray(32 * 300, 32 * 301)));
});
