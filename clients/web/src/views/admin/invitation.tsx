/**
 * One invitation: waiting for the person's device; once it answered, its
 * fingerprint in large groups, to compare with what the person reads on
 * their own screen (by phone, or side by side) before the root key
 * certifies that device. Approval certifies exactly the device shown: the
 * SDK checks the hub still names the same one.
 */
import { useEffect, useState } from 'preact/hooks';
import { loadSodium } from '../../../../../protocol/sodium.js';
import { deviceFingerprint } from '../../../../../protocol/fingerprint.js';
import type { InvitationState } from '../../../../sdk/admin.js';
import { useAction } from '../../lib/action.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { href } from '../../lib/router.js';
import { invitationStateLabel } from '../../lib/vocabulary.js';
import { ErrorBanner } from '../shared/feedback.js';
import { BigFingerprint } from './widgets.js';
import { rolesText, useInboxNames } from './members.js';
import { formatDate } from '../../lib/time.js';
import { useAdmin } from './tools.js';
import { InvitationViewSchema } from '../../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../../protocol/api/routes.js';

type Seen = InvitationState & { fingerprint: string | null };

export function InvitationView({ id }: { id: string }) {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const inboxName = useInboxNames();
  const [seen, setSeen] = useState<Seen | null>(null);
  const action = useAction();
  const [differs, setDiffers] = useState(false);

  async function look() {
    const crypto = await loadSodium();
    const state = await tools.http.get(routePath(ROUTES.invitation, { invitation: id }), InvitationViewSchema);
    setSeen({ ...state, fingerprint: state.device ? deviceFingerprint((d) => crypto.sha256(d), state.device) : null });
    return state.state;
  }

  // Until the person's device answers, look again every two seconds.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let live = true;
    const round = () =>
      look().then(
        (state) => {
          if (live && state === 'waiting') timer = setTimeout(round, 2000);
        },
        (err: unknown) => live && action.fail(errorText(lang, err)),
      );
    void round();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [id]);

  async function approve() {
    const root = tools.root;
    const fingerprint = seen?.fingerprint;
    if (!root || !fingerprint) return;
    await action.run(async () => {
      await root.admin.approve(id, fingerprint);
      await look();
    });
  }

  if (!seen) return action.error ? <p role="alert">{action.error}</p> : <p aria-busy="true">{t('common.loading')}</p>;
  if (seen.agency !== tools.agency) return <p role="alert">{t('admin.invitation.otherAgency')}</p>;
  return (
    <article aria-labelledby="invitation-title" data-testid="invitation-view" data-state={seen.state}>
      <h2 id="invitation-title">{t('admin.invitation.title', { label: seen.label })}</h2>
      <dl class="review">
        <dt>{t('admin.members.roles')}</dt>
        <dd>{rolesText(lang, seen.roles)}</dd>
        <dt>{t('admin.members.inboxes')}</dt>
        <dd>{seen.inboxes.length ? seen.inboxes.map(inboxName).join(', ') : t('common.none')}</dd>
        <dt>{t('admin.invitations.expires')}</dt>
        <dd>{formatDate(lang, seen.expiresAt)}</dd>
        <dt>{t('admin.members.state')}</dt>
        <dd>
          <span class={`state ${seen.state === 'approved' ? 'ok' : seen.state === 'expired' ? 'danger' : 'wait'}`} data-testid="invitation-state">
            {seen.state === 'approved' ? '✓ ' : seen.state === 'expired' ? '✕ ' : '… '}
            {invitationStateLabel(lang, seen.state)}
          </span>
        </dd>
      </dl>

      {seen.state === 'waiting' ? <p aria-busy="true">{t('admin.invitation.waiting')}</p> : null}

      {seen.state === 'submitted' && seen.fingerprint ? (
        <section aria-labelledby="compare-title">
          <h3 id="compare-title">{t('admin.invitation.compareTitle')}</h3>
          <p>{t('admin.invitation.compareHow', { label: seen.label })}</p>
          <BigFingerprint value={seen.fingerprint} testid="answered-fingerprint" />
          {differs ? (
            <p role="alert" class="alert-banner" data-testid="fingerprint-differs">
              {t('admin.invitation.differs')}
            </p>
          ) : tools.root ? (
            <div class="grid">
              <button type="button" name="approve" aria-busy={action.busy} disabled={action.busy} onClick={() => void approve()}>
                {t('admin.invitation.same')}
              </button>
              <button type="button" class="secondary" name="differs" disabled={action.busy} onClick={() => setDiffers(true)}>
                {t('admin.invitation.notSame')}
              </button>
            </div>
          ) : (
            <p>{t('admin.needsRoot')}</p>
          )}
        </section>
      ) : null}

      {seen.state === 'approved' ? (
        <p role="status" class="state ok" data-testid="invitation-approved">
          ✓ {t('admin.invitation.approved', { label: seen.label })}
        </p>
      ) : null}
      {seen.state === 'expired' ? <p>{t('admin.invitation.expired')}</p> : null}
      <ErrorBanner text={action.error} />
      <p>
        <a href={href('admin/members')}>{t('admin.invitation.back')}</a>
      </p>
    </article>
  );
}
