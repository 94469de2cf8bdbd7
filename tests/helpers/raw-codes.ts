/**
 * Finds the shared vocabulary's raw codes in text written for a person
 * (docs/vocabulary.md). A code may show in two places only: as the value of
 * an option on a command line (`--type danger_alert`), where a person types
 * it, and in parentheses right after its own words (`Alerte de danger
 * (danger_alert)`), where she reads which code to type. Anywhere else it is a
 * raw code. A code with `_` or a capital is never a word; a one-word code is
 * raw only where it is not a word of the language (`identity` in French), as
 * the words of that language's labels and the short lists below say.
 */
import * as vocabulary from '../../protocol/vocabulary.js';
import type { Labels } from '../../protocol/vocabulary.js';

type Lang = 'fr' | 'en';

const isLabels = (v: unknown): v is Labels => !!v && typeof v === 'object' && typeof (v as Labels).fr === 'string' && typeof (v as Labels).en === 'string';

/** Every list of the shared vocabulary (an exported table of {fr, en} labels), by its export name; error codes (UPPER_CASE) aside. */
export const VOCABULARY_LISTS: Readonly<Record<string, Readonly<Record<string, Labels>>>> = Object.fromEntries(
  Object.entries(vocabulary).filter(
    ([, v]) => !!v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.values(v).every(isLabels) && !Object.keys(v).every((k) => /^[A-Z_]+$/.test(k)),
  ) as [string, Readonly<Record<string, Labels>>][],
);

/** Every code with its labels (a code of several lists has several). */
const CODES = new Map<string, Labels[]>();
for (const table of Object.values(VOCABULARY_LISTS)) for (const [code, labels] of Object.entries(table)) CODES.set(code, [...(CODES.get(code) ?? []), labels]);

const words = (text: string) => text.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);

/**
 * One-word codes that are also ordinary words of the language, beyond those
 * its labels use: English codes are English words (a sentence says "the
 * sender", "revoked"); French shares a few (« une note », « active »).
 */
const ORDINARY_EXTRA: Record<Lang, readonly string[]> = {
  fr: ['active', 'contact', 'corrections', 'routine', 'urgent', 'police'],
  en: [...CODES.keys()].filter((c) => /^[a-z]+$/.test(c)),
};
/** Phrases where a code is a word of the language: « elle consent à ce que… ». */
const PHRASES: Record<Lang, RegExp> = { fr: /\bconsent à/g, en: /$^/g };
const ORDINARY: Record<Lang, Set<string>> = {
  fr: new Set([...Object.values(VOCABULARY_LISTS).flatMap((t) => Object.values(t).flatMap((l) => words(l.fr))), ...ORDINARY_EXTRA.fr]),
  en: new Set([...Object.values(VOCABULARY_LISTS).flatMap((t) => Object.values(t).flatMap((l) => words(l.en))), ...ORDINARY_EXTRA.en]),
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The text without what may show a code: commands and option values, and `(code)` after the code's own words. */
function withoutAllowed(text: string, lang: Lang): string {
  // --type danger_alert, --legal-basis=consent, --attest reasonable-cause,urgency, --party shelter=maison
  let out = text.replace(PHRASES[lang], '').replace(/(--[a-z][a-z-]*)[ =][A-Za-z0-9_,.=@/-]+/g, '$1');
  // A command to type: « vigie consent record »
  out = out.replace(/\bvigie( [a-z][a-z-]*)+/g, 'vigie');
  out = out.replace(/\(([A-Za-z][A-Za-z0-9_-]*)\)/g, (whole, code: string, at: number) => {
    const before = out.slice(0, at).trimEnd().toLowerCase();
    const labels = CODES.get(code) ?? [];
    return labels.some((l) => before.endsWith(l[lang].toLowerCase())) ? '' : whole;
  });
  return out;
}

/** The raw codes of the vocabulary in a text written in `lang`, each once. */
export function rawCodes(text: string, lang: Lang): string[] {
  const rest = withoutAllowed(text, lang);
  const found: string[] = [];
  for (const code of CODES.keys()) {
    if (/^[a-z]+$/.test(code) && ORDINARY[lang].has(code)) continue;
    if (new RegExp(`(?<![\\w/@.{-])${escape(code)}(?![\\w/@=-])`).test(rest)) found.push(code);
  }
  return found;
}
