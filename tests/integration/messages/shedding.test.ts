// Beyond capacity the hub sheds load early: with `maxAcceptsInFlight`
// acceptances under way on an instance, one more envelope is refused at once
// (503 HUB_BUSY, retry-after: 1, in French by default), never queued for a
// database connection; and what was accepted is still delivered.
// The acceptances are held in flight by a lock on the log's queue, released
// by the test: no timing is involved.
import t from 'tap';
import pg from 'pg';
import type { OpenedMessage } from '../../../clients/sdk/client.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';
import { ACCEPTANCE_STATEMENT, watchLocks } from '../../helpers/row-lock.js';

t.test('at capacity, a new envelope is refused at once; those in flight are accepted and delivered', async (t) => {
  const hub = await startTestHub(t, { config: { maxAcceptsInFlight: 2 } });
  const { worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const received: OpenedMessage[] = [];
  const stream = officer.client.stream();
  stream.on('message', (m) => void received.push(m));
  await stream.open();
  t.teardown(() => stream.close());
  const alert = (text: string) => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { text }, ...underDanger });
  const first = await alert('avant');
  await eventually(() => received.length === 1);

  // Hold every acceptance at its insert into the log's queue.
  const lock = new pg.Client({ connectionString: hub.config.databaseUrl });
  await lock.connect();
  t.teardown(() => lock.end());
  const locks = await watchLocks(t, hub.config.databaseUrl);
  await lock.query('begin');
  await lock.query('lock table log_queue in exclusive mode');
  const held = [alert('un'), alert('deux')];
  await locks.waits({ statement: ACCEPTANCE_STATEMENT, count: 2 });

  const raw = await fetch(`${hub.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await worker.client.accessToken()}` },
    body: JSON.stringify(first.envelope),
  });
  t.equal(raw.status, 503, 'refused, not queued');
  t.equal(raw.headers.get('retry-after'), '1', 'with when to try again');
  const body = (await raw.json()) as { error: { code: string; message: string } };
  t.equal(body.error.code, 'HUB_BUSY');
  t.match(body.error.message, /carrefour/, 'in French by default');
  t.equal(await codeOf(alert('trois')), 'HUB_BUSY', 'the SDK reports the code');

  await lock.query('commit');
  const accepted = await Promise.all(held);
  t.ok(accepted.every((a) => !a.duplicate), 'both envelopes in flight were accepted');
  await eventually(() => received.length === 3);
  t.same(received.map((m) => (m.content as { text: string }).text).sort(), ['avant', 'deux', 'un'], 'and delivered; the refused one was not');
  const shed = await hub.app.metrics.registry.getSingleMetric('vigie_messages_shed_total')!.get();
  t.equal(shed.values[0]!.value, 2, 'each refusal is counted');
});
