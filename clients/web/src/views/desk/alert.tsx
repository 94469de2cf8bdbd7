/**
 * One alert, opened: fetched again, its sender's certificate checked under
 * the protocol it names, its signature verified and its content decrypted
 * here, in this browser. Who signed it, under which protocol and legal
 * basis, the assessment and its recomputed level, the categories, the
 * content. Nothing of it is shown unless every check passed; the content
 * leaves memory with this view.
 *
 * Acknowledging is one deliberate act of the person, signed by this device,
 * never a side effect of opening.
 */
import { useEffect, useState } from 'preact/hooks';
import { deviceFingerprint } from '../../../../../protocol/fingerprint.js';
import type { ProtocolDocument } from '../../../../../protocol/protocol-document.js';
import type { LegalBasis } from '../../../../../protocol/schemas.js';
import { DANGER_CONDITIONS } from '../../../../../protocol/vocabulary.js';
import { VigieApiError } from '../../../../sdk/http.js';
import type { OpenedMessage } from '../../../../sdk/client.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import { useOpen, type MemberSession } from '../../lib/session.js';
import { basisLabel, categoryLabel, purposeLabel, reasonLabel, typeLabel } from '../../lib/vocabulary.js';
import { AssessmentSection, ContentFields } from './content.js';
import { formatTime } from '../../lib/time.js';
import { useFocusOnOpen } from './format.js';
import { useSenderNames } from './names.js';
import { Reply } from './reply.js';
import { deskStore, type AlertEntry } from './store.js';
import { UrgencyBadge } from './badges.js';
import { useDeskEntries } from './watch.js';

type Opening = { phase: 'opening' } | { phase: 'open'; message: OpenedMessage; protocol: ProtocolDocument | null } | { phase: 'unverified' } | { phase: 'failed'; error: string };

export function AlertView({ id, inbox }: { id: string; inbox: string | undefined }) {
  const { t, lang } = useLang();
  const member = useOpen().member!;
  const store = deskStore(member);
  const entries = useDeskEntries(store);
  const key = `a:${id}:${inbox ?? ''}`;
  const entry = entries.find((e): e is AlertEntry => e.key === key);
  const [opening, setOpening] = useState<Opening>({ phase: 'opening' });

  useEffect(() => {
    let live = true;
    // Looking at it is acting on it: the alarm for it stops (acknowledging is another act).
    store.markActed(key);
    void (async () => {
      let envelope;
      try {
        envelope = await member.client.fetchEnvelope(id);
      } catch (err) {
        if (live) setOpening({ phase: 'failed', error: errorText(lang, err) });
        return;
      }
      try {
        const message = await member.client.open(envelope, inbox);
        if (message.header.id !== id) throw new Error('another message');
        const accepted = store.alert(id)?.acceptedAt;
        if (accepted) message.acceptedAt = accepted;
        const protocol = message.header.protocol ? await member.client.directory.protocol(message.header.protocol).catch(() => null) : null;
        if (live) setOpening({ phase: 'open', message, protocol });
      } catch (err) {
        // The hub unreachable is not a failed verification.
        if (!live) return;
        if (err instanceof VigieApiError || (err instanceof TypeError && /fetch/i.test(err.message))) setOpening({ phase: 'failed', error: errorText(lang, err) });
        else setOpening({ phase: 'unverified' });
      }
    })();
    return () => {
      live = false;
      // The decrypted content goes with the view.
      setOpening({ phase: 'opening' });
    };
  }, [id, inbox]);

  return (
    <article class="alert-detail" data-testid="alert-detail" data-id={id}>
      <p>
        <a href={href('desk')}>← {t('desk.back')}</a>
      </p>
      {opening.phase === 'opening' ? (
        <p aria-busy="true" data-testid="opening">
          {t('desk.opening')}
        </p>
      ) : null}
      {opening.phase === 'failed' ? (
        <p role="alert" class="alert-banner" data-testid="open-failed">
          {opening.error}
        </p>
      ) : null}
      {opening.phase === 'unverified' ? <Unverified id={id} /> : null}
      {opening.phase === 'open' ? <Opened member={member} message={opening.message} protocol={opening.protocol} entry={entry} /> : null}
    </article>
  );
}

export function Unverified({ id }: { id: string | null }) {
  const { t } = useLang();
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  return (
    <div role="alert" class="alert-banner" data-testid="verification-failed">
      <h1 tabIndex={-1} ref={heading}>
        <span aria-hidden="true">✖ </span>
        {t('desk.unverified.title')}
      </h1>
      <p>{t('desk.unverified.body')}</p>
      {id ? <p>{t('desk.unverified.reference', { id })}</p> : null}
    </div>
  );
}

function Opened({ member, message, protocol, entry }: { member: MemberSession; message: OpenedMessage; protocol: ProtocolDocument | null; entry: AlertEntry | undefined }) {
  const { t, lang } = useLang();
  const h = message.header;
  const names = useSenderNames(member.client, lang, h.sender);
  const fingerprint = deviceFingerprint((d) => member.client.crypto.sha256(d), message.sender);
  const heading = useFocusOnOpen<HTMLHeadingElement>();
  return (
    <>
      <header>
        <UrgencyBadge urgency={h.urgency} />
        <h1 data-testid="alert-type" tabIndex={-1} ref={heading}>{typeLabel(lang, h.type)}</h1>
        <p class="state ok" data-testid="verified">
          <span aria-hidden="true">✔</span> {t('desk.verified')}
        </p>
        {message.assessmentCheck && !message.assessmentCheck.matches ? (
          <p class="warning-box">
            <strong>
              <span aria-hidden="true">⚠ </span>
              {t('desk.assessment.headerWarning')}
            </strong>
          </p>
        ) : null}
      </header>

      <section aria-labelledby="signer-title" data-testid="signer">
        <h2 id="signer-title">{t('desk.signer.title')}</h2>
        <dl>
          <div>
            <dt>{t('desk.signer.agency')}</dt>
            <dd>
              {names.agency} <small>({h.sender.agency})</small>
            </dd>
          </div>
          <div>
            <dt>{t('desk.signer.inbox')}</dt>
            <dd>
              {names.inbox} <small>({h.sender.inbox})</small>
            </dd>
          </div>
          <div>
            <dt>{t('desk.signer.device')}</dt>
            <dd>{message.sender.label}</dd>
          </div>
          <div>
            <dt>{t('desk.signer.fingerprint')}</dt>
            <dd>
              <code data-testid="sender-fingerprint">{fingerprint}</code>
            </dd>
          </div>
          <div>
            <dt>{t('desk.signer.times')}</dt>
            <dd>{t('desk.signer.timesValue', { sent: formatTime(lang, h.createdAt), accepted: formatTime(lang, message.acceptedAt ?? entry?.acceptedAt) })}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="basis-title" data-testid="basis">
        <h2 id="basis-title">{t('desk.basis.title')}</h2>
        <dl>
          <div>
            <dt>{t('desk.basis.protocol')}</dt>
            <dd data-testid="protocol">
              {h.protocol ? t('desk.basis.protocolValue', { title: protocol?.titles[lang] ?? h.protocol.id, id: h.protocol.id, version: h.protocol.version }) : '—'}
            </dd>
          </div>
          <div>
            <dt>{t('desk.basis.basis')}</dt>
            <dd data-testid="legal-basis">{h.legalBasis ? <Basis basis={h.legalBasis} /> : '—'}</dd>
          </div>
          <div>
            <dt>{t('desk.basis.categories')}</dt>
            <dd>
              <ul data-testid="categories">
                {h.dataCategories.map((c) => (
                  <li key={c}>{categoryLabel(lang, c)}</li>
                ))}
              </ul>
            </dd>
          </div>
        </dl>
      </section>

      {message.assessmentCheck ? <AssessmentSection check={message.assessmentCheck} content={message.content} /> : null}

      <section aria-labelledby="content-title">
        <h2 id="content-title">{t('desk.content.title')}</h2>
        <ContentFields content={message.content} />
      </section>

      <Acknowledge member={member} message={message} entry={entry} />
      <Reply member={member} message={message} protocol={protocol} toName={`${names.agency} — ${names.inbox}`} />
    </>
  );
}

function Basis({ basis }: { basis: LegalBasis }) {
  const { t, lang } = useLang();
  return (
    <>
      <strong>{basisLabel(lang, basis.code)}</strong>
      {basis.code === 'consent' ? (
        <ul>
          {basis.case ? <li>{t('desk.basis.case', { case: basis.case })}</li> : null}
          {basis.purpose ? <li>{t('desk.basis.purpose', { purpose: purposeLabel(lang, basis.purpose) })}</li> : null}
        </ul>
      ) : null}
      {basis.code === 'apprehended_danger' ? (
        <>
          <p>{t('desk.basis.attested')}</p>
          <ul data-testid="attestations">
            {Object.keys(DANGER_CONDITIONS).map((c) => {
              const attested = basis.attestation?.[c as keyof typeof DANGER_CONDITIONS] === true;
              return (
                <li key={c}>
                  <span aria-hidden="true">{attested ? '✔ ' : '✖ '}</span>
                  {labelOfCondition(lang, c)} — {t(attested ? 'desk.basis.yes' : 'desk.basis.no')}
                </li>
              );
            })}
          </ul>
          {basis.reason ? <p data-testid="danger-reason">{t('desk.basis.reason', { reason: reasonLabel(lang, basis.reason) })}</p> : null}
          {basis.reference ? <p>{t('desk.basis.directive', { reference: basis.reference })}</p> : null}
        </>
      ) : null}
      {basis.code === 'legal_obligation' && basis.reference ? <p>{t('desk.basis.reference', { reference: basis.reference })}</p> : null}
    </>
  );
}

const labelOfCondition = (lang: 'fr' | 'en', c: string) => DANGER_CONDITIONS[c as keyof typeof DANGER_CONDITIONS]?.[lang] ?? c;

function Acknowledge({ member, message, entry }: { member: MemberSession; message: OpenedMessage; entry: AlertEntry | undefined }) {
  const { t, lang } = useLang();
  const store = deskStore(member);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [by, setBy] = useState<string | null>(null);
  const ack = entry?.ack;
  const signer = ack?.by;
  useEffect(() => {
    if (!signer) return setBy(null);
    if (signer === member.keys.member) return setBy(member.label);
    let live = true;
    void member.client.directory.member(signer).then(
      (c) => live && setBy(c.label),
      () => live && setBy(null),
    );
    return () => {
      live = false;
    };
  }, [signer]);

  async function acknowledge() {
    setBusy(true);
    setError(null);
    try {
      await member.client.acknowledge(message);
      // The hub keeps its own time; this is the moment this device signed.
      store.markAcknowledged(`a:${message.id}:${message.inbox}`, new Date().toISOString(), member.keys.member);
      void store.refreshAlert(`a:${message.id}:${message.inbox}`);
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="ack-title" class="ack" data-testid="ack">
      <h2 id="ack-title">{t('desk.ack.title')}</h2>
      {ack?.state === 'acknowledged' ? (
        <p class="state ok big" data-testid="ack-state" data-state="acknowledged" role="status">
          <span aria-hidden="true">✔</span> {t('desk.ack.done', { time: formatTime(lang, ack.at), by: by ?? t('desk.ack.someone') })}
        </p>
      ) : (
        <>
          <p class="state wait big" data-testid="ack-state" data-state="waiting">
            <span aria-hidden="true">◷</span> {t('desk.ack.waiting')}
          </p>
          <p>{t('desk.ack.explain')}</p>
          <button type="button" data-testid="acknowledge" onClick={() => void acknowledge()} disabled={busy} aria-busy={busy}>
            {t('desk.ack.button', { label: member.label })}
          </button>
        </>
      )}
      {error ? (
        <p role="alert" class="alert-banner">
          {error}
        </p>
      ) : null}
    </section>
  );
}
