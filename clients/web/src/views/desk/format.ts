/** Times and the little words of the desk, the same way on every view. */
import { useEffect, useRef } from 'preact/hooks';
import type { Lang } from '../../lib/lang.js';

const formats = new Map<Lang, Intl.DateTimeFormat>();

/** A local date and time, to the second: « 29 nov. 2026, 02 h 14 min 07 s » / "Nov. 29, 2026, 2:14:07 a.m.". */
export function formatTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  let f = formats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-CA' : 'en-CA', { dateStyle: 'medium', timeStyle: 'medium' });
    formats.set(lang, f);
  }
  return f.format(d);
}

/** A label inside a sentence: its first letter in lower case. */
export const inSentence = (lang: Lang, text: string) => text.charAt(0).toLocaleLowerCase(lang) + text.slice(1);

/** A heading that takes the focus when its view opens: a keyboard or screen-reader user starts there, not at the top of the page. */
export function useFocusOnOpen<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const done = useRef(false);
  // Once, as soon as the heading is there (a view may first say it is still reading).
  useEffect(() => {
    if (done.current || !ref.current) return;
    done.current = true;
    ref.current.focus();
  });
  return ref;
}
