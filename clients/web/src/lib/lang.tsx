/**
 * The person's language: French by default, English on request (?lang=en,
 * the switch in the header), remembered on this device. Every word shown
 * comes from words/ (the console's own) or protocol/vocabulary.ts (the
 * partners' shared vocabulary), never a raw code.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { WORDS, type WordKey } from '../words/index.js';

export type Lang = 'fr' | 'en';

const STORAGE = 'vigie.lang';

function initialLang(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'fr' || asked === 'en') return asked;
  const saved = localStorage.getItem(STORAGE);
  return saved === 'en' ? 'en' : 'fr';
}

export type Params = Record<string, string | number>;

/** A word in a language, with its {placeholders} filled. */
export function translate(lang: Lang, key: WordKey, params: Params = {}): string {
  return WORDS[key][lang].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: WordKey, params?: Params): string;
}

const LangContext = createContext<LangState>({ lang: 'fr', setLang: () => {}, t: (k, p) => translate('fr', k, p) });

export function LangProvider({ children }: { children: ComponentChildren }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(STORAGE, lang);
  }, [lang]);
  const value: LangState = { lang, setLang: setLangState, t: (key, params) => translate(lang, key, params) };
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export const useLang = () => useContext(LangContext);
