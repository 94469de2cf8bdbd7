// `vigie audit` end to end: a real hub process on PostgreSQL, partners
// enrolled through the SDK, and the real CLI run as child processes by an
// auditor and a shelter worker — verifying the disclosure log, downloading a
// message's acceptance proof and proving it offline, reading the register; then a
// database superuser rewrites a logged leaf and the full audit catches it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { enrolDevice } from '../../clients/harness/enrol.js';
import { ROOT, startHubProcess } from '../../clients/harness/hub-process.js';
import { PATHS } from '../../server/paths.js';
import { VigieApiError } from '../../clients/sdk/http.js';
import { formatWitnessVkey } from '../../protocol/log/cosignature.js';
import { loadSodium } from '../../protocol/sodium.js';
import { enrolPartners } from '../helpers/agencies.js';
import { writeKeyDir } from '../../clients/harness/key-dir.js';
import { TEST_KEY_COST } from '../helpers/cli.js';
import { createTestDatabase, eventually, REDIS_TEST_URL, tempDir, testPrefix } from '../helpers/env.js';

const BIN = PATHS.cliBin;
const PASSPHRASE = 'correct horse battery staple';
/** Nothing listens there: a command given this hub can only succeed offline. */
const NO_HUB = 'http://127.0.0.1:9';

const crypto = await loadSodium();
const dir = tempDir(t, 'vigie-cli-audit');
const databaseUrl = await createTestDatabase(t, { migrated: true });
const hub = await startHubProcess({
  VIGIE_DATA_DIR: join(dir, 'hub'),
  DATABASE_URL: databaseUrl,
  REDIS_URL: REDIS_TEST_URL,
  VIGIE_QUEUE_PREFIX: testPrefix(t),
});
t.teardown(() => hub.stop());

const partners = await enrolPartners(hub.url, hub.operatorToken);
const auditor = await enrolDevice(hub.url, partners.shelter, 'verificateur-1', ['auditor'], []);
const home = { worker: join(dir, 'worker'), auditor: join(dir, 'auditor'), court: join(dir, 'court') };

writeKeyDir(crypto, home.worker, partners.worker.keys, PASSPHRASE, TEST_KEY_COST);
writeKeyDir(crypto, home.auditor, auditor.keys, PASSPHRASE, TEST_KEY_COST);
mkdirSync(home.court, { recursive: true });

const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_')));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function vigie(who: string, args: string[], opts: { hub?: string; cwd?: string } = {}): Promise<Run> {
  const child = spawn(process.execPath, [BIN, ...args, '--hub', opts.hub ?? hub.url], {
    cwd: opts.cwd ?? ROOT,
    env: { ...baseEnv, VIGIE_HOME: who, VIGIE_PASSPHRASE: PASSPHRASE, VIGIE_KDF: 'interactive' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d.toString()));
  child.stderr.on('data', (d: Buffer) => err.push(d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: out.join(''), stderr: err.join('') })));
}

// A danger alert under the shelter–police protocol and apprehended danger; its acceptance proof exists once a signed checkpoint covers it.
const sent = await partners.worker.client.send({
  type: 'danger_alert',
  recipients: ['police-laval/dispatch'],
  content: { text: 'Menace de mort ce soir.' },
  ...partners.underDanger,
});
await eventually(async () => {
  try {
    return await partners.worker.client.fetchAcceptanceProof(sent.id);
  } catch (err) {
    if (err instanceof VigieApiError && err.code === 'RECEIPT_PENDING') return null;
    throw err;
  }
}, 20_000, 100);
const hubLogKey = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
const stateFile = join(home.auditor, 'log-state.json');

t.test('audit verify --full checks every entry, pins the log key and saves the checkpoint', async (t) => {
  const first = await vigie(home.auditor, ['audit', 'verify', '--full', '--progress']);
  t.equal(first.code, 0, 'exit 0', { stdout: first.stdout, stderr: first.stderr });
  const size = Number(/Taille : (\d+) entrées/.exec(first.stdout)?.[1]);
  t.ok(size >= 5, 'prints the size of the log');
  t.match(first.stdout, `Entrées recalculées jusqu’à la racine signée : ${size} sur ${size}`);
  t.match(first.stdout, /premier audit de ce journal/);
  t.match(first.stdout, /OK : journal conforme/);
  t.match(first.stderr, `${size} / ${size} entrées vérifiées (100 %)`, 'progress on stderr with --progress');
  t.match(first.stderr, `Clé du journal épinglée (première utilisation) dans ${join(home.auditor, 'log-trust.json')} : ${hubLogKey}`, 'pinning is announced with the key');
  const trust = JSON.parse(readFileSync(join(home.auditor, 'log-trust.json'), 'utf8')) as Record<string, { logKey: string }>;
  t.equal(trust[hub.url]?.logKey, hubLogKey, 'the key the hub publishes is pinned for that hub');
  const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, { size: number }>;
  t.equal(Object.values(saved)[0]?.size, size, 'the verified checkpoint is saved');

  const second = await vigie(home.auditor, ['audit', 'verify', '--json']);
  t.equal(second.code, 0, 'exit 0', { stderr: second.stderr });
  const report = JSON.parse(second.stdout) as { ok: boolean; size: number; logKeySource: string; pinned: boolean; previous: { size: number } | null };
  t.same([report.ok, report.logKeySource, report.pinned], [true, 'pinned', false], 'the pinned key is used and not pinned again');
  t.equal(report.previous?.size, size, 'checked against the saved checkpoint');
  t.ok(report.size >= size);
  t.notMatch(second.stderr, /épinglée/);

  const witness = formatWitnessVkey(crypto, 'witness.test/oversight', crypto.signKeypair().publicKey);
  const [unwitnessed, wrongKey] = await Promise.all([
    vigie(home.auditor, ['audit', 'verify', '--witness', witness, '--state', join(dir, 'witnessed-state.json')]),
    vigie(home.auditor, ['audit', 'verify', '--log-key', 'vigie.local/disclosure-log+00000000+AQ==']),
  ]);
  t.equal(unwitnessed.code, 4, 'a witness that did not cosign fails the quorum (all --witness by default)');
  t.match(unwitnessed.stdout, 'PROBLÈME QUORUM_NOT_MET : trop peu de témoins reconnus ont cosigné');
  t.notOk(existsSync(join(dir, 'witnessed-state.json')), 'nothing is saved from a failed audit');
  t.equal(wrongKey.code, 2, 'a malformed --log-key is a usage error');
});

t.test('audit proof downloads the proof; audit prove checks it offline', async (t) => {
  const got = await vigie(home.worker, ['audit', 'proof', sent.id], { cwd: dir });
  t.equal(got.code, 0, 'exit 0', { stderr: got.stderr });
  const file = join(dir, `${sent.id}.tlog-proof.json`);
  t.ok(existsSync(file), 'written to <message-id>.tlog-proof.json by default');
  t.match(got.stdout, `Preuve d’acceptation du message ${sent.id}`);
  const receipt = JSON.parse(readFileSync(file, 'utf8')) as { message: string; leaf: string; record: string; bundle: string };
  t.equal(receipt.message, sent.id);
  t.match(receipt.bundle, /^c2sp\.org\/tlog-proof@v1\n/);

  const altered = join(dir, 'altered.tlog-proof.json');
  // What a person reads is the record: rewritten, it no longer matches the leaf's commitment.
  writeFileSync(altered, JSON.stringify({ ...receipt, record: receipt.record.replace('danger_alert', 'note') }));
  // The auditor pinned the log key above; nothing listens at NO_HUB.
  const [proved, byKey, noKey, refused, refusedJson] = await Promise.all([
    vigie(home.auditor, ['audit', 'prove', file], { hub: NO_HUB }),
    vigie(home.court, ['audit', 'prove', file, '--log-key', hubLogKey, '--lang', 'en'], { hub: NO_HUB }),
    vigie(home.court, ['audit', 'prove', file], { hub: NO_HUB }),
    vigie(home.auditor, ['audit', 'prove', altered], { hub: NO_HUB }),
    vigie(home.auditor, ['audit', 'prove', altered, '--json'], { hub: NO_HUB }),
  ]);
  t.equal(proved.code, 0, 'exit 0 offline with the pinned key', { stdout: proved.stdout, stderr: proved.stderr });
  t.match(proved.stdout, `Message ${sent.id}, journalisé par le carrefour`);
  t.match(proved.stdout, 'Type : Alerte de danger\n');
  t.match(proved.stdout, 'Organisme émetteur : shelter-laval (shelter-laval/intake)');
  t.match(proved.stdout, 'Destinataires : police-laval/dispatch');
  t.match(proved.stdout, 'Fondement juridique : Danger appréhendé (sans consentement)');
  t.match(proved.stdout, /Accepté par le carrefour le : \d{4}-\d\d-\d\d/);
  t.match(proved.stdout, /^OK : cette preuve établit/m);

  t.equal(byKey.code, 0, 'a third party with the published key checks it too', { stderr: byKey.stderr });
  t.match(byKey.stdout, 'Type: Danger alert\n');
  t.equal(noKey.code, 1, 'without any key to trust, nothing is claimed');
  t.match(noKey.stderr, /aucune clé épinglée pour le journal/);

  t.equal(refused.code, 4, 'a changed record is exit 4', { stdout: refused.stdout, stderr: refused.stderr });
  t.match(refused.stdout, /PREUVE NON VALIDE .*ce que dit la preuve ne correspond pas à l’empreinte journalisée/);
  t.notMatch(refused.stdout, /Type :/, 'nothing the altered proof says is shown as proven');
  t.equal(refusedJson.code, 4);
  t.equal((JSON.parse(refusedJson.stdout) as { reason: string }).reason, 'RECORD_MISMATCH');
});

t.test('audit watch keeps watching a hub that does not answer, and says so', async (t) => {
  const watched = await vigie(home.court, ['audit', 'watch', '--log-key', hubLogKey, '--interval', '0.05', '--rounds', '4'], { hub: NO_HUB });
  t.equal(watched.code, 4, 'an alarm after three rounds without an answer, not a crash');
  t.match(watched.stderr, /ne répond pas \(1 fois de suite\); nouvel essai au prochain tour/);
  t.match(watched.stderr, /ALERTE HUB_UNREACHABLE — .* : aucune réponse 3 tours de suite/);
});

t.test('audit register lists the communications for an auditor', async (t) => {
  const listed = await vigie(home.auditor, ['audit', 'register', '--type', 'danger_alert', '--legal-basis', 'apprehended_danger']);
  t.equal(listed.code, 0, 'exit 0', { stderr: listed.stderr });
  t.match(listed.stdout, 'Alerte de danger');
  t.match(listed.stdout, 'shelter-laval/intake → police-laval/dispatch');
  t.match(listed.stdout, sent.id);
  t.match(listed.stdout, /1 communication\(s\)\./);

  const csv = join(dir, 'registre.csv');
  const [fr, en] = await Promise.all([
    vigie(home.auditor, ['audit', 'register', '--csv', '--out', csv]),
    vigie(home.auditor, ['audit', 'register', '--csv', '--lang', 'en']),
  ]);
  t.equal(fr.code, 0, 'exit 0', { stderr: fr.stderr });
  t.match(readFileSync(csv, 'utf8'), /^"index","date","événement",.*"type de message"/, 'French headers');
  t.match(en.stdout, /^"index","date","event",.*"message type"/, 'English headers with --lang en');
  t.match(en.stdout, sent.id);

  const notAuditor = await vigie(home.worker, ['audit', 'register']);
  t.equal(notAuditor.code, 1, 'a device without the auditor role is refused by the hub');
  const badDate = await vigie(home.auditor, ['audit', 'register', '--from', '2026-02-30']);
  t.equal(badDate.code, 2, 'an impossible date is a usage error');
});

t.test('a leaf rewritten in the database is detected by the full audit', async (t) => {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  t.teardown(() => db.end());
  await db.query('begin');
  await db.query('set local session_replication_role = replica');
  // The leaf is a commitment: one character of it changed.
  const updated = await db.query("update log_leaves set data = overlay(data placing (case when substr(data, 16, 1) = 'A' then 'B' else 'A' end) from 16 for 1) where kind = 'message.accepted'");
  await db.query('commit');
  t.equal(updated.rowCount, 1, 'the superuser rewrote the logged alert');
  const stateBefore = readFileSync(stateFile, 'utf8');

  const [fr, en] = await Promise.all([
    vigie(home.auditor, ['audit', 'verify', '--full']),
    vigie(home.auditor, ['audit', 'verify', '--full', '--lang', 'en']),
  ]);
  t.equal(fr.code, 4, 'exit 4', { stdout: fr.stdout, stderr: fr.stderr });
  t.match(fr.stdout, 'PROBLÈME ROOT_MISMATCH : les entrées fournies par le carrefour ne redonnent pas la racine signée');
  t.match(fr.stdout, /ÉCHEC : 1 problème\(s\) détecté\(s\)/);
  t.equal(en.code, 4, 'exit 4', { stdout: en.stdout, stderr: en.stderr });
  t.match(en.stdout, 'PROBLEM ROOT_MISMATCH: the entries the hub serves do not hash to the signed root');
  t.equal(readFileSync(stateFile, 'utf8'), stateBefore, 'a failed audit leaves the reference checkpoint alone');

  const still = await vigie(home.auditor, ['audit', 'prove', join(dir, `${sent.id}.tlog-proof.json`)], { hub: NO_HUB });
  t.equal(still.code, 0, 'the proof taken before the rewrite still shows what was logged');
  t.match(still.stdout, 'Type : Alerte de danger\n');
});
