// Any number of hub instances can serve: a sender on one instance reaches a
// receiver streaming from another, through one PostgreSQL and one Redis.
import t from 'tap';
import { VigieClient, type OpenedMessage, type VerifiedReceipt } from '../../../clients/sdk/client.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { createTestDatabase, eventually, startTestHub, tempDir, testPrefix } from '../../helpers/env.js';
import { observeRawFrames } from '../../helpers/raw-frames.js';

t.test('sender on instance A reaches a receiver on instance B, and receipts come back', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  const queuePrefix = testPrefix(t);
  const dataDir = tempDir(t);
  const shared = { databaseUrl, queuePrefix, dataDir, operatorToken: 'x'.repeat(40) };
  const a = await startTestHub(t, shared);
  const b = await startTestHub(t, shared);
  t.not(a.url, b.url, 'two instances on two ports');

  const { worker, officer, underDanger } = await enrolPartners(a.url, a.operatorToken);
  const raw = observeRawFrames(t);
  // The officer's device talks only to instance B.
  const officerOnB = await VigieClient.connect({ url: b.url, keys: officer.keys });
  const received: OpenedMessage[] = [];
  const streamB = officerOnB.stream();
  streamB.on('message', async (m) => {
    received.push(m);
    await officerOnB.acknowledge(m);
  });
  await streamB.open();
  t.teardown(() => streamB.close());
  t.equal(b.app.realtime.connections(), 1, 'the receiver is connected to B');
  t.equal(a.app.realtime.connections(), 0, 'nobody is connected to A');

  const receipts: VerifiedReceipt[] = [];
  const streamA = worker.client.stream();
  streamA.on('receipt', (r) => void receipts.push(r));
  await streamA.open();
  t.teardown(() => streamA.close());

  const sent = await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { text: 'instance A → B' }, ...underDanger });
  await eventually(() => received.length === 1);
  t.equal(received[0]!.id, sent.id, 'B delivered the message sent through A');
  t.same(received[0]!.content, { text: 'instance A → B' });
  // Two receipt jobs: the acknowledgement may overtake the delivery receipt on the way.
  await eventually(() => ['acknowledged', 'delivered'].every((kind) => receipts.some((r) => r.receipt.kind === kind)));
  t.same(
    receipts.map((r) => r.receipt.kind).sort(),
    ['acknowledged', 'delivered'],
    'the sender on A saw both receipts from the receiver on B',
  );
  // No fault, two live sockets: on the wire too, the message reached B's socket once and each receipt A's once
  // (both receipts came back after the message was handled: nothing of it can still be on its way).
  t.same([...raw.messageCounts(officer.keys.member, 'police-laval/dispatch')], [[sent.id, 1]], 'one message frame on B');
  t.same(
    raw.of(worker.keys.member, 'receipt', 'shelter-laval/intake').map((f) => `${f.message} ${f.kind}`).sort(),
    [`${sent.id} acknowledged`, `${sent.id} delivered`],
    'one frame per receipt on A',
  );
  t.equal(raw.connections(officer.keys.member) + raw.connections(worker.keys.member), 2, 'two sockets, never reconnected');
});
