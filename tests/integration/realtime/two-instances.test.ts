// Any number of hub instances can serve: a sender on one instance reaches a
// receiver streaming from another, through one PostgreSQL and one Redis.
import t from 'tap';
import { VigieClient, type OpenedMessage, type VerifiedReceipt } from '../../../clients/sdk/client.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { createTestDatabase, eventually, startTestHub, tempDir, testPrefix } from '../../helpers/env.js';

t.test('sender on instance A reaches a receiver on instance B, and receipts come back', async (t) => {
  const databaseUrl = await createTestDatabase(t);
  const queuePrefix = testPrefix(t);
  const dataDir = tempDir(t);
  const shared = { databaseUrl, queuePrefix, dataDir, operatorToken: 'x'.repeat(40) };
  const a = await startTestHub(t, shared);
  const b = await startTestHub(t, shared);
  t.not(a.url, b.url, 'two instances on two ports');

  const { worker, officer, underDanger } = await enrolPartners(a.url, a.operatorToken);
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
  await eventually(() => receipts.some((r) => r.receipt.kind === 'acknowledged'));
  t.same(
    receipts.map((r) => r.receipt.kind).sort(),
    ['acknowledged', 'delivered'],
    'the sender on A saw both receipts from the receiver on B',
  );
});
