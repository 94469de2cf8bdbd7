// A retirement that commits while a message waits for the protocol's share
// lock is seen by that message: the retirement updates the very rows the
// message locks (protocols.retired_at), and a statement that waited for a row
// lock reads the row again as committed. Real PostgreSQL, the hub's own
// acceptance; the retirement's writes are made by hand in an open transaction
// so that the message is caught waiting (seen in pg_stat_activity, not slept for).
import t from 'tap';
import { enrolPartners, SHELTER_POLICE } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { ACCEPTANCE_STATEMENT, holdRows } from '../../helpers/row-lock.js';

t.test('a message waiting on a retirement is refused when the retirement commits', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const alert = (i: number) => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { i }, ...underDanger });
  t.equal(await codeOf(alert(1)), 'OK', 'accepted under the protocol in force');

  // The retirement's transaction, as retireProtocol runs it, held open at its row lock.
  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from protocols where id = $1 for update', [SHELTER_POLICE.id]);
  const sent = codeOf(alert(2));
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.commit(
    [`insert into protocol_retirements (protocol_id, agency_id, retirement, retired_at) values ($1, 'police-laval', '{}', now())`, [SHELTER_POLICE.id]],
    ['update protocols set retired_at = now() where id = $1', [SHELTER_POLICE.id]],
  );
  t.equal(await sent, 'PROTOCOL_RETIRED', 'the message that waited sees the retirement');
  t.equal((await held.db.query(`select count(*)::int as n from messages where type = 'danger_alert'`)).rows[0].n, 1, 'nothing stored for it');
  t.equal(await codeOf(alert(3)), 'PROTOCOL_RETIRED', 'nor for the next');
});
