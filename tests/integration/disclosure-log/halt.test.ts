// A hub that cannot keep its record stops accepting messages: a database
// superuser alters a stored node of the log, the hub notices within its
// integrity check, answers 503 LOG_HALTED to the next message, fails
// /readyz naming why and shows it in /metrics; once the node is restored
// it accepts again.
import t from 'tap';
import pg from 'pg';
import type { VigieApiError } from '../../../clients/sdk/http.js';
import { rootNodes } from '../../../protocol/log/merkle.js';
import { enrolPartners, sendUnanchored } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';

const metric = (text: string, name: string) => Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

t.test('a tampered log halts acceptance until the stored tree matches its checkpoint again', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const alert = (i: number) => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { i }, ...underDanger });
  t.equal(await codeOf(alert(1)), 'OK', 'accepted while the log is sound');
  await hub.app.disclosureLog.flush();

  const readyz = async () => {
    const res = await fetch(`${hub.url}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; log: string; logHalt?: string[]; witnesses: string } };
  };
  const metrics = async () => (await fetch(`${hub.url}/metrics`)).text();
  t.match(await readyz(), { status: 200, body: { status: 'ready', log: 'ok', witnesses: 'ok' } });
  t.equal(metric(await metrics(), 'vigie_log_halted{reason="tampered"}'), 0);

  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const asSuperuserWithoutTriggers = async (sql: string, params: unknown[]) => {
    await db.query('begin');
    await db.query('set local session_replication_role = replica');
    await db.query(sql, params);
    await db.query('commit');
  };
  // The smallest right-edge subtree of the last checkpoint: its root rests on it, whatever the size.
  const size = (await db.query('select max(size)::int as s from log_checkpoints')).rows[0].s as number;
  const node = rootNodes(size).at(-1)!;
  const original = (await db.query<{ hash: Buffer }>('select hash from log_nodes where level = $1 and index = $2', [node.level, node.index])).rows[0]!.hash;
  await asSuperuserWithoutTriggers('update log_nodes set hash = $1 where level = $2 and index = $3', [Buffer.alloc(32, 7), node.level, node.index]);

  // No new leaf is needed: every instance re-checks the stored tree on its own.
  const halted = await eventually(async () => {
    const r = await readyz();
    return r.status === 503 ? r : null;
  });
  t.same(halted.body.logHalt, ['tampered'], '/readyz fails and names why');
  t.match(halted.body, { status: 'not_ready', log: 'halted', postgres: 'ok', redis: 'ok' });

  const refused = await fetch(`${hub.url}/v1/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer x', 'content-type': 'application/json', 'accept-language': 'en' },
    body: '{}',
  });
  t.equal(refused.status, 401, 'an unauthenticated request is still refused as such');
  // The SDK may see the altered tree first (its checkpoint no longer extends); what the hub answers is asked directly.
  const refusal = await sendUnanchored(worker.client, { type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { i: 2 }, ...underDanger }).then(
    () => null,
    (err: VigieApiError) => err,
  );
  t.match(refusal, { status: 503, code: 'LOG_HALTED' }, 'the next message gets 503 LOG_HALTED, not a receipt that would stay pending');
  t.not(await codeOf(alert(2)), 'OK', 'a send through the SDK is refused too');
  const text = await metrics();
  t.equal(metric(text, 'vigie_log_halted{reason="tampered"}'), 1, '/metrics shows the halt');
  t.equal(metric(text, 'vigie_log_halted{reason="witness_fork"}'), 0);
  t.ok(hub.logs.some((l) => l.includes('"level":50') && l.includes('LOG_HALTED')), 'the halt is logged as an error');
  t.equal((await db.query("select count(*)::int as n from messages where type = 'danger_alert'")).rows[0].n, 1, 'nothing was stored for the refused message');
  t.equal(await codeOf(worker.client.status((await db.query<{ id: string }>('select id from messages limit 1')).rows[0]!.id)), 'OK', 'reads still work');

  await asSuperuserWithoutTriggers('update log_nodes set hash = $1 where level = $2 and index = $3', [original, node.level, node.index]);
  await eventually(async () => (await readyz()).status === 200);
  t.equal(await codeOf(alert(3)), 'OK', 'restored, the hub accepts again');
  t.equal(metric(await metrics(), 'vigie_log_halted{reason="tampered"}'), 0);
  t.ok(hub.logs.some((l) => l.includes('disclosure log resumed')), 'the recovery is logged');
});
