/**
 * A receiving device left idle: every view is closed (with whatever it had
 * decrypted), the desk keeps listening and ringing behind this screen, and
 * the passphrase brings the person back. "Lock" closes everything.
 */
import { useLang } from '../../lib/lang.js';
import { useSession, type Open } from '../../lib/session.js';
import { PassphraseForm } from '../shared/passphrase.js';

export function Guard({ open }: { open: Open }) {
  const { t } = useLang();
  const session = useSession();
  return (
    <article data-testid="guard">
      <h1>{t('guard.title')}</h1>
      <p>{t('guard.intro')}</p>
      <p>
        <strong>{open.account.label}</strong>
      </p>
      <PassphraseForm open={(pass) => session.resume(pass)} button={t('guard.resume')} />
    </article>
  );
}
