// The race tests hold a row locked in a transaction of their own and wait to
// see the hub's statement waiting for it (tests/helpers/row-lock.ts). They
// look from another connection, outside any transaction: PostgreSQL takes
// pg_stat_activity's list of sessions at a transaction's first look, so the
// holder itself, polling, never saw a session opened after it looked (a hub
// pool grown under load) and the deadlock test timed out once in CI.
import pg from 'pg';
import t from 'tap';
import { createTestDatabase } from '../../helpers/env.js';
import { holdRows } from '../../helpers/row-lock.js';

t.test('a session opened after the first look is seen waiting for the held row', async (t) => {
  const url = await createTestDatabase(t);
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  t.teardown(() => setup.end());
  await setup.query('create table watched (id int primary key, v int)');
  await setup.query('insert into watched values (1, 1)');

  const held = await holdRows(t, url, 'select 1 from watched where id = 1 for update', []);
  // A first look finds nobody waiting: what, seen from the holder's transaction, froze the list of sessions.
  await t.rejects(held.statementWaits('update watched', 200), /condition not met/, 'nobody waits yet');
  const fromHolder = async () =>
    (await held.db.query(`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and strpos(query, 'update watched') > 0`)).rows[0].n as number;
  t.equal(await fromHolder(), 0, 'the holder has looked');

  const late = new pg.Client({ connectionString: url });
  await late.connect();
  t.teardown(() => late.end());
  const update = late.query('update watched set v = 2 where id = 1');
  await held.statementWaits('update watched');
  t.pass('the watcher sees the new session waiting at its update');
  t.equal(await fromHolder(), 0, 'the holder’s own look, inside its transaction, still does not: why the helper watches from outside');
  await held.rollback();
  await update;
  t.equal((await setup.query('select v from watched')).rows[0].v, 2, 'the update went through once the lock was let go');
});
