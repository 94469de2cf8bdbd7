/**
 * The shelter worker's area (issue 13, part 2): cases under a pseudonymous
 * reference, consents, risk instruments, messages under a protocol in force,
 * and a live timeline per message.
 *
 * #/shelter                          the cases
 * #/shelter/case/<ref>               one case: consents, messages
 * #/shelter/case/<ref>/consent       record a consent
 * #/shelter/case/<ref>/send          write a message or an alert
 * #/shelter/case/<ref>/message/<id>  the timeline of a sent message
 */
import { useLang } from '../../lib/lang.js';
import type { Route } from '../../lib/router.js';
import { useOpen } from '../../lib/session.js';
import { Cases } from './cases.js';
import { CaseView } from './case-view.js';
import { Compose } from './compose.js';
import { ConsentForm } from './consent-form.js';
import { MessageView } from './timeline.js';
import './shelter.css';

export function ShelterArea({ route }: { route: Route }) {
  const { t } = useLang();
  const { member } = useOpen();
  if (!member) return <p role="alert">{t('shelter.noDevice')}</p>;
  const [, what, ref, sub, id] = route.parts;
  if (what === 'case' && ref) {
    if (sub === 'consent') return <ConsentForm key={ref} member={member} caseRef={ref} />;
    if (sub === 'send') return <Compose key={ref} member={member} caseRef={ref} />;
    if (sub === 'message' && id) return <MessageView key={id} member={member} caseRef={ref} id={id} />;
    return <CaseView key={ref} member={member} caseRef={ref} />;
  }
  return <Cases member={member} />;
}
