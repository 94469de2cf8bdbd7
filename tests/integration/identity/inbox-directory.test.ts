// The public list of an agency's desks (GET /v1/agencies/:agency/inboxes): what a
// sender chooses a recipient from. Names and key versions only; the keys a client
// encrypts to are still each inbox's certificate, checked against its root key.
import t from 'tap';
import { HubHttp, VigieApiError } from '../../../clients/sdk/http.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';
import { AgencyInboxListSchema } from '../../../protocol/api/identity.js';

t.test('an agency’s inboxes, by name, for anyone; an unknown agency is refused', async (t) => {
  const hub = await startTestHub(t);
  const { police } = await enrolPartners(hub.url, hub.operatorToken);
  await police.admin.createInbox('supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
  await police.admin.rotateInbox('police-laval/dispatch');

  const http = new HubHttp(hub.url, 'en');
  const list = await http.get('/v1/agencies/police-laval/inboxes', AgencyInboxListSchema);
  t.same(list, [
    { inbox: 'police-laval/dispatch', names: { fr: 'Répartition', en: 'Dispatch' }, keyVersion: 2 },
    { inbox: 'police-laval/supervision', names: { fr: 'Superviseur de relève', en: 'Shift supervisor' }, keyVersion: 1 },
  ], 'every desk of the agency, in order, with its current key version, without any key');
  t.same(await http.get('/v1/agencies/shelter-laval/inboxes', AgencyInboxListSchema), [{ inbox: 'shelter-laval/intake', names: { fr: 'Intervention', en: 'Intake' }, keyVersion: 1 }], 'only that agency’s desks');

  const refused = await http.get('/v1/agencies/nobody-here/inboxes', AgencyInboxListSchema).then(() => null, (e: unknown) => e);
  t.ok(refused instanceof VigieApiError);
  t.equal((refused as VigieApiError).code, 'AGENCY_UNKNOWN');
  t.equal((refused as VigieApiError).status, 404);
  t.equal((refused as VigieApiError).message, 'Unknown agency.', 'in the language asked for');
  const bad = await http.get('/v1/agencies/NOT%20AN%20ID/inboxes', AgencyInboxListSchema).then(() => null, (e: unknown) => e);
  t.equal((bad as VigieApiError).status, 400, 'an id that is not an agency id is a 400');
});
