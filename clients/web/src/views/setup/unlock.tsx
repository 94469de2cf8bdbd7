/** The passphrase opens one account's sealed keys on this browser; nothing else does. */
import { useState } from 'preact/hooks';
import { VigieApiError } from '../../../../sdk/http.js';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import { useSession, type AccountSummary } from '../../lib/session.js';
import { settings } from '../../lib/device-store.js';
import { PassphraseForm } from '../shared/passphrase.js';

// A device whose certificate the administrator has not approved yet is not a member yet.
const notApproved = (err: unknown) => err instanceof VigieApiError && err.code === 'ASSERTION_INVALID';

export function Unlock({ accounts, last, reason }: { accounts: AccountSummary[]; last: string | null; reason: 'idle' | 'revoked' | null }) {
  const { t } = useLang();
  const session = useSession();
  const [account, setAccount] = useState(last ?? accounts[0]?.id ?? '');

  return (
    <article>
      <h1>{t('unlock.title')}</h1>
      {reason === 'idle' ? <p role="status">{t('unlock.idle', { minutes: settings.idleMinutes() })}</p> : null}
      {reason === 'revoked' ? (
        <p role="alert" class="alert-banner">
          {t('unlock.revoked')}
        </p>
      ) : null}
      <PassphraseForm
        open={(pass) => session.unlock(pass, account)}
        button={t('unlock.button')}
        working={t('unlock.working')}
        explain={(err) => (notApproved(err) ? t('unlock.notApproved') : null)}
      >
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
      </PassphraseForm>
      <p>
        <a href={href('setup')}>{t('unlock.addAccount')}</a>
      </p>
    </article>
  );
}
