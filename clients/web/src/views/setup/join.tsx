/**
 * A person answers an invitation: this browser makes the device's keys,
 * seals them under the person's passphrase, sends the public half with the
 * one-time code, and shows the fingerprint to read to the administrator —
 * who approves by certifying the device. Then the device opens.
 */
import { useEffect, useState } from 'preact/hooks';
import { loadSodium } from '../../../../../protocol/sodium.js';
import { answerInvitation, type InvitationState } from '../../../../sdk/admin.js';
import { HubHttp } from '../../../../sdk/http.js';
import { newMemberKeys, type MemberKeys } from '../../../../sdk/keys.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useSession } from '../../lib/session.js';
import { NewPassphrase, passphraseReady } from './passphrase.js';
import { InvitationViewSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../../protocol/api/routes.js';

/** `…#/join?i=<invitation>&c=<code>`: what the administrator's link carries; both can also be typed. */
export function Join({ params }: { params: URLSearchParams }) {
  const { t, lang } = useLang();
  const session = useSession();
  const [invitation, setInvitation] = useState(params.get('i') ?? '');
  const [code, setCode] = useState(params.get('c') ?? '');
  const [about, setAbout] = useState<InvitationState | null>(null);
  const [pass, setPass] = useState('');
  const [confirm, setConfirm] = useState('');
  const [waiting, setWaiting] = useState<{ keys: MemberKeys; fingerprint: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!/^[0-9a-f-]{36}$/.test(invitation)) return setAbout(null);
    void new HubHttp(location.origin, lang).get(routePath(ROUTES.invitation, { invitation }), InvitationViewSchema).then(setAbout, () => setAbout(null));
  }, [invitation, lang]);

  // Waiting for the administrator: the device opens as soon as it is certified.
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      void new HubHttp(location.origin, lang).get(routePath(ROUTES.invitation, { invitation }), InvitationViewSchema).then(async (s) => {
        if (s.state !== 'approved') return;
        clearInterval(timer);
        await session.install(waiting.keys, pass, t('account.memberLabel', { label: about?.label ?? '', agency: about?.agency ?? '' }));
        location.hash = '';
      });
    }, 1000);
    return () => clearInterval(timer);
  }, [waiting]);

  async function answer(e: Event) {
    e.preventDefault();
    if (!about || !passphraseReady(pass, confirm)) return;
    setBusy(true);
    setError(null);
    try {
      const keys = newMemberKeys(await loadSodium(), about.agency);
      const answered = await answerInvitation(location.origin, { invitation, code }, keys, lang);
      setWaiting({ keys, fingerprint: answered.fingerprint });
    } catch (err) {
      setError(errorText(lang, err));
    } finally {
      setBusy(false);
    }
  }

  if (waiting) {
    return (
      <article aria-live="polite">
        <h1>{t('join.waitingTitle')}</h1>
        <p>{t('join.readFingerprint')}</p>
        <p>
          <strong class="fingerprint" data-testid="device-fingerprint">
            {waiting.fingerprint}
          </strong>
        </p>
        <p aria-busy="true">{t('join.waiting')}</p>
      </article>
    );
  }
  return (
    <article>
      <h1>{t('join.title')}</h1>
      <form onSubmit={answer}>
        <label>
          {t('join.invitation')}
          <input name="invitation" required value={invitation} onInput={(e) => setInvitation(e.currentTarget.value.trim())} />
        </label>
        <label>
          {t('join.code')}
          <input name="code" required autocomplete="off" value={code} onInput={(e) => setCode(e.currentTarget.value.trim())} />
        </label>
        {about ? (
          <p data-testid="invitation-about">{t('join.about', { agency: about.agency, label: about.label, inboxes: about.inboxes.join(', ') || '—' })}</p>
        ) : null}
        <NewPassphrase value={pass} confirm={confirm} onValue={setPass} onConfirm={setConfirm} />
        {error ? <p role="alert">{error}</p> : null}
        <button type="submit" disabled={busy || !about || !passphraseReady(pass, confirm)} aria-busy={busy}>
          {t('join.submit')}
        </button>
      </form>
    </article>
  );
}
