/**
 * The agency's members and their devices: who reads which inbox with which
 * roles, active or revoked; the invitations issued and where each stands;
 * revoking a device (confirmed first), which replaces the key of every inbox
 * it could read.
 */
import { useState } from 'preact/hooks';
import { agencyInboxes } from '../../../../sdk/agencies.js';
import type { AgencyMember } from '../../../../sdk/roster.js';
import { useAction } from '../../lib/action.js';
import { useLang, type Lang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { href } from '../../lib/router.js';
import { invitationStateLabel, memberStateLabel, roleLabel } from '../../lib/vocabulary.js';
import { formatDate } from '../../lib/time.js';
import { useAdmin } from './tools.js';
import { ConfirmDialog } from '../shared/confirm-dialog.js';
import { DoneNote, LoadedList } from '../shared/feedback.js';
import { TableRegion } from './widgets.js';

/** Inbox addresses as their names in the person's language (the address when the name is unknown). */
export function useInboxNames(): (inbox: string) => string {
  const { lang } = useLang();
  const tools = useAdmin();
  const inboxes = useLoad(() => agencyInboxes(tools.http, tools.agency), [tools.agency]);
  return (inbox) => inboxes.data?.find((i) => i.inbox === inbox)?.names[lang] ?? inbox;
}

export const rolesText = (lang: Lang, roles: string[]) => roles.map((r) => roleLabel(lang, r)).join(', ');

export function MembersView() {
  const { t, lang } = useLang();
  const tools = useAdmin();
  const members = useLoad(() => tools.members(), [tools.agency]);
  const invitations = useLoad(() => tools.invitations(), [tools.agency]);
  const inboxName = useInboxNames();
  const [revoking, setRevoking] = useState<AgencyMember | null>(null);
  const action = useAction();
  const [done, setDone] = useState<string | null>(null);
  const inboxList = (inboxes: string[]) => (inboxes.length ? inboxes.map(inboxName).join(', ') : t('common.none'));

  async function revoke() {
    const root = tools.root;
    if (!revoking || !root) return;
    await action.run(async () => {
      const res = await root.admin.revokeMember(revoking.member);
      // New inbox keys replaced the old ones: sealed again at once.
      await root.save();
      setDone(t(res.rotated.length ? 'admin.members.revokedRotated' : 'admin.members.revokedDone', { label: revoking.label, inboxes: res.rotated.map(inboxName).join(', ') }));
      setRevoking(null);
      members.reload();
    });
  }

  return (
    <>
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t('admin.members.title')}</h2>
        {tools.root ? (
          <p>
            <a href={href('admin/invite')} role="button" data-testid="invite-link">
              {t('admin.members.invite')}
            </a>
          </p>
        ) : (
          <p>{t('admin.needsRoot')}</p>
        )}
        <DoneNote text={done} testid="members-done" />
        <LoadedList loaded={members} empty={t('admin.members.none')}>
          {(list) => (
            <TableRegion label={t('admin.members.title')}>
              <table data-testid="members-table">
                <thead>
                  <tr>
                    <th scope="col">{t('admin.members.label')}</th>
                    <th scope="col">{t('admin.members.roles')}</th>
                    <th scope="col">{t('admin.members.inboxes')}</th>
                    <th scope="col">{t('admin.members.state')}</th>
                    <th scope="col">{t('admin.members.fingerprint')}</th>
                    {tools.root ? <th scope="col">{t('admin.inboxes.actions')}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {list.map((m) => (
                    <tr key={m.member} data-member={m.member} data-label={m.label} class={m.revokedAt ? 'member-revoked' : undefined}>
                      <th scope="row">{m.label}</th>
                      <td>{rolesText(lang, m.roles)}</td>
                      <td>{inboxList(m.inboxes)}</td>
                      <td data-testid="member-state">
                        {!m.certified ? (
                          <span class="state danger">⚠ {t('admin.members.uncertified')}</span>
                        ) : m.revokedAt ? (
                          <span class="state danger">
                            ✕ {memberStateLabel(lang, 'revoked')} — {formatDate(lang, m.revokedAt)}
                          </span>
                        ) : (
                          <span class="state ok">✓ {memberStateLabel(lang, 'active')}</span>
                        )}
                      </td>
                      <td>
                        <span class="fingerprint-small">{m.fingerprint}</span>
                      </td>
                      {tools.root ? (
                        <td>
                          {!m.revokedAt && m.certified ? (
                            <button type="button" class="secondary" name="revoke" onClick={() => (action.fail(null), setDone(null), setRevoking(m))}>
                              {t('admin.members.revoke')}
                              <span class="visually-hidden"> — {m.label}</span>
                            </button>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )}
        </LoadedList>
      </section>

      <section aria-labelledby="invitations-title">
        <h2 id="invitations-title">{t('admin.invitations.title')}</h2>
        <LoadedList loaded={invitations} empty={t('admin.invitations.none')}>
          {(list) => (
            <TableRegion label={t('admin.invitations.title')}>
              <table data-testid="invitations-table">
                <thead>
                  <tr>
                    <th scope="col">{t('admin.members.label')}</th>
                    <th scope="col">{t('admin.members.roles')}</th>
                    <th scope="col">{t('admin.members.inboxes')}</th>
                    <th scope="col">{t('admin.members.state')}</th>
                    <th scope="col">{t('admin.invitations.expires')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((i) => (
                    <tr key={i.invitation} data-invitation={i.invitation} data-state={i.state}>
                      <th scope="row">
                        <a href={href(`admin/invitation/${i.invitation}`)}>{i.label}</a>
                      </th>
                      <td>{rolesText(lang, i.roles)}</td>
                      <td>{inboxList(i.inboxes)}</td>
                      <td>
                        <span class={`state ${i.state === 'submitted' ? 'wait' : i.state === 'approved' ? 'ok' : i.state === 'expired' ? 'danger' : 'wait'}`}>
                          {i.state === 'submitted' ? '⚠ ' : i.state === 'approved' ? '✓ ' : i.state === 'expired' ? '✕ ' : '… '}
                          {invitationStateLabel(lang, i.state)}
                        </span>
                        {i.state === 'submitted' && tools.root ? (
                          <p>
                            <a href={href(`admin/invitation/${i.invitation}`)} data-testid="compare-link">
                              {t('admin.invitations.compare')}
                            </a>
                          </p>
                        ) : null}
                      </td>
                      <td>{formatDate(lang, i.expiresAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          )}
        </LoadedList>
      </section>

      {revoking ? (
        <ConfirmDialog
          testid="revoke-dialog"
          title={t('admin.members.revokeTitle', { label: revoking.label })}
          confirm={t('admin.members.revokeConfirm')}
          busy={action.busy}
          error={action.error}
          onConfirm={() => void revoke()}
          onCancel={() => setRevoking(null)}
        >
          <p>{t('admin.members.revokeWhat', { label: revoking.label })}</p>
          <p>{t('admin.members.revokeInboxes', { inboxes: inboxList(revoking.inboxes) })}</p>
          <p>
            <strong>{t('admin.members.revokeFinal')}</strong>
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
