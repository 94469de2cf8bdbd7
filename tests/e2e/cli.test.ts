// The `vigie` command end to end: a real hub process, and the real CLI run as
// child processes by four people, each with their own key directory — the
// hub operator, two agency administrators, a shelter worker's device and a
// police dispatcher's device. The shelter–police protocol and the victim's
// consent are set up through the SDK with those same keys (the CLI side of
// protocols and consents is tested in cli-protocol.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { ROOT, startHubProcess } from '../../clients/harness/hub-process.js';
import { PATHS } from '../../server/paths.js';
import { AgencyAdmin } from '../../clients/sdk/admin.js';
import { VigieClient } from '../../clients/sdk/client.js';
import type { AgencyKeys, MemberKeys } from '../../clients/sdk/keys.js';
import { draftFromTemplate } from '../../clients/templates.js';
import { openKeyFile } from '../../protocol/keyfile.js';
import { loadSodium } from '../../protocol/sodium.js';

const BIN = PATHS.cliBin;
const PASSPHRASE = 'correct horse battery staple';
/** The agency root key's fingerprint as the administrator read it at enrolment. */
let rootPrint: string | undefined;
const ALERT = 'Menace de mort ce soir; la victime est à la maison d’hébergement.';
/** Every message names its protocol and legal basis: here the victim's consent for case DOSSIER-1. */
const UNDER_CONSENT = ['--protocol', 'shelter-police@1', '--legal-basis', 'consent', '--case', 'DOSSIER-1', '--purpose', 'victim_safety'];

const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const hub = await startHubProcess({ VIGIE_DATA_DIR: join(dir, 'hub') });
t.teardown(() => hub.stop());

const home = { operator: join(dir, 'operator'), shelter: join(dir, 'shelter-admin'), police: join(dir, 'police-admin'), worker: join(dir, 'worker'), officer: join(dir, 'officer') };

// The child's environment is ours minus any VIGIE_* setting, so the test does not depend on the shell it runs in.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_')));
/** Everything any run printed, to check at the end that no secret ever appeared. */
const transcript: string[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(who: string, args: string[], env: Record<string, string> = {}): ChildProcess & { out: string[]; err: string[] } {
  const child = spawn(process.execPath, [BIN, ...args, '--hub', hub.url], {
    cwd: ROOT,
    env: { ...baseEnv, VIGIE_HOME: who, VIGIE_PASSPHRASE: PASSPHRASE, VIGIE_KDF: 'interactive', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  }) as ChildProcess & { out: string[]; err: string[] };
  child.out = [];
  child.err = [];
  child.stdout!.on('data', (d: Buffer) => child.out.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => child.err.push(d.toString()));
  return child;
}

function vigie(who: string, args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const child = start(who, args, opts.env);
  child.stdin!.end(opts.input ?? '');
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const run = { code, stdout: child.out.join(''), stderr: child.err.join('') };
      transcript.push(run.stdout, run.stderr);
      resolve(run);
    }),
  );
}

const json = (run: Run) => JSON.parse(run.stdout) as Record<string, unknown>;
const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

async function until<T>(check: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test('help, language and usage errors', async (t) => {
  const [fr, envEn, unknownEn] = await Promise.all([
    vigie(home.operator, ['--help']),
    vigie(home.operator, ['send', '--help'], { env: { VIGIE_LANG: 'en' } }),
    vigie(home.operator, ['frobnicate', '--lang', 'en']),
  ]);
  t.equal(fr.code, 0);
  t.match(fr.stdout, /Commandes :/, 'French by default');
  t.match(fr.stdout, /member enrol/);
  t.equal(envEn.code, 0);
  t.match(envEn.stdout, /Encrypt, sign and send a message/, 'VIGIE_LANG=en switches to English');
  t.notMatch(envEn.stdout, /Chiffrer/);
  t.equal(unknownEn.code, 2, 'an unknown command is a usage error');
  t.match(unknownEn.stderr, /unknown command: frobnicate/, '--lang en switches to English');
});

t.test('agencies, inboxes and devices are enrolled through the CLI', async (t) => {
  const [shelterKeys, policeKeys] = await Promise.all([
    vigie(home.shelter, ['keys', 'agency', 'maison-halte', '--json']),
    vigie(home.police, ['keys', 'agency', 'police-laval', '--json']),
  ]);
  t.equal(shelterKeys.code, 0, 'exit 0', { stderr: shelterKeys.stderr });
  t.equal(policeKeys.code, 0, 'exit 0', { stderr: policeKeys.stderr });
  t.equal(json(shelterKeys).agency, 'maison-halte');
  const again = await vigie(home.shelter, ['keys', 'agency', 'maison-halte']);
  t.equal(again.code, 1, 'an existing root key is never overwritten');
  t.match(again.stderr, /existe déjà/);

  const operator = { env: { VIGIE_OPERATOR_TOKEN: hub.operatorToken } };
  const [admitShelter, admitPolice] = await Promise.all([
    vigie(home.operator, ['admit', 'maison-halte', '--kind', 'shelter', '--name-fr', 'Maison Halte', '--name-en', 'Halte House', '--json'], operator),
    vigie(home.operator, ['admit', 'police-laval', '--kind', 'police', '--name-fr', 'Police de Laval', '--name-en', 'Laval Police'], operator),
  ]);
  t.equal(admitShelter.code, 0, 'exit 0', { stderr: admitShelter.stderr });
  t.equal(admitPolice.code, 0, 'exit 0', { stderr: admitPolice.stderr });
  const shelterCode = json(admitShelter).code as string;
  t.match(admitPolice.stdout, /Code d’admission à usage unique/, 'human output names the code');
  const policeCode = admitPolice.stdout.trim().split('\n').at(-1)!;

  const registered = await Promise.all([
    vigie(home.shelter, ['agency', 'register', '--code', shelterCode, '--kind', 'shelter', '--name-fr', 'Maison Halte', '--name-en', 'Halte House']),
    vigie(home.police, ['agency', 'register', '--code', policeCode, '--kind', 'police', '--name-fr', 'Police de Laval', '--name-en', 'Laval Police']),
  ]);
  for (const r of registered) t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
  const inboxes = await Promise.all([
    vigie(home.shelter, ['inbox', 'create', 'intake', '--name-fr', 'Intervention', '--name-en', 'Intake']),
    vigie(home.police, ['inbox', 'create', 'dispatch', '--name-fr', 'Répartition', '--name-en', 'Dispatch']),
  ]);
  for (const r of inboxes) t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
  t.match(inboxes[1]!.stdout, /police-laval\/dispatch certifiée/);

  const [workerKeys, officerKeys] = await Promise.all([
    vigie(home.worker, ['keys', 'member', 'maison-halte']),
    vigie(home.officer, ['keys', 'member', 'police-laval']),
  ]);
  t.equal(workerKeys.code, 0, 'exit 0', { stderr: workerKeys.stderr });
  const workerPublic = json(workerKeys);
  t.same(Object.keys(workerPublic).sort(), ['agency', 'encryptionKey', 'member', 'signingKey'], 'only public keys are printed');
  const publicFile = join(dir, 'worker.pub.json');
  writeFileSync(publicFile, workerKeys.stdout);

  const enrolled = await Promise.all([
    vigie(home.shelter, ['member', 'enrol', '--public', publicFile, '--roles', 'sender,receiver', '--inbox', 'maison-halte/intake', '--label', 'intervenante-nuit']),
    vigie(home.police, ['member', 'enrol', '--public', '-', '--roles', 'sender,receiver', '--inbox', 'police-laval/dispatch', '--label', 'repartition-1'], { input: officerKeys.stdout }),
  ]);
  for (const r of enrolled) t.equal(r.code, 0, 'exit 0', { stderr: r.stderr });
  t.match(enrolled[0]!.stdout, /intervenante-nuit/);
  rootPrint = /Empreinte de la clé racine de maison-halte : ([0-9a-f]{4}(?: [0-9a-f]{4}){5})/.exec(enrolled[0]!.stdout)?.[1];
  t.ok(rootPrint, 'the administrator reads the agency root key’s fingerprint to the person');
});

t.test('key files are sealed and private to their owner', async (t) => {
  const crypto = await loadSodium();
  const agencyText = readFileSync(join(home.police, 'agency.key'), 'utf8');
  const agency = openKeyFile(crypto, JSON.parse(agencyText), PASSPHRASE) as AgencyKeys;
  const agencySecrets = [agency.root.secretKey, ...Object.values(agency.inboxes).map((i) => i.secretKey)];
  t.equal(agencySecrets.length, 2, 'the root key and the inbox key were stored');
  const memberText = readFileSync(join(home.officer, 'member.key'), 'utf8');
  const member = openKeyFile(crypto, JSON.parse(memberText), PASSPHRASE) as MemberKeys;
  for (const secret of [...agencySecrets, member.signing.secretKey, member.encryption.secretKey]) {
    t.notOk(agencyText.includes(secret) || memberText.includes(secret), 'no secret key in clear on disk');
    t.notOk(transcript.some((out) => out.includes(secret)), 'no secret key ever printed');
  }
  for (const file of [join(home.police, 'agency.key'), join(home.officer, 'member.key')]) {
    t.equal(statSync(file).mode & 0o777, 0o600, `${file} is 0600`);
  }
});

t.test('the shelter–police protocol is signed by both root keys; the victim consents', async (t) => {
  const crypto = await loadSodium();
  const open = <T>(who: string, file: string) => openKeyFile(crypto, JSON.parse(readFileSync(join(who, file), 'utf8')), PASSPHRASE) as T;
  const [shelterAdmin, policeAdmin] = await Promise.all([
    AgencyAdmin.create(hub.url, open<AgencyKeys>(home.shelter, 'agency.key')),
    AgencyAdmin.create(hub.url, open<AgencyKeys>(home.police, 'agency.key')),
  ]);
  const draft = draftFromTemplate('shelter-police', { shelter: 'maison-halte', police: 'police-laval' }, { rootKeys: { 'maison-halte': shelterAdmin.keys.root.publicKey, 'police-laval': policeAdmin.keys.root.publicKey } });
  const view = await shelterAdmin.submitProtocol(policeAdmin.signProtocol(shelterAdmin.signProtocol(draft)));
  t.equal(view.status, 'active');
  const client = await VigieClient.connect({ url: hub.url, keys: open<MemberKeys>(home.worker, 'member.key') });
  const consent = await client.recordConsent({
    id: randomUUID(),
    case: 'DOSSIER-1',
    recipients: ['police-laval'],
    purposes: ['victim_safety'],
    dataCategories: ['identity', 'location', 'threat'],
    evidenceHash: 'A'.repeat(43),
  });
  t.equal(consent.state, 'active');
});

t.test('a wrong passphrase is refused clearly, in both languages', async (t) => {
  const env = { VIGIE_PASSPHRASE: 'not the passphrase' };
  const [fr, en] = await Promise.all([
    vigie(home.worker, ['status', '00000000-0000-4000-8000-000000000000'], { env }),
    vigie(home.worker, ['status', '00000000-0000-4000-8000-000000000000', '--lang', 'en'], { env }),
  ]);
  t.equal(fr.code, 1);
  t.match(fr.stderr, /phrase de passe incorrecte/);
  t.equal(en.code, 1);
  t.match(en.stderr, /wrong passphrase/);
  t.notMatch(fr.stderr + en.stderr, /\n\s+at |ProtocolError|KEYFILE_INVALID/, 'a sentence, not a stack trace');
});

t.test('a danger alert is sent, received, decrypted, acknowledged', async (t) => {
  const listener = start(home.officer, ['listen', '--json']);
  t.teardown(() => void listener.kill('SIGKILL'));
  await until(() => (listener.out.join('').includes('"event":"ready"') ? true : undefined), 'the listener to be live');

  const sending = vigie(home.worker, ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', ALERT, '--category', 'identity,location', ...UNDER_CONSENT, '--wait-ack', '20']);
  const events = await until(() => {
    const parsed = lines(listener.out.join(''));
    return parsed.some((e) => e.event === 'message') ? parsed : undefined;
  }, 'the alert to reach the listener');
  const message = events.find((e) => e.event === 'message')!;
  // Receiving is not acknowledging: the dispatcher, having read it, acknowledges it.
  t.notOk(events.some((e) => e.event === 'acknowledged'), 'listen does not acknowledge what it prints');
  const ack = await vigie(home.officer, ['ack', message.id as string]);
  t.equal(ack.code, 0, 'vigie ack', { stderr: ack.stderr });

  const sent = await sending;
  t.equal(sent.code, 0, 'acknowledged in time', { stderr: sent.stderr });
  const id = /Message envoyé : ([0-9a-f-]{36})/.exec(sent.stdout)?.[1];
  t.ok(id, 'the message id is printed');
  t.match(sent.stdout, /PRIS EN CHARGE/);
  t.match(sent.stdout, /repartition-1/, 'with the certified label of who acknowledged');
  t.equal(message.id, id);
  t.equal(message.type, 'danger_alert');
  t.equal(message.urgency, 'immediate', 'danger alerts are immediate by default');
  t.same(message.content, { text: ALERT }, 'decrypted text');
  t.match(message.sender, { agency: 'maison-halte', label: 'intervenante-nuit', inbox: 'maison-halte/intake' });
  t.same(message.dataCategories, ['identity', 'location']);
  t.same(message.protocol, { id: 'shelter-police', version: 1 }, 'the protocol and the legal basis travel in the signed header');
  t.same(message.legalBasis, { code: 'consent', case: 'DOSSIER-1', purpose: 'victim_safety' });

  listener.kill('SIGINT');
  const exit = await new Promise<number | null>((r) => listener.on('close', r));
  t.equal(exit, 0, 'Ctrl-C exits cleanly');
  const saved = JSON.parse(readFileSync(join(home.officer, 'listen-state.json'), 'utf8')) as { cursor: string };
  t.not(saved.cursor, '0', 'the cursor was saved');
  const logKeys = JSON.parse(readFileSync(join(home.worker, 'known-log-keys.json'), 'utf8')) as Record<string, string>;
  const published = (await (await fetch(`${hub.url}/v1/log/key`)).text()).trim();
  t.same(Object.values(logKeys), [published], 'the device pinned the disclosure log key it verified keys against');

  const [status, statusJson] = await Promise.all([vigie(home.worker, ['status', id!]), vigie(home.worker, ['status', id!, '--json'])]);
  t.equal(status.code, 0, 'exit 0', { stderr: status.stderr });
  t.match(status.stdout, /police-laval\/dispatch : pris en charge/);
  t.match(status.stdout, /par repartition-1/);
  t.match(json(statusJson), { id, recipients: [{ inbox: 'police-laval/dispatch', state: 'acknowledged' }] });

  // The next listen resumes after what was already handled: nothing is shown twice.
  const again = start(home.officer, ['listen', '--json']);
  t.teardown(() => void again.kill('SIGKILL'));
  await until(() => (again.out.join('').includes('"event":"ready"') ? true : undefined), 'the second listener');
  again.kill('SIGINT');
  await new Promise((r) => again.on('close', r));
  t.notOk(lines(again.out.join('')).some((e) => e.event === 'message'), 'the alert is not delivered again');
});

t.test('nobody acknowledges: exit 3; a later `vigie ack` is recorded', async (t) => {
  const sent = await vigie(home.worker, ['send', '--to', 'police-laval/dispatch', '--type', 'note', '--text', 'Suivi', ...UNDER_CONSENT, '--wait-ack', '1', '--json']);
  t.equal(sent.code, 3, 'timeout');
  const events = lines(sent.stdout);
  t.match(events[0], { event: 'sent' });
  t.match(events.at(-1), { event: 'timeout', seconds: 1 });
  const id = events[0]!.id as string;

  const ack = await vigie(home.officer, ['ack', id]);
  t.equal(ack.code, 0, 'exit 0', { stderr: ack.stderr });
  t.match(ack.stdout, /Suivi/, 'the message is shown, decrypted, before it is acknowledged');
  t.match(ack.stdout, /Prise en charge signée/);
  const status = await vigie(home.worker, ['status', id, '--json']);
  t.equal((json(status).recipients as { state: string }[])[0]!.state, 'acknowledged');
});

t.test('hub refusals name their code; a revoked device is shut out', async (t) => {
  // The device pinned its agency's root key at its first connection: the same the administrator read out.
  const shown = await vigie(home.worker, ['keys', 'show']);
  t.match(shown.stdout, `Clé racine de maison-halte épinglée par cet appareil : empreinte ${rootPrint}`, 'the person compares it on the device');

  const unknown = await vigie(home.worker, ['send', '--to', 'police-laval/nowhere', '--type', 'note', '--text', 'x', ...UNDER_CONSENT, '--lang', 'en']);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, /INBOX_UNKNOWN/);
  t.match(unknown.stderr, /Unknown inbox/, 'the hub answers in the chosen language');
  t.notMatch(unknown.stderr, /\n\s+at /, 'no stack trace');

  const officer = JSON.parse(readFileSync(join(home.officer, 'member.pub.json'), 'utf8')) as { member: string };
  const unconfirmed = await vigie(home.police, ['member', 'revoke', officer.member]);
  t.equal(unconfirmed.code, 1, 'without --yes and without a terminal, nothing is revoked');
  const revoked = await vigie(home.police, ['member', 'revoke', officer.member, '--yes']);
  t.equal(revoked.code, 0, 'exit 0', { stderr: revoked.stderr });
  t.match(revoked.stdout, /Nouvelles clés, scellées aux seuls membres restants, pour : police-laval\/dispatch/, 'the inboxes it read got new keys');
  const crypto = await loadSodium();
  const saved = openKeyFile(crypto, JSON.parse(readFileSync(join(home.police, 'agency.key'), 'utf8')), PASSPHRASE) as AgencyKeys;
  t.equal(saved.inboxes['police-laval/dispatch']?.keyVersion, 2, 'the new inbox key is kept in the agency key file');
  const after = await vigie(home.officer, ['status', '00000000-0000-4000-8000-000000000000']);
  t.equal(after.code, 1);
  t.match(after.stderr, /le carrefour a refusé/);
});

t.test('no passphrase or token is ever printed', async (t) => {
  const all = transcript.join('\n');
  t.notOk(all.includes(PASSPHRASE), 'passphrase');
  t.notOk(all.includes(hub.operatorToken), 'operator token');
});
