// Proofs from the tree held in memory (server/disclosure-log/tree-nodes.ts), on
// real PostgreSQL (and PGlite): every inclusion and consistency proof equals the
// one built from all the stored nodes; once read, a tile's proofs need none of
// its rows; what is held is only what the newest checkpoint signed by the log's
// key vouches for, so that a table altered behind the hub's back — consistently,
// for a moment, or with rows far outside the tree — is never answered from
// memory and never makes it hold more than the tree; at most `maxTiles` tiles,
// least recently used dropped; forget() drops everything, reads under way included.
import t, { type Test } from 'tap';
import { sql } from 'drizzle-orm';
import { formatCheckpoint } from '../../../protocol/log/checkpoint.js';
import { appendNodes, consistencyProof, inclusionProof, leafHash, nodeHash, rootFromNodes, verifyInclusion, type TreeNode } from '../../../protocol/log/merkle.js';
import { formatVkey, parseVkey, signNote } from '../../../protocol/log/note.js';
import { utf8 } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { connectDatabase, type Db } from '../../../server/db/connect.js';
import { TreeNodes, type TreeNodesOptions } from '../../../server/disclosure-log/tree-nodes.js';
import { migratedDatabase, tempDir } from '../../helpers/env.js';
import { asSuperuserWithoutTriggers } from '../../helpers/log-tamper.js';

const crypto = await loadSodium();
// Five full tiles and a partial sixth.
const SIZE = 256 * 5 + 77;
const FULL = 256 * 5;
const stored = new Map<string, Uint8Array>();
const get = (level: number, index: number) => stored.get(`${level}:${index}`)!;
const created: TreeNode[] = appendNodes(
  crypto,
  0,
  Array.from({ length: SIZE }, (_, i) => leafHash(crypto, utf8(`leaf ${i}`))),
  get,
);
for (const n of created) stored.set(`${n.level}:${n.index}`, n.hash);

// The log's key, and a checkpoint of SIZE it signed.
const ORIGIN = 'vigie.test/log';
const logKey = crypto.signKeypair();
const vkey = parseVkey(crypto, formatVkey(crypto, ORIGIN, logKey.publicKey));
const note = signNote(crypto, formatCheckpoint({ origin: ORIGIN, size: SIZE, rootHash: rootFromNodes(crypto, SIZE, get), extensions: [] }), { name: ORIGIN, secretKey: logKey.secretKey });

const { database, raw } = await migratedDatabase(t);
const insertNodes = (nodes: TreeNode[]) =>
  raw.query('insert into log_nodes (level, index, hash) select * from unnest($1::int[], $2::bigint[], $3::bytea[]) on conflict do nothing', [
    nodes.map((n) => n.level),
    nodes.map((n) => n.index),
    nodes.map((n) => Buffer.from(n.hash)),
  ]);
await insertNodes(created);
await raw.query('insert into log_checkpoints (size, root_hash, note) values ($1, $2, $3)', [SIZE, Buffer.from(rootFromNodes(crypto, SIZE, get)), note]);
/** Sets node (level, index) to `hash` as a superuser would, and puts it back at the end of the test. */
const alter = async (t: Test, level: number, index: number, hash: Uint8Array) => {
  await asSuperuserWithoutTriggers(raw, 'update log_nodes set hash = $1 where level = $2 and index = $3', [Buffer.from(hash), level, index]);
  t.teardown(() => asSuperuserWithoutTriggers(raw, 'update log_nodes set hash = $1 where level = $2 and index = $3', [Buffer.from(get(level, index)), level, index]));
};
const treeOf = (t: Test, options: TreeNodesOptions = {}, db: Db = database.db, key = vkey) => {
  const tree = new TreeNodes(db, crypto, key, options);
  t.teardown(() => tree.close());
  return tree;
};

const hex = (proof: Uint8Array[]) => proof.map((h) => Buffer.from(h).toString('hex')).join();
const sizes = [1, 2, 255, 256, 257, 512, 700, 1024, FULL, SIZE];
const indexesOf = (size: number) => [...new Set([0, 1, 5, 255, 256, 300, 511, 512, 777, 1023, 1024, 1279, 1280, 1300, size - 1].filter((i) => i < size))];

t.test('every proof equals the one built from all the nodes, before and after the tree is read', async (t) => {
  const tree = treeOf(t, { page: 2 });
  for (const pass of ['as asked', 'read']) {
    if (pass === 'read') {
      await tree.load();
      t.same(tree.held, { tiles: [0, 1, 2, 3, 4], upper: 8, size: SIZE }, 'every full tile and the 5 + 2 + 1 nodes above them within the signed tree');
    }
    for (const size of sizes) {
      const root = rootFromNodes(crypto, size, get);
      for (const index of indexesOf(size)) {
        const proof = await tree.inclusionProof(index, size);
        if (hex(proof) !== hex(inclusionProof(crypto, index, size, get))) t.fail(`${pass}: inclusion ${index} in ${size}`);
        if (!verifyInclusion(crypto, { index, size, leafHash: get(0, index), proof, root })) t.fail(`${pass}: inclusion ${index} in ${size} does not verify`);
      }
      for (const old of sizes.filter((s) => s < size)) {
        if (hex(await tree.consistencyProof(old, size)) !== hex(consistencyProof(crypto, old, size, get))) t.fail(`${pass}: consistency ${old} → ${size}`);
      }
    }
  }
});

t.test('once read, proofs need no rows below level 8 but those inside the partial tile', async (t) => {
  const tree = treeOf(t);
  await tree.load();
  await asSuperuserWithoutTriggers(raw, 'delete from log_nodes where level < 8');
  t.teardown(() => insertNodes(created));
  for (const [index, size] of [[3, FULL], [299, FULL], [640, SIZE], [1279, SIZE]] as const) {
    t.equal(hex(await tree.inclusionProof(index, size)), hex(inclusionProof(crypto, index, size, get)), `leaf ${index} in ${size} from memory`);
  }
  t.equal(hex(await tree.consistencyProof(512, SIZE)), hex(consistencyProof(crypto, 512, SIZE, get)), 'a consistency proof from memory');
  await t.rejects(tree.inclusionProof(1290, SIZE), { code: 'LOG_NODE_MISSING' }, 'a leaf in the partial tile needs its rows');
  await t.rejects(treeOf(t).inclusionProof(3, FULL), { code: 'LOG_NODE_MISSING' }, 'a tree not yet read needs them too');
});

t.test('a table altered after the tree was read does not change the answers', async (t) => {
  const tree = treeOf(t);
  await tree.load();
  await alter(t, 0, 300, new Uint8Array(32).fill(7));
  await alter(t, 9, 0, new Uint8Array(32).fill(7));
  t.equal(hex(await tree.inclusionProof(301, SIZE)), hex(inclusionProof(crypto, 301, SIZE, get)));
});

t.test('a table altered consistently before it is read: nothing is held, and once restored the answers are right', async (t) => {
  // Tile 3 rewritten with its level-8 node to agree: the level-9 node above no longer does.
  const forged = new Uint8Array(32).fill(9);
  const leaves = Array.from({ length: 256 }, (_, k) => (k === 9 ? forged : get(0, 3 * 256 + k)));
  let level = leaves;
  while (level.length > 1) level = Array.from({ length: level.length / 2 }, (_, k) => nodeHash(crypto, level[2 * k]!, level[2 * k + 1]!));
  await alter(t, 0, 3 * 256 + 9, forged);
  await alter(t, 8, 3, level[0]!);
  const refused: [number, string][] = [];
  const tree = treeOf(t, { onRefused: (size, reason) => refused.push([size, reason]) });
  await tree.load();
  t.same(tree.held, { tiles: [], upper: 0, size: 0 }, 'nothing the signed root does not vouch for is held');
  await tree.load();
  t.same(refused, [[SIZE, 'node 9/1 is not the hash of its children']], 'told once, with why');
  t.not(hex(await tree.inclusionProof(3 * 256 + 8, SIZE)), hex(inclusionProof(crypto, 3 * 256 + 8, SIZE, get)), 'the altered table answers, as it would without memory');
  await asSuperuserWithoutTriggers(raw, 'update log_nodes set hash = $1 where level = 0 and index = $2', [Buffer.from(get(0, 3 * 256 + 9)), 3 * 256 + 9]);
  await asSuperuserWithoutTriggers(raw, 'update log_nodes set hash = $1 where level = 8 and index = 3', [Buffer.from(get(8, 3))]);
  t.equal(hex(await tree.inclusionProof(3 * 256 + 8, SIZE)), hex(inclusionProof(crypto, 3 * 256 + 8, SIZE, get)), 'restored, the table’s answer is right again');
  await tree.load();
  t.same(tree.held.tiles, [0, 1, 2, 3, 4], 'and the tree is read');
});

t.test('a tile whose leaves do not hash to its level-8 node, or with a leaf missing, is not held', async (t) => {
  await alter(t, 0, 3 * 256 + 9, new Uint8Array(32).fill(7));
  await asSuperuserWithoutTriggers(raw, 'delete from log_nodes where level = 0 and index = $1', [2 * 256 + 5]);
  t.teardown(() => insertNodes(created));
  const tree = treeOf(t);
  await tree.load();
  t.same(tree.held.tiles, [0, 1, 4]);
});

t.test('a checkpoint not signed by the log key vouches for nothing', async (t) => {
  const other = parseVkey(crypto, formatVkey(crypto, ORIGIN, crypto.signKeypair().publicKey));
  const refused: [number, string][] = [];
  const tree = treeOf(t, { onRefused: (size, reason) => refused.push([size, reason]) }, database.db, other);
  await tree.load();
  t.same(tree.held, { tiles: [], upper: 0, size: 0 });
  t.same(refused, [[SIZE, 'the checkpoint is not signed by the log key']]);
});

t.test('rows outside the signed tree are never read into memory', async (t) => {
  await asSuperuserWithoutTriggers(raw, 'insert into log_nodes (level, index, hash) select 40, i, $1 from generate_series(0, 999) as i', [Buffer.alloc(32, 1)]);
  await asSuperuserWithoutTriggers(raw, 'insert into log_nodes (level, index, hash) select 8, i, $1 from generate_series(100, 1099) as i', [Buffer.alloc(32, 1)]);
  t.teardown(() => asSuperuserWithoutTriggers(raw, 'delete from log_nodes where level = 40 or (level = 8 and index >= 100)'));
  const tree = treeOf(t);
  await tree.load();
  t.same(tree.held, { tiles: [0, 1, 2, 3, 4], upper: 8, size: SIZE });
});

t.test('at most maxTiles tiles are held, the least recently used dropped first', async (t) => {
  const tree = treeOf(t, { maxTiles: 2, page: 1 });
  await tree.load();
  t.same(tree.held.tiles, [3, 4], 'the newest tiles are read');
  // Used, tile 4 is kept; tile 0 is read on the miss (in the background) and tile 3 dropped.
  await tree.inclusionProof(4 * 256 + 1, SIZE);
  await tree.inclusionProof(10, SIZE);
  await tree.close(); // waits for the reads under way
  t.same(tree.held.tiles, [0, 4]);
});

t.test('forget() drops everything, reads under way included', async (t) => {
  const tree = treeOf(t);
  await tree.load();
  t.same(tree.held.tiles.length, 5);
  tree.forget();
  t.same(tree.held, { tiles: [], upper: 0, size: 0 });
  const reading = tree.load();
  tree.forget();
  await reading;
  t.same(tree.held, { tiles: [], upper: 0, size: 0 }, 'a read started before forget() is not kept');
});

t.test('on PGlite too (the embedded default reads the tree at start)', async (t) => {
  const embedded = await connectDatabase({ dataDir: tempDir(t) });
  t.teardown(() => embedded.close());
  await embedded.migrate();
  await embedded.db.execute(
    sql`insert into log_nodes (level, index, hash) select l, i, decode(h, 'hex') from unnest(${`{${created.map((n) => n.level).join(',')}}`}::int[], ${`{${created.map((n) => n.index).join(',')}}`}::bigint[], ${`{${created.map((n) => Buffer.from(n.hash).toString('hex')).join(',')}}`}::text[]) as x(l, i, h)`,
  );
  await embedded.db.execute(sql`insert into log_checkpoints (size, root_hash, note) values (${SIZE}, decode(${Buffer.from(rootFromNodes(crypto, SIZE, get)).toString('hex')}, 'hex'), ${note})`);
  const tree = treeOf(t, {}, embedded.db);
  await tree.load();
  t.same(tree.held, { tiles: [0, 1, 2, 3, 4], upper: 8, size: SIZE });
  for (const index of [0, 700, SIZE - 1]) t.equal(hex(await tree.inclusionProof(index, SIZE)), hex(inclusionProof(crypto, index, SIZE, get)), `leaf ${index}`);
});
