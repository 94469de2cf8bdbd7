// Outbox rows are marked dispatched in batches: one statement per topic, only
// the rows named, and a database that fails the mark leaves them pending (the
// relay dispatches them again) without throwing.
import t from 'tap';
import pino from 'pino';
import { sql } from 'drizzle-orm';
import { connectDatabase } from '../../../server/db/connect.js';
import { OutboxMarks } from '../../../server/delivery/outbox-marks.js';
import type { OutboxRef } from '../../../server/delivery/outbox.js';
import { createTestDatabase, eventually, tempDir } from '../../helpers/env.js';

/** The i-th row's ref: a notice for every third, a message to deliver otherwise. */
function ref(i: number): OutboxRef {
  const message = `6f0c2a4e-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return i % 3 === 0 ? { topic: 'notice', message, inbox: 'police-laval/dispatch', step: 0 } : { topic: 'deliver', message };
}
const keyOfRow = (i: number) => (i % 3 === 0 ? `${ref(i).message}.police-laval/dispatch.0` : ref(i).message);

t.test('a batch marks exactly the rows named, per topic, within moments', async (t) => {
  const database = await connectDatabase({ databaseUrl: await createTestDatabase(t), dataDir: tempDir(t) });
  t.teardown(() => database.close());
  await database.migrate();
  const { db } = database;
  await db.execute(
    // 300 rows: more than one batch (200), two topics, and rows nobody marks.
    sql`insert into outbox (topic, ref) select case when i % 3 = 0 then 'notice' else 'deliver' end, ${ref(0).message.slice(0, -12)} || lpad(i::text, 12, '0') || case when i % 3 = 0 then '.police-laval/dispatch.0' else '' end from generate_series(1, 300) i`,
  );
  const warnings: string[] = [];
  const marks = new OutboxMarks(db, pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) }));
  for (let i = 1; i <= 250; i++) marks.mark(ref(i));
  const pending = async () =>
    ((await db.execute(sql`select ref from outbox where dispatched_at is null order by id`)) as unknown as { rows: { ref: string }[] }).rows.map((r) => r.ref);
  const left = await eventually(async () => {
    const rows = await pending();
    return rows.length === 50 ? rows : null;
  }, 5000);
  t.same(left, Array.from({ length: 50 }, (_, i) => keyOfRow(251 + i)), 'the 250 marked rows, of both topics; the 50 others stay pending');
  marks.mark(ref(251));
  await marks.flush();
  t.equal((await pending()).length, 49, 'flush() marks at once what waits');
  t.same(warnings, [], 'no warning');

  await database.close();
  marks.mark(ref(252));
  await t.resolves(marks.flush(), 'a database that fails the mark does not throw');
  t.match(warnings.join(''), /could not mark outbox rows dispatched/, 'it says so in the log');
});
