// A revocation that commits while a message waits for the consent's share
// lock is seen by that message: the acceptance statement stores the message
// only if the consent rows its decision read are still the database's, and a
// statement that waited for a row lock compares the row as committed. Real
// PostgreSQL, the hub's own acceptance; the revocation's write is made by hand
// in an open transaction so that the message is caught waiting (seen in
// pg_stat_activity, not slept for).
import t from 'tap';
import pg from 'pg';
import { enrolPartners } from '../../helpers/agencies.js';
import { codeOf, eventually, startTestHub } from '../../helpers/env.js';

/** True once another session of the hub's database waits for a lock. */
const someoneWaitsOnLock = async (db: pg.Client) =>
  (await db.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'`)).rows[0].n > 0;

t.test('a message waiting on a revocation is refused when the revocation commits', async (t) => {
  const hub = await startTestHub(t);
  const { worker, consentId, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const note = (i: number) => worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { i }, ...underConsent });
  t.equal(await codeOf(note(1)), 'OK', 'accepted under the consent');

  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  // The revocation's transaction, held open at its row lock.
  await db.query('begin');
  await db.query('select 1 from consents where id = $1 for update', [consentId]);
  const sent = codeOf(note(2));
  await eventually(() => someoneWaitsOnLock(db));
  await db.query('update consents set revoked_at = now() where id = $1', [consentId]);
  await db.query('commit');
  t.equal(await sent, 'CONSENT_REVOKED', 'the message that waited sees the revocation');
  t.equal((await db.query(`select count(*)::int as n from messages where type = 'note'`)).rows[0].n, 1, 'nothing stored for it');
  t.equal(await codeOf(note(3)), 'CONSENT_REVOKED', 'nor for the next');
});

t.test('a lock taken and released without a change lets the waiting message through', async (t) => {
  const hub = await startTestHub(t);
  const { worker, consentId, underConsent } = await enrolPartners(hub.url, hub.operatorToken);
  const note = (i: number) => worker.client.send({ type: 'note', recipients: ['police-laval/dispatch'], content: { i }, ...underConsent });
  t.equal(await codeOf(note(1)), 'OK');

  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query('begin');
  await db.query('select 1 from consents where id = $1 for update', [consentId]);
  const sent = codeOf(note(2));
  await eventually(() => someoneWaitsOnLock(db));
  await db.query('rollback');
  t.equal(await sent, 'OK', 'accepted once the lock is released');
  t.equal((await db.query(`select count(*)::int as n from messages where type = 'note'`)).rows[0].n, 2, 'both stored');
});
