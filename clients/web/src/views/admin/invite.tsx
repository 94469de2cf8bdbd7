/**
 * Inviting a person: the desk label, roles and inboxes their device will
 * have, and how long the invitation holds. The root key signs it; the page
 * shows, once, the link to give the person and the code to give by another
 * channel — neither is kept anywhere.
 */
import { useState } from 'preact/hooks';
import { ROLES, type Role } from '../../../../../protocol/schemas.js';
import { agencyInboxes } from '../../../../sdk/agencies.js';
import { invitationLink } from '../../../../sdk/admin.js';
import { useAction } from '../../lib/action.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { href } from '../../lib/router.js';
import { roleLabel } from '../../lib/vocabulary.js';
import { formatDate } from '../../lib/time.js';
import { ErrorBanner } from '../shared/feedback.js';
import { useAdmin } from './tools.js';

const VALIDITY_HOURS = [24, 72, 168, 720] as const;

export function InviteView() {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const inboxes = useLoad(() => agencyInboxes(tools.http, tools.agency), [tools.agency]);
  const [label, setLabel] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);
  const [hours, setHours] = useState<number>(72);
  const action = useAction();
  const [made, setMade] = useState<{ invitation: string; code: string; expiresAt: string; label: string } | null>(null);

  if (!tools.root) return <p>{t('admin.needsRoot')}</p>;
  const root = tools.root;
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));

  async function invite(e: Event) {
    e.preventDefault();
    if (roles.length === 0) return action.fail(t('admin.invite.rolesRequired'));
    await action.run(async () => {
      const res = await root.admin.invite({ label: label.trim(), roles, inboxes: chosen, validHours: hours });
      setMade({ ...res, label: label.trim() });
    });
  }

  if (made) {
    const link = invitationLink(location.origin, made);
    return (
      <article aria-labelledby="invited-title" data-testid="invitation-made">
        <h2 id="invited-title">{t('admin.invite.madeTitle', { label: made.label })}</h2>
        <p>{t('admin.invite.giveLink')}</p>
        <p class="link-box">
          <a href={link} data-testid="invitation-link">
            {link}
          </a>
        </p>
        <p>{t('admin.invite.orGiveCode')}</p>
        <dl class="review">
          <dt>{t('join.invitation')}</dt>
          <dd>
            <code data-testid="invitation-id">{made.invitation}</code>
          </dd>
          <dt>{t('join.code')}</dt>
          <dd>
            <code data-testid="invitation-code">{made.code}</code>
          </dd>
          <dt>{t('admin.invitations.expires')}</dt>
          <dd>{formatDate(lang, made.expiresAt)}</dd>
        </dl>
        <p>
          <strong>{t('admin.invite.onceOnly')}</strong>
        </p>
        <p>
          <a href={href(`admin/invitation/${made.invitation}`)} role="button" data-testid="follow-invitation">
            {t('admin.invite.follow')}
          </a>
        </p>
      </article>
    );
  }

  return (
    <form onSubmit={invite} aria-labelledby="invite-title" data-testid="invite-form">
      <h2 id="invite-title">{t('admin.invite.title')}</h2>
      <p>{t('admin.invite.intro')}</p>
      <label>
        {t('admin.members.label')}
        <input name="label" required minLength={1} maxLength={80} value={label} aria-describedby="label-help" onInput={(e) => setLabel(e.currentTarget.value)} />
        <small id="label-help">{t('admin.invite.labelHelp')}</small>
      </label>
      <fieldset>
        <legend>{t('admin.members.roles')}</legend>
        <div class="check-list">
          {ROLES.map((r) => (
            <label key={r}>
              <input type="checkbox" name="role" value={r} checked={roles.includes(r)} onChange={(e) => setRoles(toggle(roles, r, e.currentTarget.checked))} />
              {roleLabel(lang, r)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('admin.members.inboxes')}</legend>
        {inboxes.data && inboxes.data.length === 0 ? <p>{t('admin.inboxes.none')}</p> : null}
        <div class="check-list">
          {(inboxes.data ?? []).map((i) => (
            <label key={i.inbox}>
              <input type="checkbox" name="inbox" value={i.inbox} checked={chosen.includes(i.inbox)} onChange={(e) => setChosen(toggle(chosen, i.inbox, e.currentTarget.checked))} />
              <span>
                {i.names[lang]} <small>({i.inbox})</small>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        {t('admin.invite.validity')}
        <select name="validity" value={String(hours)} onChange={(e) => setHours(Number(e.currentTarget.value))}>
          {VALIDITY_HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {t('admin.invite.days', { count: h / 24 })}
            </option>
          ))}
        </select>
      </label>
      <ErrorBanner text={action.error} />
      <button type="submit" name="invite" disabled={action.busy} aria-busy={action.busy}>
        {t('admin.invite.submit')}
      </button>
    </form>
  );
}
