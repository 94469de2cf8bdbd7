// A refusal's facts in a person's words (protocol/refusal-detail.ts): every
// refusal the disclosure decision explains with facts is said in French and
// in English with the shared vocabulary's words, never with a raw code; the
// technical `detail` the record keeps is unchanged.
import t from 'tap';
import { decideConsent, REFUSAL_CODES, type RefusalCode, type RefusalFacts } from '../../../protocol/disclosure.js';
import { refusalDetail } from '../../../protocol/refusal-detail.js';
import { rawCodes } from '../../helpers/raw-codes.js';

const flowTitles = { fr: 'Alerte de la maison à la police', en: 'Shelter alert to police' };

const CASES: [RefusalCode, RefusalFacts, string, string][] = [
  ['PROTOCOL_NOT_ACTIVE', { protocol: 'shelter-police@2' }, 'Version shelter-police@2 : inconnue du carrefour', 'Version shelter-police@2: unknown to the hub'],
  ['PROTOCOL_NOT_ACTIVE', { protocol: 'shelter-police@1', status: 'pending_signatures' }, 'Version shelter-police@1 : en attente de signatures.', 'Version shelter-police@1: pending signatures.'],
  ['PROTOCOL_SUPERSEDED', { protocol: 'shelter-police@1', status: 'superseded' }, 'Version shelter-police@1 : remplacée.', 'superseded'],
  ['PROTOCOL_RETIRED', { protocol: 'shelter-police@1', status: 'retired' }, 'retirée', 'retired'],
  ['URGENCY_TOO_LOW', { type: 'danger_alert', minimum: 'immediate' }, 'Alerte de danger : urgence immédiate au moins.', 'Danger alert: at least immediate urgency.'],
  ['FLOW_NOT_ALLOWED', { agency: 'spvm' }, 'spvm n’est pas partie à ce protocole.', 'spvm is not a party'],
  ['FLOW_NOT_ALLOWED', { from: 'maison-laval/intake', to: 'police-laval/dispatch', type: 'release_conditions' }, 'pour : Conditions de remise en liberté.', 'for: Release conditions.'],
  ['LEGAL_BASIS_NOT_ALLOWED', { flow: 'alerte', flowTitles, basis: 'legal_obligation' }, 'Pour « Alerte de la maison à la police » : fondement non prévu : Obligation légale.', 'For "Shelter alert to police": basis not provided for: Legal obligation.'],
  ['CATEGORY_NOT_ALLOWED', { flow: 'alerte', flowTitles, categories: ['health', 'firearms'] }, 'catégories non permises : Santé physique ou mentale, Accès à des armes.', 'categories not allowed: Physical or mental health, Access to weapons.'],
  ['CATEGORY_NOT_ALLOWED', { flow: 'alerte', flowTitles, categories: ['children'], beyondMinimum: true }, 'sans consentement, au-delà du minimum permis : Enfants concernés.', 'beyond the minimum allowed: Children involved.'],
  ['RECIPIENT_NOT_ALLOWED', { flow: 'alerte', flowTitles, recipient: 'dpcp-laval/bureau' }, 'dpcp-laval/bureau n’est pas désigné pour porter secours', 'not listed as able to help'],
  ['PURPOSE_NOT_ALLOWED', { flow: 'alerte', flowTitles, purpose: 'court_proceedings' }, 'finalité non prévue : Procédures judiciaires.', 'purpose not provided for: Court proceedings.'],
  ['PURPOSE_NOT_ALLOWED', { flow: 'alerte', flowTitles }, 'aucune finalité indiquée.', 'no purpose given.'],
  ['LEGAL_REFERENCE_NOT_ALLOWED', { flow: 'alerte', flowTitles, reference: 'missing' }, 'aucune référence légale indiquée.', 'no legal reference given.'],
  ['LEGAL_REFERENCE_NOT_ALLOWED', { flow: 'alerte', flowTitles, reference: 'unlisted' }, 'pas une de celles que le protocole prévoit', 'not one the protocol lists'],
  ['ASSESSMENT_REQUIRED', { flow: 'alerte', flowTitles, instrument: 'grille-commune', required: 'aggravated' }, 'une évaluation du risque remplie avec « Grille commune » est exigée.', 'a risk assessment filled with "Common grid" is required.'],
  ['ASSESSMENT_REQUIRED', { flow: 'alerte', flowTitles, instrument: 'grille-commune', version: 9, level: 'x', required: 'aggravated' }, '(« Grille commune », version 9)', '("Common grid", version 9)'],
  ['ASSESSMENT_LEVEL_TOO_LOW', { flow: 'alerte', flowTitles, instrument: 'grille-commune', version: 1, level: 'moderate', required: 'aggravated' }, 'niveau évalué « Modéré », niveau exigé « Aggravé ».', 'assessed level "Moderate", required level "Aggravated".'],
  ['ATTESTATION_MISSING', { conditions: ['seriousRisk', 'urgency'] }, 'Conditions non attestées : Risque sérieux de mort ou de blessures graves, Sentiment d’urgence.', 'Conditions not attested: Serious risk of death or serious bodily injury, Sense of urgency.'],
  ['ATTESTATION_MISSING', { missing: 'reason' }, 'Motif absent', 'No reason'],
  ['ATTESTATION_MISSING', { missing: 'directive' }, 'directive interne absente', 'No internal directive'],
  ['ATTESTATION_MISSING', { missing: 'directive-code' }, 'doit être un code', 'must be a code'],
  ['CONSENT_MISSING', { missing: 'case' }, 'Aucune référence de dossier indiquée.', 'No case reference given.'],
  ['CONSENT_MISSING', { notYetValid: true }, 'pas encore en vigueur', 'not in force yet'],
  ['CONSENT_SCOPE_EXCEEDED', { uncovered: { recipients: ['dpcp-laval'], purpose: 'court_proceedings', categories: ['health'] } }, 'Le consentement ne couvre pas : organismes dpcp-laval; finalité « Procédures judiciaires »; catégories Santé physique ou mentale.', 'The consent does not cover: agencies dpcp-laval; purpose "Court proceedings"; categories Physical or mental health.'],
];

const names = {
  instrument: (id: string, lang: 'fr' | 'en') => (id === 'grille-commune' ? { fr: 'Grille commune', en: 'Common grid' }[lang] : null),
  level: (_i: string, _v: number | undefined, level: string, lang: 'fr' | 'en') =>
    ({ moderate: { fr: 'Modéré', en: 'Moderate' }, aggravated: { fr: 'Aggravé', en: 'Aggravated' } } as Record<string, { fr: string; en: string }>)[level]?.[lang] ?? null,
};

t.test('each refusal with facts, in words, in both languages', async (t) => {
  for (const [code, facts, fr, en] of CASES) {
    const inFr = refusalDetail(code, facts, 'fr', names);
    const inEn = refusalDetail(code, facts, 'en', names);
    t.match(inFr, fr, `${code} in French`);
    t.match(inEn, en, `${code} in English`);
    t.same(rawCodes(inFr ?? '', 'fr'), [], `${code}: no raw code in French`);
    t.same(rawCodes(inEn ?? '', 'en'), [], `${code}: no raw code in English`);
  }
  const explained = new Set(CASES.map(([code]) => code));
  const saidByTheirWords = REFUSAL_CODES.filter((c) => !explained.has(c));
  t.same(saidByTheirWords.sort(), ['CONSENT_EXPIRED', 'CONSENT_REVOKED', 'LEGAL_BASIS_REQUIRED', 'PROTOCOL_REQUIRED'], 'the others need no facts: their words say it all');
});

t.test('no facts, no detail; an instrument without names is shown by its id', async (t) => {
  t.equal(refusalDetail('CONSENT_REVOKED', undefined, 'fr'), null);
  t.equal(refusalDetail('CATEGORY_NOT_ALLOWED', {}, 'fr'), null, 'facts that name nothing say nothing');
  t.match(refusalDetail('ASSESSMENT_REQUIRED', { instrument: 'grille-commune' }, 'fr'), 'Une évaluation du risque remplie avec « grille-commune » est exigée.');
});

t.test('the decision gives the facts beside its technical detail', async (t) => {
  const now = new Date('2026-03-14T02:08:00.000Z');
  const consent = { id: 'c', caseRef: 'D-1', recipients: ['police-laval'], purposes: ['victim_safety'], dataCategories: ['identity'], validFrom: now, validUntil: null, revokedAt: null };
  const decision = decideConsent({ code: 'consent', case: 'D-1', purpose: 'victim_safety' }, ['identity', 'firearms'], ['police-laval'], [consent], now);
  t.ok('refusal' in decision);
  if (!('refusal' in decision) || decision.refusal.allowed) return;
  t.equal(decision.refusal.detail, 'category firearms', 'the record keeps its technical line');
  t.equal(refusalDetail(decision.refusal.code, decision.refusal.facts, 'fr'), 'Le consentement ne couvre pas : catégories Accès à des armes.');
});
