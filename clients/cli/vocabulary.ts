/**
 * The partners' shared vocabulary (protocol/vocabulary.ts) as the CLI lays
 * it out. A person reads words, never a bare code; where she must type a code
 * (an option's value), the code follows its words in parentheses:
 * `Alerte de danger (danger_alert)`. The i18n table names a whole list with a
 * placeholder — `{types}`, `{reasons}`, `{categories}`… — which `t()` fills in
 * the sentence's language, so that no sentence repeats a list of codes.
 */
import {
  AGENCY_KIND_LABELS,
  CONSENT_STATE_LABELS,
  DANGER_CONDITIONS,
  DANGER_REASONS,
  DATA_CATEGORIES,
  LEGAL_BASIS_LABELS,
  MESSAGE_TYPE_LABELS,
  PURPOSES,
  ROLE_LABELS,
  URGENCY_LABELS,
  type DangerCondition,
  type Labels,
} from '../../protocol/vocabulary.js';

/** The four conditions of apprehended danger, as typed after --attest and as signed in the header. */
export const ATTESTATION_WORDS = {
  'reasonable-cause': 'reasonableCause',
  'serious-risk': 'seriousRisk',
  'identifiable-person': 'identifiablePerson',
  urgency: 'urgency',
} as const satisfies Record<string, DangerCondition>;

const ATTESTATIONS: Readonly<Record<string, Labels>> = Object.fromEntries(Object.entries(ATTESTATION_WORDS).map(([w, c]) => [w, DANGER_CONDITIONS[c]]));

/** Each list placeholder of the i18n table, and the vocabulary list it stands for. */
export const VOCABULARY_LISTS = {
  types: MESSAGE_TYPE_LABELS,
  urgencies: URGENCY_LABELS,
  bases: LEGAL_BASIS_LABELS,
  reasons: DANGER_REASONS,
  attestations: ATTESTATIONS,
  purposes: PURPOSES,
  categories: DATA_CATEGORIES,
  roles: ROLE_LABELS,
  kinds: AGENCY_KIND_LABELS,
  consentStates: CONSENT_STATE_LABELS,
} as const satisfies Record<string, Readonly<Record<string, Labels>>>;
export type VocabularyList = keyof typeof VOCABULARY_LISTS;

/**
 * A word with the code a person types for it: `Menaces de mort (death_threat)`;
 * the word alone when it is the code itself (`urgent`, `Note`).
 */
export const withCode = (label: string, code: string) => (label.toLowerCase() === code.toLowerCase() ? label : `${label} (${code})`);

/** Codes of a list with their words, for a person to choose: `Menaces de mort (death_threat), Arme ou menace avec une arme (weapon), …`. */
export function choices(lang: 'fr' | 'en', table: Readonly<Record<string, Labels>>, codes: readonly string[] = Object.keys(table)): string {
  return codes.map((c) => withCode(Object.hasOwn(table, c) ? table[c]![lang] : c, c)).join(', ');
}

/** The text of a list placeholder in a language, or null when the name is not one. */
export function vocabularyList(name: string, lang: 'fr' | 'en'): string | null {
  return Object.hasOwn(VOCABULARY_LISTS, name) ? choices(lang, VOCABULARY_LISTS[name as VocabularyList]) : null;
}
