// Entry bundles read a page of tiles per query (PostgreSQL concatenates each
// tile's leaves): byte for byte what encodeEntryBundle makes of the leaves,
// UTF-8 and empty leaves included, partial tiles cut where asked, on PostgreSQL
// and on PGlite (the embedded default); the cache
// of full bundles reads a page per query when tiles are asked for in order,
// one tile when not, and never keeps a tile with a leaf missing.
import t, { type Test } from 'tap';
import { sql } from 'drizzle-orm';
import { encodeEntryBundle } from '../../../protocol/log/tiles.js';
import { utf8 } from '../../../protocol/encoding.js';
import { connectDatabase, type Db } from '../../../server/db/connect.js';
import { EntryBundleCache, entryBundles } from '../../../server/disclosure-log/proofs.js';
import { migratedDatabase, tempDir } from '../../helpers/env.js';

const SIZE = 256 * 40 + 37;
// Every leaf differs; some are empty, some are not ASCII (bytes ≠ characters), a few are long.
const leafData = (i: number) => (i % 97 === 0 ? '' : i % 13 === 0 ? `{"é":"${'ü'.repeat(i % 50)}🙂","i":${i}}` : `{"i":${i},"pad":"${'x'.repeat(i % 300)}"}`);
const expected = (tile: number, width = 256) => encodeEntryBundle(Array.from({ length: width }, (_, k) => utf8(leafData(tile * 256 + k))));

const { database, raw } = await migratedDatabase(t);
const insert = (indices: number[]) =>
  raw.query(`insert into log_leaves (index, kind, data) select i, 'message.accepted', d from unnest($1::bigint[], $2::text[]) as x(i, d)`, [indices, indices.map(leafData)]);
// Leaf 256·41 + 5 is missing: tile 41 is the one with a hole.
await insert(Array.from({ length: SIZE }, (_, i) => i));
await insert(Array.from({ length: 256 }, (_, k) => 256 * 41 + k).filter((i) => i !== 256 * 41 + 5));

// Counts the queries the cache makes.
const counted = (db: Db) => {
  const calls = { n: 0 };
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'execute' && typeof value === 'function') {
        return (...args: unknown[]) => {
          calls.n += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { db: proxy, calls };
};

t.test('a page of bundles equals encodeEntryBundle of its leaves', async (t) => {
  await pageEqualsLeaves(t, database.db);
});

t.test('on PGlite too', async (t) => {
  const embedded = await connectDatabase({ dataDir: tempDir(t) });
  t.teardown(() => embedded.close());
  await embedded.migrate();
  const indices = Array.from({ length: SIZE }, (_, i) => i);
  // A text[] literal: every element quoted, quotes and backslashes escaped.
  const texts = `{${indices.map((i) => `"${leafData(i).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  await embedded.db.execute(sql`insert into log_leaves (index, kind, data) select i, 'message.accepted', d from unnest(${`{${indices.join(',')}}`}::bigint[], ${texts}::text[]) as x(i, d)`);
  await pageEqualsLeaves(t, embedded.db);
});

async function pageEqualsLeaves(t: Test, db: Db) {
  const rows = await entryBundles(db, 0, 41, SIZE);
  t.same(rows.map((r) => r.tile), Array.from({ length: 41 }, (_, n) => n));
  for (const r of rows.slice(0, 40)) {
    t.equal(r.count, 256);
    if (!r.bundle.equals(expected(r.tile))) t.fail(`tile ${r.tile}`);
  }
  t.equal(rows[40]!.count, 37, 'the last tile is partial');
  t.ok(rows[40]!.bundle.equals(expected(40, 37)));
  const [cut] = await entryBundles(db, 3, 1, 3 * 256 + 10);
  t.same({ tile: cut!.tile, count: cut!.count }, { tile: 3, count: 10 }, 'a partial tile is cut at its width');
  t.ok(cut!.bundle.equals(expected(3, 10)));
  t.same(await entryBundles(db, 50, 4, 60 * 256), [], 'no leaves, no bundle');
}

t.test('the cache reads a page per query in order, one tile out of order', async (t) => {
  const { db, calls } = counted(database.db);
  const cache = new EntryBundleCache(db, 8, 64);
  // Asked for as an auditor does: several at once, in order.
  const first = await Promise.all([0, 1, 2, 3].map((n) => cache.get(n, SIZE)));
  t.equal(calls.n, 1, 'tiles 0-7 in one query');
  first.forEach((b, n) => t.ok(b!.equals(expected(n)), `tile ${n}`));
  for (let n = 4; n < 8; n++) t.ok((await cache.get(n, SIZE))!.equals(expected(n)));
  t.equal(calls.n, 1, 'tiles 4-7 were read with the page');
  t.ok((await cache.get(8, SIZE))!.equals(expected(8)));
  t.equal(calls.n, 2, 'tile 8 follows 7: the next page');
  t.ok((await cache.get(30, SIZE))!.equals(expected(30)));
  t.ok((await cache.get(20, SIZE))!.equals(expected(20)));
  t.equal(calls.n, 4, 'tiles out of order are read one by one');
  t.ok((await cache.get(38, SIZE))!.equals(expected(38)));
  t.ok((await cache.get(39, SIZE))!.equals(expected(39)));
  t.equal(calls.n, 6, 'a page stops at the last full tile');
});

t.test('a tile with a leaf missing is not found, then read again', async (t) => {
  const { db, calls } = counted(database.db);
  const cache = new EntryBundleCache(db, 8, 64);
  const size = 256 * 42;
  t.equal(await cache.get(41, size), null);
  t.equal(await cache.get(41, size), null);
  t.equal(calls.n, 2, 'not kept');
  await insert([256 * 41 + 5]);
  t.ok((await cache.get(41, size))!.equals(expected(41)));
});

t.test('the cache keeps at most its number of tiles and bytes', async (t) => {
  const { db, calls } = counted(database.db);
  const cache = new EntryBundleCache(db, 4, 6);
  for (let n = 0; n < 12; n++) await cache.get(n, SIZE);
  const before = calls.n;
  await cache.get(0, SIZE);
  t.equal(calls.n, before + 1, 'the oldest tile was dropped');
  const small = new EntryBundleCache(db, 4, 64, 1);
  await small.get(0, SIZE);
  const again = calls.n;
  await small.get(1, SIZE);
  t.equal(calls.n, again + 1, 'over its byte budget, nothing is kept');
});

t.test('an entry over 65,535 bytes is refused', async (t) => {
  const index = 256 * 45;
  await raw.query(`insert into log_leaves (index, kind, data) values ($1, 'message.accepted', $2)`, [index, 'x'.repeat(70_000)]);
  await t.rejects(entryBundles(database.db, 45, 1, index + 1), { code: 'ENTRY_BUNDLE_INVALID' });
});
