// An acknowledgement is a person's act on one message. The real `vigie listen`
// against a real hub: a message it prints is delivered (the device has it) and
// never acknowledged on its own — not without --ack, not with --ack where no
// person can answer (a pipe: refused before anything is signed), and at a
// terminal only when the person answers yes to the question naming that
// message. Before this test, `listen --ack` signed "acknowledged by a person"
// for every message it printed, and an unattended terminal silenced
// escalation.
//
// The terminal is a real pseudo-terminal: util-linux `script` (in Debian's
// essential bsdutils package) runs the CLI on one and relays what the test types.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { loadSodium } from '../../protocol/sodium.js';
import { enrolPartners } from '../helpers/agencies.js';
import { CLI_BIN, cliRunner, TEST_KEY_COST } from '../helpers/cli.js';
import { writeKeyDir } from '../../clients/harness/key-dir.js';
import { eventually, startTestHub, tempDir } from '../helpers/env.js';

const PASSPHRASE = 'correct horse battery staple';

const crypto = await loadSodium();
const dir = tempDir(t, 'vigie-cli-listen-ack');
const hub = await startTestHub(t);
const partners = await enrolPartners(hub.url, hub.operatorToken);
const home = { officer: join(dir, 'officer') };
writeKeyDir(crypto, home.officer, partners.officer.keys, PASSPHRASE, TEST_KEY_COST);
const { run, start } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });

/** The shelter worker sends through the SDK; each alert's text names it, to find it on the screen. */
async function sendAlert(text: string): Promise<string> {
  const sent = await partners.worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text }, ...partners.underConsent });
  return sent.id;
}
/** The dispatch inbox's state for a message, as the sender's status shows it. */
async function state(id: string): Promise<string> {
  const status = await partners.worker.client.status(id);
  return status.recipients.find((r) => r.inbox === 'police-laval/dispatch')!.state;
}

t.test('where nobody can answer, --ack is refused and nothing is acknowledged', async (t) => {
  const id = await sendAlert('Alerte A: personne devant le terminal.');
  const [fr, en] = await Promise.all([run(home.officer, ['listen', '--ack'], ''), run(home.officer, ['listen', '--ack', '--lang', 'en'], '')]);
  t.equal(fr.code, 2, 'a usage error', { stderr: fr.stderr });
  t.match(fr.stderr, 'l’entrée standard n’est pas un terminal, donc personne ne peut répondre. Rien n’a été pris en charge.');
  t.match(fr.stderr, 'vigie ack <id-message>');
  t.equal(en.code, 2);
  t.match(en.stderr, 'standard input is not a terminal, so nobody can answer. Nothing was acknowledged.');
  t.notMatch(fr.stdout + en.stdout, /Alerte A/, 'refused before listening: nothing shown, nothing signed');
  t.match(await state(id), /^(accepted|pushed)$/, 'not even delivered');

  // Plain listen shows it and signs `delivered` (this device has it); nothing signs `acknowledged`.
  const listener = start(home.officer, ['listen', '--json'], '');
  await eventually(() => listener.out.join('').includes(`"id":"${id}"`), 20_000);
  t.equal(await state(id), 'delivered', 'shown on the terminal: delivered');
  listener.kill('SIGINT');
  t.equal(await listener.exit, 0);
  t.notMatch(listener.out.join(''), /"event":"acknowledged"/);
  t.equal(await state(id), 'delivered', 'and still not acknowledged once listening stopped');
});

/** The CLI on a pseudo-terminal: what it printed so far (escape sequences and carriage returns removed), and keys to type. */
interface Terminal {
  child: ChildProcess;
  screen(): string;
  type(keys: string): void;
  exit: Promise<number | null>;
}

function terminal(args: string[]): Terminal {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = ['exec', process.execPath, CLI_BIN, ...args, '--hub', hub.url].map((s, i) => (i === 0 ? s : quote(s))).join(' ');
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VIGIE_')));
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: dir,
    env: { ...env, VIGIE_HOME: home.officer, VIGIE_PASSPHRASE: PASSPHRASE, VIGIE_KDF: 'interactive', TERM: 'xterm', COLUMNS: '200', LINES: '50' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  t.teardown(() => void (child.exitCode === null && child.kill('SIGKILL')));
  return {
    child,
    // eslint-disable-next-line no-control-regex
    screen: () => out.join('').replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, ''),
    type: (keys) => void child.stdin!.write(keys),
    exit,
  };
}

const hasScript = spawnSync('script', ['--version']).status === 0;

t.test('at a terminal, only a yes to the question naming a message acknowledges it', { skip: hasScript ? false : 'util-linux `script` is not installed' }, async (t) => {
  const term = terminal(['listen', '--ack']);
  const seen = (text: string) =>
    eventually(() => term.screen().includes(text), 20_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${text}\nscreen:\n${term.screen()}`);
    });
  await seen('À l’écoute de police-laval/dispatch');

  const a = await sendAlert('Alerte B: lue, mais prise en charge par une autre personne.');
  await seen(`Prendre en charge le message ${a} ? [o/N]`);
  t.match(term.screen(), 'Prise en charge — alerte de danger de intervenante-1 (shelter-laval/intake), pour police-laval/dispatch.', 'the question names what it is about');
  t.equal(await state(a), 'delivered', 'shown, asked, not answered: delivered, not acknowledged');

  // A second alert arrives while the question is open: it is shown at once, its question waits its turn.
  const b = await sendAlert('Alerte C: la répartitrice la prend en charge.');
  await seen('Alerte C: la répartitrice la prend en charge.');
  t.notMatch(term.screen(), `Prendre en charge le message ${b}`, 'one question at a time');
  t.equal(await state(a), 'delivered');

  term.type('n\r');
  await seen(`NON PRIS EN CHARGE : ${a} (police-laval/dispatch). Pour le prendre en charge : vigie ack ${a}`);
  await seen(`Prendre en charge le message ${b} ? [o/N]`);
  t.equal(await state(a), 'delivered', 'a no acknowledges nothing');
  t.equal(await state(b), 'delivered', 'nor does the question that follows it');

  term.type('o\r');
  await seen(`Prise en charge signée et envoyée pour ${b} (police-laval/dispatch).`);
  t.equal(await state(b), 'acknowledged', 'a yes signs the acknowledgement of that message');
  t.equal(await state(a), 'delivered', 'and of no other');

  // An alert left unanswered when the person stops listening stays unacknowledged, and is listed.
  const c = await sendAlert('Alerte D: personne ne répond.');
  await seen(`Prendre en charge le message ${c} ? [o/N]`);
  term.type('\u0003');
  t.equal(await term.exit, 0, 'Ctrl-C at the question stops listening');
  t.match(term.screen(), `NON PRIS EN CHARGE : ${c} (police-laval/dispatch). Pour le prendre en charge : vigie ack ${c}`);
  t.equal(await state(c), 'delivered', 'unanswered: not acknowledged');

  // The way to acknowledge it later is `vigie ack`.
  const later = await run(home.officer, ['ack', c]);
  t.equal(later.code, 0, 'vigie ack', { stderr: later.stderr });
  t.equal(await state(c), 'acknowledged');
});
