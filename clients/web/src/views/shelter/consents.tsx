/**
 * A case's consents, each with its state in words, what it covers, its
 * validity and the fingerprint of its signed evidence; revoking one asks
 * first, and takes effect at once.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { CONSENT_STATE_LABELS, DATA_CATEGORIES, PURPOSES, labelOf } from '../../../../../protocol/vocabulary.js';
import type { ConsentView } from '../../../../sdk/protocols.js';
import type { VigieClient } from '../../../../sdk/client.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { formatTime } from '../../lib/time.js';
import { agencies, agencyLabel } from './data.js';
import { StateBadge, type Tone } from './state.js';

export const CONSENT_TONE: Record<ConsentView['state'], Tone> = { active: 'ok', pending: 'wait', expired: 'off', revoked: 'off' };

function RevokeDialog({ consent, client, onDone, onCancel }: { consent: ConsentView; client: VigieClient; onDone(): void; onCancel(): void }) {
  const { t, lang } = useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function revoke() {
    setBusy(true);
    setError(null);
    try {
      await client.revokeConsent(consent.id);
      dialog.current?.close();
      onDone();
    } catch (err) {
      setError(errorText(lang, err));
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} aria-labelledby="revoke-title" aria-describedby="revoke-what" onClose={onCancel} data-testid="revoke-dialog">
      <article>
        <h2 id="revoke-title">{t('shelter.revoke.title')}</h2>
        <p id="revoke-what">{t('shelter.revoke.what', { case: consent.case })}</p>
        {error ? <p role="alert">{error}</p> : null}
        <footer>
          <button type="button" class="secondary" onClick={() => dialog.current?.close()} disabled={busy}>
            {t('common.cancel')}
          </button>{' '}
          <button type="button" name="confirm-revoke" class="contrast" onClick={() => void revoke()} disabled={busy} aria-busy={busy}>
            {t('shelter.revoke.confirm')}
          </button>
        </footer>
      </article>
    </dialog>
  );
}

function ConsentCard({ consent, client, onChanged }: { consent: ConsentView; client: VigieClient; onChanged(): void }) {
  const { t, lang } = useLang();
  const list = useLoad(() => agencies(client), [client]);
  const [asking, setAsking] = useState(false);
  const c = consent;
  const labels = (table: Record<string, { fr: string; en: string }>, codes: string[]) => codes.map((code) => labelOf(table, code, lang)).join(' · ');
  return (
    <article class="consent-card" data-testid="consent" data-consent={c.id} data-state={c.state}>
      <header>
        <StateBadge tone={CONSENT_TONE[c.state]} testid="consent-state" state={c.state}>
          {t('shelter.consent.state', { state: labelOf(CONSENT_STATE_LABELS, c.state, lang) })}
        </StateBadge>
        {c.state === 'active' || c.state === 'pending' ? (
          <button type="button" name="revoke" class="secondary outline" onClick={() => setAsking(true)}>
            {t('shelter.revoke.button')}
          </button>
        ) : null}
      </header>
      <dl>
        <dt>{t('shelter.consent.recipients')}</dt>
        <dd>{c.recipients.map((a) => agencyLabel(list.data, lang, a)).join(' · ')}</dd>
        <dt>{t('shelter.consent.purposes')}</dt>
        <dd>{labels(PURPOSES, c.purposes)}</dd>
        <dt>{t('shelter.consent.categories')}</dt>
        <dd>{labels(DATA_CATEGORIES, c.dataCategories)}</dd>
        <dt>{t('shelter.consent.validity')}</dt>
        <dd>
          {c.validUntil
            ? t('shelter.consent.validFromUntil', { from: formatTime(lang, c.validFrom), until: formatTime(lang, c.validUntil) })
            : t('shelter.consent.validFrom', { from: formatTime(lang, c.validFrom) })}
        </dd>
        {c.revokedAt ? (
          <>
            <dt>{t('shelter.consent.revokedAt')}</dt>
            <dd>{formatTime(lang, c.revokedAt)}</dd>
          </>
        ) : null}
        <dt>{t('shelter.consent.evidence')}</dt>
        <dd>
          <code>{c.evidenceHash}</code>
        </dd>
        <dt>{t('shelter.consent.recordedAt')}</dt>
        <dd>{formatTime(lang, c.recordedAt)}</dd>
      </dl>
      {asking ? (
        <RevokeDialog
          consent={c}
          client={client}
          onCancel={() => setAsking(false)}
          onDone={() => {
            setAsking(false);
            onChanged();
          }}
        />
      ) : null}
    </article>
  );
}

export function ConsentList({ consents, client, onChanged }: { consents: ConsentView[]; client: VigieClient; onChanged(): void }) {
  const { t } = useLang();
  if (consents.length === 0) return <p data-testid="no-consent">{t('shelter.consent.none')}</p>;
  const order: ConsentView['state'][] = ['active', 'pending', 'expired', 'revoked'];
  const sorted = [...consents].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state) || b.recordedAt.localeCompare(a.recordedAt));
  return (
    <>
      {sorted.map((c) => (
        <ConsentCard key={c.id} consent={c} client={client} onChanged={onChanged} />
      ))}
    </>
  );
}
