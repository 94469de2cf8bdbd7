// C2SP tlog-tiles: the spec's path and width examples (tests/vectors/tlog-tiles.json),
// strict path parsing, entry bundles, nodes read back out of tiles, and the
// streaming TreeBuilder.
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  appendNodes,
  concatBytes,
  decodeEntryBundle,
  encodeEntryBundle,
  entriesPath,
  inclusionProof,
  leafHash,
  loadSodium,
  nodeGetterFromTiles,
  parseTilePath,
  rootFromNodes,
  rootOf,
  TILE_HEIGHT,
  TILE_WIDTH,
  tileOfNode,
  tilePath,
  tileWidth,
  toHex,
  TreeBuilder,
  utf8,
  verifyInclusion,
  type TileRef,
} from '../../../../protocol/index.js';

const vectors = JSON.parse(readFileSync(new URL('../../../vectors/tlog-tiles.json', import.meta.url), 'utf8')) as {
  paths: (TileRef & { path: string })[];
  widths: { size: number; tiles: [number, number, number][] }[];
  invalidPaths: string[];
};
const crypto = await loadSodium();

t.test('constants', async (t) => {
  t.equal(TILE_WIDTH, 256);
  t.equal(TILE_HEIGHT, 8);
  t.equal(2 ** TILE_HEIGHT, TILE_WIDTH);
});

t.test('spec path examples format and parse', async (t) => {
  for (const v of vectors.paths) {
    const width = v.width === TILE_WIDTH ? undefined : v.width;
    const path = v.level === 'entries' ? entriesPath(v.index, width) : tilePath(v.level, v.index, width);
    t.equal(path, v.path, `format ${v.path}`);
    t.same(parseTilePath(v.path), { level: v.level, index: v.index, width: v.width }, `parse ${v.path}`);
  }
  t.equal(tilePath(0, 5, 256), 'tile/0/005', 'width 256 is a full tile');
  t.equal(entriesPath(999), 'tile/entries/999');
  t.equal(entriesPath(1_000_000), 'tile/entries/x001/x000/000');
});

t.test('non-canonical and hostile paths throw TILE_PATH_INVALID', async (t) => {
  for (const path of [...vectors.invalidPaths, 'tile/0/' + '000/'.repeat(40) + '000', 'tile/7/x001/000', null, 42, {}]) {
    t.throws(() => parseTilePath(path as string), { name: 'ProtocolError', code: 'TILE_PATH_INVALID' }, JSON.stringify(path));
  }
  t.same(parseTilePath('tile/63/000'), { level: 63, index: 0, width: 256 }, 'levels up to 63');
  for (const [fn, args] of [
    [tilePath, [64, 0]],
    [tilePath, [-1, 0]],
    [tilePath, [0, -1]],
    [tilePath, [0, 1.5]],
    [tilePath, [0, 0, 0]],
    [tilePath, [0, 0, 257]],
    [entriesPath, [2 ** 53]],
  ] as const) {
    t.throws(() => (fn as (...a: number[]) => string)(...args), { name: 'ProtocolError', code: 'TILE_PATH_INVALID' }, `${fn.name}(${args.join(', ')})`);
  }
});

t.test('tile widths of the spec examples', async (t) => {
  for (const v of vectors.widths) for (const [level, index, width] of v.tiles) t.equal(tileWidth(level, index, v.size), width, `size ${v.size}: tile ${level}/${index}`);
});

t.test('entry bundles', async (t) => {
  const entries = [new Uint8Array(0), utf8('a'), new Uint8Array(300).fill(7), new Uint8Array(0xffff).fill(1)];
  const bundle = encodeEntryBundle(entries);
  t.same([...bundle.subarray(0, 6)], [0, 0, 0, 1, 0x61, 0x01], 'uint16 big-endian lengths');
  t.equal(bundle.length, 8 + 1 + 300 + 0xffff);
  t.same(decodeEntryBundle(bundle).map((e) => toHex(e)), entries.map((e) => toHex(e)));
  t.same(decodeEntryBundle(new Uint8Array(0)), [], 'an empty bundle has no entries');
  const invalid = { name: 'ProtocolError', code: 'ENTRY_BUNDLE_INVALID' };
  t.throws(() => encodeEntryBundle([new Uint8Array(0x10000)]), invalid, 'entries are at most 65,535 bytes');
  for (const bad of [new Uint8Array([0]), new Uint8Array([0, 2, 1]), new Uint8Array([0xff, 0xff]), concatBytes(bundle, new Uint8Array([0]))]) {
    t.throws(() => decodeEntryBundle(bad), invalid, `truncated ${toHex(bad.subarray(0, 8))}`);
  }
  t.throws(() => decodeEntryBundle(encodeEntryBundle(Array(257).fill(new Uint8Array(0)))), invalid, 'at most 256 entries');
  t.throws(() => decodeEntryBundle('x' as never), invalid);
});

t.test('nodes, roots and proofs read from tiles equal the stored nodes', async (t) => {
  const size = 3 * 256 + 17; // two tile levels, partial tiles on both
  const leaves = Array.from({ length: size }, (_, i) => leafHash(crypto, utf8(`leaf ${i}`)));
  const stored = new Map<string, Uint8Array>();
  for (const n of appendNodes(crypto, 0, leaves, () => new Uint8Array())) stored.set(`${n.level}/${n.index}`, n.hash);
  // What a log serves: level-L tile N = hashes of tree level 8L, indices N·256 … N·256 + W − 1.
  const tiles = new Map<string, Uint8Array>();
  for (const level of [0, 1]) {
    for (let n = 0; tileWidth(level, n, size) > 0; n++) {
      const width = tileWidth(level, n, size);
      const hashes = Array.from({ length: width }, (_, i) => stored.get(`${level * 8}/${n * 256 + i}`)!);
      tiles.set(tilePath(level, n, width), concatBytes(...hashes));
    }
  }
  t.same([...tiles.keys()], ['tile/0/000', 'tile/0/001', 'tile/0/002', 'tile/0/003.p/17', 'tile/1/000.p/3']);
  const fetched: string[] = [];
  const get = nodeGetterFromTiles(crypto, (level, n) => {
    const path = tilePath(level, n, tileWidth(level, n, size));
    fetched.push(path);
    return tiles.get(path);
  });
  const mismatches = [...stored].filter(([key, hash]) => {
    const [level, index] = key.split('/').map(Number) as [number, number];
    return toHex(get(level, index)) !== toHex(hash);
  });
  t.same(mismatches, [], `all ${stored.size} stored nodes recomputed from tiles`);
  t.equal(toHex(rootFromNodes(crypto, size, get)), toHex(rootOf(crypto, leaves)), 'root from tiles');
  const proof = inclusionProof(crypto, 700, size, get);
  t.ok(verifyInclusion(crypto, { index: 700, size, leafHash: leaves[700]!, proof, root: rootOf(crypto, leaves) }), 'inclusion proof from tiles');
  t.same(tileOfNode(9, 5), { tileLevel: 1, tileIndex: 0, first: 10, count: 2 });
  t.same(tileOfNode(3, 33), { tileLevel: 0, tileIndex: 1, first: 8, count: 8 });
  t.throws(() => get(0, size), RangeError, 'a node past the partial tile');
  t.throws(() => nodeGetterFromTiles(crypto, () => undefined)(0, 0), RangeError, 'a missing tile');
});

t.test('TreeBuilder equals MTH at every size, with O(log n) state', async (t) => {
  const leaves = Array.from({ length: 600 }, (_, i) => leafHash(crypto, utf8(`entry ${i}`)));
  const tree = new TreeBuilder(crypto);
  t.equal(toHex(tree.root()), toHex(rootOf(crypto, [])), 'empty tree');
  const wrong: number[] = [];
  for (let i = 0; i < leaves.length; i++) {
    tree.append(leaves[i]!);
    if (toHex(tree.root()) !== toHex(rootOf(crypto, leaves.slice(0, i + 1)))) wrong.push(i + 1);
  }
  t.same(wrong, []);
  t.equal(tree.size, 600);
  const viaEntries = new TreeBuilder(crypto);
  viaEntries.appendEntry(utf8('entry 0'));
  t.equal(toHex(viaEntries.root()), toHex(leaves[0]!), 'appendEntry hashes the leaf');
  t.throws(() => tree.append(new Uint8Array(31)), RangeError);
});

// Speed is measured by `npm run bench -- log`, never asserted here.
t.test('TreeBuilder agrees with the stored-node tree over many leaves', async (t) => {
  const N = 70_001; // crosses tile and power-of-two boundaries
  const entry = new Uint8Array(200);
  const view = new DataView(entry.buffer);
  const tree = new TreeBuilder(crypto);
  const nodes = new Map<string, Uint8Array>();
  const get = (l: number, i: number) => nodes.get(`${l}:${i}`)!;
  let size = 0;
  for (let batch = 0; size < N; batch++) {
    const hashes: Uint8Array[] = [];
    for (let k = 0; k < 997 && size + k < N; k++) {
      view.setUint32(0, size + k);
      tree.appendEntry(entry);
      hashes.push(leafHash(crypto, entry));
    }
    for (const n of appendNodes(crypto, size, hashes, get)) nodes.set(`${n.level}:${n.index}`, n.hash);
    size += hashes.length;
  }
  t.equal(tree.size, N);
  t.equal(toHex(tree.root()), toHex(rootFromNodes(crypto, N, get)), 'same root as appendNodes + rootFromNodes');
});
