// Issue 12, part 3: a protocol's retention.days is enforced. Once it has
// passed, the message's ciphertext, key wraps and case reference are erased
// (crypto-shredding); the log leaf and its commitment remain, so the record
// still proves that the disclosure happened.
import t from 'tap';
import pg from 'pg';
import { ManualClock } from '../../../server/lib/clock.js';
import { verifyLeafRecord } from '../../../protocol/log/commitment.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { eventually, startTestHub } from '../../helpers/env.js';
import { RegisterPageSchema } from '../../../protocol/api/register.js';
import { ROUTES } from '../../../protocol/api/routes.js';
import { SignedProtocolSchema } from '../../../protocol/protocol-document.js';

const DAY = 86_400_000;

t.test('the end of retention erases content, wraps and case, and keeps the record', async (t) => {
  const crypto = await loadSodium();
  const clock = new ManualClock();
  const hub = await startTestHub(t, { app: { clock } });
  const { shelter, police, worker, officer, underConsent, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const retention = (await shelter.admin.http.get('/v1/protocols/shelter-police/1', SignedProtocolSchema)).document.retention.days;
  const old = await worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { text: 'confidences' }, ...underConsent });
  await hub.app.disclosureLog.flush();
  // The served checkpoint is refreshed every quarter second.
  const receiptBefore = await eventually(() => worker.client.fetchAcceptanceProof(old.id));

  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  const row = async (id: string) => (await db.query('select ciphertext, header, retain_until, erased_at from messages where id = $1', [id])).rows[0];
  t.equal(new Date((await row(old.id)).retain_until).getTime() - Date.parse(old.acceptedAt), retention * DAY, `kept ${retention} days, as the protocol says`);

  // One day before the end: nothing erased.
  clock.advance((retention - 1) * DAY);
  t.equal(await hub.app.retention(), 0, 'still within its retention');
  clock.advance(2 * DAY);
  t.equal(await hub.app.retention(), 1, 'past its retention: erased');
  // Back to today: a new message, within its retention, is untouched by the next sweep.
  clock.set(new Date());
  const recent = await worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'récent' }, ...underDanger });
  t.equal(await hub.app.retention(), 0);
  const erased = await row(old.id);
  t.equal(erased.ciphertext, '', 'the ciphertext is erased');
  t.notOk('wraps' in erased.header, 'the key wraps are erased: nobody can recover the content key');
  t.notOk('case' in erased.header.legalBasis, 'the case reference is erased');
  t.match(erased.header, { id: old.id, type: 'note', protocol: { id: 'shelter-police', version: 1 }, legalBasis: { code: 'consent', purpose: 'victim_safety' } }, 'the metadata of the disclosure stays');
  t.ok(erased.erased_at, 'when');
  t.not((await row(recent.id)).ciphertext, '', 'the later message is untouched');

  const fetched = await fetch(`${hub.url}/v1/messages/${old.id}`, { headers: { authorization: `Bearer ${await officer.client.accessToken()}` } });
  t.equal(fetched.status, 410);
  t.equal(((await fetched.json()) as { error: { code: string } }).error.code, 'MESSAGE_ERASED', 'the recipient is told it was erased');
  // A device replaying the inbox from the start no longer receives it.
  const newcomer = await enrolDevice(hub.url, police, 'nouveau-poste', ['receiver'], ['police-laval/dispatch']);
  const seen: string[] = [];
  const stream = newcomer.client.stream({ autoDelivered: false });
  stream.on('message', (m) => void seen.push(m.id));
  await stream.open();
  t.teardown(() => stream.close());
  await eventually(() => seen.includes(recent.id));
  t.notOk(seen.includes(old.id), 'the erased message is not replayed');

  // The leaf and its commitment remain: the record still proves the disclosure happened.
  await hub.app.disclosureLog.flush();
  const receiptAfter = await eventually(() => worker.client.fetchAcceptanceProof(old.id));
  t.equal(receiptAfter.index, receiptBefore.index, 'the acceptance leaf is where it was');
  t.ok(verifyLeafRecord((d) => crypto.sha256(d), receiptAfter.leaf, receiptAfter.record, receiptAfter.salt), 'and still commits to its record');
  const erasures = (await db.query("select r.record from log_records r join log_leaves l on l.index = r.index where l.kind = 'message.erased'")).rows.map((r) => JSON.parse(r.record));
  t.match(erasures, [{ message: old.id, erased: ['ciphertext', 'wraps', 'case'], protocol: { id: 'shelter-police', version: 1 } }], 'a message.erased leaf');
  const auditor = await enrolDevice(hub.url, shelter, 'auditrice', ['auditor'], []);
  const rows = (await auditor.client.http.get(ROUTES.auditRegister, RegisterPageSchema, await auditor.client.accessToken())).rows;
  t.same(rows.filter((r) => r.message === old.id).map((r) => r.event), ['accepted', 'erased'], 'the register shows the disclosure and its erasure');
  const dump = JSON.stringify((await db.query('select * from messages')).rows);
  t.notOk(dump.includes('DOSSIER-1'), 'no case reference left in the messages');
});
