/**
 * An agency's first administrator, with the admission code the hub operator
 * handed over: this browser makes the agency's root key, seals it under the
 * administrator's passphrase, and registers it. The key never leaves the browser.
 */
import { useState } from 'preact/hooks';
import { AGENCY_KINDS } from '../../../../../protocol/schemas.js';
import { loadSodium } from '../../../../../protocol/sodium.js';
import { AgencyAdmin } from '../../../../sdk/admin.js';
import { newAgencyKeys } from '../../../../sdk/keys.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useSession } from '../../lib/session.js';
import { kindLabel } from '../../lib/vocabulary.js';
import { NewPassphrase, passphraseReady } from './passphrase.js';

export function NewAgency() {
  const { t, lang } = useLang();
  const session = useSession();
  const [agency, setAgency] = useState('');
  const [kind, setKind] = useState<string>('shelter');
  const [nameFr, setNameFr] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [code, setCode] = useState('');
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function register(e: Event) {
    e.preventDefault();
    if (!passphraseReady(pass, confirm)) return;
    setBusy(true);
    setError(null);
    try {
      const keys = newAgencyKeys(await loadSodium(), agency);
      const admin = await AgencyAdmin.create(location.origin, keys, lang);
      await admin.register(code, kind, { fr: nameFr, en: nameEn });
      await session.install(keys, pass, t('account.agencyLabel', { agency: lang === 'fr' ? nameFr : nameEn }));
      location.hash = '';
    } catch (err) {
      setError(errorText(lang, err));
      setBusy(false);
    }
  }

  return (
    <article>
      <h1>{t('agency.title')}</h1>
      <p>{t('agency.intro')}</p>
      <form onSubmit={register}>
        <label>
          {t('agency.id')}
          <input name="agency" required pattern="[a-z][a-z0-9\-]{1,39}" value={agency} onInput={(e) => setAgency(e.currentTarget.value.trim())} />
        </label>
        <label>
          {t('agency.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {[...AGENCY_KINDS, 'oversight'].map((k) => (
              <option key={k} value={k}>
                {kindLabel(lang, k)}
              </option>
            ))}
          </select>
        </label>
        <div class="grid">
          <label>
            {t('agency.nameFr')}
            <input name="name-fr" required lang="fr" value={nameFr} onInput={(e) => setNameFr(e.currentTarget.value)} />
          </label>
          <label>
            {t('agency.nameEn')}
            <input name="name-en" required lang="en" value={nameEn} onInput={(e) => setNameEn(e.currentTarget.value)} />
          </label>
        </div>
        <label>
          {t('agency.code')}
          <input name="admission-code" required autocomplete="off" value={code} onInput={(e) => setCode(e.currentTarget.value.trim())} />
        </label>
        <NewPassphrase value={pass} confirm={confirm} onValue={setPass} onConfirm={setConfirm} />
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={busy || !passphraseReady(pass, confirm)} aria-busy={busy}>
          {t('agency.submit')}
        </button>
      </form>
    </article>
  );
}
