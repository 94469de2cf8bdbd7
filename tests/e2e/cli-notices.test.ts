// The hub's notices about acknowledgement deadlines, on the terminal: the real
// `vigie` CLI, run as child processes by a shelter worker's device, a police
// dispatcher's device and the police shift supervisor's device, against a hub
// running in this process with a ManualClock, so that the test moves time
// instead of waiting five minutes for a deadline.
//
// Three danger alerts go unacknowledged past their deadline: the worker's
// `send --wait-ack` prints that the deadline passed and each escalation step;
// the dispatcher's `listen` prints a reminder; the supervisor's `listen --json`
// gets the escalation notice (no content). One alert is then acknowledged; the
// other two run to the end of the chain and `send` stops at once with exit 3.
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import t from 'tap';
import { Context } from '../../clients/cli/context.js';
import { formatTime } from '../../clients/cli/format.js';
import { enrolDevice } from '../../clients/harness/enrol.js';
import { loadSodium } from '../../protocol/sodium.js';
import { escalations } from '../../server/escalation/tables.js';
import { ManualClock } from '../../server/lib/clock.js';
import { messages } from '../../server/messages/tables.js';
import { enrolPartners } from '../helpers/agencies.js';
import { eventually, startTestHub, tempDir } from '../helpers/env.js';
import { cliRunner, type CliChild as Child, TEST_KEY_COST } from '../helpers/cli.js';
import { writeKeyDir } from '../../clients/harness/key-dir.js';

const PASSPHRASE = 'correct horse battery staple';
const DANGER = [
  '--protocol', 'shelter-police@1', '--legal-basis', 'apprehended_danger', '--reason', 'death_threat', '--directive', 'DIR-2026-04',
  '--attest', 'reasonable-cause,serious-risk,identifiable-person,urgency', '--category', 'identity,location,threat',
];
/** The shelter–police template: the supervisor at the deadline, the duty officer 600 s later, the end 300 s after that. */
const STEP_2_MS = 600_000;
const EXHAUSTED_MS = 900_000;

const crypto = await loadSodium();
const dir = tempDir(t, 'vigie-cli-notices');
const clock = new ManualClock();
// The watchdog runs when the test says so; BullMQ timers fire on real time (long after the test).
const hub = await startTestHub(t, { app: { clock }, config: { escalationPollMs: 60_000, watchdogIntervalMs: 60_000, watchdogGraceMs: 0 } });
const partners = await enrolPartners(hub.url, hub.operatorToken);
await partners.police.admin.createInbox('supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
await partners.police.admin.createInbox('duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
const supervisor = await enrolDevice(hub.url, partners.police, 'superviseur-releve', ['receiver'], ['police-laval/supervision']);

const home = { worker: join(dir, 'worker'), officer: join(dir, 'officer'), supervisor: join(dir, 'supervisor') };
writeKeyDir(crypto, home.worker, partners.worker.keys, PASSPHRASE, TEST_KEY_COST);
writeKeyDir(crypto, home.officer, partners.officer.keys, PASSPHRASE, TEST_KEY_COST);
writeKeyDir(crypto, home.supervisor, supervisor.keys, PASSPHRASE, TEST_KEY_COST);

const { start } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });

const stdout = (c: Child) => c.out.join('');
const jsonLines = (c: Child) => stdout(c).split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
const waitFor = (c: Child, what: string | RegExp, inStderr = false) =>
  eventually(() => {
    const text = (inStderr ? c.err : c.out).join('');
    return typeof what === 'string' ? text.includes(what) : what.test(text);
  }, 20_000).catch((err: Error) => {
    throw new Error(`${err.message}: ${what}\nstdout: ${stdout(c)}\nstderr: ${c.err.join('')}`);
  });
async function stopListener(c: Child): Promise<number | null> {
  c.kill('SIGINT');
  return c.exit;
}

const fr = new Context('fr', hub.url, dir, false, process.env);
const en = new Context('en', hub.url, dir, false, process.env);
const acceptedAt = async (id: string) => (await hub.app.db.select({ at: messages.acceptedAt }).from(messages).where(eq(messages.id, id)))[0]!.at;
const row = async (id: string) => (await hub.app.db.select().from(escalations).where(eq(escalations.messageId, id)))[0]!;

/** Moves the clock to `at` and runs the watchdog (and the timers it schedules) until each row reached `step`. */
async function runUntil(ids: string[], at: Date, step: number) {
  clock.set(at);
  await hub.app.watchdog.pass();
  await eventually(async () => {
    await hub.app.watchdog.pass();
    for (const id of ids) if ((await row(id)).nextStep < step) return false;
    return true;
  }, 15_000);
}

t.test('an alert nobody acknowledges: the sender, the recipient desk and the supervisor are told, step by step', async (t) => {
  const supervising = start(home.supervisor, ['listen', '--json']);
  const dispatching = start(home.officer, ['listen']);
  await Promise.all([waitFor(supervising, '"event":"ready"'), waitFor(dispatching, 'À l’écoute de police-laval/dispatch', true)]);

  const send = (args: string[]) => start(home.worker, ['send', '--to', 'police-laval/dispatch', '--type', 'danger_alert', '--text', 'Menace de mort ce soir.', ...DANGER, '--wait-ack', '90', ...args]);
  // `acked` is acknowledged after the first escalation; `human` and `json` run to the end of the chain.
  const [acked, human, json] = [send([]), send([]), send(['--json'])];
  const sentId = async (c: Child) => {
    await waitFor(c, /Message envoyé : [0-9a-f-]{36}|"event":"sent"/);
    return /Message envoyé : ([0-9a-f-]{36})/.exec(stdout(c))?.[1] ?? (jsonLines(c).find((e) => e.event === 'sent')!.id as string);
  };
  const ids = { acked: await sentId(acked), human: await sentId(human), json: await sentId(json) };
  const all = Object.values(ids);
  for (const id of all) await waitFor(dispatching, `Message : ${id}`);
  const rows = await Promise.all(all.map(row));
  const deadline = new Date(Math.max(...rows.map((r) => r.nextAt!.getTime())));

  // The deadline passes: step 0 (the sender is told) and step 1 (at the deadline: the supervisor).
  await runUntil(all, deadline, 2);
  for (const [c, id] of [[acked, ids.acked], [human, ids.human]] as const) {
    const deadlineAt = rows[all.indexOf(id)]!.nextAt!.toISOString();
    await waitFor(c, `AUCUNE PRISE EN CHARGE : le délai de l’alerte à police-laval/dispatch est échu (échéance ${formatTime(fr, deadlineAt)}); le carrefour escalade.`);
    await waitFor(c, 'ESCALADE étape 1 : police-laval/supervision avisé(s).');
  }
  t.pass('send --wait-ack prints that the deadline passed and that the supervisor was notified');
  t.ok(stdout(human).indexOf('AUCUNE PRISE EN CHARGE') < stdout(human).indexOf('ESCALADE étape 1'), 'in the order they happened');
  t.equal(human.exitCode, null, 'and keeps waiting: a person may still acknowledge');

  for (const id of all) await waitFor(dispatching, `RAPPEL : l’alerte ${id} attend toujours une prise en charge à police-laval/dispatch (étape 1). Pour la prendre en charge : vigie ack ${id}`);
  t.pass('the dispatch desk is reminded of each alert');

  await eventually(() => jsonLines(supervising).filter((e) => e.event === 'notice').length >= 3, 15_000);
  const toSupervisor = jsonLines(supervising).filter((e) => e.event === 'notice');
  const first = toSupervisor.find((e) => e.message === ids.human)!;
  t.same(
    Object.keys(first).sort(),
    ['acceptedAt', 'at', 'event', 'inbox', 'kind', 'message', 'recipient', 'sender', 'step', 'type', 'urgency'],
    'listen --json: one line per escalation notice, what waits and since when, never the content',
  );
  t.match(first, {
    event: 'notice',
    kind: 'escalation',
    inbox: 'police-laval/supervision',
    recipient: 'police-laval/dispatch',
    step: 1,
    type: 'danger_alert',
    urgency: 'immediate',
    sender: { agency: 'shelter-laval', inbox: 'shelter-laval/intake' },
    acceptedAt: (await acceptedAt(ids.human)).toISOString(),
  });
  t.ok(Date.parse(first.at as string) >= deadline.getTime(), 'the notice is dated by the hub’s clock, at the deadline');
  t.notOk(jsonLines(supervising).some((e) => e.event === 'message'), 'the supervisor receives no message, hence no key to the content');

  // The dispatcher acknowledges one alert: its sender is told at once and exits 0.
  const ack = start(home.officer, ['ack', ids.acked]);
  t.equal(await ack.exit, 0, 'vigie ack', { stderr: ack.err.join('') });
  t.equal(await acked.exit, 0, 'acknowledged after the escalation: exit 0', { stderr: acked.err.join('') });
  t.match(stdout(acked), /PRIS EN CHARGE : le message .* a été pris en charge par repartiteur-1 \(police-laval\/dispatch\)/);

  // The next steps: the duty officer, then the end of the chain.
  await runUntil([ids.human, ids.json], new Date(deadline.getTime() + STEP_2_MS), 3);
  await waitFor(human, 'ESCALADE étape 2 : police-laval/duty-officer avisé(s).');
  await runUntil([ids.human, ids.json], new Date(deadline.getTime() + EXHAUSTED_MS), 4);
  const exhaustedAt = Date.now();
  const [humanExit, jsonExit] = await Promise.all([human.exit, json.exit]);
  t.ok(Date.now() - exhaustedAt < 10_000, 'send stops as soon as the chain is exhausted, long before its 90 s');
  t.equal(humanExit, 3, 'exhausted: the same exit code as nobody acknowledging in time', { stderr: human.err.join('') });
  t.match(stdout(human), 'CHAÎNE ÉPUISÉE : personne à police-laval/dispatch n’a pris l’alerte en charge. Appelez le 911.');
  t.notMatch(stdout(human), /AUCUNE PRISE EN CHARGE après/, 'not mistaken for the wait’s own timeout');
  t.match(await row(ids.acked), { state: 'acknowledged', nextStep: 2 }, 'the acknowledged alert’s chain stopped where it was');

  t.equal(jsonExit, 3, 'exit 3 in --json too', { stderr: json.err.join('') });
  // The dispatcher's device signed `delivered` when its listen received the alert: that receipt is a line too.
  const events = jsonLines(json).filter((e) => e.event !== 'receipt');
  t.same(
    events.map((e) => (e.event === 'notice' ? `notice ${e.kind} ${e.step}` : e.event)),
    ['sent', 'notice unacknowledged 0', 'notice escalated 1', 'notice escalated 2', 'notice escalation_exhausted 3', 'exhausted'],
    'send --json: one line per notice, then the outcome',
  );
  t.match(jsonLines(json).find((e) => e.event === 'receipt'), { kind: 'delivered', message: ids.json, inbox: 'police-laval/dispatch' });
  t.match(events[1], { kind: 'unacknowledged', message: ids.json, inbox: 'shelter-laval/intake', recipient: 'police-laval/dispatch', deadlineAt: rows[all.indexOf(ids.json)]!.nextAt!.toISOString() });
  t.match(events[2], { kind: 'escalated', notified: ['police-laval/supervision'] });
  t.same(events.at(-1), { event: 'exhausted', message: ids.json, recipients: ['police-laval/dispatch'] });

  t.equal(await stopListener(supervising), 0, 'Ctrl-C stops listen');
  t.equal(await stopListener(dispatching), 0);
  t.notOk(jsonLines(supervising).some((e) => e.step === 2), 'step 2 goes to the duty officer, not to the supervision inbox');
});

t.test('listen, in French and in English, replays the escalation notices from the feed', async (t) => {
  const [replayFr, replayEn] = [start(home.supervisor, ['listen', '--after', '0']), start(home.supervisor, ['listen', '--after', '0', '--lang', 'en'])];
  await Promise.all([waitFor(replayFr, 'ESCALADE'), waitFor(replayEn, 'ESCALATION')]);
  await eventually(() => stdout(replayFr).split('\n').filter((l) => l.startsWith('ESCALADE')).length === 3 && stdout(replayEn).split('\n').filter((l) => l.startsWith('ESCALATION')).length === 3);
  t.equal(await stopListener(replayFr), 0);
  t.equal(await stopListener(replayEn), 0);

  const line = /^ESCALADE : alerte de danger de shelter-laval \(shelter-laval\/intake\) à police-laval\/dispatch sans prise en charge depuis (.+) — étape 1 \(message ([0-9a-f-]{36})\)\.$/;
  const frLines = stdout(replayFr).split('\n').filter((l) => l.startsWith('ESCALADE'));
  for (const l of frLines) t.match(l, line);
  const [, since, id] = line.exec(frLines[0]!)!;
  const since0 = (await acceptedAt(id!)).toISOString();
  t.equal(since, formatTime(fr, since0), 'since the hub accepted the alert');
  t.match(
    stdout(replayEn),
    `ESCALATION: danger alert from shelter-laval (shelter-laval/intake) to police-laval/dispatch not acknowledged since ${formatTime(en, since0)} — step 1 (message ${id}).`,
  );
  t.notMatch(stdout(replayFr) + stdout(replayEn), /Menace de mort/, 'never the content');
});

t.test('the register shows each step of the deadline as what it is, in French and in English', async (t) => {
  const auditor = await enrolDevice(hub.url, partners.shelter, 'verificateur-1', ['auditor'], []);
  const home = join(dir, 'auditor');
  writeKeyDir(crypto, home, auditor.keys, PASSPHRASE, TEST_KEY_COST);
  const { run } = cliRunner(t, { hubUrl: hub.url, cwd: dir, passphrase: PASSPHRASE });
  // The register reads the log: the escalation steps are there once the sequencer integrated them.
  const steps = (text: string, name: string) => text.split('\n').filter((l) => /^#\d+ /.test(l) && l.includes(`  ${name}  `)).length;
  const fr = await eventually(async () => {
    const r = await run(home, ['audit', 'register', '--type', 'danger_alert']);
    return r.code === 0 && steps(r.stdout, 'CHAÎNE D’ESCALADE ÉPUISÉE') === 2 ? r : null;
  }, 20_000, 200);
  t.equal(steps(fr.stdout, 'COMMUNICATION ACCEPTÉE'), 3, 'the three alerts, accepted');
  t.equal(steps(fr.stdout, 'DÉLAI DE PRISE EN CHARGE ÉCHU'), 3, 'each one’s deadline passed');
  t.ok(steps(fr.stdout, 'ESCALADE') >= 5, 'the escalation steps: the supervisor for all three, the duty officer for two');
  t.match(fr.stdout, 'toujours sans prise en charge à police-laval/dispatch');
  t.match(fr.stdout, '\n  SANS CONSENTEMENT — SUIVI ÉCRIT REQUIS\n', 'apprehended danger: both flags');
  t.notMatch(fr.stdout, /REFUS/, 'no step of a deadline is shown as a refusal');

  const en = await run(home, ['audit', 'register', '--type', 'danger_alert', '--lang', 'en']);
  t.equal(en.code, 0, 'exit 0', { stderr: en.stderr });
  for (const name of ['DISCLOSURE ACCEPTED', 'ACKNOWLEDGEMENT DEADLINE PASSED', 'ESCALATED', 'ESCALATION CHAIN EXHAUSTED']) t.ok(steps(en.stdout, name) > 0, name);
  t.match(en.stdout, '\n  WITHOUT CONSENT — WRITTEN FOLLOW-UP REQUIRED\n');
  t.notMatch(en.stdout, /REFUSED/);
});
