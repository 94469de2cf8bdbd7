/**
 * A protocol version as a person reads it before signing or relying on it,
 * laid out from the one reading the CLI prints too (protocol/protocol-review.ts):
 * titles, dates, retention, parties, and each flow with its legal bases,
 * data categories, deadline and escalation chain. In the person's language;
 * the switch in the header shows the other.
 */
import { durationParts, type EndpointReview, type FlowReview, type ProtocolReview, type Term } from '../../../../../protocol/protocol-review.js';
import { useLang } from '../../lib/lang.js';
import { formatDate } from '../../lib/time.js';

export function useDuration() {
  const { t } = useLang();
  return (seconds: number) => {
    const { unit, count } = durationParts(seconds);
    return t(unit === 'hours' ? 'admin.review.hours' : unit === 'minutes' ? 'admin.review.minutes' : 'admin.review.seconds', { count });
  };
}

const terms = (list: Term[]) => list.map((x) => x.label).join(', ');

function Endpoint({ e, names }: { e: EndpointReview; names: (agency: string) => string }) {
  const { t } = useLang();
  if ('inbox' in e) return <>{t('admin.review.inbox', { inbox: e.inbox })}</>;
  return <>{t('admin.review.kind', { kind: e.kind.label, agencies: e.agencies.map(names).join(', ') || '—' })}</>;
}

function Flow({ flow, n, names }: { flow: FlowReview; n: number; names: (agency: string) => string }) {
  const { t } = useLang();
  const duration = useDuration();
  const ack = flow.acknowledgement;
  return (
    <article data-flow={flow.id}>
      <h4>{t('admin.review.flowTitle', { n, title: flow.title })}</h4>
      <dl>
        <dt>{t('admin.review.from')}</dt>
        <dd>
          <Endpoint e={flow.from} names={names} />
        </dd>
        <dt>{t('admin.review.to')}</dt>
        <dd>
          <Endpoint e={flow.to} names={names} />
        </dd>
        <dt>{t('admin.review.messageTypes')}</dt>
        <dd>{terms(flow.messageTypes)}</dd>
        <dt>{t('admin.review.dataCategories')}</dt>
        <dd>{terms(flow.dataCategories) || '—'}</dd>
        <dt>{t('admin.review.legalBases')}</dt>
        <dd>
          <ul>
            {flow.consent ? (
              <li>
                <strong>{flow.consent.basis.label}</strong> — {t('admin.review.purposes', { purposes: terms(flow.consent.purposes) })}
              </li>
            ) : null}
            {flow.danger ? (
              <li>
                <strong>{flow.danger.basis.label}</strong> — {t('admin.review.dangerOnly', { categories: terms(flow.danger.dataCategories) })}{' '}
                {t('admin.review.dangerTo')}{' '}
                {flow.danger.recipients.map((r, i) => (
                  <span key={i}>
                    {i > 0 ? ', ' : null}
                    <Endpoint e={r} names={names} />
                  </span>
                ))}
              </li>
            ) : null}
            {flow.legalObligation ? (
              <li>
                <strong>{flow.legalObligation.basis.label}</strong> — {t('admin.review.references', { references: flow.legalObligation.references.map((r) => `« ${r} »`).join(', ') })}
              </li>
            ) : null}
          </ul>
        </dd>
        <dt>{t('admin.review.acknowledgement')}</dt>
        <dd>
          {ack ? (
            <>
              <p>{t('admin.review.deadline', { delay: duration(ack.deadlineSeconds), types: terms(ack.messageTypes) })}</p>
              {ack.escalation.length ? (
                <ol>
                  {ack.escalation.map((step, i) => (
                    <li key={i}>
                      {step.afterSeconds === 0 ? t('admin.review.escalateNow', { inboxes: step.inboxes.join(', ') }) : t('admin.review.escalateAfter', { delay: duration(step.afterSeconds), inboxes: step.inboxes.join(', ') })}
                    </li>
                  ))}
                </ol>
              ) : (
                <p>{t('admin.review.noEscalation')}</p>
              )}
              {ack.renotify ? <p>{t('admin.review.renotify')}</p> : null}
            </>
          ) : (
            t('admin.review.noDeadline')
          )}
        </dd>
      </dl>
    </article>
  );
}

/** The body of a protocol review: what it is, between whom, and what it allows. */
export function ReviewBody({ review, names }: { review: ProtocolReview; names: (agency: string) => string }) {
  const { t, lang } = useLang();
  return (
    <div class="review" data-testid="protocol-review">
      <section aria-labelledby="review-about">
        <h3 id="review-about">{t('admin.review.about')}</h3>
        <dl>
          <dt>{t('admin.review.titleFr')}</dt>
          <dd lang="fr">{review.titles.fr}</dd>
          <dt>{t('admin.review.titleEn')}</dt>
          <dd lang="en">{review.titles.en}</dd>
          <dt>{t('admin.review.identifier')}</dt>
          <dd>
            <code>{review.id}</code> — {t('admin.review.version', { version: review.version })}
          </dd>
          <dt>{t('admin.review.effective')}</dt>
          <dd>{formatDate(lang, review.effectiveFrom)}</dd>
          <dt>{t('admin.review.retention')}</dt>
          <dd>{t('admin.review.retentionDays', { days: review.retentionDays, years: Math.round((review.retentionDays / 365) * 10) / 10 })}</dd>
        </dl>
      </section>
      <section aria-labelledby="review-flows">
        <h3 id="review-flows">{t('admin.review.flows', { count: review.flows.length })}</h3>
        {review.flows.map((f, i) => (
          <Flow key={f.id} flow={f} n={i + 1} names={names} />
        ))}
      </section>
    </div>
  );
}
