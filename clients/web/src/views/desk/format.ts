/** The little words of the desk and where the focus goes, the same way on every view. */
import { useEffect, useRef } from 'preact/hooks';
import type { Lang } from '../../lib/lang.js';

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
