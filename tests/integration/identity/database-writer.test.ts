// Issue 12, part 2, tried harder: whoever writes the hub's database with the
// least-privileged hub role forges an acknowledgement, rolls an inbox back
// to a key a revoked device holds, re-activates a revoked sender, makes the
// administrator's tools rotate nothing or seal to a revoked device, and
// disguises a second root key. Each is refused on the device, or raised by
// the key monitor.
import t from 'tap';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { auditLog } from '../../../clients/sdk/audit.js';
import { VigieClient, type VerifiedReceipt } from '../../../clients/sdk/client.js';
import { filePinStore } from '../../../clients/sdk/pin-file.js';
import { canonicalize } from '../../../protocol/canonical.js';
import { fromB64u, toB64u } from '../../../protocol/encoding.js';
import { buildEnvelope, headerHash } from '../../../protocol/envelope.js';
import { committedLeaf } from '../../../protocol/log/commitment.js';
import type { AgencyRegistration, MemberCertificate, Receipt } from '../../../protocol/schemas.js';
import { signDocument } from '../../../protocol/signing.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, hubRoleConnection, startTestHub, tempDir, type Teardown, type TestHub } from '../../helpers/env.js';
import { DirectoryRecordsSchema } from '../../../protocol/api/log.js';
import { InboxViewSchema, MyInboxKeysSchema } from '../../../protocol/api/identity.js';
import { inboxParams, ROUTES, routePath } from '../../../protocol/api/routes.js';

const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
const docHash = (doc: unknown) => toB64u(sha256(new TextEncoder().encode(canonicalize(doc))));
const codeOf = (p: Promise<unknown>) => p.then(() => 'OK', (e: { code?: string; message: string }) => e.code ?? e.message);

/** A connection as a fresh login role that is only a member of vigie_hub: the hub's own least privilege. */
async function hubRole(t: Teardown, hub: TestHub) {
  const writer = await hubRoleConnection(t, hub.config.databaseUrl!);
  const leaf = async (kind: string, subject: string, fields: Record<string, unknown>) => {
    const record = canonicalize({ v: 1, type: kind, at: new Date().toISOString(), ...fields });
    const salt = randomBytes(32);
    await writer.query('insert into log_queue (kind, subject, data, record, salt) values ($1, $2, $3, $4, $5)', [kind, subject, committedLeaf(sha256, record, salt), record, toB64u(salt)]);
  };
  return { writer, leaf };
}

const auditOf = async (hub: TestHub, client: VigieClient) => {
  await hub.app.disclosureLog.flush();
  const logKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  return eventually(async () => {
    const total = (await client.http.get('/v1/log/records?after=-1&limit=1', DirectoryRecordsSchema, await client.accessToken())).size;
    const report = await auditLog({ url: hub.url, logKey, full: true, token: () => client.accessToken() }, await loadSodium());
    return report.checkpoint && report.checkpoint.size >= total ? report : null;
  });
};

t.test('a forged acknowledgement is not one', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { shelter, police, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const sender = await VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey, 'police-laval': police.keys.root.publicKey } });
  const sent = await sender.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'il arrive' }, ...underDanger });

  // A made-up agency whose device "reads" the police dispatch signs an acknowledgement, with its leaves.
  const { writer, leaf } = await hubRole(t, hub);
  const now = new Date().toISOString();
  const root = crypto.signKeypair();
  const device = crypto.signKeypair();
  const box = crypto.boxKeypair();
  const ghost = 'police-laval-nuit';
  const member = randomUUID();
  const registration = signDocument<AgencyRegistration>(crypto, 'agency-registration', { type: 'agency', v: 1, agency: ghost, kind: 'police', names: { fr: 'Police Laval', en: 'Laval police' }, rootKey: toB64u(root.publicKey), issuedAt: now }, root.secretKey);
  const cert = signDocument<MemberCertificate>(crypto, 'member-certificate', { type: 'member', v: 1, agency: ghost, member, label: 'Sgt répartition', signingKey: toB64u(device.publicKey), encryptionKey: toB64u(box.publicKey), roles: ['receiver'], inboxes: ['police-laval/dispatch'], issuedAt: now }, root.secretKey);
  await writer.query('insert into agencies (id, kind, name_fr, name_en, root_key, registration) values ($1, $2, $3, $4, $5, $6)', [ghost, 'police', 'Police Laval', 'Laval police', toB64u(root.publicKey), registration]);
  await writer.query('insert into members (id, agency_id, signing_key, encryption_key, roles, certificate) values ($1, $2, $3, $4, $5, $6)', [member, ghost, toB64u(device.publicKey), toB64u(box.publicKey), ['receiver'], cert]);
  await leaf('key.agency_registered', ghost, { agency: ghost, kind: 'police', rootKey: toB64u(root.publicKey), registrationHash: docHash(registration) });
  await leaf('key.member_registered', member, { agency: ghost, member, signingKey: toB64u(device.publicKey), encryptionKey: toB64u(box.publicKey), roles: ['receiver'], inboxes: ['police-laval/dispatch'], certificateHash: docHash(cert) });
  const receipt: Receipt = { type: 'receipt', v: 1, kind: 'acknowledged', message: sent.id, headerHash: toB64u(headerHash(crypto, sent.envelope.header)), inbox: 'police-laval/dispatch', member, at: now };
  const signed = signDocument(crypto, 'receipt', receipt, device.secretKey);
  const [{ id }] = (await writer.query('insert into receipts (message_id, inbox_id, member_id, kind, document, signature) values ($1, $2, $3, $4, $5, $6) returning id', [sent.id, 'police-laval/dispatch', member, 'acknowledged', signed.document, signed.signature])).rows;
  await writer.query("insert into inbox_events (inbox_id, kind, message_id, receipt_id) values ('shelter-laval/intake', 'receipt', $1, $2)", [sent.id, id]);
  await hub.app.disclosureLog.flush();

  const receipts: VerifiedReceipt[] = [];
  const invalid: unknown[] = [];
  const stream = sender.stream();
  stream.on('receipt', (r) => void receipts.push(r));
  stream.on('invalid', (e) => void invalid.push(e));
  await stream.open();
  t.teardown(() => stream.close());
  await eventually(() => receipts.length + invalid.length > 0, 8000);
  t.same(receipts, [], 'the sender’s device shows no acknowledgement');
  t.equal(invalid.length, 1, 'it reports the forgery as invalid');
});

t.test('an inbox rolled back to a key a revoked device holds is refused', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, police, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const leaving = await enrolDevice(hub.url, police, 'poste-depart', ['receiver'], ['police-laval/dispatch']);
  const [held] = await leaving.client.http.get(ROUTES.myInboxKeys, MyInboxKeysSchema, await leaving.client.accessToken());
  await police.admin.revokeMember(leaving.keys.member);
  const running = await VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey } });
  const alert = { type: 'danger_alert' as const, recipients: ['police-laval/dispatch'], content: { text: 'secret' }, ...underDanger };
  t.equal(await codeOf(running.send(alert)), 'OK', 'after the rotation, alerts go to the new key');

  const { writer } = await hubRole(t, hub);
  const old = held!.certificate as { document: { encryptionKey: string } };
  await writer.query('update inboxes set encryption_key = $1, key_version = 1, certificate = $2 where id = $3', [old.document.encryptionKey, old, 'police-laval/dispatch']);
  t.equal(await codeOf(running.send(alert)), 'KEY_ROLLED_BACK', 'a running client refuses the key the log shows replaced');
  const fresh = await VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey } });
  t.equal(await codeOf(fresh.send(alert)), 'KEY_ROLLED_BACK', 'and so does a fresh one');
});

t.test('an inbox rolled back to an earlier rotated key (version 3 to 2) is refused by a client that saw either', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, police, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const DISPATCH = 'police-laval/dispatch';
  const alert = { type: 'danger_alert' as const, recipients: [DISPATCH], content: { text: 'secret' }, ...underDanger };
  const connect = () => VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey } });
  await police.admin.rotateInbox(DISPATCH);
  const sawVersion2 = await connect();
  t.equal(await codeOf(sawVersion2.send(alert)), 'OK', 'sent to version 2');
  const { writer } = await hubRole(t, hub);
  const version2 = (await writer.query('select encryption_key, certificate from inboxes where id = $1', [DISPATCH])).rows[0];
  await police.admin.rotateInbox(DISPATCH);
  const sawVersion3 = await connect();
  t.equal(await codeOf(sawVersion3.send(alert)), 'OK', 'sent to version 3');
  await hub.app.disclosureLog.flush();

  await writer.query('update inboxes set encryption_key = $1, key_version = 2, certificate = $2 where id = $3', [version2.encryption_key, version2.certificate, DISPATCH]);
  t.equal(await codeOf(sawVersion3.send(alert)), 'KEY_ROLLED_BACK', 'a client that proved version 3 refuses version 2 at once');
  // Once its checkpoint records version 3 (one at most five seconds old is used: docs/audit-log.md, "Freshness").
  await sawVersion2.log.refresh();
  t.equal(await codeOf(sawVersion2.send(alert)), 'KEY_NOT_IN_LOG', 'a client that kept version 2 is told of the rotation by the log, and refuses it');
});

t.test('a revoked sender is refused by a running recipient, whatever the tables say', async (t) => {
  await loadSodium();
  const hub = await startTestHub(t);
  const { shelter, police, officer, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const stolen = await enrolDevice(hub.url, shelter, 'poste-vole', ['sender', 'receiver'], ['shelter-laval/intake']);
  const desk = await VigieClient.connect({ url: hub.url, keys: officer.keys, pinnedRoots: { 'police-laval': police.keys.root.publicKey } });
  const first = await stolen.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'vrai' }, ...underDanger });
  t.match((await desk.open(await desk.fetchEnvelope(first.id))).content, { text: 'vrai' }, 'before: opened');

  await shelter.admin.revokeMember(stolen.keys.member);
  await hub.app.disclosureLog.flush();
  const { writer } = await hubRole(t, hub);
  await writer.query('update members set revoked_at = null where id = $1', [stolen.keys.member]);
  // The thief's own client would refuse (its inbox key was rotated away from it); it builds the envelope itself.
  const thief = await VigieClient.connect({ url: hub.url, keys: stolen.keys });
  const keyOf = async (inbox: string) => {
    const { document } = (await thief.http.get(routePath(ROUTES.inbox, inboxParams(inbox)), InboxViewSchema)).certificate;
    return { inbox, encryptionKey: fromB64u(document.encryptionKey), keyVersion: document.keyVersion };
  };
  const own = await keyOf('shelter-laval/intake');
  const envelopeOfThief = buildEnvelope(await loadSodium(), {
    type: 'danger_alert',
    urgency: 'immediate',
    sender: { agency: 'shelter-laval', member: stolen.keys.member, inbox: 'shelter-laval/intake' },
    senderInboxKey: own.encryptionKey,
    senderInboxKeyVersion: own.keyVersion,
    recipients: [await keyOf('police-laval/dispatch')],
    content: { text: 'FAUSSE ALERTE' },
    dataCategories: underDanger.dataCategories ?? [],
    protocol: underDanger.protocol!,
    legalBasis: underDanger.legalBasis!,
    signingSecretKey: fromB64u(stolen.keys.signing.secretKey),
  });
  const forged = await thief.resubmit(envelopeOfThief);
  await writer.query('update members set revoked_at = now() where id = $1', [stolen.keys.member]);
  const envelope = await desk.fetchEnvelope(forged.id);
  t.equal(await eventually(() => codeOf(desk.open(envelope)).then((c) => (c === 'MEMBER_REVOKED' ? c : null))), 'MEMBER_REVOKED', 'the running desk refuses it: the log says revoked');
});

t.test('the administrator’s tools do not take the hub’s word about devices', async (t) => {
  await loadSodium();
  const hub = await startTestHub(t);
  const { police, officer } = await enrolPartners(hub.url, hub.operatorToken);
  const leaving = await enrolDevice(hub.url, police, 'poste-depart', ['receiver'], ['police-laval/dispatch']);
  const other = await enrolDevice(hub.url, police, 'poste-autre', ['receiver'], ['police-laval/dispatch']);
  const { writer } = await hubRole(t, hub);

  // A certificate that no longer verifies, memberships dropped: no silent revocation that rotates nothing.
  await writer.query(`update members set certificate = jsonb_set(certificate, '{document,label}', '"x"') where id = $1`, [leaving.keys.member]);
  await writer.query('delete from member_inboxes where member_id = $1', [leaving.keys.member]);
  t.match(await codeOf(police.admin.revokeMember(leaving.keys.member)), /certificate this agency did not sign/, 'the administrator’s client refuses');

  // A revoked device made active again is never sealed the next key.
  await police.admin.revokeMember(other.keys.member);
  await writer.query('update members set revoked_at = null where id = $1', [other.keys.member]);
  t.match(await codeOf(police.admin.rotateInbox('police-laval/dispatch')), /a device this agency revoked/, 'the scheduled rotation refuses to seal to it');

  // Had some client sealed to it, or had a revocation not rotated, the monitor says so.
  const monitor = await VigieClient.connect({ url: hub.url, keys: officer.keys });
  const [wrap] = (await writer.query("select key_version from inboxes where id = 'police-laval/dispatch'")).rows;
  const { leaf } = await hubRole(t, hub);
  await leaf('key.rotated', 'police-laval/dispatch', { agency: 'police-laval', inbox: 'police-laval/dispatch', encryptionKey: 'A'.repeat(43), keyVersion: wrap.key_version + 1, previousKeyVersion: wrap.key_version, certificateHash: 'A'.repeat(43), reason: 'scheduled', member: null, sealedTo: [officer.keys.member, other.keys.member] });
  await leaf('key.member_revoked', officer.keys.member, { agency: 'police-laval', member: officer.keys.member, revocationHash: 'A'.repeat(43) });
  const report = await auditOf(hub, monitor);
  const codes = report.alarms.map((a) => a.code);
  t.ok(codes.includes('KEY_SEALED_TO_REVOKED'), 'a key sealed to a revoked device');
  t.ok(codes.includes('REVOCATION_NOT_ROTATED'), 'a revocation that rotated nothing');
});

t.test('a disguised second root key is an alarm, and never pinned', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { shelter, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const pins = join(tempDir(t), 'known-roots.json');
  const device = () => VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey }, pinStore: filePinStore(pins) });
  const alert = { type: 'danger_alert' as const, recipients: ['police-laval/dispatch'], content: { text: 'x' }, ...underDanger };
  const { writer, leaf } = await hubRole(t, hub);
  const [orig] = (await writer.query("select root_key, registration from agencies where id = 'police-laval'")).rows;
  const root = crypto.signKeypair();
  const registration = signDocument<AgencyRegistration>(crypto, 'agency-registration', { type: 'agency', v: 1, agency: 'police-laval', kind: 'police', names: { fr: 'Police Laval', en: 'Laval police' }, rootKey: toB64u(root.publicKey), issuedAt: new Date().toISOString() }, root.secretKey);
  await writer.query("update agencies set root_key = $1, registration = $2 where id = 'police-laval'", [toB64u(root.publicKey), registration]);
  // Its record names another agency, as if it were about someone else.
  await leaf('key.agency_registered', 'police-laval', { agency: 'zz-ghost', kind: 'police', rootKey: toB64u(root.publicKey), registrationHash: docHash(registration) });
  const report = await auditOf(hub, worker.client);
  t.ok(report.alarms.some((a) => a.code === 'RECORD_MISMATCH' && a.subject === 'police-laval'), 'a record that does not name what its leaf is about');
  t.not(await codeOf((await device()).send(alert)), 'OK', 'refused');
  t.notOk(filePinStore(pins).load()['police-laval'], 'and the substituted key was never pinned');
  await writer.query("update agencies set root_key = $1, registration = $2 where id = 'police-laval'", [orig.root_key, orig.registration]);
  t.equal(await codeOf((await device()).send(alert)), 'OK', 'restored, the device alerts the police again');
});
