// The auditors' register: who disclosed what kind of information to whom, on
// which basis — from the log itself; every read is itself on the record.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { enrolAgency, enrolDevice } from '../../../clients/demo/enrol.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';

t.test('register for auditors, JSON and CSV, filtered, each read a leaf', async (t) => {
  const hub = await startTestHub(t);
  const { shelter, worker } = await enrolPartners(hub.url, hub.operatorToken);
  await worker.client.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: {}, dataCategories: ['threat'], legalBasis: { code: 'apprehended_danger', reference: 'DIR-2026-04' } });
  await worker.client.send({ type: 'note', urgency: 'routine', recipients: ['police-laval/dispatch'], content: {}, legalBasis: { code: 'consent' } });
  const auditor = await enrolDevice(hub.url, shelter, 'responsable-acces', ['auditor'], []);
  await hub.app.disclosureLog.flush();

  const get = async (query: string, token: string, headers: Record<string, string> = {}) =>
    fetch(`${hub.url}/v1/audit/register${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  const token = await auditor.client.accessToken();
  const all = (await (await get('', token)).json()) as { rows: { event: string; messageType: string; legalBasis: string; legalReference: string; recipients: string; senderAgency: string }[] };
  t.equal(all.rows.length, 2, 'both disclosures of the auditor’s agency');
  t.match(all.rows[0], { event: 'accepted', messageType: 'danger_alert', legalBasis: 'apprehended_danger', legalReference: 'DIR-2026-04', recipients: 'police-laval/dispatch', senderAgency: 'shelter-laval' });
  const danger = (await (await get('?legalBasis=apprehended_danger', token)).json()) as { rows: unknown[] };
  t.equal(danger.rows.length, 1, 'filtered by legal basis');
  const notes = (await (await get('?messageType=note', token)).json()) as { rows: unknown[] };
  t.equal(notes.rows.length, 1, 'filtered by message type');
  const future = (await (await get(`?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`, token)).json()) as { rows: unknown[] };
  t.equal(future.rows.length, 0, 'filtered by period');

  const csv = await get('?format=csv', token);
  t.match(csv.headers.get('content-type'), /text\/csv/);
  const text = await csv.text();
  t.match(text.split('\r\n')[0], /"fondement juridique"/, 'French headers by default');
  t.match(text, /"apprehended_danger","DIR-2026-04"/);
  const csvEn = await (await get('?format=csv', token, { 'accept-language': 'en' })).text();
  t.match(csvEn.split('\r\n')[0], /"legal basis"/, 'English on request');

  const other = await get('?agency=police-laval', token);
  t.equal(other.status, 403, 'an agency’s auditor reads only its own agency');
  t.equal(((await other.json()) as { error: { code: string } }).error.code, 'AGENCY_FORBIDDEN');
  const notAuditor = await get('', await worker.client.accessToken());
  t.equal(notAuditor.status, 403, 'a sender is not an auditor');
  t.equal((await get('?legalBasis=whim', token)).status, 400, 'an unknown legal basis is a 400');

  // An oversight body reads every agency's disclosures.
  const oversight = await enrolAgency(hub.url, hub.operatorToken, 'cai-quebec', 'oversight', { fr: 'Commission d’accès', en: 'Access commission' }, {});
  const inspector = await enrolDevice(hub.url, oversight, 'inspecteur', ['auditor'], []);
  const police = (await (await get('?agency=police-laval', await inspector.client.accessToken())).json()) as { rows: unknown[] };
  t.equal(police.rows.length, 2, 'the oversight body filters by any agency');

  await hub.app.disclosureLog.flush();
  const reads = await hub.app.db.execute(sql`select count(*)::int as n from log_leaves where kind = 'register.read'`);
  t.equal((reads as unknown as { rows: { n: number }[] }).rows[0]!.n, 7, 'each of the 7 successful reads is a register.read leaf; refusals are not reads');
});
