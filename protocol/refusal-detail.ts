/**
 * What a refusal of a message is about, in a person's words: the facts of
 * the disclosure decision (disclosure.ts `RefusalFacts`) said with the shared
 * vocabulary — the category, the purpose, the recipient, the conditions, the
 * protocol's status — never with their codes. The hub answers a refusal's
 * `details` with it in the caller's language; a client that decided the
 * refusal itself, before sending, can say it the same way.
 *
 * @example
 * refusalDetail('CATEGORY_NOT_ALLOWED', { flowTitles, categories: ['firearms'], beyondMinimum: true }, 'fr')
 * // 'Pour « Alerte de la maison à la police », sans consentement, au-delà du minimum permis : Accès à des armes.'
 */
import type { RefusalCode, RefusalFacts } from './disclosure.js';
import {
  DANGER_CONDITIONS,
  DATA_CATEGORIES,
  LEGAL_BASIS_LABELS,
  MESSAGE_TYPE_LABELS,
  PROTOCOL_STATUS_LABELS,
  PURPOSES,
  URGENCY_LABELS,
  labelOf,
} from './vocabulary.js';

type Lang = 'fr' | 'en';

/** Names the vocabulary does not hold: a risk instrument's title and levels (config/instruments), when the caller knows them. */
export interface RefusalNames {
  instrument?(id: string, lang: Lang): string | null;
  level?(instrument: string, version: number | undefined, level: string, lang: Lang): string | null;
}

const say = (lang: Lang, fr: string, en: string) => (lang === 'fr' ? fr : en);
const list = (table: Parameters<typeof labelOf>[0], codes: readonly string[], lang: Lang) => codes.map((c) => labelOf(table, c, lang)).join(', ');

/**
 * The refusal's facts as one or two sentences in `lang`, or null when the
 * decision gave no facts (the refusal's own words then say it all).
 */
export function refusalDetail(code: RefusalCode, facts: RefusalFacts | undefined, lang: Lang, names: RefusalNames = {}): string | null {
  if (!facts) return null;
  const flow = facts.flowTitles ? say(lang, `Pour « ${facts.flowTitles.fr} »`, `For "${facts.flowTitles.en}"`) : null;
  const inFlow = (fr: string, en: string) => (flow ? `${flow}${say(lang, ' : ', ': ')}${say(lang, fr, en)}` : capitalised(say(lang, fr, en)));
  const instrument = (id: string) => names.instrument?.(id, lang) ?? id;
  const level = (id: string) => names.level?.(facts.instrument ?? '', facts.version, id, lang) ?? id;

  switch (code) {
    case 'PROTOCOL_NOT_ACTIVE':
    case 'PROTOCOL_SUPERSEDED':
    case 'PROTOCOL_RETIRED':
      if (!facts.protocol) return null;
      return facts.status
        ? `${say(lang, 'Version', 'Version')} ${facts.protocol}${say(lang, ' : ', ': ')}${labelOf(PROTOCOL_STATUS_LABELS, facts.status, lang)}.`
        : say(lang, `Version ${facts.protocol} : inconnue du carrefour, ou pas celle qui est en vigueur.`, `Version ${facts.protocol}: unknown to the hub, or not the one in force.`);
    case 'URGENCY_TOO_LOW':
      if (!facts.type || !facts.minimum) return null;
      return say(
        lang,
        `${labelOf(MESSAGE_TYPE_LABELS, facts.type, lang)} : urgence ${labelOf(URGENCY_LABELS, facts.minimum, lang)} au moins.`,
        `${labelOf(MESSAGE_TYPE_LABELS, facts.type, lang)}: at least ${labelOf(URGENCY_LABELS, facts.minimum, lang)} urgency.`,
      );
    case 'FLOW_NOT_ALLOWED':
      if (facts.agency) return say(lang, `${facts.agency} n’est pas partie à ce protocole.`, `${facts.agency} is not a party to this protocol.`);
      if (facts.from && facts.to && facts.type) {
        const type = labelOf(MESSAGE_TYPE_LABELS, facts.type, lang);
        return say(lang, `Aucune communication prévue de ${facts.from} à ${facts.to} pour : ${type}.`, `No communication provided from ${facts.from} to ${facts.to} for: ${type}.`);
      }
      return null;
    case 'LEGAL_BASIS_NOT_ALLOWED':
      if (!facts.basis) return null;
      return inFlow(`fondement non prévu : ${labelOf(LEGAL_BASIS_LABELS, facts.basis, lang)}.`, `basis not provided for: ${labelOf(LEGAL_BASIS_LABELS, facts.basis, lang)}.`);
    case 'CATEGORY_NOT_ALLOWED':
      if (!facts.categories?.length) return null;
      return facts.beyondMinimum
        ? inFlow(`sans consentement, au-delà du minimum permis : ${list(DATA_CATEGORIES, facts.categories, lang)}.`, `without consent, beyond the minimum allowed: ${list(DATA_CATEGORIES, facts.categories, lang)}.`)
        : inFlow(`catégories non permises : ${list(DATA_CATEGORIES, facts.categories, lang)}.`, `categories not allowed: ${list(DATA_CATEGORIES, facts.categories, lang)}.`);
    case 'RECIPIENT_NOT_ALLOWED':
      if (!facts.recipient) return null;
      return inFlow(`sans consentement, ${facts.recipient} n’est pas désigné pour porter secours.`, `without consent, ${facts.recipient} is not listed as able to help.`);
    case 'PURPOSE_NOT_ALLOWED':
      return facts.purpose
        ? inFlow(`finalité non prévue : ${labelOf(PURPOSES, facts.purpose, lang)}.`, `purpose not provided for: ${labelOf(PURPOSES, facts.purpose, lang)}.`)
        : inFlow('aucune finalité indiquée.', 'no purpose given.');
    case 'LEGAL_REFERENCE_NOT_ALLOWED':
      return facts.reference === 'missing'
        ? inFlow('aucune référence légale indiquée.', 'no legal reference given.')
        : inFlow('la référence donnée n’est pas une de celles que le protocole prévoit.', 'the reference given is not one the protocol lists.');
    case 'ASSESSMENT_REQUIRED':
      if (!facts.instrument) return null;
      if (facts.version === undefined) {
        return inFlow(`une évaluation du risque remplie avec « ${instrument(facts.instrument)} » est exigée.`, `a risk assessment filled with "${instrument(facts.instrument)}" is required.`);
      }
      return inFlow(
        `l’évaluation jointe (« ${instrument(facts.instrument)} », version ${facts.version}) n’est pas une version, ou n’a pas un niveau, que le carrefour connaît.`,
        `the attached assessment ("${instrument(facts.instrument)}", version ${facts.version}) is not a version, or has no level, the hub knows.`,
      );
    case 'ASSESSMENT_LEVEL_TOO_LOW':
      if (!facts.level || !facts.required) return null;
      return inFlow(`niveau évalué « ${level(facts.level)} », niveau exigé « ${level(facts.required)} ».`, `assessed level "${level(facts.level)}", required level "${level(facts.required)}".`);
    case 'ATTESTATION_MISSING':
      if (facts.conditions?.length) return say(lang, `Conditions non attestées : ${list(DANGER_CONDITIONS, facts.conditions, lang)}.`, `Conditions not attested: ${list(DANGER_CONDITIONS, facts.conditions, lang)}.`);
      switch (facts.missing) {
        case 'reason':
          return say(lang, 'Motif absent, ou qui n’est pas un des motifs convenus.', 'No reason, or not one of the agreed reasons.');
        case 'directive':
          return say(lang, 'Référence de la directive interne absente.', 'No internal directive reference.');
        case 'directive-code':
          return say(lang, 'La référence de la directive interne doit être un code (ex. DIR-2026-04), jamais du texte libre.', 'The internal directive reference must be a code (e.g. DIR-2026-04), never free text.');
        default:
          return null;
      }
    case 'CONSENT_MISSING':
      if (facts.missing === 'case') return say(lang, 'Aucune référence de dossier indiquée.', 'No case reference given.');
      if (facts.notYetValid) return say(lang, 'Le consentement de ce dossier n’est pas encore en vigueur.', 'The consent for this case is not in force yet.');
      return null;
    case 'CONSENT_SCOPE_EXCEEDED': {
      const u = facts.uncovered;
      if (!u) return null;
      const gaps = [
        ...(u.recipients.length ? [say(lang, `organismes ${u.recipients.join(', ')}`, `agencies ${u.recipients.join(', ')}`)] : []),
        ...(u.purpose !== undefined ? [u.purpose ? say(lang, `finalité « ${labelOf(PURPOSES, u.purpose, lang)} »`, `purpose "${labelOf(PURPOSES, u.purpose, lang)}"`) : say(lang, 'aucune finalité indiquée', 'no purpose given')] : []),
        ...(u.categories.length ? [say(lang, `catégories ${list(DATA_CATEGORIES, u.categories, lang)}`, `categories ${list(DATA_CATEGORIES, u.categories, lang)}`)] : []),
      ];
      return gaps.length ? say(lang, `Le consentement ne couvre pas : ${gaps.join('; ')}.`, `The consent does not cover: ${gaps.join('; ')}.`) : null;
    }
    default:
      return null;
  }
}

const capitalised = (s: string) => s.charAt(0).toLocaleUpperCase() + s.slice(1);
