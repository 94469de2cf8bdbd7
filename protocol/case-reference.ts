/**
 * The pseudonymous case reference: what the agency serving the victim files a
 * case under, on the hub and in every message — never a name. The wire
 * pattern (CASE_REFERENCE_PATTERN) keeps out spaces, accents and `@`; this
 * conservative check, run by every client before a reference is first used,
 * also refuses what obviously identifies a person: an email, a phone number, a
 * social insurance number, a health insurance number, or letters without a
 * single digit (most likely a name).
 *
 * @example
 * caseReferenceProblem('DOSSIER-2026-014') // null
 * caseReferenceProblem('Marie-Tremblay')   // 'no_digit'
 * caseReferenceProblem('514-555-0199')     // 'phone'
 */
import { CASE_REFERENCE_PATTERN } from './schemas.js';
import type { Labels } from './vocabulary.js';

export type CaseReferenceProblem = 'format' | 'email' | 'phone' | 'insurance_number' | 'no_digit';

const PATTERN = new RegExp(CASE_REFERENCE_PATTERN);
/** Only digits and the separators people type in numbers. */
const NUMBER_ONLY = /^[0-9][0-9 ._-]*$/;
/** The Québec health insurance number: four letters (from the name), then eight digits (from the birth date). */
const HEALTH_INSURANCE = /^[A-Za-z]{4}[ ._-]?[0-9]{4}[ ._-]?[0-9]{4}$/;

/** The Luhn checksum that every social insurance number passes. */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * Why a reference cannot be used for a case, or null when it can. The
 * hub's pattern is checked too, so one call says everything.
 *
 * @example
 * caseReferenceProblem('marie@example.org') // 'email'
 * caseReferenceProblem('046 454 286')       // 'insurance_number'
 */
export function caseReferenceProblem(ref: string): CaseReferenceProblem | null {
  const value = ref;
  if (value.includes('@')) return 'email';
  if (HEALTH_INSURANCE.test(value)) return 'insurance_number';
  if (NUMBER_ONLY.test(value)) {
    const digits = value.replace(/[^0-9]/g, '');
    if (digits.length === 10 || (digits.length === 11 && digits.startsWith('1'))) return 'phone';
    if (digits.length === 9 && luhn(digits)) return 'insurance_number';
  }
  if (!PATTERN.test(value)) return 'format';
  if (!/[0-9]/.test(value)) return 'no_digit';
  return null;
}

/** What a pseudonymous case reference looks like, as every client explains it. */
export const CASE_REFERENCE_RULE: Labels = {
  fr: 'Une référence pseudonyme choisie par votre organisme : lettres sans accent, chiffres, point, tiret ou trait de soulignement, sans espace, avec au moins un chiffre (p. ex. DOSSIER-2026-014). Jamais un nom, un courriel, un numéro de téléphone ou d’assurance.',
  en: 'A pseudonymous reference your agency chooses: unaccented letters, digits, dot, hyphen or underscore, no spaces, at least one digit (e.g. CASE-2026-014). Never a name, an email, a phone or insurance number.',
};

/** Each problem, and what to do. */
export const CASE_REFERENCE_PROBLEMS: Readonly<Record<CaseReferenceProblem, Labels>> = {
  format: {
    fr: 'Seuls les lettres sans accent, les chiffres, le point, le tiret et le trait de soulignement sont permis, sans espace, en 64 caractères au plus, en commençant par une lettre ou un chiffre.',
    en: 'Only unaccented letters, digits, dot, hyphen and underscore are allowed, without spaces, at most 64 characters, starting with a letter or a digit.',
  },
  email: {
    fr: 'Cela ressemble à une adresse courriel : elle identifie la personne. Utilisez la référence pseudonyme du dossier.',
    en: 'This looks like an email address: it identifies the person. Use the case’s pseudonymous reference.',
  },
  phone: {
    fr: 'Cela ressemble à un numéro de téléphone : il identifie la personne. Utilisez la référence pseudonyme du dossier.',
    en: 'This looks like a phone number: it identifies the person. Use the case’s pseudonymous reference.',
  },
  insurance_number: {
    fr: 'Cela ressemble à un numéro d’assurance sociale ou d’assurance maladie : il identifie la personne. Utilisez la référence pseudonyme du dossier.',
    en: 'This looks like a social or health insurance number: it identifies the person. Use the case’s pseudonymous reference.',
  },
  no_digit: {
    fr: 'Une référence sans aucun chiffre peut être un nom. Utilisez la référence pseudonyme du dossier, qui contient au moins un chiffre (p. ex. DOSSIER-2026-014).',
    en: 'A reference without any digit may be a name. Use the case’s pseudonymous reference, which has at least one digit (e.g. CASE-2026-014).',
  },
};
