/**
 * The root keys this browser pinned: the agency's own, to read to partners,
 * and each partner's, checked against what the hub serves now. A partner's
 * key is pinned here only after its administrator read the same fingerprint
 * by phone; a key that later differs from the pin is an alarm, never trusted.
 */
import { useState } from 'preact/hooks';
import { readableFingerprint, rootKeyFingerprint } from '../../../../../protocol/protocol-document.js';
import { browserPinStore } from '../../lib/device-store.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { kindLabel } from '../../lib/vocabulary.js';
import { BigFingerprint, TableRegion } from './widgets.js';
import { useAdmin, useAgencyNames } from './tools.js';

export function PartnersView() {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const { name, agencies } = useAgencyNames();
  const own = useLoad(() => tools.rootKey(), [tools.agency]);
  const [pins, setPins] = useState(browserPinStore.load());
  const [candidate, setCandidate] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const readable = (key: string) => readableFingerprint(rootKeyFingerprint((d) => tools.crypto.sha256(d), key));
  const served = (agency: string) => agencies.data?.find((a) => a.id === agency)?.rootKey;
  const partners = Object.entries(pins).filter(([agency]) => agency !== tools.agency);
  const unpinned = (agencies.data ?? []).filter((a) => a.id !== tools.agency && !pins[a.id]);
  const candidateKey = candidate ? served(candidate) : undefined;

  function pin() {
    if (!candidateKey) return;
    setError(null);
    try {
      browserPinStore.save({ ...browserPinStore.load(), [candidate]: candidateKey });
      setPins(browserPinStore.load());
      setDone(t('admin.partners.pinned', { agency: name(candidate) }));
      setCandidate('');
    } catch (err) {
      setError(errorText(lang, err));
    }
  }

  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">{t('admin.partners.title')}</h2>
      <p>{t('admin.partners.intro')}</p>

      <section aria-labelledby="own-key-title">
        <h3 id="own-key-title">{t('admin.partners.ownTitle', { agency: name(tools.agency) })}</h3>
        <p>{t('admin.partners.ownHow')}</p>
        {own.data ? <BigFingerprint value={readable(own.data)} testid="own-fingerprint" /> : <p aria-busy="true">{t('common.loading')}</p>}
      </section>

      <section aria-labelledby="pinned-title">
        <h3 id="pinned-title">{t('admin.partners.pinnedTitle')}</h3>
        {done ? (
          <p role="status" class="state ok" data-testid="partners-done">
            ✓ {done}
          </p>
        ) : null}
        {partners.length === 0 ? (
          <p>{t('admin.partners.none')}</p>
        ) : (
          <TableRegion label={t('admin.partners.pinnedTitle')}>
            <table data-testid="pins-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.sign.party')}</th>
                  <th scope="col">{t('admin.sign.rootKey')}</th>
                  <th scope="col">{t('admin.sign.keyCheck')}</th>
                </tr>
              </thead>
              <tbody>
                {partners.map(([agency, key]) => {
                  const now = served(agency);
                  const state = !now ? 'unknown' : now === key ? 'same' : 'differs';
                  return (
                    <tr key={agency} data-agency={agency}>
                      <th scope="row">{name(agency)}</th>
                      <td>
                        <span class="fingerprint-small">{readable(key)}</span>
                      </td>
                      <td>
                        <span class={`state ${state === 'same' ? 'ok' : state === 'differs' ? 'danger' : 'wait'}`} data-testid="pin-check" data-check={state}>
                          {state === 'same' ? '✓ ' : state === 'differs' ? '✕ ' : '? '}
                          {t(state === 'same' ? 'admin.partners.same' : state === 'differs' ? 'admin.partners.differs' : 'admin.partners.unknown')}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>

      <section aria-labelledby="pin-title">
        <h3 id="pin-title">{t('admin.partners.pinTitle')}</h3>
        <ol>
          <li>{t('admin.partners.step1')}</li>
          <li>{t('admin.partners.step2')}</li>
          <li>{t('admin.partners.step3')}</li>
        </ol>
        <label>
          {t('admin.partners.choose')}
          <select name="partner" value={candidate} onChange={(e) => (setDone(null), setCandidate(e.currentTarget.value))}>
            <option value="">{t('admin.load.choose')}</option>
            {unpinned.map((a) => (
              <option key={a.id} value={a.id}>
                {name(a.id)} — {kindLabel(lang, a.kind)}
              </option>
            ))}
          </select>
        </label>
        {candidateKey ? (
          <>
            <p>{t('admin.partners.readIt', { agency: name(candidate) })}</p>
            <BigFingerprint value={readable(candidateKey)} testid="partner-fingerprint" />
            <button type="button" name="pin-partner" onClick={pin}>
              {t('admin.partners.pin')}
            </button>
          </>
        ) : null}
        {error ? (
          <p role="alert" class="alert-banner">
            {error}
          </p>
        ) : null}
      </section>
    </section>
  );
}
