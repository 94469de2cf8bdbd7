// Issue 12, part 2: removing a member rotates every inbox key its device
// could read. The administrator's client makes the new key, seals it to the
// remaining members and certifies it; senders encrypt to it from then on;
// the old key still opens old messages for those who keep it; a key.rotated
// leaf records it, and the key monitor finds nothing to report.
import t from 'tap';
import { VigieClient } from '../../../clients/sdk/client.js';
import { auditLog } from '../../../clients/sdk/audit.js';
import { decodePair } from '../../../clients/sdk/keys.js';
import { fromB64u } from '../../../protocol/encoding.js';
import { openEnvelope } from '../../../protocol/envelope.js';
import { unwrapInboxKey } from '../../../protocol/inbox-keys.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { MyInboxKeysSchema } from '../../../protocol/api/identity.js';
import { ROUTES } from '../../../protocol/api/routes.js';

t.test('revoking a device rotates the keys of the inboxes it read', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { police, worker, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const leaving = await enrolDevice(hub.url, police, 'poste-depart', ['receiver'], ['police-laval/dispatch']);
  const alert = (text: string) => worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text }, ...underDanger });

  const before = await alert('avant');
  // What the leaving device holds: the inbox key it was given.
  const [held] = await leaving.client.http.get(ROUTES.myInboxKeys, MyInboxKeysSchema, await leaving.client.accessToken());
  const oldKey = fromB64u(held!.certificate.document.encryptionKey);
  const oldSecret = unwrapInboxKey(crypto, held!.wrappedKey, decodePair(leaving.keys.encryption), oldKey);

  // A revocation that does not rotate what the device read is refused.
  const bare = await fetch(`${hub.url}/v1/agencies/police-laval/revocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      (await import('../../../protocol/signing.js')).signDocument(
        crypto,
        'member-revocation',
        { type: 'member-revocation', v: 1, agency: 'police-laval', member: leaving.keys.member, revokedAt: new Date().toISOString() },
        fromB64u(police.keys.root.secretKey),
      ),
    ),
  });
  t.equal(bare.status, 422);
  t.equal(((await bare.json()) as { error: { code: string } }).error.code, 'KEY_ROTATION_REQUIRED', 'revoking without rotating is refused');

  const revoked = await police.admin.revokeMember(leaving.keys.member);
  t.same(revoked.rotated, ['police-laval/dispatch'], 'the dispatch key was rotated with the revocation');
  t.equal(police.keys.inboxes['police-laval/dispatch']!.keyVersion, 2, 'the administrator holds the new key');
  t.equal(await codeOf(leaving.client.accessToken().then(() => leaving.client.status(before.id))), 'MEMBER_REVOKED', 'the device is out');

  // The same sender's client, already running: its next alert is encrypted to the new key.
  const after = await alert('après');
  const wrap = after.envelope.header.wraps.find((w) => w.inbox === 'police-laval/dispatch')!;
  t.throws(
    () => openEnvelope(crypto, after.envelope, { inbox: 'police-laval/dispatch', inboxPublicKey: oldKey, inboxSecretKey: oldSecret, senderSigningKey: fromB64u(worker.keys.signing.publicKey) }),
    'the old key does not open what is sent now',
  );
  t.ok(wrap, 'the alert is still addressed to dispatch');

  // The remaining officer opens both: the new one with the new key, the old one with the key it kept.
  const remaining = await VigieClient.connect({ url: hub.url, keys: officer.keys });
  t.equal((await remaining.open(await remaining.fetchEnvelope(after.id))).content && 'ok', 'ok', 'the remaining member opens what is sent now');
  t.match((await remaining.open(await remaining.fetchEnvelope(before.id))).content, { text: 'avant' }, 'and still what was sent before');
  const keys = await remaining.http.get(ROUTES.myInboxKeys, MyInboxKeysSchema, await remaining.accessToken());
  t.same(keys.map((k) => k.keyVersion), [2, 1], 'both versions, newest first');

  // On the record, and nothing for the monitor to report.
  await hub.app.disclosureLog.flush();
  const logKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  const rotated = await remaining.log.proveLeaf('key.rotated', 'police-laval/dispatch', () => true);
  t.match(rotated, { reason: 'member_revoked', member: leaving.keys.member, keyVersion: 2, previousKeyVersion: 1, sealedTo: [officer.keys.member] }, 'a key.rotated leaf says why, and to whom the new key went');
  const report = await auditLog({ url: hub.url, logKey, full: true, token: () => remaining.accessToken() }, crypto);
  t.same(report.alarms, [], 'a logged rotation raises no alarm');
  t.ok(report.ok, 'the audit passes');

  // A scheduled rotation, with nobody removed.
  const scheduled = await police.admin.rotateInbox('police-laval/dispatch');
  t.same(scheduled, { inbox: 'police-laval/dispatch', keyVersion: 3 });
  const third = await alert('troisième');
  const fresh = await VigieClient.connect({ url: hub.url, keys: officer.keys });
  t.match((await fresh.open(await fresh.fetchEnvelope(third.id))).content, { text: 'troisième' });
});
