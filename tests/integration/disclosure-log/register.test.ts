// The communications register: who disclosed what kind of information to
// whom, on which basis — from the log itself; every read is itself on the record.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sql } from 'drizzle-orm';
import { enrolAgency, enrolDevice, establishProtocol } from '../../../clients/harness/enrol.js';
import { DANGER_BASIS, enrolPartners } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';
import type { RegisterRow } from '../../../protocol/register.js';

t.test('register for auditors and agency administrators, JSON and CSV, filtered, each read a leaf', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, police, worker, officer, consentId, underConsent, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const danger = await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: {}, ...underDanger });
  const note = await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: {}, ...underConsent });
  // Health information is outside the shelter → police flow: the policy refuses it, and the refusal is on the record.
  const refusedId = randomUUID();
  const refusal = await worker.client
    .send({ id: refusedId, type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: { text: 'santé' }, ...underConsent, dataCategories: ['health'] })
    .then(
      () => null,
      (e: { status?: number; code?: string }) => e,
    );
  t.match(refusal, { status: 403, code: 'CATEGORY_NOT_ALLOWED' }, 'a category outside the flow is refused');

  // Another shelter, bound to the same police by its own protocol: its disclosures are not the first shelter's business.
  const other = await enrolAgency(hub.url, hub.operatorToken, 'shelter-mtl', 'shelter', { fr: 'Maison Montréal', en: 'Montreal shelter' }, {
    intake: { fr: 'Intervention', en: 'Intake' },
  });
  await establishProtocol([other, police], 'shelter-police', { shelter: 'shelter-mtl', police: 'police-laval' }, { id: 'shelter-mtl-police' });
  const otherWorker = await enrolDevice(hub.url, other, 'intervenante-mtl', ['sender'], ['shelter-mtl/intake']);
  await otherWorker.client.send({
    type: 'danger_alert',
    recipients: ['police-laval/dispatch'],
    content: {},
    protocol: { id: 'shelter-mtl-police', version: 1 },
    legalBasis: { ...DANGER_BASIS },
    dataCategories: ['threat'],
  });

  const auditor = await enrolDevice(hub.url, shelter, 'responsable-acces', ['auditor'], []);
  const admin = await enrolDevice(hub.url, shelter, 'direction', ['admin'], []);
  await hub.app.disclosureLog.flush();

  const get = async (query: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${hub.url}/v1/audit/register${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const rowsOf = async (query: string, token: string) => {
    const res = await get(query, token);
    t.equal(res.status, 200, `register${query}`);
    return ((await res.json()) as { rows: RegisterRow[] }).rows;
  };
  let reads = 0;
  const token = await auditor.client.accessToken();
  const all = await rowsOf('', token);
  reads++;
  t.equal(all.length, 3, 'the two disclosures and the refusal of the auditor’s agency, not the other shelter’s');
  t.same(
    all.map((r) => r.message),
    [danger.id, note.id, refusedId],
    'in log order',
  );
  t.has(all[0], {
    event: 'accepted',
    messageType: 'danger_alert',
    senderAgency: 'shelter-laval',
    senderInbox: 'shelter-laval/intake',
    recipients: 'police-laval/dispatch',
    legalBasis: 'apprehended_danger',
    legalReference: 'DIR-2026-04',
    withoutConsent: true,
    dangerReason: 'death_threat',
    followUp: true,
    purpose: '',
    consent: '',
    protocol: 'shelter-police@1',
    dataCategories: 'identity location threat',
    reason: '',
  });
  t.equal(all[0]!.contentHash, danger.envelope.header.content.hash, 'the content hash, never the content');
  t.has(all[1], {
    event: 'accepted',
    messageType: 'note',
    legalBasis: 'consent',
    legalReference: '',
    withoutConsent: false,
    dangerReason: '',
    followUp: false,
    purpose: 'victim_safety',
    consent: consentId,
    protocol: 'shelter-police@1',
    dataCategories: 'identity threat',
  });
  t.has(all[2], {
    event: 'refused',
    message: refusedId,
    messageType: 'note',
    senderAgency: 'shelter-laval',
    recipients: '',
    declaredRecipients: 'police-laval/dispatch',
    legalBasis: 'consent',
    withoutConsent: false,
    followUp: false,
    protocol: 'shelter-police@1',
    dataCategories: 'health',
    reason: 'CATEGORY_NOT_ALLOWED',
  });
  t.notMatch(JSON.stringify(all), /DOSSIER-1/, 'the register never names the case');

  // Nothing of the refused message was stored or delivered.
  const fetchMessage = async (id: string, tok: string) => {
    const res = await fetch(`${hub.url}/v1/messages/${id}`, { headers: { authorization: `Bearer ${tok}` } });
    return `${res.status} ${((await res.json()) as { error?: { code: string } }).error?.code ?? ''}`;
  };
  const officerToken = await officer.client.accessToken();
  t.equal(await fetchMessage(refusedId, officerToken), '404 MESSAGE_UNKNOWN', 'the recipient cannot fetch the refused message');
  t.equal(await fetchMessage(refusedId, await worker.client.accessToken()), '404 MESSAGE_UNKNOWN', 'nor can its sender: nothing was stored');
  t.match(await fetchMessage(note.id, officerToken), /^200/, 'while the accepted note is there for the recipient');
  const stored = await hub.app.db.execute(
    sql`select (select count(*) from messages where id = ${refusedId})::int as m, (select count(*) from deliveries where message_id = ${refusedId})::int as d`,
  );
  t.same((stored as unknown as { rows: { m: number; d: number }[] }).rows[0], { m: 0, d: 0 }, 'no message row, no delivery row');

  t.same((await rowsOf('?legalBasis=apprehended_danger', token)).map((r) => r.message), [danger.id], 'filtered by legal basis');
  t.same((await rowsOf('?messageType=note', token)).map((r) => r.message), [note.id, refusedId], 'filtered by message type');
  t.same((await rowsOf('?withoutConsent=true', token)).map((r) => r.message), [danger.id], 'only the disclosures without consent');
  t.same((await rowsOf('?event=refused', token)).map((r) => r.message), [refusedId], 'filtered by event: the refusal');
  t.same((await rowsOf('?event=accepted&messageType=note', token)).map((r) => r.message), [note.id], 'filtered by event and type');
  t.same(await rowsOf('?event=escalated', token), [], 'no escalation step yet');
  t.equal((await get('?event=forgotten', token)).status, 400, 'an unknown event is a 400');
  t.same((await rowsOf('?withoutConsent=false', token)).map((r) => r.message), [note.id, refusedId], 'only those under consent');
  const future = await rowsOf(`?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, token);
  t.equal(future.length, 0, 'filtered by period');
  reads += 8;

  const csv = await get('?format=csv', token);
  reads++;
  t.match(csv.headers.get('content-type'), /text\/csv/);
  const text = await csv.text();
  const [head] = text.split('\r\n');
  t.match(head, /"fondement juridique"/, 'French headers by default');
  t.match(
    head,
    /"sans consentement","motif \(danger appréhendé\)","motif \(danger appréhendé\) \(code\)","suivi écrit requis","finalité","finalité \(code\)","consentement"/,
    'the columns in French, each word of the shared vocabulary followed by its code',
  );
  t.match(head, /^"index","date","événement","événement \(code\)","message","type de message","type de message \(code\)"/, 'events and types in words, then their codes');
  t.match(
    text,
    /"Communication acceptée","accepted","[^"]+","Alerte de danger","danger_alert",/,
    'the danger alert’s event and type in words and codes',
  );
  t.match(
    text,
    /"Danger appréhendé \(sans consentement\)","apprehended_danger","DIR-2026-04","oui","Menaces de mort","death_threat","oui","","","","shelter-police@1"/,
    'the danger alert: without consent, follow-up required',
  );
  t.match(
    text,
    new RegExp(`"Consentement de la victime","consent","","non","","","non","Assurer la sécurité de la victime","victim_safety","${consentId}","shelter-police@1","Identité de la personne; Nature de la menace","identity threat"`),
    'the note: under the recorded consent, its categories in words',
  );
  t.match(text, /"Refusée \(rien n’a été communiqué\)","refused"/, 'the refusal');
  t.match(text, /"Le message contient une catégorie de renseignements que le protocole ne permet pas sur ce fondement\.","CATEGORY_NOT_ALLOWED"/, 'and its reason, in words and code');
  const csvEn = await (await get('?format=csv', token, { 'accept-language': 'en' })).text();
  reads++;
  t.match(csvEn.split('\r\n')[0], /"legal basis","legal basis \(code\)","reference","without consent","reason \(apprehended danger\)","reason \(apprehended danger\) \(code\)","written follow-up required"/, 'English on request');
  t.match(csvEn, /"Apprehended danger \(without consent\)","apprehended_danger","DIR-2026-04","yes","Death threats","death_threat","yes"/);

  // An agency administrator reads its own agency's register, as CSV, in French or English.
  const adminToken = await admin.client.accessToken();
  const adminCsv = await get('?format=csv', adminToken);
  reads++;
  t.equal(adminCsv.status, 200, 'an agency administrator may export the register');
  t.match(adminCsv.headers.get('content-type'), /text\/csv/);
  t.match(adminCsv.headers.get('content-disposition'), /attachment/);
  const adminText = await adminCsv.text();
  const adminLines = adminText.split('\r\n').filter(Boolean);
  t.match(adminLines[0], /"fondement juridique".*"sans consentement"/, 'French headers by default');
  t.equal(adminLines.length, 1 + 3, 'a header and its agency’s three rows');
  t.ok(adminLines.slice(1).every((l) => l.includes('"shelter-laval"')), 'every row is its agency’s');
  t.notMatch(adminText, /shelter-mtl/, 'nothing of the other shelter');
  const adminEn = await (await get('?format=csv', adminToken, { 'accept-language': 'en' })).text();
  reads++;
  t.match(adminEn.split('\r\n')[0], /"sender agency".*"legal basis".*"without consent"/, 'English headers on request');
  t.same((await rowsOf('?withoutConsent=true', adminToken)).map((r) => r.message), [danger.id], 'the administrator filters too');
  reads++;
  const adminOther = await get('?agency=shelter-mtl', adminToken);
  t.equal(adminOther.status, 403, 'an administrator reads only its own agency');
  t.equal(((await adminOther.json()) as { error: { code: string } }).error.code, 'AGENCY_FORBIDDEN');

  const otherAgency = await get('?agency=police-laval', token);
  t.equal(otherAgency.status, 403, 'an agency’s auditor reads only its own agency');
  t.equal(((await otherAgency.json()) as { error: { code: string } }).error.code, 'AGENCY_FORBIDDEN');
  const notAuditor = await get('', await worker.client.accessToken());
  t.equal(notAuditor.status, 403, 'a sender is neither an auditor nor an administrator');
  t.equal((await get('?legalBasis=whim', token)).status, 400, 'an unknown legal basis is a 400');
  t.equal((await get('?withoutConsent=maybe', token)).status, 400, 'withoutConsent is a boolean');

  // An oversight body reads every agency's disclosures.
  const oversight = await enrolAgency(hub.url, hub.operatorToken, 'cai-quebec', 'oversight', { fr: 'Commission d’accès', en: 'Access commission' }, {});
  const inspector = await enrolDevice(hub.url, oversight, 'inspecteur', ['auditor'], []);
  const inspectorToken = await inspector.client.accessToken();
  const forPolice = await rowsOf('?agency=police-laval', inspectorToken);
  t.equal(forPolice.filter((r) => r.event === 'accepted').length, 3, 'the oversight body filters by any agency: three disclosures to the police');
  t.notOk(forPolice.some((r) => r.event === 'refused'), 'a refusal is in its sender’s register only, not in the register of the agency it named');
  const forOther = await rowsOf('?agency=shelter-mtl', inspectorToken);
  t.equal(forOther.length, 1, 'and the other shelter’s single alert');
  t.has(forOther[0], { senderAgency: 'shelter-mtl', protocol: 'shelter-mtl-police@1', withoutConsent: true, followUp: true });
  reads += 2;

  await hub.app.disclosureLog.flush();
  const leaves = await hub.app.db.execute(sql`select count(*)::int as n from log_leaves where kind = 'register.read'`);
  t.equal((leaves as unknown as { rows: { n: number }[] }).rows[0]!.n, reads, `each of the ${reads} successful reads is a register.read leaf; refusals are not reads`);
});
