/**
 * The administrator's area: the agency's inboxes, its members and their
 * devices (invite, compare and approve, revoke), its protocols (read, sign,
 * co-sign, retire) and the partner root keys this browser pinned. Opened by
 * the agency's root key on this browser — which signs — or by a member with
 * the admin role, who reads: every action that needs the root key says so
 * instead of failing.
 */
import type { Route } from '../../lib/router.js';
import { href } from '../../lib/router.js';
import { useLang } from '../../lib/lang.js';
import type { WordKey } from '../../words/index.js';
import { InboxesView } from './inboxes.js';
import { InvitationView } from './invitation.js';
import { InviteView } from './invite.js';
import { MembersView } from './members.js';
import { PartnersView } from './partners.js';
import { LoadProtocolView } from './protocol-load.js';
import { ProtocolView } from './protocol-view.js';
import { ProtocolsView } from './protocols.js';
import { useAdmin } from './tools.js';
import './admin.css';

type Tab = 'inboxes' | 'members' | 'protocols' | 'partners';
const TABS: [Tab, WordKey][] = [
  ['inboxes', 'admin.tab.inboxes'],
  ['members', 'admin.tab.members'],
  ['protocols', 'admin.tab.protocols'],
  ['partners', 'admin.tab.partners'],
];
/** Which tab a sub-view belongs to. */
const TAB_OF: Record<string, Tab> = { invite: 'members', invitation: 'members', protocol: 'protocols', load: 'protocols' };

export function AdminArea({ route }: { route: Route }) {
  const { t } = useLang();
  const tools = useAdmin();
  const view = route.parts[1] ?? 'inboxes';
  const tab = (TAB_OF[view] ?? (TABS.some(([k]) => k === view) ? view : 'inboxes')) as Tab;
  return (
    <section>
      <hgroup>
        <h1>{t('nav.admin')}</h1>
        <p>{t(tools.root ? 'admin.withRoot' : 'admin.readOnly', { agency: tools.agency })}</p>
      </hgroup>
      <nav class="admin-tabs" aria-label={t('admin.tabs')}>
        <ul>
          {TABS.map(([key, word]) => (
            <li key={key}>
              <a href={href(`admin/${key}`)} aria-current={key === tab ? 'page' : undefined} data-testid={`admin-tab-${key}`}>
                {t(word)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {view === 'members' ? <MembersView /> : null}
      {view === 'invite' ? <InviteView /> : null}
      {view === 'invitation' && route.parts[2] ? <InvitationView id={route.parts[2]} /> : null}
      {view === 'protocols' ? <ProtocolsView /> : null}
      {view === 'protocol' && route.parts[2] && route.parts[3] ? <ProtocolView id={route.parts[2]} version={Number(route.parts[3])} /> : null}
      {view === 'load' ? <LoadProtocolView /> : null}
      {view === 'partners' ? <PartnersView /> : null}
      {tab === 'inboxes' ? <InboxesView /> : null}
    </section>
  );
}
