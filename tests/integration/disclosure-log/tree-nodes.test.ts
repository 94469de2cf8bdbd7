// Proofs from the tree's nodes held in memory (server/disclosure-log/tree-nodes.ts),
// on real PostgreSQL: every inclusion and consistency proof equals the one built
// from all the stored nodes, before and after the tiles are read ahead; once a
// tile is held its proofs need none of its rows (a superuser deletes them, and the
// proofs still come, where a tree that holds nothing fails); at most `maxTiles`
// tiles are held; a tile with a leaf missing, or whose leaves do not hash to
// its stored root, is never held; forget() (on the integrity check) drops all.
import t from 'tap';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { appendNodes, consistencyProof, inclusionProof, leafHash, rootFromNodes, verifyInclusion, type TreeNode } from '../../../protocol/log/merkle.js';
import { utf8 } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { connectDatabase } from '../../../server/db/connect.js';
import { TreeNodes } from '../../../server/disclosure-log/tree-nodes.js';
import { createTestDatabase, tempDir } from '../../helpers/env.js';
import { asSuperuserWithoutTriggers } from '../../helpers/log-tamper.js';

const crypto = await loadSodium();
// Five full tiles and a partial sixth.
const SIZE = 256 * 5 + 77;
const stored = new Map<string, Uint8Array>();
const get = (level: number, index: number) => stored.get(`${level}:${index}`)!;
const created: TreeNode[] = appendNodes(
  crypto,
  0,
  Array.from({ length: SIZE }, (_, i) => leafHash(crypto, utf8(`leaf ${i}`))),
  get,
);
for (const n of created) stored.set(`${n.level}:${n.index}`, n.hash);

const databaseUrl = await createTestDatabase(t);
const database = await connectDatabase({ databaseUrl, dataDir: tempDir(t) });
t.teardown(() => database.close());
await database.migrate();
const raw = new pg.Client({ connectionString: databaseUrl });
await raw.connect();
t.teardown(() => raw.end());
const insertNodes = (nodes: TreeNode[]) =>
  raw.query('insert into log_nodes (level, index, hash) select * from unnest($1::int[], $2::bigint[], $3::bytea[]) on conflict do nothing', [
    nodes.map((n) => n.level),
    nodes.map((n) => n.index),
    nodes.map((n) => Buffer.from(n.hash)),
  ]);
await insertNodes(created);

const hex = (proof: Uint8Array[]) => proof.map((h) => Buffer.from(h).toString('hex'));
const sizes = [1, 2, 255, 256, 257, 512, 700, 1024, 1280, SIZE];
const indexesOf = (size: number) => [...new Set([0, 1, 5, 255, 256, 300, 511, 512, 777, 1023, 1024, 1279, 1280, 1300, size - 1].filter((i) => i < size))];

t.test('every proof equals the one built from all the nodes, before and after the tiles are read ahead', async (t) => {
  const tree = new TreeNodes(database.db, crypto, { page: 2 });
  t.teardown(() => tree.close());
  for (const pass of ['as asked', 'read ahead']) {
    if (pass === 'read ahead') {
      await tree.load(SIZE);
      t.same(tree.held.tiles, [0, 1, 2, 3, 4], 'every full tile is held, not the partial one');
    }
    for (const size of sizes) {
      const root = rootFromNodes(crypto, size, get);
      for (const index of indexesOf(size)) {
        const proof = await tree.inclusionProof(index, size);
        if (hex(proof).join() !== hex(inclusionProof(crypto, index, size, get)).join()) t.fail(`${pass}: inclusion ${index} in ${size}`);
        if (!verifyInclusion(crypto, { index, size, leafHash: get(0, index), proof, root })) t.fail(`${pass}: inclusion ${index} in ${size} does not verify`);
      }
      for (const old of sizes.filter((s) => s < size)) {
        if (hex(await tree.consistencyProof(old, size)).join() !== hex(consistencyProof(crypto, old, size, get)).join()) t.fail(`${pass}: consistency ${old} → ${size}`);
      }
    }
  }
  t.ok(tree.held.upper > 0, 'nodes above the tiles are kept once read');
});

t.test('a held tile answers without its rows; a tree that holds nothing cannot', async (t) => {
  const tree = new TreeNodes(database.db, crypto);
  t.teardown(() => tree.close());
  await tree.load(SIZE);
  // The nodes above the tiles are read by the first proofs, then kept.
  const FULL = 256 * 5;
  for (const index of [0, 300, 600, 900, 1200]) await tree.inclusionProof(index, FULL);
  await asSuperuserWithoutTriggers(raw, 'delete from log_nodes where level < 8');
  t.teardown(() => insertNodes(created));
  for (const index of [3, 299, 640, 1000, 1279]) {
    t.same(hex(await tree.inclusionProof(index, FULL)), hex(inclusionProof(crypto, index, FULL, get)), `leaf ${index} from memory`);
  }
  t.same(hex(await tree.consistencyProof(512, 1280)), hex(consistencyProof(crypto, 512, 1280, get)), 'a consistency proof within full tiles from memory');
  await t.rejects(tree.inclusionProof(3, SIZE), { code: 'LOG_NODE_MISSING' }, 'the partial tile is read from the table each time');
  const empty = new TreeNodes(database.db, crypto);
  t.teardown(() => empty.close());
  await t.rejects(empty.inclusionProof(3, FULL), { code: 'LOG_NODE_MISSING' }, 'without the tiles held, the rows are needed');
});

t.test('at most maxTiles tiles are held, the least recently used dropped first', async (t) => {
  const tree = new TreeNodes(database.db, crypto, { maxTiles: 2, page: 1 });
  t.teardown(() => tree.close());
  await tree.load(SIZE);
  t.same(tree.held.tiles, [3, 4], 'the newest tiles are read ahead');
  // Used, tile 4 is kept; tile 0 is read on the miss (in the background) and tile 3 dropped.
  await tree.inclusionProof(4 * 256 + 1, SIZE);
  await tree.inclusionProof(10, SIZE);
  await tree.close(); // waits for the reads under way
  t.same(tree.held.tiles, [0, 4]);
});

t.test('a tile with a leaf missing is never held', async (t) => {
  await asSuperuserWithoutTriggers(raw, 'delete from log_nodes where level = 0 and index = $1', [256 * 2 + 5]);
  t.teardown(() => insertNodes(created));
  const tree = new TreeNodes(database.db, crypto);
  t.teardown(() => tree.close());
  await tree.load(SIZE);
  t.same(tree.held.tiles, [0, 1, 3, 4]);
});

t.test('a tile whose leaves do not hash to its stored root is never held; forget() drops all', async (t) => {
  const leaf = 256 * 3 + 9;
  await asSuperuserWithoutTriggers(raw, 'update log_nodes set hash = $1 where level = 0 and index = $2', [Buffer.alloc(32, 7), leaf]);
  t.teardown(() => asSuperuserWithoutTriggers(raw, 'update log_nodes set hash = $1 where level = 0 and index = $2', [Buffer.from(get(0, leaf)), leaf]));
  const tree = new TreeNodes(database.db, crypto);
  t.teardown(() => tree.close());
  await tree.load(SIZE);
  t.same(tree.held.tiles, [0, 1, 2, 4]);
  t.ok(tree.held.upper > 0);
  tree.forget();
  t.same(tree.held, { tiles: [], upper: 0 }, 'nothing held once forgotten');
});

t.test('on PGlite too (the embedded default reads the tree at start)', async (t) => {
  const embedded = await connectDatabase({ dataDir: tempDir(t) });
  t.teardown(() => embedded.close());
  await embedded.migrate();
  await embedded.db.execute(
    sql`insert into log_nodes (level, index, hash) select l, i, decode(h, 'hex') from unnest(${`{${created.map((n) => n.level).join(',')}}`}::int[], ${`{${created.map((n) => n.index).join(',')}}`}::bigint[], ${`{${created.map((n) => Buffer.from(n.hash).toString('hex')).join(',')}}`}::text[]) as x(l, i, h)`,
  );
  const tree = new TreeNodes(embedded.db, crypto);
  t.teardown(() => tree.close());
  await tree.load();
  t.same(tree.held.tiles, [0, 1, 2, 3, 4], 'every full tile of the stored leaves');
  for (const index of [0, 700, SIZE - 1]) t.same(hex(await tree.inclusionProof(index, SIZE)), hex(inclusionProof(crypto, index, SIZE, get)), `leaf ${index}`);
});
