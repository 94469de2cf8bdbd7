// Issue 12, part 2: whoever can write the hub's database (the least-privileged
// hub role suffices) replaces the police's root key and inbox certificate,
// inserts matching key-registration leaves and lets the sequencer sign them.
// A fresh client still refuses to encrypt to the substituted key (the
// protocol the shelter signed names the police's real root key), the audit
// reports the second registration, and a monitor following the log raises it.
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { VigieClient } from '../../../clients/sdk/client.js';
import { Directory, DirectoryError } from '../../../clients/sdk/directory.js';
import { LogVerifier } from '../../../clients/sdk/log-verifier.js';
import { auditLog } from '../../../clients/sdk/audit.js';
import { filePinStore } from '../../../clients/sdk/pin-file.js';
import { canonicalize } from '../../../protocol/canonical.js';
import { toB64u } from '../../../protocol/encoding.js';
import { committedLeaf } from '../../../protocol/log/commitment.js';
import { parseCheckpoint } from '../../../protocol/log/checkpoint.js';
import { parseNote } from '../../../protocol/log/note.js';
import type { AgencyRegistration, InboxCertificate } from '../../../protocol/schemas.js';
import { signDocument } from '../../../protocol/signing.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { cliRunner, TEST_KEY_COST } from '../../helpers/cli.js';
import { writeKeyDir } from '../../../clients/harness/key-dir.js';
import { eventually, hubRoleConnection, startTestHub, tempDir } from '../../helpers/env.js';

const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

t.test('a database writer cannot make a client encrypt to its key, and is seen', async (t) => {
  const crypto = await loadSodium();
  const hub = await startTestHub(t);
  const { shelter, worker, underDanger } = await enrolPartners(hub.url, hub.operatorToken);
  const home = tempDir(t);
  const pins = join(home, 'pins.json');
  const alert = { type: 'danger_alert' as const, recipients: ['police-laval/dispatch'], content: { text: 'il arrive' }, ...underDanger };
  // The device knows its own agency's root key from its enrolment; nothing else.
  const fresh = () => VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey }, pinStore: filePinStore(pins) });
  t.ok((await (await fresh()).send(alert)).id, 'before the attack, the alert goes');
  t.match(filePinStore(pins).load(), { 'police-laval': /./, 'shelter-laval': shelter.keys.root.publicKey }, 'the police root key is pinned, and kept between runs');

  // The attack, as the hub's least-privileged database role.
  const admin = new pg.Client({ connectionString: hub.config.databaseUrl });
  await admin.connect();
  t.teardown(() => admin.end());
  const writer = await hubRoleConnection(t, hub.config.databaseUrl!);

  const root = crypto.signKeypair();
  const inboxKey = crypto.boxKeypair();
  const now = new Date().toISOString();
  const registration = signDocument<AgencyRegistration>(
    crypto,
    'agency-registration',
    { type: 'agency', v: 1, agency: 'police-laval', kind: 'police', names: { fr: 'Police Laval', en: 'Laval police' }, rootKey: toB64u(root.publicKey), issuedAt: now },
    root.secretKey,
  );
  const certificate = signDocument<InboxCertificate>(
    crypto,
    'inbox-certificate',
    { type: 'inbox', v: 1, agency: 'police-laval', inbox: 'police-laval/dispatch', names: { fr: 'Répartition', en: 'Dispatch' }, encryptionKey: toB64u(inboxKey.publicKey), keyVersion: 1, issuedAt: now },
    root.secretKey,
  );
  const hash = (doc: unknown) => toB64u(sha256(new TextEncoder().encode(canonicalize(doc))));
  await writer.query('update agencies set root_key = $1, registration = $2 where id = $3', [toB64u(root.publicKey), registration, 'police-laval']);
  await writer.query('update inboxes set encryption_key = $1, certificate = $2 where id = $3', [toB64u(inboxKey.publicKey), certificate, 'police-laval/dispatch']);
  const leaf = (type: string, subject: string, fields: Record<string, unknown>) => {
    const record = canonicalize({ v: 1, type, at: now, ...fields });
    const salt = randomBytes(32);
    return [type, subject, committedLeaf(sha256, record, salt), record, toB64u(salt)];
  };
  for (const l of [
    leaf('key.agency_registered', 'police-laval', { agency: 'police-laval', kind: 'police', rootKey: toB64u(root.publicKey), registrationHash: hash(registration) }),
    leaf('key.inbox_registered', 'police-laval/dispatch', { agency: 'police-laval', inbox: 'police-laval/dispatch', encryptionKey: toB64u(inboxKey.publicKey), keyVersion: 1, certificateHash: hash(certificate) }),
  ]) {
    await writer.query('insert into log_queue (kind, subject, data, record, salt) values ($1, $2, $3, $4, $5)', l);
  }
  await hub.app.disclosureLog.flush();
  const total = (await admin.query('select count(*)::int as n from log_leaves')).rows[0].n as number;
  await eventually(async () => parseCheckpoint(parseNote(await (await fetch(`${hub.url}/v1/log/checkpoint`)).text()).text).size === total);

  // A fresh client — pins from the last run gone too — still refuses to encrypt to the substituted key:
  // the log's first registration of the police is another key.
  const stranger = await VigieClient.connect({ url: hub.url, keys: worker.keys, pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey } });
  const refused = await stranger.send(alert).then(() => null, (e: unknown) => e);
  t.ok(refused instanceof DirectoryError, 'refused on the device');
  t.equal((refused as DirectoryError).code, 'KEY_NOT_IN_LOG', 'the key the log registered first for the police is another one');
  // And were the log itself rewritten to match (its key stolen), the protocol the shelter signed still names the real key.
  const unlogged = new Directory(stranger.http, crypto, new LogVerifier(stranger.http, crypto, {}), { ownAgency: 'shelter-laval', pinnedRoots: { 'shelter-laval': shelter.keys.root.publicKey }, requireLogProof: false });
  const anchored = await unlogged.inboxKey('police-laval/dispatch', underDanger.protocol!).then(() => null, (e: unknown) => e as DirectoryError);
  t.equal(anchored?.code, 'ROOT_KEY_MISMATCH', 'without the log, the protocol’s fingerprint refuses it');
  const pinned = await (await fresh()).send(alert).then(() => null, (e: unknown) => e as DirectoryError);
  t.equal(pinned?.code, 'ROOT_KEY_CHANGED', 'a device that pinned the real key refuses too');
  const stored = await admin.query('select count(*)::int as n from messages');
  t.equal(stored.rows[0].n, 1, 'nothing was encrypted to the attacker and sent');

  // The audit reports it.
  const logKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  const report = await eventually(async () => {
    const r = await auditLog({ url: hub.url, logKey, full: true, token: () => stranger.accessToken() }, crypto);
    return r.keyEvents !== null && r.alarms.length >= 2 ? r : null;
  });
  t.notOk(report.ok, 'the audit fails');
  t.same(
    report.alarms.map((a) => `${a.code} ${a.subject}`).sort(),
    ['INBOX_KEY_UNEXPLAINED police-laval/dispatch', 'KEY_REGISTERED_TWICE police-laval'],
    'a second root key for the police, and an inbox key no rotation explains',
  );

  // And the monitor raises it, in the person's language.
  const passphrase = 'phrase de passe du poste de surveillance';
  const watcher = join(home, 'watcher');
  writeKeyDir(crypto, watcher, worker.keys, passphrase, TEST_KEY_COST);
  const cli = cliRunner(t, { hubUrl: hub.url, cwd: home, passphrase });
  const watched = await cli.run(watcher, ['audit', 'watch', '--interval', '1', '--rounds', '1']);
  t.equal(watched.code, 4, 'exit 4: an alarm');
  t.match(watched.stderr, /ALERTE KEY_REGISTERED_TWICE — police-laval \(entrée \d+\) : une deuxième clé racine/, 'in French by default');
  t.match(watched.stderr, /ALERTE INBOX_KEY_UNEXPLAINED — police-laval\/dispatch/);
  const english = await cli.run(watcher, ['audit', 'watch', '--interval', '1', '--rounds', '1', '--lang', 'en', '--json']);
  const alarms = english.stdout.trim().split('\n').map((l) => JSON.parse(l) as { alarm: string; subject: string });
  t.ok(alarms.some((a) => a.alarm === 'KEY_REGISTERED_TWICE' && a.subject === 'police-laval'), 'and as JSON for a supervisor');
});
