// Accepted means durable (invariant 2): with Redis down, the hub still answers
// 202 for what PostgreSQL stored — and only for that — and delivers every such
// alert once Redis is back, through the outbox relay and the watchdog.
import t from 'tap';
import { eq, inArray, isNull, sql } from 'drizzle-orm';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { deliveries, messages } from '../../../server/messages/tables.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';
import { observeRawFrames } from '../../helpers/raw-frames.js';
import { startRedisServer } from '../../helpers/redis-server.js';

t.test('Redis down during acceptance: 202 for what PostgreSQL stored, delivered once Redis is back', async (t) => {
  const redis = await startRedisServer(t);
  const hub = await startTestHub(t, { redisUrl: redis.url, config: { outboxPollMs: 100, watchdogIntervalMs: 200, watchdogGraceMs: 1000 } });
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);

  const raw = observeRawFrames(t);
  const POLICE = 'police-laval/dispatch';
  const received = new Map<string, number>();
  const stream = officer.client.stream();
  stream.on('message', (m: OpenedMessage) => void received.set(m.id, (received.get(m.id) ?? 0) + 1));
  await stream.open();
  t.teardown(() => stream.close());
  const before = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { n: 0 }, ...underDanger });
  await eventually(() => received.has(before.id));
  // Once its delivered receipt is stored nothing re-drives it (relay, watchdog): what the wire carried is final.
  await eventually(async () => (await worker.client.status(before.id)).recipients[0]!.state === 'delivered');
  // No fault yet: the live stream carried it once, on the wire as well as after the SDK.
  t.same([...raw.messageCounts(officer.keys.member, POLICE)], [[before.id, 1]], 'before the outage: one frame for the one alert, on a live stream');

  await redis.stop();
  const accepted: string[] = [];
  // Acceptance touches PostgreSQL only; the push after the commit is not awaited by the answer and fails fast.
  for (let n = 1; n <= 10; n++) {
    const sent = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { n }, ...underDanger });
    accepted.push(sent.id);
  }
  t.equal(new Set(accepted).size, 10, 'every alert was answered 202 while Redis was down');
  const stored = await hub.app.db.select({ id: messages.id }).from(messages).where(inArray(messages.id, accepted));
  t.equal(stored.length, accepted.length, 'every 202 is a row in PostgreSQL');
  const waiting = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(isNull(deliveries.pushedAt));
  t.equal(waiting[0]!.n, accepted.length, 'nothing was pushed while Redis was down');
  t.equal(accepted.filter((id) => received.has(id)).length, 0, 'nothing reached the police yet');
  t.equal(accepted.filter((id) => raw.messageCounts(officer.keys.member, POLICE).has(id)).length, 0, '…not even a frame on the wire');

  await redis.restart();
  await eventually(() => accepted.every((id) => received.has(id)), 30_000);
  t.ok(accepted.every((id) => received.get(id) === 1), 'each alert reached the police application exactly once (after de-duplication)');
  // On the wire, at least once: the relay and the watchdog may both re-drive an alert, and the stream catches up
  // from its cursor when the hub's subscriber reconnects — but every copy is the one stored feed event.
  const frames = raw.messageCounts(officer.keys.member, POLICE);
  t.ok(accepted.every((id) => (frames.get(id) ?? 0) >= 1), 'each alert reached the police socket at least once');
  const seqs = raw.seqsOf(officer.keys.member, POLICE);
  t.ok(accepted.every((id) => seqs.get(id)?.size === 1), 'every copy on the wire is the same feed event (one seq per alert): a re-send, never a second delivery');
  t.comment(`raw frames per alert after the outage: ${JSON.stringify(accepted.map((id) => frames.get(id) ?? 0))}`);
  await eventually(async () => {
    const rows = await hub.app.db.select({ pushedAt: deliveries.pushedAt }).from(deliveries).where(inArray(deliveries.messageId, accepted));
    return rows.every((r) => r.pushedAt !== null);
  });
  t.pass('every delivery is marked pushed');
  const [one] = await hub.app.db.select({ headerHash: messages.headerHash }).from(messages).where(eq(messages.id, accepted[0]!));
  t.ok(one, 'the message is the one stored');
});
