// The hub takes a message's sender as it last read its row, and the acceptance
// statement checks that row again under a share lock: a device revoked since
// (by this instance or another, or while its message waits for the lock) gets
// MEMBER_REVOKED and nothing is stored; no other answer is given on the word of
// the row as read before. Real PostgreSQL; the revocation's write is made by
// hand in an open transaction so that the message is caught waiting
// (tests/helpers/row-lock.ts).
import { randomUUID } from 'node:crypto';
import t, { type Test } from 'tap';
import pg from 'pg';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { ACCEPTANCE_STATEMENT, holdRows } from '../../helpers/row-lock.js';

const alertsStored = async (db: pg.Client) => (await db.query(`select count(*)::int as n from messages where type = 'danger_alert'`)).rows[0].n as number;

/** A hub whose instance took the worker's row when its first alert was accepted, then saw the device revoked. */
async function revokedAfterAlert(t: Test) {
  const hub = await startTestHub(t);
  const { shelter, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const alert = () => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { at: 'now' }, ...underDanger });
  const sent = await alert();
  const envelope = await worker.client.fetchEnvelope(sent.id);
  await shelter.admin.revokeMember(worker.client.memberId);
  const refusalsOnRecord = async () =>
    (await db.query(`select (select count(*) from log_queue where kind = 'message.refused') + (select count(*) from log_leaves where kind = 'message.refused') as n`)).rows[0].n as string;
  return { db, worker, alert, envelope, refusalsOnRecord };
}

t.test('a device revoked since its last message is not told why the hub would refuse an envelope', async (t) => {
  const { db, worker, alert, envelope, refusalsOnRecord } = await revokedAfterAlert(t);
  // The first request after the revocation: an envelope the hub would refuse (its signature does not cover this id).
  t.equal(await codeOf(worker.client.resubmit({ ...envelope, header: { ...envelope.header, id: randomUUID() } })), 'MEMBER_REVOKED', 'MEMBER_REVOKED, not SIGNATURE_INVALID');
  t.equal(await refusalsOnRecord(), '0', 'and no refusal on the record in its name');
  t.equal(await codeOf(alert()), 'MEMBER_REVOKED', 'nor is a new alert accepted');
  t.equal(await alertsStored(db), 1, 'nothing more stored');
});

t.test('a device revoked since its last message cannot have it answered as a duplicate', async (t) => {
  const { db, worker, alert, envelope } = await revokedAfterAlert(t);
  // The first request after the revocation: the alert accepted before, sent again.
  t.equal(await codeOf(worker.client.resubmit(envelope)), 'MEMBER_REVOKED', 'MEMBER_REVOKED, not a 202 duplicate');
  t.equal(await codeOf(alert()), 'MEMBER_REVOKED', 'nor is a new alert accepted');
  t.equal(await alertsStored(db), 1, 'nothing more stored');
});

t.test('a revocation that commits while a message waits for the sender’s row refuses it', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const alert = () => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { at: 'now' }, ...underDanger });
  t.equal(await codeOf(alert()), 'OK', 'accepted while the device is active');

  const member = worker.client.memberId;
  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from members where id = $1 for update', [member]);
  const waiting = codeOf(alert());
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.commit(['update members set revoked_at = now() where id = $1', [member]]);
  t.equal(await waiting, 'MEMBER_REVOKED', 'the message that waited sees the revocation');
  t.equal(await alertsStored(held.db), 1, 'nothing stored for it');
});

t.test('a lock on the sender’s row released without a change lets the waiting message through', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const alert = () => worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { at: 'now' }, ...underDanger });
  t.equal(await codeOf(alert()), 'OK');

  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from members where id = $1 for update', [worker.client.memberId]);
  const waiting = codeOf(alert());
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.rollback();
  t.equal(await waiting, 'OK', 'accepted once the lock is released');
  t.equal(await alertsStored(held.db), 2, 'both stored');
});

t.test('a device revoked since its last message is not told it was a duplicate when the policy refuses the envelope now', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, worker, consentId, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const sent = await worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { i: 1 }, ...underConsent });
  const envelope = await worker.client.fetchEnvelope(sent.id);
  await worker.client.revokeConsent(consentId);
  await shelter.admin.revokeMember(worker.client.memberId);
  // The envelope is refused by the policy before the statement, and found stored before: a duplicate, on the hub's word alone.
  t.equal(await codeOf(worker.client.resubmit(envelope)), 'MEMBER_REVOKED', 'MEMBER_REVOKED, not a 202 duplicate');
});

t.test('a device revoked since its last message is not told its body is malformed', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { at: 'now' }, ...underDanger });
  const token = await worker.client.accessToken();
  await shelter.admin.revokeMember(worker.client.memberId);
  const res = await fetch(`${hub.url}/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ header: {} }) });
  t.equal(res.status, 401);
  t.equal(((await res.json()) as { error: { code: string } }).error.code, 'MEMBER_REVOKED', 'MEMBER_REVOKED, not INVALID_REQUEST');
});
