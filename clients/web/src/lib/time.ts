/** Dates and times in the person's language and local time zone, the same way on every view; '—' for none. */
import type { Lang } from './lang.js';

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-CA' : 'en-CA');
const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, timeStyle: 'short' | 'medium', iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const key = `${lang}|${timeStyle}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle })));
  return f.format(d);
}

/** A local date and time, to the second: « 29 nov. 2026, 02 h 14 min 07 s » / "Nov. 29, 2026, 2:14:07 a.m.". */
export const formatTime = (lang: Lang, iso: string | null | undefined) => format(lang, 'medium', iso);

/** A local date and time, to the minute (an expiry, a protocol's start). */
export const formatDate = (lang: Lang, iso: string | null | undefined) => format(lang, 'short', iso);

/** The day and the time to the second, apart (a narrow column reads them on two lines). */
export function dayAndTime(lang: Lang, iso: string): [string, string] {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return ['—', ''];
  return [d.toLocaleDateString(locale(lang), { dateStyle: 'medium' }), d.toLocaleTimeString(locale(lang), { timeStyle: 'medium' })];
}
