/**
 * The live board: every alert this device's inboxes received, the most
 * urgent first and, within an urgency, the newest first; escalations the hub
 * sent to this device's inboxes, set apart; what failed verification. Above
 * it, the alarm: whether it sounds, and the browser's notifications.
 */
import { useEffect, useState } from 'preact/hooks';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import type { MemberSession } from '../../lib/session.js';
import { typeLabel } from '../../lib/vocabulary.js';
import { alarmSound, askNotifications, notificationState, type NotificationState, type SoundState } from './alarm.js';
import { UrgencyBadge } from './badges.js';
import { formatTime } from '../../lib/time.js';
import { useInboxName, useInboxNames, useSenderNames } from './names.js';
import { deskStore, isAlarming, type AlertEntry, type Entry, type EscalationEntry, type InvalidEntry } from './store.js';
import { entryPath, useDeskEntries } from './watch.js';

export function Board({ member }: { member: MemberSession }) {
  const { t, lang } = useLang();
  const store = deskStore(member);
  const entries = useDeskEntries(store);
  const alarming = entries.filter(isAlarming);
  const inboxNames = useInboxNames(member.client, lang, member.inboxes);
  return (
    <section class="desk" data-testid="board" data-alarm={alarming.length > 0 ? 'on' : 'off'} data-ready={store.ready ? 'yes' : 'no'}>
      <hgroup>
        <h1>{t('desk.title')}</h1>
        <p>{t('desk.inboxes', { inboxes: Object.values(inboxNames).join(', ') || '—' })}</p>
      </hgroup>
      <AlarmPanel count={alarming.length} />
      {!store.ready ? (
        <p aria-busy="true" role="status">
          {t('desk.reading')}
        </p>
      ) : null}
      {store.ready && entries.length === 0 ? <p role="status">{t('desk.empty')}</p> : null}
      {entries.length > 0 ? (
        <>
          <h2 class="visually-hidden">{t('desk.listTitle')}</h2>
          <ul class="board" aria-live="polite">
            {entries.map((e) => (
              <Row key={e.key} member={member} entry={e} alarming={isAlarming(e)} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function AlarmPanel({ count }: { count: number }) {
  const { t } = useLang();
  const [sound, setSound] = useState<SoundState>(alarmSound.state);
  const [permission, setPermission] = useState<NotificationState>(notificationState());
  useEffect(() => alarmSound.onChange(setSound), []);
  return (
    <div class="alarm-panel">
      {count > 0 ? (
        <p class="alarm-banner" role="alert" data-testid="alarm-banner">
          <strong>
            <span aria-hidden="true">⚠ </span>
            {t('desk.alarm.on', { count })}
          </strong>
        </p>
      ) : null}
      <p class={`sound sound-${sound}`} data-testid="alarm-sound" data-state={sound}>
        <span aria-hidden="true">{sound === 'playing' ? '♪ ' : sound === 'blocked' ? '✖ ' : '○ '}</span>
        {t(sound === 'playing' ? 'desk.sound.playing' : sound === 'blocked' ? 'desk.sound.blocked' : 'desk.sound.off')}
        {sound === 'blocked' ? (
          <>
            {' '}
            <button type="button" data-testid="enable-sound" onClick={() => void alarmSound.unblock()}>
              {t('desk.sound.enable')}
            </button>
          </>
        ) : null}
      </p>
      <div class="notifications" data-testid="notifications" data-state={permission}>
        {permission === 'granted' ? <p>{t('desk.notifications.on')}</p> : null}
        {permission === 'denied' ? <p>{t('desk.notifications.denied')}</p> : null}
        {permission === 'unsupported' ? <p>{t('desk.notifications.unsupported')}</p> : null}
        {permission === 'default' ? (
          <>
            <p>{t('desk.notifications.why')}</p>
            <button type="button" class="secondary" data-testid="ask-notifications" onClick={() => void askNotifications().then(setPermission)}>
              {t('desk.notifications.ask')}
            </button>
          </>
        ) : null}
      </div>
    </div>
  );
}

function Row({ member, entry, alarming }: { member: MemberSession; entry: Entry; alarming: boolean }) {
  if (entry.kind === 'alert') return <AlertRow member={member} entry={entry} alarming={alarming} />;
  if (entry.kind === 'escalation') return <EscalationRow member={member} entry={entry} alarming={alarming} />;
  return <InvalidRow entry={entry} />;
}

function AlertRow({ member, entry, alarming }: { member: MemberSession; entry: AlertEntry; alarming: boolean }) {
  const { t, lang } = useLang();
  const h = entry.header;
  const names = useSenderNames(member.client, lang, h.sender);
  const to = useInboxName(member.client, lang, entry.inbox);
  const state = entry.ack.state;
  return (
    <li class={`entry urgency-${h.urgency}${alarming ? ' alarming' : ''}`} data-testid="alert-row" data-kind="alert" data-id={entry.id} data-ack={state} data-alarm={alarming ? 'on' : 'off'}>
      <UrgencyBadge urgency={h.urgency} />
      <h3>{typeLabel(lang, h.type)}</h3>
      <p>
        {t('desk.row.from', { agency: names.agency, inbox: names.inbox, device: entry.senderLabel })}
        <br />
        {t('desk.row.to', { inbox: to })} · <time dateTime={entry.acceptedAt}>{formatTime(lang, entry.acceptedAt)}</time>
      </p>
      <p class={`state ${state === 'acknowledged' ? 'ok' : state === 'waiting' && h.urgency === 'immediate' ? 'danger' : 'wait'}`} data-testid="row-ack">
        <span aria-hidden="true">{state === 'acknowledged' ? '✔' : state === 'waiting' ? '◷' : '…'}</span>{' '}
        {state === 'acknowledged' ? t('desk.row.acknowledged', { time: formatTime(lang, entry.ack.at) }) : state === 'waiting' ? t('desk.row.waiting') : t('desk.row.checking')}
        {entry.reminders > 0 && state !== 'acknowledged' ? ` — ${t('desk.row.reminded', { count: entry.reminders })}` : ''}
      </p>
      <a href={href(entryPath(entry))} role="button" class={alarming ? '' : 'secondary'} data-testid="open-alert">
        {t('desk.row.open', { type: typeLabel(lang, h.type) })}
      </a>
    </li>
  );
}

function EscalationRow({ member, entry, alarming }: { member: MemberSession; entry: EscalationEntry; alarming: boolean }) {
  const { t, lang } = useLang();
  const names = useSenderNames(member.client, lang, entry.sender);
  const awaited = useInboxName(member.client, lang, entry.recipient);
  const mine = useInboxName(member.client, lang, entry.inbox);
  const state = entry.progress?.state ?? 'waiting';
  const last = entry.steps.at(-1);
  return (
    <li class={`entry escalated urgency-${entry.urgency}${alarming ? ' alarming' : ''}`} data-testid="escalation-row" data-kind="escalation" data-id={entry.id} data-state={state} data-alarm={alarming ? 'on' : 'off'}>
      <p class="escalated-tag">
        <span aria-hidden="true">⤴ </span>
        {t('desk.escalated.tag', { inbox: mine })}
      </p>
      <UrgencyBadge urgency={entry.urgency} />
      <h3>{entry.type ? typeLabel(lang, entry.type) : t('desk.escalation.someMessage')}</h3>
      <p>
        {t('desk.row.fromInbox', { agency: names.agency, inbox: names.inbox })}
        <br />
        {t('desk.escalation.awaitedSince', { inbox: awaited, time: formatTime(lang, entry.acceptedAt) })}
        {last ? (
          <>
            <br />
            {t('desk.escalation.step', { step: last.step, time: formatTime(lang, last.at) })}
          </>
        ) : null}
      </p>
      <p class={`state ${state === 'acknowledged' ? 'ok' : 'danger'}`} data-testid="row-chain">
        <span aria-hidden="true">{state === 'acknowledged' ? '✔' : state === 'exhausted' ? '✖' : '◷'}</span>{' '}
        {state === 'acknowledged'
          ? t('desk.chain.acknowledged', { inbox: awaited, time: formatTime(lang, entry.progress?.acknowledgedAt) })
          : state === 'exhausted'
            ? t('desk.chain.exhausted', { inbox: awaited })
            : t('desk.chain.waiting', { inbox: awaited })}
      </p>
      <a href={href(entryPath(entry))} role="button" class={alarming ? '' : 'secondary'} data-testid="open-escalation">
        {t('desk.escalation.open')}
      </a>
    </li>
  );
}

function InvalidRow({ entry }: { entry: InvalidEntry }) {
  const { t, lang } = useLang();
  return (
    <li class="entry invalid" data-testid="invalid-row" data-kind="invalid" data-id={entry.id ?? ''}>
      <p class="state danger">
        <span aria-hidden="true">✖</span> {t('desk.invalid.title')}
      </p>
      <p>
        {t('desk.invalid.body')} <time dateTime={entry.arrivedAt}>{formatTime(lang, entry.arrivedAt)}</time>
      </p>
      {entry.id ? (
        <a href={href(entryPath(entry))} role="button" class="secondary" data-testid="open-invalid">
          {t('desk.invalid.open')}
        </a>
      ) : null}
    </li>
  );
}
