// Invariant 1: the hub never sees plaintext. A unique canary travels in the
// content of a real alert; afterwards no table, no Redis key and no log line holds it.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub, REDIS_TEST_URL } from '../../helpers/env.js';

t.test('no table, Redis key or log line contains the content', async (t) => {
  const hub = await startTestHub(t);
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const canary = `CANARY-${randomBytes(12).toString('hex')}`;

  const received: OpenedMessage[] = [];
  const stream = officer.client.stream();
  stream.on('message', async (m) => {
    received.push(m);
    await officer.client.acknowledge(m);
  });
  await stream.open();
  t.teardown(() => stream.close());

  const sent = await worker.client.send({
    type: 'danger_alert',
    urgency: 'immediate',
    recipients: ['police-laval/dispatch'],
    content: { text: `Menace de mort — ${canary}`, victim: canary },
    ...underDanger,
  });
  await eventually(() => received.length === 1);
  t.match(JSON.stringify(received[0]!.content), canary, 'the police client decrypted the canary');
  await eventually(async () => (await worker.client.status(sent.id)).recipients[0]!.state === 'acknowledged');

  // PostgreSQL: every row of every table of the hub's database, as text.
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  const tables = await db.query<{ schemaname: string; tablename: string }>(
    "select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema')",
  );
  t.ok(tables.rows.length >= 9, 'all hub tables were inspected');
  let rowsSeen = 0;
  for (const { schemaname, tablename } of tables.rows) {
    const dump = await db.query(`select t::text as row from "${schemaname}"."${tablename}" t`);
    rowsSeen += dump.rows.length;
    for (const r of dump.rows) t.notMatch(r.row as string, canary, `${tablename} holds no content`);
  }
  await db.end();
  t.ok(rowsSeen > 10, `rows inspected: ${rowsSeen}`);

  // Redis: every key of this hub, whatever its type.
  const redis = new Redis(REDIS_TEST_URL);
  const keys = await redis.keys(`${hub.config.queuePrefix}:*`);
  t.ok(keys.length > 0, `Redis keys inspected: ${keys.length}`);
  for (const key of keys) {
    const dumped = await redis.dumpBuffer(key);
    t.notOk(dumped?.includes(Buffer.from(canary)), `${key} holds no content`);
  }
  redis.disconnect();

  // Logs.
  t.ok(hub.logs.length > 5, `log lines inspected: ${hub.logs.length}`);
  t.notOk(hub.logs.some((l) => l.includes(canary)), 'no log line holds content');
  t.notOk(hub.logs.some((l) => /Bearer |eyJhbGciOi/.test(l)), 'no log line holds a token');
});
