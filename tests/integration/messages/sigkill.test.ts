// Invariant 2: accepted means durable. The hub process is SIGKILLed after its
// 202 and before the message could be queued; a new process delivers it,
// exactly once, to the receiving client.
import t from 'tap';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { startHubProcess } from '../../../clients/harness/hub-process.js';
import { freePort } from '../../../server/lib/net.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { createTestDatabase, eventually, tempDir } from '../../helpers/env.js';
import { startRedisServer } from '../../helpers/redis-server.js';

t.test('SIGKILL after 202, before delivery: delivered once after restart', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  const redis = await startRedisServer(t);
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    VIGIE_DATA_DIR: tempDir(t),
    VIGIE_QUEUE_PREFIX: 'sigkill',
    PORT: String(await freePort()),
    VIGIE_OPERATOR_TOKEN: randomBytes(32).toString('base64url'),
  };
  const first = await startHubProcess(env);
  t.teardown(() => first.stop('SIGKILL'));
  const { worker, officer, underDanger } = await enrolPartners(first.url, first.operatorToken);

  const received: OpenedMessage[] = [];
  const stream = officer.client.stream();
  stream.on('message', (m) => void received.push(m));
  await stream.open();
  t.teardown(() => stream.close());

  // Freeze Redis: the hub can still accept (PostgreSQL), but cannot queue.
  redis.child.kill('SIGSTOP');
  const sent = await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { text: 'survit au SIGKILL' }, ...underDanger });
  t.equal(sent.duplicate, false, 'the hub answered 202 for a new message');
  await first.stop('SIGKILL');
  t.equal(first.child.signalCode, 'SIGKILL', 'the first hub process was killed');

  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const pending = await db.query('select dispatched_at from outbox where ref = $1', [sent.id]);
  t.equal(pending.rows.length, 1, 'the outbox row was committed with the message');
  t.equal(pending.rows[0].dispatched_at, null, 'it had not reached the queue when the hub died');
  t.equal(received.length, 0, 'nothing was delivered before the kill');

  redis.child.kill('SIGCONT');
  const second = await startHubProcess(env);
  t.teardown(() => second.stop());

  // The receiver's SDK reconnects by itself to the restarted hub.
  await eventually(() => received.length >= 1, 20_000);
  await new Promise((r) => setTimeout(r, 1500));
  t.equal(received.length, 1, 'delivered exactly once to the receiving client');
  t.equal(received[0]!.id, sent.id);
  t.same(received[0]!.content, { text: 'survit au SIGKILL' });
  const dispatched = await db.query('select dispatched_at from outbox where ref = $1', [sent.id]);
  t.not(dispatched.rows[0].dispatched_at, null, 'the outbox relay of the new process queued it');
  await eventually(async () => (await worker.client.status(sent.id)).recipients[0]!.state === 'delivered');
  t.pass('the device receipt reached the hub');
});
