/**
 * The agency desk (issue 13, part 3): the live board (`#/desk`), an alert
 * opened and verified (`#/desk/alert/<id>/<inbox>`), an escalation that
 * reached this device's inboxes (`#/desk/escalation/<id>/<awaited inbox>`).
 * The alarm (sound, notifications, title) is the shell's DeskWatch: it calls
 * the person whatever view is open.
 */
import type { Route } from '../../lib/router.js';
import { useLang } from '../../lib/lang.js';
import { useOpen } from '../../lib/session.js';
import { AlertView } from './alert.js';
import { Board } from './board.js';
import { EscalationView } from './escalation.js';
import './desk.css';

export function DeskArea({ route }: { route: Route }) {
  const { t } = useLang();
  const member = useOpen().member;
  if (!member) return <p>{t('desk.noMember')}</p>;
  const [, view, id, inbox] = route.parts;
  return (
    <>
      {view === 'alert' && id ? <AlertView id={id} inbox={inbox} /> : null}
      {view === 'escalation' && id && inbox ? <EscalationView id={id} recipient={inbox} /> : null}
      {view !== 'alert' && view !== 'escalation' ? <Board member={member} /> : null}
    </>
  );
}
