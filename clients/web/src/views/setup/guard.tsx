/**
 * A receiving device left idle: every view is closed (with whatever it had
 * decrypted), the desk keeps listening and ringing behind this screen, and
 * the passphrase brings the person back. "Lock" closes everything.
 */
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useSession, type Open } from '../../lib/session.js';

export function Guard({ open }: { open: Open }) {
  const { t, lang } = useLang();
  const session = useSession();
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (!(await session.resume(pass))) setError(t('unlock.wrong'));
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article data-testid="guard">
      <h1>{t('guard.title')}</h1>
      <p>{t('guard.intro')}</p>
      <p>
        <strong>{open.account.label}</strong>
      </p>
      <form onSubmit={submit}>
        <label>
          {t('unlock.passphrase')}
          <input type="password" name="passphrase" autocomplete="current-password" required autofocus value={pass} onInput={(e) => setPass(e.currentTarget.value)} />
        </label>
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={busy || !pass} aria-busy={busy}>
          {t('guard.resume')}
        </button>
      </form>
    </article>
  );
}
