// When the sequencer runs without being asked, and how often it signs. Every
// other log test integrates through flush(); these run the sequencer on its
// own timers, on real PostgreSQL: a leaf no commit woke it for is integrated
// by the interval's look at the queue, and hub instances sharing a database
// sign at most one checkpoint a gap between them, whichever signed the last.
import pino from 'pino';
import t, { type Test } from 'tap';
import { loadSodium } from '../../../protocol/sodium.js';
import { Sequencer } from '../../../server/disclosure-log/sequencer.js';
import { eventually, migratedDatabase } from '../../helpers/env.js';

const ORIGIN = 'vigie.test/sequencer-pacing';
const log = pino({ level: 'silent' });

async function setUp(t: Test) {
  const crypto = await loadSodium();
  const { database, raw } = await migratedDatabase(t);
  const key = crypto.signKeypair();
  const sequencer = (gapMs: number) => {
    const s = new Sequencer({ db: database.db, crypto, log, origin: ORIGIN, signingSecretKey: key.secretKey, batchSize: 256, intervalMs: 50, minGapMs: gapMs });
    t.teardown(() => s.close());
    return s;
  };
  // A leaf queued as a commit would queue it, without waking any sequencer.
  const queue = (n: number) =>
    raw.query(`insert into log_queue (kind, subject, data, record) select 'test.leaf', null, 'leaf ' || i, '{}' from generate_series(1, $1::int) i`, [n]);
  const count = async (sql: string) => Number((await raw.query(sql)).rows[0].n);
  return { sequencer, queue, count, raw };
}

t.test('a leaf no commit woke the sequencer for is integrated by the interval’s look at the queue', async (t) => {
  const { sequencer, queue, count } = await setUp(t);
  const s = sequencer(200);
  s.start();
  await eventually(async () => (await count('select count(*) as n from log_checkpoints')) >= 1);
  t.equal(await count('select count(*) as n from log_leaves'), 0, 'an empty log, signed at size 0');
  // The log is whole: from now on each interval only looks whether the log needs a pass.
  await queue(3);
  await eventually(async () => (await count('select count(*) as n from log_leaves')) === 3, 5_000);
  t.equal(await count('select count(*) as n from log_queue'), 0, 'taken from the queue');
  t.equal(await count('select max(size) as n from log_checkpoints'), 3, 'and signed');
  t.equal(await s.due(), false, 'nothing left to do');
});

t.test('a tree longer than its newest checkpoint is due for a pass', async (t) => {
  const { sequencer, count, raw } = await setUp(t);
  const s = sequencer(200);
  await s.flush();
  t.equal(await s.due(), false);
  await raw.query(`insert into log_leaves ("index", kind, subject, data) values (0, 'test.leaf', null, 'written behind the sequencer')`);
  t.equal(await s.due(), true, 'the look at the queue sees it');
  t.equal(await count('select max(size) as n from log_checkpoints'), 0);
});

t.test('two instances on one database sign at most one checkpoint a gap between them', async (t) => {
  const { sequencer, queue, count } = await setUp(t);
  const gapMs = 500;
  const a = sequencer(gapMs);
  const b = sequencer(gapMs);
  await a.flush();
  const before = await count('select count(*) as n from log_checkpoints');
  a.start();
  // Leaves keep coming, each commit waking both instances (two hubs behind a balancer); the second starts half a gap
  // later, so that on their own clocks alone their passes would fall between each other's.
  const started = Date.now();
  let batches = 0;
  let joined = false;
  while (Date.now() - started < 3_000) {
    await queue(5);
    batches++;
    a.kick();
    if (Date.now() - started > gapMs / 2) {
      if (!joined) b.start();
      joined = true;
      b.kick();
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsed = Date.now() - started;
  await eventually(async () => (await count('select count(*) as n from log_queue')) === 0, 10_000);
  const signed = (await count('select count(*) as n from log_checkpoints')) - before;
  t.ok(signed >= 2, `the flow was signed along the way (${signed} checkpoints)`);
  // One at the start of the flow, one a gap after each, and one for the last leaves after the flow stopped.
  t.ok(signed <= Math.floor(elapsed / gapMs) + 2, `${signed} checkpoints in ${elapsed} ms with a gap of ${gapMs} ms`);
  t.equal(await count('select count(*) as n from log_leaves'), 5 * batches, 'every leaf integrated once');
});

t.test('a checkpoint dated in the future puts no pass off', async (t) => {
  const { sequencer, queue, count, raw } = await setUp(t);
  const signer = sequencer(300);
  await queue(1);
  await signer.flush();
  // A database writer (or a clock set back) dates the newest checkpoint a day ahead.
  await raw.query('alter table log_checkpoints disable trigger user');
  await raw.query(`update log_checkpoints set signed_at = now() + interval '1 day'`);
  await raw.query('alter table log_checkpoints enable trigger user');
  const other = sequencer(300);
  other.start();
  await queue(2);
  other.kick();
  await eventually(async () => (await count('select count(*) as n from log_leaves')) === 3, 5_000);
  t.equal(await count('select max(size) as n from log_checkpoints'), 3, 'integrated and signed');
});
