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
import { observeRawFrames } from '../../helpers/raw-frames.js';
import { startRedisServer } from '../../helpers/redis-server.js';

t.test('SIGKILL after 202, before delivery: delivered once after restart', async (t) => {
  const databaseUrl = await createTestDatabase(t, { migrated: true });
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

  const POLICE = 'police-laval/dispatch';
  const raw = observeRawFrames(t);
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
  t.equal(raw.of(officer.keys.member, 'message', POLICE).length, 0, '…not even a frame on the wire');
  t.equal(raw.connections(officer.keys.member), 1, 'on the one socket the receiver had opened');

  redis.child.kill('SIGCONT');
  const second = await startHubProcess(env);
  t.teardown(() => second.stop());

  // The receiver's SDK reconnects by itself to the restarted hub.
  await eventually(() => received.length >= 1, 20_000);
  await eventually(async () => (await worker.client.status(sent.id)).recipients[0]!.state === 'delivered');
  t.pass('the device receipt reached the hub');
  // The mark is recorded in the relay's next batch (a tenth of a second): waited for, with a deadline.
  const dispatched = await eventually(async () => (await db.query('select dispatched_at from outbox where ref = $1', [sent.id])).rows[0].dispatched_at, 5_000);
  t.not(dispatched, null, 'the outbox relay of the new process queued it');
  // Nothing sends the alert again once its job has published it (pushed_at) and its receipt is stored; a second
  // alert sent now travels behind every copy of the first on the same socket, so once it arrived the count is final.
  await eventually(async () => (await db.query('select pushed_at from deliveries where message_id = $1', [sent.id])).rows[0].pushed_at !== null);
  const marker = await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: [POLICE], content: { text: 'après' }, ...underDanger });
  await eventually(() => received.some((m) => m.id === marker.id), 20_000);
  const alerts = received.filter((m) => m.id !== marker.id);
  t.equal(alerts.length, 1, 'delivered exactly once to the receiving application (after the SDK de-duplicated)');
  t.equal(alerts[0]!.id, sent.id);
  t.same(alerts[0]!.content, { text: 'survit au SIGKILL' });
  // On the wire: the new process's replay of the reconnected stream and its delivery job may each send the
  // alert (at least once), but only on sockets opened after the restart, and always as the one stored feed event.
  const frames = raw.of(officer.keys.member, 'message', POLICE).filter((f) => f.message === sent.id);
  t.ok(frames.length >= 1, `the alert reached the receiver's socket (${frames.length} frame(s))`);
  t.ok(frames.every((f) => f.connection > 1), 'only after the receiver reconnected to the new process');
  t.equal(raw.seqsOf(officer.keys.member, POLICE).get(sent.id)?.size, 1, 'every copy is the same feed event (one seq)');
  t.same(raw.messageCounts(officer.keys.member, POLICE).get(marker.id), 1, 'the alert sent to the live stream: one frame');
});
