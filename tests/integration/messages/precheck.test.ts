// Before sending: the hub's own disclosure decision, run on the sender's
// device with the facts it can know (clients/sdk/precheck.ts), says what the
// hub then says — allowed, or refused with the same code — and what the
// protocol lets the sender choose.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { VigieApiError } from '../../../clients/sdk/http.js';
import type { SendInput } from '../../../clients/sdk/client.js';
import { allowedChoices, allowedTypes, prepareSendCheck } from '../../../clients/sdk/precheck.js';
import { DANGER_BASIS, enrolPartners, SHELTER_POLICE } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';

t.test('the device knows what the hub will decide, before anything is sent', async (t) => {
  const hub = await startTestHub(t);
  const { worker, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const client = worker.client;
  const FROM = 'shelter-laval/intake';
  const check = await prepareSendCheck(client, SHELTER_POLICE, 'DOSSIER-1');
  t.equal(check.status, 'active');
  t.equal(check.consents.length, 1, 'the agency’s consents for the case');

  t.same(allowedTypes(check.protocol, FROM), ['danger_alert', 'risk_assessment', 'note'], 'what the shelter may send under the protocol');
  const choice = allowedChoices(check.protocol, FROM, 'danger_alert');
  t.same(choice.recipients, [{ kind: 'police' }]);
  t.same(Object.keys(choice.legalBases).sort(), ['apprehended_danger', 'consent']);
  t.same(choice.legalBases.apprehended_danger!.dataCategories, ['identity', 'location', 'threat', 'risk_level'], 'without consent, the minimum');
  t.same(choice.legalBases.consent!.purposes, ['victim_safety', 'risk_assessment']);
  t.match(choice.acknowledgement, { deadlineSeconds: 300, renotifyRecipients: true });
  t.same(allowedTypes(check.protocol, 'police-laval/dispatch'), ['release_conditions', 'note', 'condition_breach'], 'and the police');

  const base: SendInput = { type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'Menace de mort' }, fromInbox: FROM, protocol: SHELTER_POLICE };
  const cases: [string, Omit<SendInput, 'content' | 'type' | 'recipients'> & Partial<Pick<SendInput, 'type' | 'recipients'>>, string | null][] = [
    ['under the victim’s consent', { legalBasis: underConsent.legalBasis!, dataCategories: ['identity', 'threat'] }, null],
    ['under apprehended danger, attested', { legalBasis: { ...DANGER_BASIS }, dataCategories: ['identity', 'location'] }, null],
    ['a category the protocol does not carry', { legalBasis: underConsent.legalBasis!, dataCategories: ['health'] }, 'CATEGORY_NOT_ALLOWED'],
    ['beyond the minimum without consent', { legalBasis: { ...DANGER_BASIS }, dataCategories: ['violence_history'] }, 'CATEGORY_NOT_ALLOWED'],
    ['one condition not attested', { legalBasis: { ...DANGER_BASIS, attestation: { ...DANGER_BASIS.attestation, urgency: false } }, dataCategories: ['identity'] }, 'ATTESTATION_MISSING'],
    ['a purpose the protocol does not name', { legalBasis: { code: 'consent', case: 'DOSSIER-1', purpose: 'court_proceedings' }, dataCategories: ['identity'] }, 'PURPOSE_NOT_ALLOWED'],
    ['a type the protocol does not carry from the shelter', { type: 'release_conditions', legalBasis: underConsent.legalBasis!, dataCategories: ['identity'] }, 'FLOW_NOT_ALLOWED'],
    ['a danger alert that is not immediate', { urgency: 'routine', legalBasis: underConsent.legalBasis!, dataCategories: ['identity'] }, 'URGENCY_TOO_LOW'],
  ];
  for (const [what, input, expected] of cases) {
    const message = { ...base, ...input } as SendInput;
    const decision = check.decide({ ...message, fromInbox: FROM, assessment: null });
    t.equal(decision.allowed ? null : decision.code, expected, `${what}: decided on the device`);
    const hubSays = await client.send(message).then(
      () => null,
      (err: unknown) => (err instanceof VigieApiError ? err.code : String(err)),
    );
    t.equal(hubSays, expected, `${what}: the hub says the same`);
  }

  // A narrower consent for another case; and a case with no consent: the device knows both.
  await client.recordConsent({ id: randomUUID(), case: 'DOSSIER-9', recipients: ['police-laval'], purposes: ['victim_safety'], dataCategories: ['identity'], evidenceHash: 'C'.repeat(43) });
  const narrow = await prepareSendCheck(client, SHELTER_POLICE, 'DOSSIER-9');
  const beyond: SendInput = { ...base, legalBasis: { code: 'consent', case: 'DOSSIER-9', purpose: 'victim_safety' }, dataCategories: ['identity', 'threat'] };
  t.match(narrow.decide({ ...beyond, fromInbox: FROM, assessment: null }), { allowed: false, code: 'CONSENT_SCOPE_EXCEEDED' }, 'a category the consent does not cover: decided on the device');
  t.equal(await client.send(beyond).then(() => null, (err: unknown) => (err as VigieApiError).code), 'CONSENT_SCOPE_EXCEEDED', 'the hub says the same');
  const none = await prepareSendCheck(client, SHELTER_POLICE, 'DOSSIER-404');
  const missing = none.decide({ ...base, fromInbox: FROM, assessment: null, legalBasis: { code: 'consent', case: 'DOSSIER-404', purpose: 'victim_safety' }, dataCategories: ['identity'] });
  t.match(missing, { allowed: false, code: 'CONSENT_MISSING' });
});
