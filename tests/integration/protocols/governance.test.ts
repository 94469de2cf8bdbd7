// Issue 12, part 1: protocol governance. A non-party can neither change nor
// retire the shelter–police agreement, nor lock its parties out by any
// sequence of hostile submissions; a change of parties is signed by the
// parties bound now; every decision, refusals included, is a log leaf.
import t from 'tap';
import { asc, eq, inArray } from 'drizzle-orm';
import { enrolAgency } from '../../../clients/harness/enrol.js';
import { protocolVersions } from '../../../clients/sdk/protocols.js';
import { draftFromTemplate } from '../../../clients/templates.js';
import type { ProtocolDocument, SignedProtocol } from '../../../protocol/protocol-document.js';
import { logLeaves, logRecords } from '../../../server/disclosure-log/tables.js';
import { enrolPartners, fingerprintOf, rootKeysOf, SHELTER_POLICE } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';

t.test('only the parties bound now change or retire an agreement, and nobody locks them out', async (t) => {
  const hub = await startTestHub(t);
  const partners = await enrolPartners(hub.url, hub.operatorToken);
  const { shelter, police, worker, underConsent } = partners;
  const hostile = await enrolAgency(hub.url, hub.operatorToken, 'maison-fantome', 'shelter', { fr: 'Maison fantôme', en: 'Ghost shelter' }, { intake: { fr: 'Accueil', en: 'Intake' } });
  const accomplice = await enrolAgency(hub.url, hub.operatorToken, 'police-complice', 'police', { fr: 'Police complice', en: 'Accomplice police' }, { dispatch: { fr: 'Répartition', en: 'Dispatch' } });
  const all = [shelter, police, hostile, accomplice];
  const v1 = (await protocolVersions(shelter.admin.http, SHELTER_POLICE.id))[0]!;
  t.equal(v1.status, 'active', 'shelter–police version 1 is in force');

  const draft = (bindings: { shelter: string; police: string }, version: number): ProtocolDocument =>
    draftFromTemplate('shelter-police', bindings, { id: SHELTER_POLICE.id, version, rootKeys: rootKeysOf(...all) });
  const signedBy = (doc: ProtocolDocument, ...signers: typeof all): SignedProtocol =>
    signers.reduce<SignedProtocol>((s, a) => a.admin.signProtocol(s), { document: doc, signatures: [] });
  const statuses = async () => (await protocolVersions(shelter.admin.http, SHELTER_POLICE.id)).map((v) => `${v.version}:${v.status}`);
  const sendUnderV1 = () => worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: 'suivi', ...underConsent });

  // Two colluding outsiders try to supersede the agreement with their own, or with the real parties named.
  const theirs = draft({ shelter: 'maison-fantome', police: 'police-complice' }, 2);
  t.equal(await codeOf(hostile.admin.submitProtocol(signedBy(theirs, hostile, accomplice))), 'PROTOCOL_PARTY_REQUIRED', 'their own parties: refused');
  const renamed = draft({ shelter: 'shelter-laval', police: 'police-laval' }, 2);
  renamed.retention = { days: 1 };
  t.equal(await codeOf(hostile.admin.submitProtocol(signedBy({ ...renamed, parties: [...renamed.parties, { agency: 'maison-fantome', kind: 'shelter', rootKeyFingerprint: fingerprintOf(hostile) }] }, hostile))), 'PROTOCOL_PARTY_REQUIRED', 'adding itself to the real parties: refused');
  t.equal(await codeOf(hostile.admin.submitProtocol(signedBy(draft({ shelter: 'maison-fantome', police: 'police-complice' }, 1_000_000), hostile, accomplice))), 'PROTOCOL_PARTY_REQUIRED', 'squatting the last version number: refused');
  t.equal(await codeOf(hostile.admin.retireProtocol(SHELTER_POLICE.id)), 'PROTOCOL_PARTY_REQUIRED', 'retiring it: refused');
  const raw = await fetch(`${hub.url}/v1/protocols/${SHELTER_POLICE.id}/retirement`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ document: { type: 'protocol-retirement', v: 1, protocol: SHELTER_POLICE.id, agency: 'maison-fantome', retiredAt: new Date().toISOString() }, signature: 'A'.repeat(86) }),
  });
  t.equal(raw.status, 422, 'an unsigned retirement is not even considered');
  t.same(await statuses(), ['1:active'], 'nothing changed');

  // A draft naming another root key for a party is refused by the hub too.
  const misnamed = draft({ shelter: 'shelter-laval', police: 'police-laval' }, 2);
  misnamed.parties[1] = { ...misnamed.parties[1]!, rootKeyFingerprint: fingerprintOf(accomplice) };
  const wrongKey = await shelter.admin.submitProtocol(signedBy(misnamed, shelter)).then(() => null, (e: { code: string; details?: string }) => e);
  t.equal(wrongKey?.code, 'PROTOCOL_INVALID', 'a fingerprint that is not the registered root key');
  t.match(wrongKey?.details, /rootKeyFingerprint: not the root key of police-laval/);

  // The real parties still send under version 1.
  t.equal((await codeOf(sendUnderV1())), 'OK', 'the parties still send under the agreement');

  // A party proposes to replace its partner: the partner bound now must sign that change too.
  const swap = draft({ shelter: 'shelter-laval', police: 'police-complice' }, 2);
  const proposal = await shelter.admin.submitProtocol(signedBy(swap, shelter, accomplice));
  t.match(proposal, { status: 'pending_signatures', requiredSigners: ['police-complice', 'police-laval', 'shelter-laval'], missing: ['police-laval'] }, 'a change of parties waits for the parties bound now');
  t.same(await statuses(), ['1:active', '2:pending_signatures']);
  t.equal((await codeOf(sendUnderV1())), 'OK', 'version 1 stays in force meanwhile');

  // The parties publish their own next version, replacing the pending draft; it takes effect.
  const next = draft({ shelter: 'shelter-laval', police: 'police-laval' }, 2);
  next.retention = { days: 3650 };
  const published = await shelter.admin.submitProtocol(signedBy(next, shelter, police));
  t.match(published, { version: 2, status: 'active', requiredSigners: ['police-laval', 'shelter-laval'], missing: [] }, 'the parties can still publish a next version');
  t.same(await statuses(), ['1:superseded', '2:active']);
  t.equal(await codeOf(worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: 'v2', ...underConsent, protocol: { id: SHELTER_POLICE.id, version: 2 } })), 'OK', 'and send under it');

  // Version 3 adds a third party: signed by the two bound now and the newcomer; then only version 3's parties may retire.
  const police2 = await enrolAgency(hub.url, hub.operatorToken, 'police-longueuil', 'police', { fr: 'Police Longueuil', en: 'Longueuil police' }, {});
  const three: ProtocolDocument = { ...draft({ shelter: 'shelter-laval', police: 'police-laval' }, 3), parties: [] };
  three.parties = [...next.parties, { agency: 'police-longueuil', kind: 'police', rootKeyFingerprint: fingerprintOf(police2) }];
  t.match(await shelter.admin.submitProtocol(signedBy(three, shelter, police2)), { status: 'pending_signatures', missing: ['police-laval'] });
  t.match(await shelter.admin.submitProtocol(signedBy(three, police)), { status: 'active', missing: [] }, 'in force once every party bound now and named signed');
  const four = { ...three, version: 4, parties: [three.parties[0]!, three.parties[1]!] };
  await shelter.admin.submitProtocol(signedBy(four, shelter, police, police2));
  t.same(await statuses(), ['1:superseded', '2:superseded', '3:superseded', '4:active']);
  t.equal(await codeOf(police2.admin.retireProtocol(SHELTER_POLICE.id)), 'PROTOCOL_PARTY_REQUIRED', 'a party of an earlier version only cannot retire the one in force');
  t.equal(await codeOf(shelter.admin.submitProtocol(signedBy({ ...four, version: 5 }, shelter, hostile))), 'PROTOCOL_SIGNATURE_INVALID', 'an outsider’s signature beside a party’s: refused whole');
  t.same(await statuses(), ['1:superseded', '2:superseded', '3:superseded', '4:active'], 'still nothing changed');

  // A new agreement's id cannot be squatted: an outsider's unsigned draft under it gives way to the parties' complete version.
  const fresh = (bindings: { shelter: string; police: string }, version: number) =>
    draftFromTemplate('shelter-police', bindings, { id: 'shelter-police-2027', version, rootKeys: rootKeysOf(...all) });
  t.match(await hostile.admin.submitProtocol(signedBy(fresh({ shelter: 'shelter-laval', police: 'police-complice' }, 1), accomplice)), { status: 'pending_signatures' }, 'a squatting draft is stored');
  t.equal(await codeOf(shelter.admin.submitProtocol(signedBy(fresh({ shelter: 'shelter-laval', police: 'police-laval' }, 2), shelter))), 'PROTOCOL_VERSION_CONFLICT', 'an incomplete draft does not displace it');
  const claimed = await shelter.admin.submitProtocol(signedBy(fresh({ shelter: 'shelter-laval', police: 'police-laval' }, 1), shelter, police));
  t.match(claimed, { version: 1, status: 'active', parties: [{ agency: 'shelter-laval' }, { agency: 'police-laval' }] }, 'the parties’ complete version takes the id');

  // Every decision is on the record, refusals with their reason.
  await hub.app.disclosureLog.flush();
  const records = await hub.app.db
    .select({ kind: logLeaves.kind, record: logRecords.record })
    .from(logLeaves)
    .innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
    .where(inArray(logLeaves.kind, ['protocol.submitted', 'protocol.signed', 'protocol.activated', 'protocol.superseded', 'protocol.retired', 'protocol.refused']))
    .orderBy(asc(logLeaves.index));
  const refusals = records.filter((r) => r.kind === 'protocol.refused').map((r) => JSON.parse(r.record) as { reason: string; action: string; agencies: string[] });
  t.same(
    refusals.map((r) => `${r.action}:${r.reason}:${r.agencies.join('+')}`),
    [
      'submission:PROTOCOL_PARTY_REQUIRED:maison-fantome+police-complice',
      'submission:PROTOCOL_PARTY_REQUIRED:maison-fantome',
      'submission:PROTOCOL_PARTY_REQUIRED:maison-fantome+police-complice',
      'retirement:PROTOCOL_PARTY_REQUIRED:maison-fantome',
      'submission:PROTOCOL_INVALID:shelter-laval',
      'retirement:PROTOCOL_PARTY_REQUIRED:police-longueuil',
      'submission:PROTOCOL_SIGNATURE_INVALID:maison-fantome+shelter-laval',
      'submission:PROTOCOL_VERSION_CONFLICT:shelter-laval',
    ],
    'each refused request signed by an agency, with its reason; unsigned noise leaves no trace',
  );
  const kinds = new Set(records.map((r) => r.kind));
  for (const kind of ['protocol.submitted', 'protocol.signed', 'protocol.activated', 'protocol.superseded']) t.ok(kinds.has(kind), `${kind} leaves`);
  const submitted = records.filter((r) => r.kind === 'protocol.submitted').map((r) => JSON.parse(r.record) as { protocol: string; version: number; replaces: string | null });
  t.ok(submitted.some((s) => s.version === 2 && s.replaces !== null), 'the replaced draft is named');
  t.ok(submitted.some((s) => s.protocol === 'shelter-police-2027' && s.version === 1 && s.replaces !== null), 'and the squatting one');
  t.equal(records.filter((r) => r.kind === 'protocol.superseded').length, 3, 'each version superseded in turn');
});
