import t from 'tap';
import {
  decideConsent,
  decideDisclosure,
  REFUSAL_CODES,
  type ConsentFacts,
  type DisclosureFacts,
  type LegalBasis,
  type Party,
  type ProtocolDocument,
  type RefusalCode,
  type RefusalFacts,
} from '../../../protocol/index.js';

const now = new Date('2025-03-14T02:08:00.000Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const COURT_ORDER = 'Ordonnance de la Cour du Québec 540-01-012345-259';

const protocol: ProtocolDocument = {
  type: 'protocol',
  v: 1,
  id: 'laval-maison-police',
  version: 2,
  titles: { fr: 'Protocole maison – police – DPCP (Laval)', en: 'Shelter – police – DPCP protocol (Laval)' },
  parties: [
    { agency: 'maison-laval', kind: 'shelter', rootKeyFingerprint: 'A'.repeat(43) },
    { agency: 'police-laval', kind: 'police', rootKeyFingerprint: 'A'.repeat(43) },
    { agency: 'police-longueuil', kind: 'police', rootKeyFingerprint: 'A'.repeat(43) },
    { agency: 'dpcp-laval', kind: 'prosecution', rootKeyFingerprint: 'A'.repeat(43) },
  ],
  effectiveFrom: '2025-01-06T05:00:00.000Z',
  retention: { days: 2555 },
  flows: [
    {
      id: 'alerte-maison-police',
      titles: { fr: 'Alertes de la maison à la police', en: 'Alerts from the shelter to the police' },
      from: { kind: 'shelter' },
      to: { kind: 'police' },
      messageTypes: ['danger_alert', 'risk_assessment', 'note'],
      dataCategories: ['identity', 'location', 'threat', 'risk_level', 'violence_history', 'children'],
      legalBases: {
        consent: { purposes: ['victim_safety', 'risk_assessment'] },
        apprehended_danger: {
          dataCategories: ['identity', 'location', 'threat', 'risk_level'],
          recipients: [{ inbox: 'police-laval/dispatch' }, { inbox: 'police-longueuil/dispatch' }],
        },
      },
      acknowledgement: { messageTypes: ['danger_alert'], deadlineSeconds: 300, renotifyRecipients: true, escalation: [] },
    },
    {
      id: 'conditions-dpcp-maison',
      titles: { fr: 'Conditions du DPCP à la maison', en: 'Conditions from the DPCP to the shelter' },
      from: { kind: 'prosecution' },
      to: { kind: 'shelter' },
      messageTypes: ['release_conditions', 'note'],
      dataCategories: ['identity', 'judicial_status', 'release_conditions'],
      legalBases: {
        legal_obligation: { references: ['Code criminel, art. 515(14)'] },
        consent: { purposes: ['bail_and_conditions'] },
      },
    },
    {
      id: 'bris-repartition-maison',
      titles: { fr: 'Bris de conditions, de la répartition à l’accueil', en: 'Breaches, from dispatch to intake' },
      from: { inbox: 'police-laval/dispatch' },
      to: { inbox: 'maison-laval/intake' },
      messageTypes: ['condition_breach'],
      dataCategories: ['identity', 'location', 'release_conditions'],
      legalBases: { apprehended_danger: { dataCategories: ['identity', 'location'] } },
    },
    {
      id: 'note-ordonnance-maison-police',
      titles: { fr: 'Notes exigées par une ordonnance', en: 'Notes a court order requires' },
      from: { kind: 'shelter' },
      to: { kind: 'police' },
      messageTypes: ['note'],
      dataCategories: ['identity', 'judicial_status'],
      legalBases: { legal_obligation: { references: [COURT_ORDER] } },
    },
  ],
};
const party = (inbox: string, kind: string): Party => ({ inbox, agency: inbox.slice(0, inbox.indexOf('/')), kind });
const shelterIntake = party('maison-laval/intake', 'shelter');
const shelterFollowUp = party('maison-laval/suivi', 'shelter');
const lavalDispatch = party('police-laval/dispatch', 'police');
const lavalInvestigations = party('police-laval/enquetes', 'police');
const longueuilDispatch = party('police-longueuil/dispatch', 'police');
const montrealDispatch = party('spvm/dispatch', 'police'); // a police service that is not a party
const prosecutor = party('dpcp-laval/bureau', 'prosecution');

const CASE = 'ML-2025-0042';
const CONSENT_ID = '3f0c9a6e-51d2-4b7a-9c1e-2d4f6a8b0c1d';
const OTHER_CONSENT_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const consent = (over: Partial<ConsentFacts> = {}): ConsentFacts => ({
  id: CONSENT_ID,
  caseRef: CASE,
  recipients: ['police-laval'],
  purposes: ['victim_safety', 'risk_assessment'],
  dataCategories: ['identity', 'location', 'threat', 'risk_level', 'violence_history'],
  validFrom: ago(86400),
  validUntil: later(86400 * 90),
  revokedAt: null,
  ...over,
});

const byConsent = (over: Partial<LegalBasis> = {}): LegalBasis => ({ code: 'consent', case: CASE, purpose: 'victim_safety', ...over });
const byDanger = (over: Partial<LegalBasis> = {}): LegalBasis => ({
  code: 'apprehended_danger',
  attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: true },
  reason: 'death_threat',
  reference: 'MH-07',
  ...over,
});
const byObligation = (reference?: string): LegalBasis => ({ code: 'legal_obligation', ...(reference ? { reference } : {}) });

type Header = DisclosureFacts['header'];
interface Case {
  name: string;
  header?: Partial<Header>;
  facts?: Partial<Omit<DisclosureFacts, 'header'>>;
  /** A refusal code, or the flow id expected for each recipient inbox. */
  expect: RefusalCode | Record<string, string>;
  detail?: RegExp;
  /** For an allowed consent-based message: the covering consent (CONSENT_ID when absent). */
  consent?: string;
}

/** A note from the shelter's intake to the Laval police dispatch, under consent: allowed. */
function facts(c: Case): DisclosureFacts {
  const header: Header = {
    type: 'note',
    urgency: 'routine',
    dataCategories: ['identity', 'threat'],
    protocol: { id: protocol.id, version: protocol.version },
    legalBasis: byConsent(),
    ...c.header,
  };
  return {
    header,
    protocol,
    status: 'active',
    sender: shelterIntake,
    recipients: [lavalDispatch],
    consents: [consent()],
    now,
    ...c.facts,
  };
}

const dangerAlert: Partial<Header> = {
  type: 'danger_alert',
  urgency: 'immediate',
  dataCategories: ['identity', 'location', 'threat', 'risk_level'],
  legalBasis: byDanger(),
};

const withAssessment: ProtocolDocument = {
  ...protocol,
  flows: protocol.flows.map((f) =>
    f.id === 'alerte-maison-police' ? { ...f, requiredAssessment: { instrument: 'grille-commune', level: 'aggravated', legalBases: ['apprehended_danger'] } } : f,
  ),
};
const assessed: Partial<Omit<DisclosureFacts, 'header'>> = {
  protocol: withAssessment,
  instrumentLevels: (id, version) => (id === 'grille-commune' && version === 1 ? ['moderate', 'aggravated', 'imminent'] : null),
};

const cases: Case[] = [
  // Allowed, under each legal basis.
  { name: 'consent: a note to the police', expect: { 'police-laval/dispatch': 'alerte-maison-police' } },
  {
    name: 'consent: a danger alert to an inbox not able to help without consent',
    header: { ...dangerAlert, legalBasis: byConsent() },
    facts: { recipients: [lavalInvestigations] },
    expect: { 'police-laval/enquetes': 'alerte-maison-police' },
  },
  { name: 'apprehended danger: the minimum to dispatch', header: dangerAlert, expect: { 'police-laval/dispatch': 'alerte-maison-police' } },
  {
    name: 'apprehended danger: two police services able to help',
    header: dangerAlert,
    facts: { recipients: [lavalDispatch, longueuilDispatch] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police', 'police-longueuil/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'apprehended danger: a subset of the minimum, no consent needed',
    header: { ...dangerAlert, dataCategories: ['identity'] },
    facts: { consents: [] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'legal obligation: release conditions to any shelter inbox (kind endpoint)',
    header: { type: 'release_conditions', urgency: 'urgent', dataCategories: ['identity', 'release_conditions'], legalBasis: byObligation('Code criminel, art. 515(14)') },
    facts: { sender: prosecutor, recipients: [shelterIntake, shelterFollowUp], consents: [] },
    expect: { 'maison-laval/intake': 'conditions-dpcp-maison', 'maison-laval/suivi': 'conditions-dpcp-maison' },
  },
  {
    name: 'legal obligation: the second flow of the pair allows it, and the map says so',
    header: { dataCategories: ['identity', 'judicial_status'], legalBasis: byObligation(COURT_ORDER) },
    expect: { 'police-laval/dispatch': 'note-ordonnance-maison-police' },
  },
  {
    name: 'inbox endpoints: dispatch to intake',
    header: { type: 'condition_breach', urgency: 'urgent', dataCategories: ['identity', 'location'], legalBasis: byDanger({ reason: 'breach' }) },
    facts: { sender: lavalDispatch, recipients: [shelterIntake] },
    expect: { 'maison-laval/intake': 'bris-repartition-maison' },
  },
  { name: 'urgency above the minimum', header: { urgency: 'immediate' }, expect: { 'police-laval/dispatch': 'alerte-maison-police' } },
  {
    name: 'consent valid from exactly now',
    facts: { consents: [consent({ validFrom: now })] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'consent without an end date',
    facts: { consents: [consent({ validUntil: null })] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'consent named by id, another one of the case revoked',
    header: { legalBasis: byConsent({ consent: OTHER_CONSENT_ID }) },
    facts: { consents: [consent({ revokedAt: ago(60) }), consent({ id: OTHER_CONSENT_ID })] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
    consent: OTHER_CONSENT_ID,
  },
  {
    name: 'consent not named: the active one of the case',
    facts: { consents: [consent({ revokedAt: ago(60) }), consent({ id: OTHER_CONSENT_ID })] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
    consent: OTHER_CONSENT_ID,
  },
  {
    name: 'consent not named: the one that covers, not the first one',
    facts: { consents: [consent({ purposes: ['risk_assessment'] }), consent({ id: OTHER_CONSENT_ID })] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
    consent: OTHER_CONSENT_ID,
  },
  {
    name: 'consents of other cases are ignored',
    facts: { consents: [consent({ id: OTHER_CONSENT_ID, caseRef: 'ML-2025-0099', revokedAt: ago(60) }), consent()] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'consent covering two agencies, two recipients',
    facts: { recipients: [lavalDispatch, longueuilDispatch], consents: [consent({ recipients: ['police-laval', 'police-longueuil'] })] },
    expect: { 'police-laval/dispatch': 'alerte-maison-police', 'police-longueuil/dispatch': 'alerte-maison-police' },
  },

  // What must be named.
  { name: 'no protocol named', header: { protocol: undefined }, expect: 'PROTOCOL_REQUIRED' },
  { name: 'no legal basis', header: { legalBasis: undefined }, expect: 'LEGAL_BASIS_REQUIRED' },

  // The version's status.
  { name: 'unknown protocol version', facts: { protocol: null, status: null }, expect: 'PROTOCOL_NOT_ACTIVE', detail: /laval-maison-police@2 unknown/ },
  { name: 'status unknown', facts: { status: null }, expect: 'PROTOCOL_NOT_ACTIVE' },
  { name: 'signatures missing', facts: { status: 'pending_signatures' }, expect: 'PROTOCOL_NOT_ACTIVE', detail: /pending_signatures/ },
  { name: 'not yet in effect', facts: { status: 'scheduled' }, expect: 'PROTOCOL_NOT_ACTIVE', detail: /scheduled/ },
  { name: 'a later version is active', facts: { status: 'superseded' }, expect: 'PROTOCOL_SUPERSEDED' },
  { name: 'a party withdrew', facts: { status: 'retired' }, expect: 'PROTOCOL_RETIRED' },

  // Urgency.
  { name: 'a danger alert is never merely urgent', header: { ...dangerAlert, urgency: 'urgent' }, expect: 'URGENCY_TOO_LOW', detail: /danger_alert requires immediate/ },
  {
    name: 'a breach is never routine',
    header: { type: 'condition_breach', urgency: 'routine', dataCategories: ['identity'], legalBasis: byDanger() },
    facts: { sender: lavalDispatch, recipients: [shelterIntake] },
    expect: 'URGENCY_TOO_LOW',
  },

  // Flows.
  { name: 'sender agency is not a party', facts: { sender: montrealDispatch }, expect: 'FLOW_NOT_ALLOWED', detail: /spvm is not a party/ },
  { name: 'recipient of the right kind but not a party', facts: { recipients: [montrealDispatch] }, expect: 'FLOW_NOT_ALLOWED', detail: /spvm\/dispatch/ },
  {
    name: 'message type no flow carries that way',
    header: { type: 'release_conditions', urgency: 'urgent', dataCategories: ['identity'] },
    expect: 'FLOW_NOT_ALLOWED',
    detail: /maison-laval\/intake → police-laval\/dispatch: release_conditions/,
  },
  { name: 'the reverse direction', facts: { sender: lavalDispatch, recipients: [shelterIntake] }, expect: 'FLOW_NOT_ALLOWED' },
  {
    name: 'inbox endpoint: another inbox of the sending agency',
    header: { type: 'condition_breach', urgency: 'urgent', dataCategories: ['identity'], legalBasis: byDanger() },
    facts: { sender: lavalInvestigations, recipients: [shelterIntake] },
    expect: 'FLOW_NOT_ALLOWED',
  },
  {
    name: 'inbox endpoint: another inbox of the receiving agency',
    header: { type: 'condition_breach', urgency: 'urgent', dataCategories: ['identity'], legalBasis: byDanger() },
    facts: { sender: lavalDispatch, recipients: [shelterFollowUp] },
    expect: 'FLOW_NOT_ALLOWED',
  },
  {
    name: 'kind endpoint: sender of the right agency claiming another kind',
    facts: { sender: { ...shelterIntake, kind: 'police' } },
    expect: 'FLOW_NOT_ALLOWED',
  },
  {
    name: 'two recipients, the second one with no flow',
    facts: { recipients: [lavalDispatch, prosecutor] },
    expect: 'FLOW_NOT_ALLOWED',
    detail: /dpcp-laval\/bureau/,
  },

  // The flow's legal bases, categories, recipients, purposes and references.
  { name: 'basis the flow does not allow', header: { ...dangerAlert, legalBasis: byObligation(COURT_ORDER) }, expect: 'LEGAL_BASIS_NOT_ALLOWED' },
  {
    name: 'category outside every flow',
    header: { dataCategories: ['identity', 'health'] },
    expect: 'CATEGORY_NOT_ALLOWED',
    detail: /health/,
  },
  {
    name: 'apprehended danger: category beyond the minimum',
    header: { ...dangerAlert, dataCategories: ['identity', 'violence_history'] },
    expect: 'CATEGORY_NOT_ALLOWED',
    detail: /violence_history beyond the minimum/,
  },
  {
    name: 'apprehended danger: recipient not able to help',
    header: dangerAlert,
    facts: { recipients: [lavalInvestigations] },
    expect: 'RECIPIENT_NOT_ALLOWED',
    detail: /police-laval\/enquetes/,
  },
  {
    name: 'apprehended danger: one of two recipients not able to help',
    header: dangerAlert,
    facts: { recipients: [lavalDispatch, lavalInvestigations] },
    expect: 'RECIPIENT_NOT_ALLOWED',
  },
  {
    name: 'apprehended danger on an inbox flow: category beyond its minimum',
    header: { type: 'condition_breach', urgency: 'urgent', dataCategories: ['identity', 'release_conditions'], legalBasis: byDanger() },
    facts: { sender: lavalDispatch, recipients: [shelterIntake] },
    expect: 'CATEGORY_NOT_ALLOWED',
  },
  { name: 'purpose the flow does not list', header: { legalBasis: byConsent({ purpose: 'court_proceedings' }) }, expect: 'PURPOSE_NOT_ALLOWED' },
  { name: 'no purpose', header: { legalBasis: byConsent({ purpose: undefined }) }, expect: 'PURPOSE_NOT_ALLOWED', detail: /: -$/ },
  {
    name: 'reference the flow does not list',
    header: { type: 'release_conditions', urgency: 'urgent', dataCategories: ['identity'], legalBasis: byObligation('Code criminel, art. 515(13)') },
    facts: { sender: prosecutor, recipients: [shelterIntake] },
    expect: 'LEGAL_REFERENCE_NOT_ALLOWED',
  },
  {
    name: 'reference spelled differently',
    header: { type: 'release_conditions', urgency: 'urgent', dataCategories: ['identity'], legalBasis: byObligation('Code criminel, art. 515 (14)') },
    facts: { sender: prosecutor, recipients: [shelterIntake] },
    expect: 'LEGAL_REFERENCE_NOT_ALLOWED',
  },
  {
    name: 'no reference',
    header: { type: 'release_conditions', urgency: 'urgent', dataCategories: ['identity'], legalBasis: byObligation() },
    facts: { sender: prosecutor, recipients: [shelterIntake] },
    expect: 'LEGAL_REFERENCE_NOT_ALLOWED',
  },
  {
    name: 'of two candidate flows, the refusal of the one that got furthest',
    header: { dataCategories: ['identity'], legalBasis: byObligation('Ordonnance inconnue') },
    expect: 'LEGAL_REFERENCE_NOT_ALLOWED',
    detail: /note-ordonnance-maison-police/,
  },

  // The apprehended-danger attestation.
  {
    name: 'one condition not attested',
    header: { ...dangerAlert, legalBasis: byDanger({ attestation: { reasonableCause: true, seriousRisk: true, identifiablePerson: true, urgency: false } }) },
    expect: 'ATTESTATION_MISSING',
    detail: /urgency/,
  },
  { name: 'no attestation', header: { ...dangerAlert, legalBasis: byDanger({ attestation: undefined }) }, expect: 'ATTESTATION_MISSING' },
  { name: 'unknown reason code', header: { ...dangerAlert, legalBasis: byDanger({ reason: 'jealousy' }) }, expect: 'ATTESTATION_MISSING', detail: /reason/ },
  { name: 'no reason code', header: { ...dangerAlert, legalBasis: byDanger({ reason: undefined }) }, expect: 'ATTESTATION_MISSING', detail: /reason/ },
  {
    name: 'no internal directive reference',
    header: { ...dangerAlert, legalBasis: byDanger({ reference: undefined }) },
    expect: 'ATTESTATION_MISSING',
    detail: /directive/,
  },

  // The consent.
  { name: 'no case reference', header: { legalBasis: byConsent({ case: undefined }) }, expect: 'CONSENT_MISSING', detail: /no case reference/ },
  { name: 'no consent for the case', header: { legalBasis: byConsent({ case: 'ML-2025-0099' }) }, expect: 'CONSENT_MISSING' },
  { name: 'no consent at all', facts: { consents: [] }, expect: 'CONSENT_MISSING' },
  { name: 'consent not yet valid', facts: { consents: [consent({ validFrom: later(1) })] }, expect: 'CONSENT_MISSING', detail: /not yet valid/ },
  { name: 'named consent does not exist', header: { legalBasis: byConsent({ consent: OTHER_CONSENT_ID }) }, expect: 'CONSENT_MISSING' },
  {
    name: 'named consent belongs to another case',
    header: { legalBasis: byConsent({ consent: OTHER_CONSENT_ID }) },
    facts: { consents: [consent(), consent({ id: OTHER_CONSENT_ID, caseRef: 'ML-2025-0099' })] },
    expect: 'CONSENT_MISSING',
  },
  { name: 'consent ending exactly now', facts: { consents: [consent({ validUntil: now })] }, expect: 'CONSENT_EXPIRED' },
  { name: 'consent ended yesterday', facts: { consents: [consent({ validUntil: ago(86400) })] }, expect: 'CONSENT_EXPIRED' },
  { name: 'consent revoked', facts: { consents: [consent({ revokedAt: ago(60) })] }, expect: 'CONSENT_REVOKED' },
  { name: 'consent revoked exactly now', facts: { consents: [consent({ revokedAt: now })] }, expect: 'CONSENT_REVOKED' },
  {
    name: 'revocation stamped ahead of this clock still refuses',
    facts: { consents: [consent({ revokedAt: later(30) })] },
    expect: 'CONSENT_REVOKED',
  },
  {
    name: 'revoked and expired: revocation is the telling reason',
    facts: { consents: [consent({ validUntil: ago(86400), revokedAt: ago(3600) })] },
    expect: 'CONSENT_REVOKED',
  },
  {
    name: 'named consent revoked while another one is active',
    header: { legalBasis: byConsent({ consent: CONSENT_ID }) },
    facts: { consents: [consent({ revokedAt: ago(60) }), consent({ id: OTHER_CONSENT_ID })] },
    expect: 'CONSENT_REVOKED',
  },
  {
    name: 'consent does not cover the second recipient agency',
    facts: { recipients: [lavalDispatch, longueuilDispatch] },
    expect: 'CONSENT_SCOPE_EXCEEDED',
    detail: /^recipient police-longueuil$/,
  },
  {
    name: 'consent does not cover the purpose',
    header: { legalBasis: byConsent({ purpose: 'risk_assessment' }) },
    facts: { consents: [consent({ purposes: ['victim_safety'] })] },
    expect: 'CONSENT_SCOPE_EXCEEDED',
    detail: /^purpose risk_assessment$/,
  },
  {
    name: 'consent does not cover a category the flow allows',
    header: { dataCategories: ['identity', 'children'] },
    expect: 'CONSENT_SCOPE_EXCEEDED',
    detail: /^category children$/,
  },
  {
    name: 'of two active consents, the closest names the gap',
    header: { dataCategories: ['identity', 'children'] },
    facts: {
      consents: [
        consent({ recipients: ['police-longueuil'], purposes: ['risk_assessment'] }),
        consent({ id: OTHER_CONSENT_ID }),
      ],
    },
    expect: 'CONSENT_SCOPE_EXCEEDED',
    detail: /^category children$/,
  },
  // A protocol that requires a risk assessment at "aggravated" or above for apprehended danger.
  { name: 'assessment required: none given', header: dangerAlert, facts: assessed, expect: 'ASSESSMENT_REQUIRED', detail: /grille-commune/ },
  {
    name: 'assessment required: of another instrument',
    header: { ...dangerAlert, assessment: { instrument: 'lap-lethality-screen', version: 1, level: 'high_danger' } },
    facts: assessed,
    expect: 'ASSESSMENT_REQUIRED',
  },
  {
    name: 'assessment required: a version or level the hub does not know',
    header: { ...dangerAlert, assessment: { instrument: 'grille-commune', version: 9, level: 'imminent' } },
    facts: assessed,
    expect: 'ASSESSMENT_REQUIRED',
    detail: /unknown version or level/,
  },
  {
    name: 'assessment below the required level',
    header: { ...dangerAlert, assessment: { instrument: 'grille-commune', version: 1, level: 'moderate' } },
    facts: assessed,
    expect: 'ASSESSMENT_LEVEL_TOO_LOW',
    detail: /moderate is below aggravated/,
  },
  {
    name: 'assessment at the required level',
    header: { ...dangerAlert, assessment: { instrument: 'grille-commune', version: 1, level: 'aggravated' } },
    facts: assessed,
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'assessment above the required level',
    header: { ...dangerAlert, assessment: { instrument: 'grille-commune', version: 1, level: 'imminent' } },
    facts: assessed,
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
  {
    name: 'assessment required only under apprehended danger: consent needs none',
    header: { ...dangerAlert, legalBasis: byConsent(), dataCategories: ['identity', 'threat'] },
    facts: assessed,
    expect: { 'police-laval/dispatch': 'alerte-maison-police' },
  },
];

t.test('the table produces every refusal code', async (t) => {
  const covered = new Set(cases.map((c) => c.expect).filter((e): e is RefusalCode => typeof e === 'string'));
  t.same(
    REFUSAL_CODES.filter((code) => !covered.has(code)),
    [],
    'refusal codes without a case',
  );
  t.same(
    [...covered].filter((code) => !(REFUSAL_CODES as readonly string[]).includes(code)),
    [],
    'no case expects an unknown code',
  );
  t.ok(cases.some((c) => typeof c.expect !== 'string' && c.header?.legalBasis?.code === 'legal_obligation'), 'an allowed legal obligation');
  t.ok(cases.some((c) => typeof c.expect !== 'string' && c.header?.legalBasis?.code === 'apprehended_danger'), 'an allowed apprehended danger');
  t.ok(cases.some((c) => typeof c.expect !== 'string' && (c.header?.legalBasis ?? byConsent()).code === 'consent'), 'an allowed consent');
});

for (const c of cases) {
  t.test(c.name, async (t) => {
    const decision = decideDisclosure(facts(c));
    if (typeof c.expect === 'string') {
      t.same({ allowed: decision.allowed, code: decision.allowed ? undefined : decision.code }, { allowed: false, code: c.expect });
      if (c.detail) t.match(decision.allowed ? undefined : decision.detail, c.detail, 'detail');
      return;
    }
    if (!decision.allowed) {
      t.fail(`refused: ${decision.code} ${decision.detail ?? ''}`);
      return;
    }
    t.same(Object.keys(decision.flows).sort(), Object.keys(c.expect).sort(), 'one flow per recipient inbox');
    // The very flow object of the protocol decided on.
    const { flows } = facts(c).protocol!;
    for (const [inbox, id] of Object.entries(c.expect)) {
      t.equal(decision.flows[inbox], flows.find((f) => f.id === id), `${inbox} by ${id}`);
    }
    if (facts(c).header.legalBasis?.code === 'consent') t.equal(decision.consent, c.consent ?? CONSENT_ID, 'the covering consent');
    else t.equal(decision.consent, undefined, 'no consent named without the consent basis');
  });
}

t.test('the decision is pure: same facts, same answer, facts untouched', async (t) => {
  const input = facts({ name: 'danger', header: dangerAlert, facts: { recipients: [lavalDispatch, longueuilDispatch] }, expect: {} });
  const before = JSON.stringify(input);
  const first = decideDisclosure(input);
  t.same(decideDisclosure(input), first);
  t.equal(JSON.stringify(input), before);
});

t.test('the flows map gives each recipient its own flow and its acknowledgement', async (t) => {
  const decision = decideDisclosure(facts({ name: 'alert', header: dangerAlert, expect: {} }));
  t.ok(decision.allowed);
  if (!decision.allowed) return;
  t.same(decision.flows['police-laval/dispatch']?.acknowledgement?.messageTypes, ['danger_alert']);
  t.equal(decision.flows['police-laval/dispatch']?.acknowledgement?.deadlineSeconds, 300);
  t.notOk('code' in decision, 'an allowed decision carries no code');
});

t.test('decideConsent on its own', async (t) => {
  const categories = ['identity', 'threat'];
  const decide = (basis: LegalBasis, consents: ConsentFacts[], cats = categories, agencies = ['police-laval']) =>
    decideConsent(basis, cats, agencies, consents, now);
  const refused = (code: RefusalCode, detail?: string, facts?: RefusalFacts) => ({ refusal: { allowed: false, code, ...(detail ? { detail } : {}), ...(facts ? { facts } : {}) } });
  t.same(decide(byConsent(), [consent()]), { consent: consent() }, 'covered');
  t.same(decide(byConsent(), [consent()], [], []), { consent: consent() }, 'nothing to cover but the case and purpose');
  t.same(decide(byConsent(), [consent({ validUntil: now })]), refused('CONSENT_EXPIRED'), 'ends now');
  t.same(decide(byConsent(), [consent({ validUntil: later(1) })]), { consent: consent({ validUntil: later(1) }) }, 'ends a second from now');
  t.same(decide(byConsent(), [consent({ validFrom: later(1) })]), refused('CONSENT_MISSING', 'not yet valid', { notYetValid: true }));
  t.same(decide(byConsent(), [consent({ revokedAt: ago(1) })]), refused('CONSENT_REVOKED'));
  t.same(decide(byConsent({ case: undefined }), [consent()]), refused('CONSENT_MISSING', 'no case reference', { missing: 'case' }));
  t.same(
    decide(byConsent(), [consent()], ['identity', 'health'], ['police-laval', 'dpcp-laval']),
    refused('CONSENT_SCOPE_EXCEEDED', 'recipient dpcp-laval, category health', { uncovered: { recipients: ['dpcp-laval'], categories: ['health'] } }),
  );
  t.same(decide(byConsent({ purpose: undefined }), [consent()]), refused('CONSENT_SCOPE_EXCEEDED', 'purpose -', { uncovered: { recipients: [], purpose: '', categories: [] } }));
  t.same(decide(byConsent({ consent: OTHER_CONSENT_ID }), [consent()]), refused('CONSENT_MISSING'), 'named consent absent');
  const chosen = decide(byConsent({ consent: OTHER_CONSENT_ID }), [consent(), consent({ id: OTHER_CONSENT_ID })]);
  t.equal('consent' in chosen ? chosen.consent.id : null, OTHER_CONSENT_ID, 'chosen by id');
});
