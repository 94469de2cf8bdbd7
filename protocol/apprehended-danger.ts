/**
 * The four conditions of a disclosure under apprehended danger (s. 59.1 of
 * the Act respecting access to documents held by public bodies, s. 18.1 of
 * the private-sector Act, s. 60.4 of the Professional Code), in the plain
 * words a sender reads before attesting each one. Their names are
 * DANGER_CONDITIONS (protocol/vocabulary.ts); the header signs the four
 * attestations (DangerAttestationSchema).
 *
 * @example
 * DANGER_CONDITION_MEANINGS.urgency.en // 'The threat calls for action now: …'
 */
import type { DangerCondition, Labels } from './vocabulary.js';

export const DANGER_CONDITION_MEANINGS: Readonly<Record<DangerCondition, Labels>> = {
  reasonableCause: {
    fr: 'Vous avez des faits précis — ce que vous avez vu, entendu ou appris — qui vous font croire au danger, pas seulement une impression.',
    en: 'You have specific facts — what you saw, heard or learned — that make you believe in the danger, not just a feeling.',
  },
  seriousRisk: {
    fr: 'Le danger est que la personne soit tuée ou gravement blessée, physiquement ou psychologiquement.',
    en: 'The danger is that the person will be killed or seriously injured, physically or psychologically.',
  },
  identifiablePerson: {
    fr: 'Vous savez qui est menacé : une personne, ou un groupe de personnes, que l’on peut identifier.',
    en: 'You know who is threatened: a person, or a group of people, who can be identified.',
  },
  urgency: {
    fr: 'La menace exige d’agir maintenant : il n’y a pas le temps d’attendre un consentement.',
    en: 'The threat calls for action now: there is no time to wait for consent.',
  },
};
