// A revocation that commits while a message waits for the consent's share
// lock is seen by that message: the acceptance statement stores the message
// only if the consent rows its decision read are still the database's, and a
// statement that waited for a row lock compares the row as committed. Real
// PostgreSQL, the hub's own acceptance; the revocation's write is made by hand
// in an open transaction so that the message is caught waiting.
import t from 'tap';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, startTestHub } from '../../helpers/env.js';
import { ACCEPTANCE_STATEMENT, holdRows } from '../../helpers/row-lock.js';

const notesStored = `select count(*)::int as n from messages where type = 'note'`;

t.test('a message waiting on a revocation is refused when the revocation commits', async (t) => {
  const hub = await startTestHub(t);
  const { worker, consentId, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const note = (i: number) => worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { i }, ...underConsent });
  t.equal(await codeOf(note(1)), 'OK', 'accepted under the consent');

  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from consents where id = $1 for update', [consentId]);
  const sent = codeOf(note(2));
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.commit(['update consents set revoked_at = now() where id = $1', [consentId]]);
  t.equal(await sent, 'CONSENT_REVOKED', 'the message that waited sees the revocation');
  t.equal((await held.db.query(notesStored)).rows[0].n, 1, 'nothing stored for it');
  t.equal(await codeOf(note(3)), 'CONSENT_REVOKED', 'nor for the next');
});

t.test('a lock taken and released without a change lets the waiting message through', async (t) => {
  const hub = await startTestHub(t);
  const { worker, consentId, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const note = (i: number) => worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { i }, ...underConsent });
  t.equal(await codeOf(note(1)), 'OK');

  const held = await holdRows(t, hub.config.databaseUrl, 'select 1 from consents where id = $1 for update', [consentId]);
  const sent = codeOf(note(2));
  await held.statementWaits(ACCEPTANCE_STATEMENT);
  await held.rollback();
  t.equal(await sent, 'OK', 'accepted once the lock is released');
  t.equal((await held.db.query(notesStored)).rows[0].n, 2, 'both stored');
});
