/**
 * The desk's watch, for every view of a receiving device: it starts the
 * board as soon as the session is open, rings, notifies and marks the tab's
 * title while a danger alert waits for a person, and — outside the desk —
 * shows a banner that leads to it. The alarm stops when a person opens or
 * acknowledges the alert (or another device of the agency acknowledged it).
 */
import { useEffect, useState } from 'preact/hooks';
import { translate, useLang, type Lang } from '../../lib/lang.js';
import { go, href } from '../../lib/router.js';
import type { MemberSession } from '../../lib/session.js';
import { typeLabel } from '../../lib/vocabulary.js';
import { alarmSound, notify } from './alarm.js';
import { agencyNames } from './names.js';
import { deskStore, isAlarming, type DeskStore, type Entry } from './store.js';
import './desk.css';

/** The board's entries, re-rendered as they change. */
export function useDeskEntries(store: DeskStore): Entry[] {
  const [entries, setEntries] = useState(store.entries());
  useEffect(() => {
    setEntries(store.entries());
    return store.subscribe(() => setEntries(store.entries()));
  }, [store]);
  return entries;
}

const driven = new WeakSet<DeskStore>();
let currentLang: Lang = 'fr';
const baseTitle = typeof document !== 'undefined' ? document.title : 'Vigie';

/** Where an entry opens. */
export const entryPath = (e: Entry) => (e.kind === 'escalation' ? `desk/escalation/${e.id}/${encodeURIComponent(e.recipient)}` : e.kind === 'alert' ? `desk/alert/${e.id}/${encodeURIComponent(e.inbox)}` : `desk/alert/${e.id ?? ''}`);

/** Sound, title and notifications follow the board (once per board, whatever renders). */
function drive(store: DeskStore): void {
  if (driven.has(store)) return;
  driven.add(store);
  const notified = new Set<string>();
  const follow = () => {
    const alarming = store.alarming();
    if (alarming.length > 0) void alarmSound.start();
    else alarmSound.stop();
    document.title = alarming.length > 0 ? translate(currentLang, 'desk.tabTitle', { count: alarming.length, app: baseTitle }) : baseTitle;
    const keys = new Set(alarming.map((e) => e.key));
    for (const key of [...notified]) if (!keys.has(key)) notified.delete(key);
    for (const e of alarming) {
      if (notified.has(e.key) || e.kind === 'invalid') continue;
      notified.add(e.key);
      const type = typeLabel(currentLang, e.kind === 'alert' ? e.header.type : e.type);
      const agency = e.kind === 'alert' ? e.header.sender.agency : (e.sender?.agency ?? null);
      const title = translate(currentLang, e.kind === 'alert' ? 'desk.notify.alert' : 'desk.notify.escalation', { type });
      // The sender by its verified name; its id only if the name cannot be verified.
      void (agency ? agencyNames(store.client, agency) : Promise.resolve(null)).then((names) => {
        const body = translate(currentLang, 'desk.notify.body', { agency: names?.[currentLang] ?? agency ?? '—' });
        notify(e.key, title, body, currentLang, () => go(entryPath(e)));
      });
    }
  };
  store.subscribe(follow);
  follow();
}

export function DeskWatch({ member, onDesk }: { member: MemberSession; onDesk: boolean }) {
  const { t, lang } = useLang();
  const store = deskStore(member);
  currentLang = lang;
  drive(store);
  const entries = useDeskEntries(store);
  const alarming = entries.filter(isAlarming);
  useEffect(() => {
    // The title follows the language too.
    if (alarming.length > 0) document.title = translate(lang, 'desk.tabTitle', { count: alarming.length, app: baseTitle });
  }, [lang, alarming.length]);
  if (onDesk || alarming.length === 0) return null;
  return (
    <p class="desk-banner" role="alert">
      <strong>
        <span aria-hidden="true">⚠ </span>
        {t('desk.banner', { count: alarming.length })}
      </strong>{' '}
      <a href={href('desk')}>{t('desk.banner.go')}</a>
    </p>
  );
}
