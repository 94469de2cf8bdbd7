// Invariant 3 against real PostgreSQL: every flow of every shipped template
// accepts what it allows under each of its legal bases, and every refusal code
// refuses, goes on the record, and delivers nothing.
import { randomUUID } from 'node:crypto';
import t from 'tap';
import { and, eq, sql } from 'drizzle-orm';
import { enrolAgency, enrolDevice, establishProtocol, type EnrolledAgency } from '../../../clients/harness/enrol.js';
import { VigieClient, type SendInput } from '../../../clients/sdk/client.js';
import { VigieApiError } from '../../../clients/sdk/http.js';
import { loadInstrument } from '../../../clients/instruments.js';
import { draftFromTemplate, listTemplates, loadTemplate } from '../../../clients/templates.js';
import { REFUSAL_CODES, type RefusalCode } from '../../../protocol/disclosure.js';
import { templateRoles, type Endpoint, type Flow, type ProtocolDocument } from '../../../protocol/protocol-document.js';
import { DATA_CATEGORIES, PURPOSES } from '../../../protocol/vocabulary.js';
import { logLeaves, logRecords } from '../../../server/disclosure-log/tables.js';
import { deliveries, messages } from '../../../server/messages/tables.js';
import { DANGER_BASIS, fingerprintOf, placeholderRootKeys, sendUnanchored } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';
import { rawCodes } from '../../helpers/raw-codes.js';
import { agencyOfInbox } from '../../../protocol/ids.js';

const agencyOf = (kind: string) => `${kind.replace(/_/g, '-')}-qc`;
const DEFAULT_DESK = 'accueil';

function inboxesOf(doc: ProtocolDocument): string[] {
  const ends: Endpoint[] = doc.flows.flatMap((f) => [f.from, f.to, ...(f.legalBases.apprehended_danger?.recipients ?? [])]);
  const escalations = doc.flows.flatMap((f) => f.acknowledgement?.escalation.flatMap((s) => s.inboxes) ?? []);
  return [...ends.flatMap((e) => ('inbox' in e ? [e.inbox] : [])), ...escalations];
}

const bindingsOf = (template: string) => Object.fromEntries(templateRoles(loadTemplate(template)).map((r) => [r.role, agencyOf(r.kind)]));

t.test('every flow of every shipped template, under each of its legal bases', async (t) => {
  const hub = await startTestHub(t);
  const templates = listTemplates();
  t.ok(templates.length >= 6, `${templates.length} templates shipped`);
  const docs = new Map(templates.map((name) => [name, draftFromTemplate(name, bindingsOf(name), { rootKeys: placeholderRootKeys(Object.values(bindingsOf(name))) })]));

  // One agency per kind, with every inbox the templates name and a default desk.
  const desks = new Map<string, Set<string>>();
  const kinds = new Map<string, string>();
  for (const doc of docs.values()) {
    for (const p of doc.parties) {
      kinds.set(p.agency, p.kind);
      if (!desks.has(p.agency)) desks.set(p.agency, new Set([`${p.agency}/${DEFAULT_DESK}`]));
    }
    for (const inbox of inboxesOf(doc)) desks.get(inbox.slice(0, inbox.indexOf('/')))!.add(inbox);
  }
  const grille = loadInstrument('grille-commune');
  /** Yes to everything: the highest level of the grid. */
  const imminent = {
    type: 'assessment' as const,
    v: 1 as const,
    instrument: { id: grille.id, version: grille.version },
    answers: grille.items.map((i) => ({ item: i.id, answer: 'yes' as const, source: 'victim' as const })),
    completedAt: new Date().toISOString(),
  };
  const agencies = new Map<string, EnrolledAgency>();
  const devices = new Map<string, VigieClient>();
  for (const [agency, kind] of kinds) {
    const deskNames = Object.fromEntries([...desks.get(agency)!].map((i) => [i.slice(agency.length + 1), { fr: i, en: i }]));
    const enrolled = await enrolAgency(hub.url, hub.operatorToken, agency, kind, { fr: agency, en: agency }, deskNames);
    agencies.set(agency, enrolled);
    const device = await enrolDevice(hub.url, enrolled, `poste-${kind}`, ['sender', 'receiver', 'admin'], [...desks.get(agency)!]);
    // With the common grid: a rapid-intervention-cell activation carries an assessment.
    devices.set(agency, await VigieClient.connect({ url: hub.url, keys: device.keys, instruments: [grille] }));
  }
  for (const [agency, client] of devices) {
    // The victim's consent, as broad as the vocabulary, recorded by each agency for its own case.
    await client.recordConsent({
      id: randomUUID(),
      case: `CASE-${agency}`,
      recipients: [...kinds.keys()].filter((a) => a !== agency),
      purposes: Object.keys(PURPOSES),
      dataCategories: Object.keys(DATA_CATEGORIES),
      evidenceHash: 'E'.repeat(43),
    });
  }
  for (const name of templates) {
    const doc = docs.get(name)!;
    await establishProtocol(doc.parties.map((p) => agencies.get(p.agency)!), name, bindingsOf(name));
  }

  const inboxFor = (e: Endpoint, doc: ProtocolDocument) => ('inbox' in e ? e.inbox : `${doc.parties.find((p) => p.kind === e.kind)!.agency}/${DEFAULT_DESK}`);
  function basesOf(flow: Flow, doc: ProtocolDocument, from: string): { basis: SendInput['legalBasis']; categories: string[]; to: string }[] {
    const to = inboxFor(flow.to, doc);
    const out: { basis: SendInput['legalBasis']; categories: string[]; to: string }[] = [];
    const lb = flow.legalBases;
    if (lb.consent) out.push({ basis: { code: 'consent', case: `CASE-${agencyOfInbox(from)}`, purpose: lb.consent.purposes[0]! }, categories: flow.dataCategories.slice(0, 2), to });
    if (lb.apprehended_danger) {
      const helper = lb.apprehended_danger.recipients?.[0];
      out.push({ basis: { ...DANGER_BASIS }, categories: lb.apprehended_danger.dataCategories, to: helper ? inboxFor(helper, doc) : to });
    }
    if (lb.legal_obligation) out.push({ basis: { code: 'legal_obligation', reference: lb.legal_obligation.references[0]! }, categories: flow.dataCategories.slice(0, 2), to });
    return out;
  }

  let accepted = 0;
  const bases = new Set<string>();
  for (const [name, doc] of docs) {
    for (const flow of doc.flows) {
      const from = inboxFor(flow.from, doc);
      const sender = devices.get(agencyOfInbox(from))!;
      for (const type of flow.messageTypes) {
        for (const { basis, categories, to } of basesOf(flow, doc, from)) {
          const label = `${name} ${flow.id} ${type} ${basis!.code}: ${from} → ${to}`;
          const sent = await sender
            .send({
              type,
              recipients: [to],
              fromInbox: from,
              content: { label },
              protocol: { id: doc.id, version: 1 },
              legalBasis: basis,
              dataCategories: categories,
              ...(flow.requiredAssessment ? { assessment: imminent } : {}),
            })
            .then(
              (r) => r.id,
              (e: unknown) => `refused ${(e as VigieApiError).code}: ${String((e as VigieApiError).details ?? '')}`,
            );
          t.match(sent, /^[0-9a-f-]{36}$/, label);
          const status = await sender.status(sent).catch(() => null);
          t.same(status?.recipients.map((r) => r.inbox), [to], `${label}: one delivery, to the recipient`);
          accepted++;
          bases.add(basis!.code);
        }
      }
    }
  }
  t.same([...bases].sort(), ['apprehended_danger', 'consent', 'legal_obligation'], 'the templates exercise every legal basis');
  t.ok(accepted >= 40, `${accepted} messages accepted across the templates`);

  await hub.app.disclosureLog.flush();
  const leaves = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(logLeaves).where(eq(logLeaves.kind, 'message.accepted'));
  t.equal(leaves[0]!.n, accepted, 'each accepted message is a leaf');
  const activated = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(logLeaves).where(eq(logLeaves.kind, 'protocol.activated'));
  t.equal(activated[0]!.n, templates.length, 'each protocol activated once, on its last signature');
});

t.test('every refusal code: a 4xx, a refused leaf, nothing delivered', async (t) => {
  const hub = await startTestHub(t);
  const shelter = await enrolAgency(hub.url, hub.operatorToken, 'shelter-qc', 'shelter', { fr: 'Maison', en: 'Shelter' }, {
    intake: { fr: 'Accueil', en: 'Intake' },
  });
  const police = await enrolAgency(hub.url, hub.operatorToken, 'police-qc', 'police', { fr: 'Police', en: 'Police' }, {
    dispatch: { fr: 'Répartition', en: 'Dispatch' },
    enquetes: { fr: 'Enquêtes', en: 'Investigations' },
  });
  const corrections = await enrolAgency(hub.url, hub.operatorToken, 'corrections-qc', 'corrections', { fr: 'Services correctionnels', en: 'Corrections' }, {
    avis: { fr: 'Avis aux victimes', en: 'Victim notices' },
  });
  const parole = await enrolAgency(hub.url, hub.operatorToken, 'parole-board-qc', 'parole_board', { fr: 'CQLC', en: 'Parole board' }, {
    decisions: { fr: 'Décisions', en: 'Decisions' },
  });
  const outsider = await enrolAgency(hub.url, hub.operatorToken, 'shelter-autre', 'shelter', { fr: 'Autre maison', en: 'Other shelter' }, {
    intake: { fr: 'Accueil', en: 'Intake' },
  });
  const workerDevice = await enrolDevice(hub.url, shelter, 'intervenante', ['sender', 'receiver'], ['shelter-qc/intake']);
  const worker = workerDevice.client;
  // The same device, with the partners' common grid to score its assessments.
  const grille = loadInstrument('grille-commune');
  const assessing = await VigieClient.connect({ url: hub.url, keys: workerDevice.keys, instruments: [grille] });
  const moderate = {
    type: 'assessment' as const,
    v: 1 as const,
    instrument: { id: grille.id, version: grille.version },
    answers: grille.items.map((i) => ({ item: i.id, answer: 'no' as const, source: 'victim' as const })),
    completedAt: new Date().toISOString(),
  };
  const officer = (await enrolDevice(hub.url, police, 'agente', ['sender', 'receiver'], ['police-qc/dispatch', 'police-qc/enquetes'])).client;
  const agent = (await enrolDevice(hub.url, corrections, 'agent', ['sender'], ['corrections-qc/avis'])).client;
  const stranger = (await enrolDevice(hub.url, outsider, 'intervenante', ['sender'], ['shelter-autre/intake'])).client;

  await establishProtocol([shelter, police], 'shelter-police', { shelter: 'shelter-qc', police: 'police-qc' });
  const custody = draftFromTemplate('custody-events', bindingsOf('custody-events'), { rootKeys: placeholderRootKeys(Object.values(bindingsOf('custody-events'))) });
  const custodyParties = custody.parties.map((p) => p.agency);
  t.ok(custodyParties.includes('corrections-qc') && custodyParties.includes('police-qc'), 'custody events bind corrections and police');
  // The custody template's parties beyond those enrolled above.
  const extra = new Map<string, EnrolledAgency>([['shelter-qc', shelter], ['police-qc', police], ['corrections-qc', corrections], ['parole-board-qc', parole]]);
  await establishProtocol(custody.parties.map((p) => extra.get(p.agency)!), 'custody-events', bindingsOf('custody-events'));

  // A local protocol whose apprehended-danger flow names only dispatch as able to help.
  const local = (version: number, effectiveFrom = new Date().toISOString()): ProtocolDocument => ({
    type: 'protocol',
    v: 1,
    id: 'entente-locale',
    version,
    titles: { fr: 'Entente locale', en: 'Local agreement' },
    parties: [
      { agency: 'shelter-qc', kind: 'shelter', rootKeyFingerprint: fingerprintOf(shelter) },
      { agency: 'police-qc', kind: 'police', rootKeyFingerprint: fingerprintOf(police) },
    ],
    effectiveFrom,
    retention: { days: 365 },
    flows: [
      {
        id: 'alerte',
        titles: { fr: 'Alerte', en: 'Alert' },
        from: { kind: 'shelter' },
        to: { kind: 'police' },
        messageTypes: ['note'],
        dataCategories: ['identity', 'threat'],
        legalBases: { apprehended_danger: { dataCategories: ['identity', 'threat'], recipients: [{ inbox: 'police-qc/dispatch' }] } },
      },
    ],
  });
  const sign = (doc: ProtocolDocument, parties: EnrolledAgency[]) => parties.reduce((s, p) => p.admin.signProtocol(s), { document: doc, signatures: [] as { agency: string; signature: string }[] });
  await shelter.admin.submitProtocol(sign(local(1), [shelter, police]));
  const pending = { ...local(1), id: 'entente-en-attente' };
  await shelter.admin.submitProtocol(sign(pending, [shelter]));
  const scheduled = { ...local(1, new Date(Date.now() + 86400_000).toISOString()), id: 'entente-future' };
  await shelter.admin.submitProtocol(sign(scheduled, [shelter, police]));
  const superseded = { ...local(1), id: 'entente-remplacee' };
  await shelter.admin.submitProtocol(sign(superseded, [shelter, police]));
  await shelter.admin.submitProtocol(sign({ ...superseded, version: 2 }, [shelter, police]));
  // Without consent, only from "aggravated" on the common grid.
  const assessed = { ...local(1), id: 'entente-evaluee' };
  assessed.flows = [{ ...assessed.flows[0]!, requiredAssessment: { instrument: 'grille-commune', level: 'aggravated', legalBases: ['apprehended_danger'] } }];
  await shelter.admin.submitProtocol(sign(assessed, [shelter, police]));
  const retired = { ...local(1), id: 'entente-retiree' };
  await shelter.admin.submitProtocol(sign(retired, [shelter, police]));
  await police.admin.retireProtocol('entente-retiree');

  const consent = (id: string, extra: Partial<Parameters<VigieClient['recordConsent']>[0]>) =>
    worker.recordConsent({
      id,
      case: 'CASE-OK',
      recipients: ['police-qc'],
      purposes: ['victim_safety'],
      dataCategories: ['identity', 'location', 'threat'],
      evidenceHash: 'E'.repeat(43),
      ...extra,
    });
  await consent(randomUUID(), {});
  await consent(randomUUID(), { case: 'CASE-EXPIRED', validFrom: '2020-01-01T00:00:00.000Z', validUntil: '2021-01-01T00:00:00.000Z' });
  const toRevoke = randomUUID();
  await consent(toRevoke, { case: 'CASE-REVOKED' });
  await worker.revokeConsent(toRevoke);
  await consent(randomUUID(), { case: 'CASE-NARROW', recipients: ['corrections-qc'] });
  await consent(randomUUID(), { case: 'CASE-LATER', validFrom: new Date(Date.now() + 86400_000).toISOString() });

  const SP = { id: 'shelter-police', version: 1 };
  const withConsent = (c = 'CASE-OK', purpose = 'victim_safety') => ({ code: 'consent' as const, case: c, purpose });
  type Case = { code: RefusalCode; why: string; client?: VigieClient; input: Partial<SendInput> };
  const cases: Case[] = [
    { code: 'PROTOCOL_REQUIRED', why: 'no protocol named', input: { protocol: undefined } },
    { code: 'LEGAL_BASIS_REQUIRED', why: 'no legal basis', input: { legalBasis: undefined } },
    { code: 'PROTOCOL_NOT_ACTIVE', why: 'unknown version', input: { protocol: { id: 'shelter-police', version: 9 } } },
    { code: 'PROTOCOL_NOT_ACTIVE', why: 'one party has not signed', input: { protocol: { id: 'entente-en-attente', version: 1 }, legalBasis: { ...DANGER_BASIS }, type: 'note' } },
    { code: 'PROTOCOL_NOT_ACTIVE', why: 'effective tomorrow', input: { protocol: { id: 'entente-future', version: 1 }, legalBasis: { ...DANGER_BASIS }, type: 'note' } },
    { code: 'PROTOCOL_SUPERSEDED', why: 'version 2 is in force', input: { protocol: { id: 'entente-remplacee', version: 1 }, legalBasis: { ...DANGER_BASIS }, type: 'note' } },
    { code: 'PROTOCOL_RETIRED', why: 'police retired it', input: { protocol: { id: 'entente-retiree', version: 1 }, legalBasis: { ...DANGER_BASIS }, type: 'note' } },
    { code: 'URGENCY_TOO_LOW', why: 'a routine danger alert', input: { type: 'danger_alert', urgency: 'routine' } },
    { code: 'FLOW_NOT_ALLOWED', why: 'program status is not a shelter → police type', input: { type: 'program_status' } },
    { code: 'FLOW_NOT_ALLOWED', why: 'the sender’s agency is not a party', client: stranger, input: {} },
    { code: 'FLOW_NOT_ALLOWED', why: 'police → corrections has no flow', client: officer, input: { recipients: ['corrections-qc/avis'], protocol: { id: 'custody-events', version: 1 } } },
    { code: 'LEGAL_BASIS_NOT_ALLOWED', why: 'no legal obligation on shelter → police', input: { legalBasis: { code: 'legal_obligation', reference: 'LSJPA, art. 1' } } },
    { code: 'CATEGORY_NOT_ALLOWED', why: 'health is not a category of the flow', input: { dataCategories: ['identity', 'health'] } },
    { code: 'CATEGORY_NOT_ALLOWED', why: 'children are beyond the minimum without consent', input: { type: 'danger_alert', legalBasis: { ...DANGER_BASIS }, dataCategories: ['identity', 'children'] } },
    { code: 'RECIPIENT_NOT_ALLOWED', why: 'investigations are not listed as able to help', input: { protocol: { id: 'entente-locale', version: 1 }, legalBasis: { ...DANGER_BASIS }, recipients: ['police-qc/enquetes'], dataCategories: ['threat'] } },
    { code: 'PURPOSE_NOT_ALLOWED', why: 'court proceedings are not a purpose of the flow', input: { legalBasis: withConsent('CASE-OK', 'court_proceedings') } },
    { code: 'ATTESTATION_MISSING', why: 'no sense of urgency attested', input: { type: 'danger_alert', legalBasis: { ...DANGER_BASIS, attestation: { ...DANGER_BASIS.attestation, urgency: false } }, dataCategories: ['threat'] } },
    { code: 'ATTESTATION_MISSING', why: 'no directive reference', input: { type: 'danger_alert', legalBasis: { code: 'apprehended_danger', attestation: DANGER_BASIS.attestation, reason: 'weapon' }, dataCategories: ['threat'] } },
    { code: 'ATTESTATION_MISSING', why: 'an unknown reason code', input: { type: 'danger_alert', legalBasis: { ...DANGER_BASIS, reason: 'hunch' }, dataCategories: ['threat'] } },
    {
      code: 'LEGAL_REFERENCE_NOT_ALLOWED',
      why: 'a statute the protocol does not name',
      client: agent,
      input: { type: 'custody_event', recipients: ['police-qc/dispatch'], protocol: { id: 'custody-events', version: 1 }, legalBasis: { code: 'legal_obligation', reference: 'Loi inventée, art. 1' }, dataCategories: ['custody_status'] },
    },
    { code: 'ASSESSMENT_REQUIRED', why: 'no risk assessment', input: { protocol: { id: 'entente-evaluee', version: 1 }, legalBasis: { ...DANGER_BASIS }, dataCategories: ['threat'] } },
    {
      code: 'ASSESSMENT_LEVEL_TOO_LOW',
      why: 'a moderate level on the common grid',
      client: assessing,
      input: { protocol: { id: 'entente-evaluee', version: 1 }, legalBasis: { ...DANGER_BASIS }, dataCategories: ['threat'], assessment: moderate },
    },
    { code: 'CONSENT_MISSING', why: 'no consent for this case', input: { legalBasis: withConsent('CASE-NONE') } },
    { code: 'CONSENT_MISSING', why: 'no case reference', input: { legalBasis: { code: 'consent', purpose: 'victim_safety' } } },
    { code: 'CONSENT_MISSING', why: 'the consent starts tomorrow', input: { legalBasis: withConsent('CASE-LATER') } },
    { code: 'CONSENT_EXPIRED', why: 'the consent ended in 2021', input: { legalBasis: withConsent('CASE-EXPIRED') } },
    { code: 'CONSENT_REVOKED', why: 'the victim withdrew it', input: { legalBasis: withConsent('CASE-REVOKED') } },
    { code: 'CONSENT_SCOPE_EXCEEDED', why: 'the consent names corrections, not police', input: { legalBasis: withConsent('CASE-NARROW') } },
    { code: 'CONSENT_SCOPE_EXCEEDED', why: 'contact details are not covered by the consent', input: { dataCategories: ['identity', 'contact'] } },
  ];
  t.same([...new Set(cases.map((c) => c.code))].sort(), [...REFUSAL_CODES].sort(), 'the table covers every refusal code');

  const refusedIds: string[] = [];
  for (const c of cases) {
    const id = randomUUID();
    const input: SendInput = {
      id,
      type: 'note',
      recipients: ['police-qc/dispatch'],
      content: { secret: 'ne doit jamais partir' },
      protocol: SP,
      legalBasis: withConsent(),
      dataCategories: ['identity', 'threat'],
      ...c.input,
    };
    // As a client that skips its own checks would send it: the hub refuses on its own.
    const err = await sendUnanchored(c.client ?? worker, input).then(
      () => null,
      (e: unknown) => e as VigieApiError,
    );
    t.equal(err?.code, c.code, `${c.code}: ${c.why}`);
    t.ok(err && err.status >= 400 && err.status < 500, `${c.code} is a 4xx (${err?.status})`);
    // What failed, in the person's words (protocol/refusal-detail.ts): never a raw code of the vocabulary.
    if (err?.details !== undefined) t.same(rawCodes(String(err.details), 'fr'), [], `${c.code}: the details are words (${String(err.details)})`);
    refusedIds.push(id);
  }

  await hub.app.disclosureLog.flush();
  for (const [i, id] of refusedIds.entries()) {
    const [leaf] = await hub.app.db
      .select({ data: logRecords.record })
      .from(logLeaves)
      .innerJoin(logRecords, eq(logRecords.index, logLeaves.index))
      .where(and(eq(logLeaves.kind, 'message.refused'), eq(logLeaves.subject, id)));
    t.equal(leaf ? (JSON.parse(leaf.data) as { reason: string }).reason : null, cases[i]!.code, `${cases[i]!.code} is a refused leaf with its reason`);
  }
  const stored = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(messages);
  const delivered = await hub.app.db.select({ n: sql<number>`count(*)::int` }).from(deliveries);
  t.equal(stored[0]!.n, 0, 'no refused message is stored');
  t.equal(delivered[0]!.n, 0, 'nothing of a refused message is delivered');
  const unknown = await officer.fetchEnvelope(refusedIds[0]!).then(
    () => null,
    (e: unknown) => (e as VigieApiError).code,
  );
  t.equal(unknown, 'MESSAGE_UNKNOWN', 'the recipient cannot fetch a refused message');

  // The control: the same message on a proper basis goes through.
  const ok = await worker.send({ type: 'note', recipients: ['police-qc/dispatch'], content: {}, protocol: SP, legalBasis: withConsent(), dataCategories: ['identity', 'threat'] });
  t.match(ok.id, /^[0-9a-f-]{36}$/, 'a note under the victim’s consent is accepted');
  const dispatch = await worker.send({ type: 'note', recipients: ['police-qc/dispatch'], content: {}, protocol: { id: 'entente-locale', version: 1 }, legalBasis: { ...DANGER_BASIS }, dataCategories: ['threat'] });
  t.match(dispatch.id, /^[0-9a-f-]{36}$/, 'without consent, dispatch (able to help) may be told');
});
