// The key directory: a client trusts a key only once the log shows it. A hub
// (or anyone with the database) that swaps a key is caught by the client.
import t from 'tap';
import pg from 'pg';
import { VigieClient } from '../../../clients/sdk/client.js';
import { DirectoryError } from '../../../clients/sdk/directory.js';
import { newAgencyKeys } from '../../../clients/sdk/keys.js';
import { signDocument } from '../../../protocol/signing.js';
import { fromB64u } from '../../../protocol/encoding.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { startTestHub } from '../../helpers/env.js';

t.test('a swapped key is refused; a logged key is trusted', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  t.ok(await worker.client.directory.inboxKey('police-laval/dispatch'), 'the police inbox key is in the log: trusted');

  // The operator (database access, no agency key) replaces the police root key with its own
  // and re-signs an inbox certificate for a key it holds: the classic interception.
  const attacker = newAgencyKeys(crypto, 'police-laval');
  const registration = signDocument(crypto, 'agency-registration', {
    type: 'agency', v: 1, agency: 'police-laval', kind: 'police', names: { fr: 'Police Laval', en: 'Laval police' }, rootKey: attacker.root.publicKey, issuedAt: new Date().toISOString(),
  }, fromB64u(attacker.root.secretKey));
  const trap = crypto.boxKeypair();
  const inbox = signDocument(crypto, 'inbox-certificate', {
    type: 'inbox', v: 1, agency: 'police-laval', inbox: 'police-laval/dispatch', names: { fr: 'Répartition', en: 'Dispatch' },
    encryptionKey: Buffer.from(trap.publicKey).toString('base64url'), keyVersion: 1, issuedAt: new Date().toISOString(),
  }, fromB64u(attacker.root.secretKey));
  const db = new pg.Client({ connectionString: hub.config.databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query('update agencies set root_key = $1, registration = $2 where id = $3', [attacker.root.publicKey, registration, 'police-laval']);
  await db.query('update inboxes set encryption_key = $1, certificate = $2 where id = $3', [inbox.document.encryptionKey, inbox, 'police-laval/dispatch']);

  // A device that never talked to police before has nothing pinned: only the log can save it.
  const fresh = await VigieClient.connect({ url: hub.url, keys: worker.keys });
  const err = await fresh.directory.inboxKey('police-laval/dispatch').then(() => null, (e: unknown) => e);
  t.ok(err instanceof DirectoryError, 'the swapped key is refused');
  t.equal((err as DirectoryError).code, 'KEY_NOT_IN_LOG');
  const send = await fresh.send({ type: 'danger_alert', urgency: 'immediate', recipients: ['police-laval/dispatch'], content: { text: 'x' }, ...underDanger }).then(() => 'sent', (e: { code?: string }) => e.code);
  t.equal(send, 'KEY_NOT_IN_LOG', 'nothing is encrypted to a key the log does not show');
});
