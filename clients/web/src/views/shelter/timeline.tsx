/**
 * After sending: a live timeline per message. The hub's record (the message's
 * status and its escalation chains) is read at once and again whenever the
 * member's stream brings a signed receipt or a notice about it — accepted,
 * received by which device, acknowledged by whom and when; or the deadline
 * passed, each escalation step and whom it notified, and, at the end of the
 * chain, the one thing left to do: call 911.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { EnvelopeHeader } from '../../../../../protocol/schemas.js';
import { DATA_CATEGORIES, LEGAL_BASIS_LABELS, URGENCY_LABELS, labelOf } from '../../../../../protocol/vocabulary.js';
import type { MessageStatus } from '../../../../sdk/client.js';
import type { ProtocolRef } from '../../../../sdk/directory.js';
import { allowedChoices } from '../../../../sdk/precheck.js';
import type { Notice } from '../../../../sdk/stream.js';
import { messageTimeline, type EscalationLike, type MessageTimeline, type RecipientTimeline, type TimelineEvent, type TimelineState } from '../../../../sdk/timeline.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import type { MemberSession } from '../../lib/session.js';
import { typeLabel } from '../../lib/vocabulary.js';
import type { WordKey } from '../../words/index.js';
import { caseHref } from './cases.js';
import { formatTime } from '../../lib/time.js';
import { deviceLabel, useInboxNames } from './data.js';
import { useSentEvents } from './feed.js';
import { StateBadge, StateBanner, type Tone } from './state.js';

/** How long to wait before asking the hub again when the stream brought nothing (it may be down). */
const POLL_MS = 15_000;

export const TIMELINE_TONE: Record<TimelineState, Tone> = {
  acknowledged: 'ok',
  delivered: 'wait',
  pushed: 'wait',
  accepted: 'wait',
  unacknowledged: 'danger',
  escalated: 'danger',
  exhausted: 'danger',
};
const ICON: Record<TimelineState, string> = { acknowledged: '✔', delivered: '📥', pushed: '➜', accepted: '⏳', unacknowledged: '⚠', escalated: '⚠', exhausted: '☎' };
const STATE_WORD: Record<TimelineState, WordKey> = {
  acknowledged: 'shelter.state.acknowledged',
  delivered: 'shelter.state.delivered',
  pushed: 'shelter.state.pushed',
  accepted: 'shelter.state.accepted',
  unacknowledged: 'shelter.state.unacknowledged',
  escalated: 'shelter.state.escalated',
  exhausted: 'shelter.state.exhausted',
};

/** The timeline of one sent message, kept live while it is shown. */
export function useTimeline(member: MemberSession, id: string): { timeline: MessageTimeline | null; error: unknown } {
  const client = member.client;
  const [record, setRecord] = useState<{ status: MessageStatus; escalation: EscalationLike | null } | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    // A message no protocol deadline applies to has no chain: its status says everything.
    Promise.all([client.status(id), client.escalation(id).catch(() => null)]).then(
      ([status, escalation]) => {
        if (!live) return;
        setRecord({ status, escalation });
        setError(null);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [id, tick]);
  useSentEvents(member.stream, [id], (_message, event) => {
    if (event.kind === 'notice') setNotices((n) => [...n, event.notice]);
    setTick((n) => n + 1);
  });
  const timeline = record ? messageTimeline(record.status, record.escalation, notices) : null;
  const final = timeline?.state === 'acknowledged' || timeline?.state === 'exhausted';
  useEffect(() => {
    if (final) return;
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, [final]);
  return { timeline, error };
}

/** The signed header of a message this agency sent, checked against its sender's certificate. */
export const useSentHeader = (member: MemberSession, id: string) => useLoad(() => member.client.sentHeader(id), [member.client, id]);

/** Labels of the devices that signed receipts, once the directory has checked their certificates. */
function useDeviceLabels(member: MemberSession, ids: (string | null)[], ref: ProtocolRef | undefined): Record<string, string> {
  const [labels, setLabels] = useState<Record<string, string>>({});
  const wanted = [...new Set(ids.filter((i): i is string => !!i))];
  const key = wanted.join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(wanted.map((m) => deviceLabel(member.client, m, ref).then((l) => [m, l] as const, () => null))).then((pairs) => live && setLabels(Object.fromEntries(pairs.filter((p): p is readonly [string, string] => p !== null))));
    return () => {
      live = false;
    };
  }, [key, ref?.id, ref?.version]);
  return labels;
}

export function TimelineBadge({ state }: { state: TimelineState }) {
  const { t } = useLang();
  return (
    <StateBadge tone={TIMELINE_TONE[state]} icon={ICON[state]} testid="message-state" state={state}>
      {t(STATE_WORD[state])}
    </StateBadge>
  );
}

function Banner({ timeline, names, devices }: { timeline: MessageTimeline; names: Record<string, string>; devices: Record<string, string> }) {
  const { t, lang } = useLang();
  const state = timeline.state;
  const acked = timeline.recipients.filter((r) => r.state === 'acknowledged');
  const ackLine = (r: RecipientTimeline) => {
    const e = r.events.find((x) => x.kind === 'acknowledged') as Extract<TimelineEvent, { kind: 'acknowledged' }> | undefined;
    return t('shelter.banner.ackBy', { device: e?.member && devices[e.member] ? devices[e.member]! : t('shelter.event.someDevice'), inbox: names[r.inbox] ?? r.inbox, time: formatTime(lang, e?.at) });
  };
  if (state === 'exhausted') {
    return (
      <StateBanner tone="danger" icon="☎" title={t('shelter.banner.exhausted')} testid="timeline-state" state={state} extra="call-911">
        <p>{t('shelter.banner.exhaustedWhat')}</p>
        <p>
          <a href="tel:911" data-testid="call-911">
            {t('shelter.banner.call911')}
          </a>
        </p>
      </StateBanner>
    );
  }
  const reached = timeline.recipients.flatMap((r) => r.events.filter((e): e is Extract<TimelineEvent, { kind: 'escalated' }> => e.kind === 'escalated' && !e.due));
  const next = timeline.recipients.flatMap((r) => r.events.filter((e) => 'due' in e && e.due)).sort((a, b) => a.at.localeCompare(b.at))[0];
  const nextLine = next ? <p>{t('shelter.banner.next', { time: formatTime(lang, next.at) })}</p> : null;
  const body: Record<Exclude<TimelineState, 'exhausted'>, ComponentChildren> = {
    acknowledged: acked.map((r) => <p key={r.inbox}>{ackLine(r)}</p>),
    delivered: (
      <>
        <p>{t('shelter.banner.deliveredWhat')}</p>
        {nextLine}
      </>
    ),
    pushed: <p>{t('shelter.banner.onTheWay')}</p>,
    accepted: <p>{t('shelter.banner.onTheWay')}</p>,
    unacknowledged: (
      <>
        <p>{t('shelter.banner.unacknowledgedWhat')}</p>
        {nextLine}
      </>
    ),
    escalated: (
      <>
        <p>{t('shelter.banner.escalatedTo', { inboxes: [...new Set(reached.flatMap((e) => e.inboxes))].map((i) => names[i] ?? i).join(', ') })}</p>
        {nextLine}
        <p>{t('shelter.banner.call911IfImmediate')}</p>
      </>
    ),
  };
  return (
    <StateBanner tone={TIMELINE_TONE[state]} icon={ICON[state]} title={t(STATE_WORD[state])} testid="timeline-state" state={state}>
      {body[state]}
    </StateBanner>
  );
}

function EventLine({ event, recipient, names, devices, renotify }: { event: TimelineEvent; recipient: string; names: Record<string, string>; devices: Record<string, string>; renotify: boolean }) {
  const { t, lang } = useLang();
  // A device's certified label once the directory checked it; never its bare id.
  const device = (m: string | null) => (m && devices[m] ? devices[m]! : t('shelter.event.someDevice'));
  let text: string;
  let tone = '';
  switch (event.kind) {
    case 'accepted':
      text = t('shelter.event.accepted');
      break;
    case 'pushed':
      text = t('shelter.event.pushed', { inbox: names[recipient] ?? recipient });
      break;
    case 'delivered':
      text = t('shelter.event.delivered', { device: device(event.member) });
      break;
    case 'acknowledged':
      text = t('shelter.event.acknowledged', { device: device(event.member) });
      tone = 'ok';
      break;
    case 'deadline':
      text = event.due ? t('shelter.event.deadlineDue') : t('shelter.event.deadlinePassed');
      tone = event.due ? 'due' : 'danger';
      break;
    case 'escalated': {
      const inboxes = event.inboxes.map((i) => names[i] ?? i).join(', ');
      text = event.due
        ? t('shelter.event.stepDue', { step: event.step, inboxes })
        : `${t('shelter.event.stepReached', { step: event.step, inboxes })}${renotify ? ` ${t('shelter.event.reminded', { inbox: names[recipient] ?? recipient })}` : ''}`;
      tone = event.due ? 'due' : 'danger';
      break;
    }
    case 'exhausted':
      text = event.due ? t('shelter.event.exhaustedDue') : t('shelter.event.exhausted');
      tone = event.due ? 'due' : 'danger';
      break;
  }
  return (
    <li class={tone} data-kind={event.kind} data-due={'due' in event && event.due ? 'true' : 'false'}>
      {text}
      <time dateTime={event.at}>{'due' in event && event.due ? t('shelter.event.at', { time: formatTime(lang, event.at) }) : formatTime(lang, event.at)}</time>
    </li>
  );
}

function Facts({ header, protocolTitle }: { header: EnvelopeHeader; protocolTitle: string | null }) {
  const { t, lang } = useLang();
  const b = header.legalBasis;
  return (
    <dl>
      <dt>{t('shelter.message.type')}</dt>
      <dd>
        {typeLabel(lang, header.type)} — {labelOf(URGENCY_LABELS, header.urgency, lang)}
      </dd>
      <dt>{t('shelter.message.basis')}</dt>
      <dd>{b ? labelOf(LEGAL_BASIS_LABELS, b.code, lang) : '—'}</dd>
      <dt>{t('shelter.message.categories')}</dt>
      <dd>{header.dataCategories.map((c) => labelOf(DATA_CATEGORIES, c, lang)).join(' · ') || '—'}</dd>
      {header.protocol ? (
        <>
          <dt>{t('shelter.message.protocol')}</dt>
          <dd>{t('shelter.compose.protocolOption', { title: protocolTitle ?? header.protocol.id, version: header.protocol.version })}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function MessageView({ member, caseRef, id }: { member: MemberSession; caseRef: string; id: string }) {
  const { t, lang } = useLang();
  const header = useSentHeader(member, id);
  const { timeline, error } = useTimeline(member, id);
  const h = header.data;
  const protocol = useLoad(async () => (h?.protocol ? member.client.directory.protocol(h.protocol) : null), [h?.id]);
  const rule = protocol.data && h ? allowedChoices(protocol.data, h.sender.inbox, h.type).acknowledgement : null;
  const inboxes = timeline ? [...new Set(timeline.recipients.flatMap((r) => [r.inbox, ...r.events.flatMap((e) => (e.kind === 'escalated' ? e.inboxes : []))]))] : [];
  const names = useInboxNames(member.client, lang, inboxes);
  const members = timeline ? timeline.recipients.flatMap((r) => r.events.map((e) => (e.kind === 'delivered' || e.kind === 'acknowledged' ? e.member : null))) : [];
  const devices = useDeviceLabels(member, members, h?.protocol);
  return (
    <article>
      <p>
        <a href={caseHref(caseRef)}>{t('shelter.backToCase', { case: caseRef })}</a>
      </p>
      <h1>{h ? t('shelter.message.title', { type: typeLabel(lang, h.type) }) : t('shelter.message.titleLoading')}</h1>
      {error ? <p role="alert">{errorText(lang, error)}</p> : null}
      {timeline ? <Banner timeline={timeline} names={names} devices={devices} /> : <p aria-busy="true">{t('common.loading')}</p>}
      {timeline
        ? timeline.recipients.map((r) => (
            <section key={r.inbox} aria-labelledby={`recipient-${r.inbox}`} data-testid="recipient-timeline" data-inbox={r.inbox} data-state={r.state}>
              <h2 id={`recipient-${r.inbox}`}>
                {names[r.inbox] ?? r.inbox} <TimelineBadge state={r.state} />
              </h2>
              <ol class="timeline">
                {r.events.map((e) => (
                  // Keyed by what the line is (a recipient's timeline has each kind once, a step of the chain once):
                  // keyed by position, a line put before the others (pushed, delivered) made the lines after it
                  // show, for a moment, the text of another (a step shown reached twice).
                  <EventLine key={`${e.kind}-${'step' in e ? e.step : ''}`} event={e} recipient={r.inbox} names={names} devices={devices} renotify={rule?.renotifyRecipients ?? false} />
                ))}
              </ol>
            </section>
          ))
        : null}
      {h ? (
        <section aria-labelledby="message-facts">
          <h2 id="message-facts">{t('shelter.message.facts')}</h2>
          <Facts header={h} protocolTitle={protocol.data?.titles[lang] ?? null} />
          <p>
            <small>{t('shelter.message.id', { id })}</small>
          </p>
        </section>
      ) : null}
    </article>
  );
}

/** One sent message in a case's list: its type, when, and its state, live. */
export function MessageRow({ member, caseRef, id, sentAt }: { member: MemberSession; caseRef: string; id: string; sentAt: string }) {
  const { t, lang } = useLang();
  const header = useSentHeader(member, id);
  const { timeline, error } = useTimeline(member, id);
  return (
    <tr data-testid="message-row" data-message={id}>
      <th scope="row">
        <a href={caseHref(caseRef, 'message', id)}>{header.data ? typeLabel(lang, header.data.type) : t('shelter.message.titleLoading')}</a>
      </th>
      <td>{formatTime(lang, sentAt)}</td>
      <td>{timeline ? <TimelineBadge state={timeline.state} /> : error ? errorText(lang, error) : <span aria-busy="true">{t('common.loading')}</span>}</td>
    </tr>
  );
}
