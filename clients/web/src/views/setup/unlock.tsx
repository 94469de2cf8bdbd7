/** The passphrase opens one account's sealed keys on this browser; nothing else does. */
import { useState } from 'preact/hooks';
import { VigieApiError } from '../../../../sdk/http.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import { useSession, type AccountSummary } from '../../lib/session.js';
import { settings } from '../../lib/device-store.js';

export function Unlock({ accounts, last, reason }: { accounts: AccountSummary[]; last: string | null; reason: 'idle' | 'revoked' | null }) {
  const { t, lang } = useLang();
  const session = useSession();
  const [account, setAccount] = useState(last ?? accounts[0]?.id ?? '');
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!(await session.unlock(pass, account))) setError(t('unlock.wrong'));
    } catch (err) {
      // A device whose certificate the administrator has not approved yet is not a member yet.
      setError(err instanceof VigieApiError && err.code === 'ASSERTION_INVALID' ? t('unlock.notApproved') : errorText(lang, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article>
      <h1>{t('unlock.title')}</h1>
      {reason === 'idle' ? <p role="status">{t('unlock.idle', { minutes: settings.idleMinutes() })}</p> : null}
      {reason === 'revoked' ? (
        <p role="alert" class="alert-banner">
          {t('unlock.revoked')}
        </p>
      ) : null}
      <form onSubmit={submit}>
        {accounts.length > 1 ? (
          <fieldset>
            <legend>{t('unlock.who')}</legend>
            {accounts.map((a) => (
              <label key={a.id}>
                <input type="radio" name="account" value={a.id} checked={a.id === account} onChange={() => setAccount(a.id)} />
                {a.label}
              </label>
            ))}
          </fieldset>
        ) : accounts[0] ? (
          <p>{accounts[0].label}</p>
        ) : null}
        <label>
          {t('unlock.passphrase')}
          <input type="password" name="passphrase" autocomplete="current-password" required autofocus value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
        </label>
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={busy || !pass} aria-busy={busy}>
          {busy ? t('unlock.working') : t('unlock.button')}
        </button>
      </form>
      <p>
        <a href={href('setup')}>{t('unlock.addAccount')}</a>
      </p>
    </article>
  );
}
