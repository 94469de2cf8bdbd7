/**
 * One case: its consents and their states, and the messages this device sent
 * for it with their states, live. A consent is recorded here, and every
 * message starts here.
 */
import { CASE_REFERENCE_PATTERN } from '../../../../../protocol/schemas.js';
import { errorText } from '../../lib/errors.js';
import { useLang } from '../../lib/lang.js';
import { useLoad } from '../../lib/load.js';
import { href } from '../../lib/router.js';
import type { MemberSession } from '../../lib/session.js';
import { caseHref } from './cases.js';
import { ConsentList } from './consents.js';

import { sentMessages } from './store.js';
import { MessageRow } from './timeline.js';

const PATTERN = new RegExp(CASE_REFERENCE_PATTERN);

export function CaseView({ member, caseRef }: { member: MemberSession; caseRef: string }) {
  const { t, lang } = useLang();
  const consents = useLoad(() => member.client.consents({ case: caseRef }), [member.client, caseRef]);
  if (!PATTERN.test(caseRef)) {
    return (
      <article>
        <p role="alert">{t('shelter.case.badReference')}</p>
        <a href={href('shelter')}>{t('shelter.cases.title')}</a>
      </article>
    );
  }
  const sent = sentMessages(member.keys.member, caseRef);
  return (
    <article>
      <p>
        <a href={href('shelter')}>{t('shelter.backToCases')}</a>
      </p>
      <h1>{t('shelter.case.title', { case: caseRef })}</h1>
      <nav class="case-actions" aria-label={t('shelter.case.actions')}>
        <a role="button" href={caseHref(caseRef, 'send')} data-testid="compose-link">
          {t('shelter.case.send')}
        </a>
        <a role="button" class="secondary" href={caseHref(caseRef, 'consent')} data-testid="consent-link">
          {t('shelter.case.recordConsent')}
        </a>
      </nav>
      <section aria-labelledby="case-consents">
        <h2 id="case-consents">{t('shelter.case.consents')}</h2>
        {consents.error ? <p role="alert">{errorText(lang, consents.error)}</p> : null}
        {consents.data ? <ConsentList consents={consents.data} client={member.client} onChanged={consents.reload} /> : !consents.error ? <p aria-busy="true">{t('common.loading')}</p> : null}
      </section>
      <section aria-labelledby="case-messages">
        <h2 id="case-messages">{t('shelter.case.messages')}</h2>
        {sent.length === 0 ? (
          <p>{t('shelter.case.noMessage')}</p>
        ) : (
          <div class="overflow-auto">
            <table class="striped">
              <thead>
                <tr>
                  <th scope="col">{t('shelter.message.type')}</th>
                  <th scope="col">{t('shelter.case.sentAt')}</th>
                  <th scope="col">{t('shelter.case.state')}</th>
                </tr>
              </thead>
              <tbody>
                {sent.map((m) => (
                  <MessageRow key={m.id} member={member} caseRef={caseRef} id={m.id} sentAt={m.sentAt} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p>
          <small>{t('shelter.case.messagesHere')}</small>
        </p>
      </section>
    </article>
  );
}
