// A protocol may require a risk assessment at a minimum level before a
// disclosure without consent: the shelter–police template, drafted with its
// danger flow requiring `grille-commune` at `aggravated` or above under
// apprehended danger. The hub reads only the signed header (instrument,
// version, level); each refusal is a 4xx and a `message.refused` leaf naming
// its reason, and nothing of it is stored or delivered.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import t from 'tap';
import { listInstruments } from '../../../clients/instruments.js';
import { VigieClient, type SendInput } from '../../../clients/sdk/client.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { decodePair } from '../../../clients/sdk/keys.js';
import { draftFromTemplate } from '../../../clients/templates.js';
import { buildEnvelope } from '../../../protocol/envelope.js';
import { scoreAssessment, type Assessment } from '../../../protocol/instrument.js';
import { checkProtocolDocument, type ProtocolDocument, type SignedProtocol } from '../../../protocol/protocol-document.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { logLeaves, logRecords } from '../../../server/disclosure-log/tables.js';
import { deliveries, messages } from '../../../server/messages/tables.js';
import { DANGER_BASIS, enrolPartners, rootKeysOf } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';

const PROTOCOL = { id: 'maison-police-grille', version: 1 };
const POLICE = 'police-laval/dispatch';

const crypto = await loadSodium();
const hub = await startTestHub(t);
const partners = await enrolPartners(hub.url, hub.operatorToken);
const instruments = listInstruments();
const grid = instruments.find((i) => i.id === 'grille-commune');
if (!grid) throw new Error('config/instruments has no grille-commune');

// The shelter–police template, with its danger flow requiring the grid at `aggravated` under apprehended danger.
const document: ProtocolDocument = draftFromTemplate('shelter-police', { shelter: 'shelter-laval', police: 'police-laval' }, { ...PROTOCOL, rootKeys: rootKeysOf(partners.shelter, partners.police) });
const danger = document.flows.find((f) => f.messageTypes.includes('danger_alert') && f.legalBases.apprehended_danger)!;
danger.requiredAssessment = { instrument: 'grille-commune', level: 'aggravated', legalBases: ['apprehended_danger'] };
let signed: SignedProtocol = { document, signatures: [] };
for (const party of [partners.shelter, partners.police]) signed = party.admin.signProtocol(signed);
const submitted = await partners.shelter.admin.submitProtocol(signed);

const worker = await VigieClient.connect({ url: hub.url, keys: partners.worker.keys, instruments });

/** Every item answered no, but `yes`: the rules of the grid give the level. */
function assessment(yes: string[] = [], override?: Assessment['override']): Assessment {
  return {
    type: 'assessment',
    v: 1,
    instrument: { id: grid!.id, version: grid!.version },
    answers: grid!.items.map((i) => ({ item: i.id, answer: yes.includes(i.id) ? 'yes' : 'no', source: 'record' })),
    ...(override ? { override } : {}),
    completedAt: new Date().toISOString(),
  };
}
const itemFor = (level: string) => grid.rules.find((r) => r.kind === 'any' && r.level === level)!.items[0]!;
const AT = {
  moderate: assessment(),
  aggravated: assessment([itemFor('aggravated')]),
  imminent: assessment([itemFor('imminent')]),
  overridden: assessment([], { level: 'aggravated', reason: 'Cumul de facteurs chroniques graves; la victime craint pour sa vie.' }),
};

t.test('the protocol and the assessments of this test', async (t) => {
  t.same(grid.levels.map((l) => l.id), ['moderate', 'aggravated', 'imminent'], 'the levels of the common grid, lowest first');
  t.same(checkProtocolDocument(document), [], 'the amended protocol is coherent');
  t.same(submitted.missing, [], 'signed by both parties: in force');
  for (const [level, a] of Object.entries(AT)) {
    t.match(scoreAssessment(grid, a), { ok: true, level: level === 'overridden' ? 'aggravated' : level }, `the answers give ${level}`);
  }
});

const underDanger = { protocol: PROTOCOL, legalBasis: { ...DANGER_BASIS }, dataCategories: ['identity', 'location', 'threat', 'risk_level'] };
const underConsent = { protocol: PROTOCOL, legalBasis: { code: 'consent' as const, case: 'DOSSIER-1', purpose: 'victim_safety' }, dataCategories: ['identity', 'threat'] };

/** Sends a danger alert; resolves to `202` or the refusal's status and code. */
async function alert(input: Partial<SendInput>): Promise<{ id: string; outcome: string }> {
  const id = randomUUID();
  const outcome = await worker
    .send({ id, type: 'danger_alert', recipients: [POLICE], content: { text: 'Menace de mort.' }, ...underDanger, ...input })
    .then(
      () => '202',
      (e: unknown) => {
        if (!(e instanceof VigieApiError)) throw e;
        return `${e.status} ${e.code}`;
      },
    );
  return { id, outcome };
}

/**
 * A header this device would refuse to sign (an instrument version it does
 * not know): built and signed directly, as another client might.
 */
async function signedRef(ref: { instrument: string; version: number; level: string }): Promise<{ id: string; outcome: string }> {
  const own = (await worker.inboxes()).get('shelter-laval/intake')!;
  const envelope = buildEnvelope(crypto, {
    type: 'danger_alert',
    urgency: 'immediate',
    sender: { agency: 'shelter-laval', member: partners.worker.keys.member, inbox: 'shelter-laval/intake' },
    senderInboxKey: own.keys.publicKey,
    senderInboxKeyVersion: own.certificate.keyVersion,
    recipients: [await worker.directory.recipient(POLICE)],
    content: { text: 'Menace de mort.' },
    ...underDanger,
    assessment: ref,
    signingSecretKey: decodePair(partners.worker.keys.signing).secretKey,
  });
  const outcome = await worker.resubmit(envelope).then(
    () => '202',
    (e: VigieApiError) => `${e.status} ${e.code}`,
  );
  return { id: envelope.header.id, outcome };
}

t.test('under apprehended danger, the flow requires the grid at aggravated or above', async (t) => {
  const refused: { id: string; code: string; why: string }[] = [];
  const expectRefusal = (sent: { id: string; outcome: string }, expected: string, why: string) => {
    t.equal(sent.outcome, expected, why);
    refused.push({ id: sent.id, code: expected.split(' ')[1]!, why });
  };
  expectRefusal(await alert({}), '422 ASSESSMENT_REQUIRED', 'no assessment');
  expectRefusal(await alert({ assessment: AT.moderate }), '403 ASSESSMENT_LEVEL_TOO_LOW', 'a moderate level');
  expectRefusal(await signedRef({ instrument: 'grille-commune', version: 99, level: 'imminent' }), '422 ASSESSMENT_REQUIRED', 'a version the hub does not know');
  expectRefusal(await signedRef({ instrument: 'grille-commune', version: grid.version, level: 'extreme' }), '422 ASSESSMENT_REQUIRED', 'a level the grid does not have');
  const lap = instruments.find((i) => i.id === 'lap-lethality-screen');
  if (lap) {
    const screenedIn = { type: 'assessment' as const, v: 1 as const, instrument: { id: lap.id, version: lap.version }, answers: lap.items.map((i) => ({ item: i.id, answer: 'yes' as const })), completedAt: new Date().toISOString() };
    expectRefusal(await alert({ assessment: screenedIn }), '422 ASSESSMENT_REQUIRED', 'another instrument, even at its highest level');
  }

  const accepted = [
    { sent: await alert({ assessment: AT.aggravated }), why: 'aggravated' },
    { sent: await alert({ assessment: AT.imminent }), why: 'imminent' },
    { sent: await alert({ assessment: AT.overridden }), why: 'moderate answers, aggravated on professional judgement (with its reason)' },
    { sent: await alert({ ...underConsent }), why: 'under consent, without an assessment: the requirement is for apprehended danger only' },
    { sent: await alert({ ...underConsent, assessment: AT.moderate }), why: 'under consent, a moderate assessment' },
  ];
  for (const { sent, why } of accepted) t.equal(sent.outcome, '202', why);

  await hub.app.disclosureLog.flush();
  for (const r of refused) {
    const [leaf] = await hub.app.db
      .select({ data: logRecords.record })
      .from(logLeaves)
      .innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
      .where(and(eq(logLeaves.kind, 'message.refused'), eq(logLeaves.subject, r.id)));
    t.equal(leaf ? (JSON.parse(leaf.data) as { reason: string }).reason : null, r.code, `${r.why}: a message.refused leaf with its reason`);
  }
  const refusedIds = refused.map((r) => r.id);
  const stored = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(messages).where(inArray(messages.id, refusedIds));
  const delivered = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(deliveries).where(inArray(deliveries.messageId, refusedIds));
  t.equal(stored[0]!.n, 0, 'no refused message is stored');
  t.equal(delivered[0]!.n, 0, 'nothing of a refused message is delivered');

  const [row] = await hub.app.db.select({ header: messages.header }).from(messages).where(eq(messages.id, accepted[2]!.sent.id));
  t.same((row!.header as { assessment?: unknown }).assessment, { instrument: 'grille-commune', version: grid.version, level: 'aggravated' }, 'the hub decided on the signed final level');
  const leaves = await hub.app.db.select({ data: logRecords.record }).from(logLeaves).innerJoin(logRecords, eq(logRecords.index, logLeaves.index)).where(and(eq(logLeaves.kind, 'message.accepted'), eq(logLeaves.subject, accepted[0]!.sent.id)));
  t.equal(leaves.length, 1, 'an accepted alert is on the record');
});

t.test('the hub’s refusal carries what was missing', async (t) => {
  const low = await worker
    .send({ type: 'danger_alert', recipients: [POLICE], content: {}, ...underDanger, assessment: AT.moderate })
    .then(() => null, (e: VigieApiError) => e);
  t.match(low, { status: 403, code: 'ASSESSMENT_LEVEL_TOO_LOW' });
  t.match(String(low?.details ?? ''), /niveau évalué « Risque modéré », niveau exigé « Risque aggravé »/, 'in words: the levels as the instrument names them');
  const none = await worker.send({ type: 'note', recipients: [POLICE], content: {}, ...underDanger }).then(() => null, (e: VigieApiError) => e);
  t.match(none, { status: 422, code: 'ASSESSMENT_REQUIRED' }, 'the requirement covers every type of the flow under that basis');
  t.match(String(none?.details ?? ''), /une évaluation du risque remplie avec « Grille commune d’appréciation du risque/);
});
