/**
 * An alert escalated to one of this device's inboxes (a supervisor, a duty
 * officer): what waits, from whom, since when, for which desk — never its
 * content, unless this inbox is itself a recipient — and where the chain
 * stands: the deadline, each step and whom it notified, the
 * acknowledgement or the end of the chain, as the hub reports them.
 */
import { useEffect } from 'preact/hooks';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import { useOpen } from '../../lib/session.js';
import { typeLabel } from '../../lib/vocabulary.js';
import { UrgencyBadge } from './badges.js';
import { formatTime } from '../../lib/time.js';
import { useFocusOnOpen } from './format.js';
import { useInboxName, useInboxNames, useSenderNames } from './names.js';
import { deskStore, type EscalationEntry } from './store.js';
import { useDeskEntries } from './watch.js';

export function EscalationView({ id, recipient }: { id: string; recipient: string }) {
  const { t, lang } = useLang();
  const member = useOpen().member!;
  const store = deskStore(member);
  const entries = useDeskEntries(store);
  const entry = entries.find((e): e is EscalationEntry => e.kind === 'escalation' && e.id === id && e.recipient === recipient);
  useEffect(() => {
    if (!entry) return;
    store.markActed(entry.key);
    void store.refreshEscalation(entry.key);
  }, [entry?.key]);
  const names = useSenderNames(member.client, lang, entry?.sender ?? null);
  const awaited = useInboxName(member.client, lang, recipient);
  const mine = useInboxName(member.client, lang, entry?.inbox ?? recipient);
  const progress = entry?.progress ?? null;
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  const stepInboxes = useInboxNames(member.client, lang, [...new Set(progress?.steps.flatMap((s) => s.inboxes) ?? [])]);

  if (!entry) {
    return (
      <article>
        <p>
          <a href={href('desk')}>← {t('desk.back')}</a>
        </p>
        <p role="status">{entries.length === 0 ? t('desk.reading') : t('desk.escalation.unknown')}</p>
      </article>
    );
  }
  const state = progress?.state ?? 'waiting';
  return (
    <article class="escalation-detail" data-testid="escalation-detail" data-id={id}>
      <p>
        <a href={href('desk')}>← {t('desk.back')}</a>
      </p>
      <header>
        <p class="escalated-tag">
          <span aria-hidden="true">⤴ </span>
          {t('desk.escalated.tag', { inbox: mine })}
        </p>
        <UrgencyBadge urgency={entry.urgency} />
        <h1 tabIndex={-1} ref={heading}>
          {entry.type ? typeLabel(lang, entry.type) : t('desk.escalation.someMessage')}
        </h1>
      </header>
      <dl>
        <div>
          <dt>{t('desk.escalation.from')}</dt>
          <dd>{entry.sender ? `${names.agency} — ${names.inbox}` : '—'}</dd>
        </div>
        <div>
          <dt>{t('desk.escalation.accepted')}</dt>
          <dd>{formatTime(lang, entry.acceptedAt)}</dd>
        </div>
        <div>
          <dt>{t('desk.escalation.awaited')}</dt>
          <dd>{awaited}</dd>
        </div>
      </dl>
      <p>{t('desk.escalation.noContent')}</p>

      <section aria-labelledby="chain-title" data-testid="chain" data-state={state}>
        <h2 id="chain-title">{t('desk.chain.title')}</h2>
        {state === 'acknowledged' ? (
          <p class="state ok big" role="status" data-testid="chain-state">
            <span aria-hidden="true">✔</span> {t('desk.chain.acknowledged', { inbox: awaited, time: formatTime(lang, progress?.acknowledgedAt) })}
          </p>
        ) : state === 'exhausted' ? (
          <p class="state danger big" role="alert" data-testid="chain-state">
            <span aria-hidden="true">✖</span> {t('desk.chain.exhausted', { inbox: awaited })}
          </p>
        ) : (
          <p class="state danger big" data-testid="chain-state">
            <span aria-hidden="true">◷</span> {t('desk.chain.waiting', { inbox: awaited })}
          </p>
        )}
        {progress ? (
          <ol class="chain" data-testid="chain-steps">
            <li class={progress.nextStep > 0 ? 'reached' : 'ahead'}>
              <span aria-hidden="true">{progress.nextStep > 0 ? '● ' : '○ '}</span>
              {t(progress.nextStep > 0 ? 'desk.chain.deadlinePassed' : 'desk.chain.deadline', { time: formatTime(lang, progress.deadlineAt) })}
            </li>
            {progress.steps.map((s) => (
              <li key={s.step} class={s.reached ? 'reached' : 'ahead'} data-testid="chain-step" data-reached={s.reached ? 'yes' : 'no'}>
                <span aria-hidden="true">{s.reached ? '● ' : '○ '}</span>
                {t(s.reached ? 'desk.chain.stepReached' : 'desk.chain.stepAhead', {
                  step: s.step,
                  time: formatTime(lang, s.at),
                  inboxes: s.inboxes.map((i) => stepInboxes[i] ?? i).join(', '),
                })}
                {s.inboxes.includes(entry.inbox) ? <strong> {t('desk.chain.you')}</strong> : null}
              </li>
            ))}
            <li class={state === 'exhausted' ? 'reached' : 'ahead'}>
              <span aria-hidden="true">{state === 'exhausted' ? '● ' : '○ '}</span>
              {t('desk.chain.end', { time: formatTime(lang, progress.exhaustedAt) })}
            </li>
          </ol>
        ) : (
          <ol class="chain" data-testid="chain-steps">
            {entry.steps.map((s) => (
              <li key={s.step} class="reached" data-testid="chain-step" data-reached="yes">
                <span aria-hidden="true">● </span>
                {t('desk.chain.notifiedYou', { step: s.step, time: formatTime(lang, s.at) })}
              </li>
            ))}
          </ol>
        )}
        <button type="button" class="secondary" data-testid="refresh-chain" onClick={() => void store.refreshEscalation(entry.key)}>
          {t('desk.chain.refresh')}
        </button>
      </section>
    </article>
  );
}
