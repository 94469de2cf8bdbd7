// The police desk in a real browser, against a real hub on PostgreSQL and
// Redis: the shelter (its SDK) sends; the desk's board shows what waited at
// unlock and what arrives live, most urgent first; a danger alert rings (a
// real AudioContext, observed), shows a notification and marks the tab's
// title until a person opens it; opened, it is verified and decrypted in the
// browser — who signed it, the protocol, the legal basis and its attestations,
// the assessment recomputed (and a lying level flagged), the categories, the
// content; one deliberate button acknowledges it and the shelter sees the
// signed receipt; the desk replies under a consent. A message the desk cannot
// verify shows nothing of itself. An alert nobody acknowledges escalates
// (injected clock): the supervisor's console shows the escalation, apart, and
// the chain's progress until the desk acknowledges.
import t from 'tap';
import { createHash } from 'node:crypto';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { loadInstrument } from '../../../clients/instruments.js';
import { VigieClient, withAssessment, type OpenedMessage, type VerifiedReceipt } from '../../../clients/sdk/client.js';
import { decodePair, publicMemberKeys } from '../../../clients/sdk/keys.js';
import { buildEnvelope } from '../../../protocol/envelope.js';
import { deviceFingerprint } from '../../../protocol/fingerprint.js';
import type { Assessment } from '../../../protocol/instrument.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { ManualClock } from '../../../server/lib/clock.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { launchBrowser, openConsole, screenshot, seriousViolations } from '../../helpers/browser.js';
import {
  acknowledge,
  alarmObserved,
  backToBoard,
  boardOrder,
  chainSteps,
  expectAlarm,
  expectNoAlarm,
  importDevice,
  lock,
  observeAlarm,
  openAlert,
  openDesk,
  openEscalation,
  replyUnderConsent,
  storedText,
  unlock,
  waitForAlert,
  waitForChainState,
  waitForEscalation,
  waitForUnverified,
} from '../../helpers/console/desk.js';
import { eventually, startTestHub } from '../../helpers/env.js';

const DISPATCH = 'police-laval/dispatch';
const PASS = { desk: 'phrase de passe du poste de répartition', supervisor: 'phrase de passe du superviseur de relève' };
const grid = loadInstrument('grille-commune');
const top = grid.levels.at(-1)!;
const bottom = grid.levels[0]!;
const imminentItem = grid.rules.find((r) => r.kind === 'any' && r.level === top.id)!.items[0]!;
const assessment = (yes: string[]): Assessment => ({
  type: 'assessment',
  v: 1,
  instrument: { id: grid.id, version: grid.version },
  answers: grid.items.map((i) => ({ item: i.id, answer: yes.includes(i.id) ? 'yes' : 'no', source: 'victim' })),
  perception: grid.perception.options.at(-1)!.id,
  completedAt: new Date().toISOString(),
});

const WORDS = {
  fr: {
    title: /^\(1\) ALERTE — Vigie$/,
    alertType: 'Alerte de danger',
    noteType: 'Note',
    immediate: 'Urgence immédiate',
    basis: 'Danger appréhendé (sans consentement)',
    reason: 'Menaces de mort',
    protocol: /Protocole de collaboration maison d’hébergement – service de police \(shelter-police, version 1\)/,
    agency: 'Maison Laval',
    inbox: 'Intervention',
    location: 'Lieu où se trouve la personne',
    purpose: 'Assurer la sécurité de la victime',
    mismatch: /ATTENTION : le niveau signé \(Risque imminent\) n’est pas celui que donnent les réponses \(Risque modéré\)/,
    unverified: /Alerte impossible à vérifier/,
    notified: 'ALERTE — Alerte de danger',
    escalated: /Escaladée vers vous \(Superviseur de relève\)/,
    waiting: /TOUJOURS SANS PRISE EN CHARGE par Répartition/,
    acknowledged: /Prise en charge par Répartition le/,
    lock: 'Verrouiller',
  },
  en: {
    title: /^\(1\) ALERT — Vigie$/,
    alertType: 'Danger alert',
    noteType: 'Note',
    immediate: 'immediate urgency',
    basis: 'Apprehended danger (without consent)',
    reason: 'Death threats',
    protocol: /Shelter – police collaboration protocol \(shelter-police, version 1\)/,
    agency: 'Laval shelter',
    inbox: 'Intake',
    location: 'Whereabouts of the person',
    purpose: 'Ensure the victim’s safety',
    mismatch: /WARNING: the signed level \(Imminent risk\) is not the one the answers give \(Moderate risk\)/,
    unverified: /This alert could not be verified/,
    notified: 'ALERT — Danger alert',
    escalated: /Escalated to you \(Shift supervisor\)/,
    waiting: /STILL NOT ACKNOWLEDGED by Dispatch/,
    acknowledged: /Acknowledged by Dispatch on/,
    lock: 'Lock',
  },
} as const;

for (const lang of ['fr', 'en'] as const) {
  t.test(`the police desk receives, verifies, acknowledges and answers; the supervisor sees the escalation (${lang})`, async (t) => {
    const w = WORDS[lang];
    const shot = (name: string, page: Parameters<typeof screenshot>[0]) => (lang === 'fr' ? screenshot(page, name) : Promise.resolve());
    const crypto = await loadSodium();
    const clock = new ManualClock();
    // The watchdog runs when the test says so, after it moves the hub's clock past a deadline.
    const hub = await startTestHub(t, { app: { clock }, config: { escalationPollMs: 60_000, watchdogIntervalMs: 60_000, watchdogGraceMs: 0 } });
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    await partners.police.admin.createInbox('supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
    await partners.police.admin.createInbox('duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
    const desk = await enrolDevice(hub.url, partners.police, 'poste-repartition', ['sender', 'receiver'], [DISPATCH]);
    const supervisor = await enrolDevice(hub.url, partners.police, 'superviseur-releve', ['receiver'], ['police-laval/supervision']);
    const worker = partners.worker.client;
    const sender = await VigieClient.connect({ url: hub.url, keys: partners.worker.keys, instruments: [grid] });

    // The shelter listens for receipts and replies.
    const receipts: VerifiedReceipt[] = [];
    const replies: OpenedMessage[] = [];
    const shelterStream = worker.stream();
    shelterStream.on('receipt', (r) => void receipts.push(r));
    shelterStream.on('message', (m) => void replies.push(m));
    await shelterStream.open();
    t.teardown(() => shelterStream.close());

    // Waiting before the desk unlocks: a routine note.
    const note = await worker.send({ type: 'note', recipients: [DISPATCH], content: { text: 'Suivi : la victime a quitté la maison.' }, ...partners.underConsent });

    const browser = await launchBrowser(t);
    const person = await openConsole(browser, hub.url, lang);
    const { page } = person;
    await observeAlarm(page);
    await importDevice(page, hub.url, lang, desk.keys, PASS.desk, 'poste-repartition');
    await openDesk(page);
    await waitForAlert(page, note.id);
    t.equal(await page.getAttribute(`[data-id="${note.id}"]`, 'data-ack'), 'waiting', 'caught up at unlock, not acknowledged');
    t.equal((await alarmObserved(page)).board, 'off', 'a routine note does not ring');
    t.same(await seriousViolations(page), [], 'the board: no serious or critical accessibility violation');
    await shot('desk-board', page);

    // A danger alert, live.
    const alert = await sender.send({
      type: 'danger_alert',
      recipients: [DISPATCH],
      content: { text: 'Menace de mort ce soir. Elle est cachée chez sa sœur.', location: '12, rue des Érables, Laval' },
      ...partners.underDanger,
      dataCategories: ['identity', 'location', 'threat', 'risk_level'],
      assessment: assessment([imminentItem]),
    });
    await waitForAlert(page, alert.id);
    const ringing = await expectAlarm(page);
    t.ok(ringing.contexts.includes('running'), 'a real AudioContext plays the alarm');
    t.equal(ringing.sound, 'playing');
    t.match(ringing.title, w.title, 'the tab’s title is marked');
    await page.waitForFunction(() => (window as unknown as { __alarm: { notifications: unknown[] } }).__alarm.notifications.length > 0);
    const notified = (await alarmObserved(page)).notifications;
    t.match(notified, [{ title: w.notified, body: new RegExp(w.agency) }], 'a notification names the alert and its sender, never its content');
    t.notMatch(JSON.stringify(notified), /Menace|Érables/, 'nothing of the content in a notification');
    t.same((await boardOrder(page)).slice(0, 2), [alert.id, note.id], 'the danger alert comes first');
    t.match(await page.textContent(`[data-id="${alert.id}"]`), w.alertType);
    t.match(await page.textContent(`[data-id="${alert.id}"] [data-testid=urgency]`), new RegExp(w.immediate, 'i'));
    await page.waitForFunction((id) => document.querySelector(`[data-id="${id}"]`)?.textContent?.includes(' — '), alert.id);
    t.match(await page.textContent(`[data-id="${alert.id}"]`), `${w.agency} — ${w.inbox}`, 'the sender by its verified names');
    t.same(await seriousViolations(page), [], 'the board ringing: no serious or critical accessibility violation');
    await shot('desk-alarm', page);
    // A worker on the move: the board at phone width, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'usable at 390 px wide');
    t.same(await seriousViolations(page), [], 'the board at phone width: no serious or critical accessibility violation');
    await shot('desk-alarm-phone', page);
    await page.setViewportSize({ width: 1280, height: 900 });

    // Opened: verified and decrypted here.
    t.equal(await openAlert(page, alert.id), 'verified');
    const quiet = await expectNoAlarm(page);
    t.equal(quiet.title, 'Vigie', 'opening it is acting on it: the title is back');
    const tonesAfter = quiet.tones;
    t.equal(await page.textContent('[data-testid=alert-type]'), w.alertType);
    const fingerprint = deviceFingerprint((d) => new Uint8Array(createHash('sha256').update(d).digest()), publicMemberKeys(partners.worker.keys));
    t.equal(await page.textContent('[data-testid=sender-fingerprint]'), fingerprint, 'the signing device’s fingerprint');
    await page.waitForFunction((agency) => document.querySelector('[data-testid=signer]')?.textContent?.includes(agency), w.agency);
    t.match(await page.textContent('[data-testid=signer]'), 'intervenante-1');
    t.match(await page.textContent('[data-testid=protocol]'), w.protocol);
    t.match(await page.textContent('[data-testid=legal-basis]'), w.basis);
    t.equal(await page.$$eval('[data-testid=attestations] li', (l) => l.length), 4, 'each of the four attestations');
    t.match(await page.textContent('[data-testid=danger-reason]'), w.reason);
    t.match(await page.textContent('[data-testid=categories]'), w.location);
    t.equal(await page.getAttribute('[data-testid=assessment]', 'data-matches'), 'yes');
    t.equal(await page.textContent('[data-testid=recomputed-level]'), top.labels[lang], 'the level recomputed from the answers');
    t.match(await page.textContent('[data-testid=content]'), 'Menace de mort ce soir.');
    t.match(await page.textContent('[data-testid=content]'), '12, rue des Érables, Laval');
    t.equal(await page.getAttribute('[data-testid=ack-state]', 'data-state'), 'waiting', 'opening is not acknowledging');
    t.same(await seriousViolations(page), [], 'the opened alert: no serious or critical accessibility violation');
    await shot('desk-alert', page);
    t.equal((await alarmObserved(page)).tones, tonesAfter, 'the tone does not start again');
    t.notMatch(await storedText(page), /Menace|Érables/, 'nothing decrypted is written to storage');

    // One deliberate act acknowledges it; the shelter sees the signed receipt.
    await acknowledge(page);
    const ack = await eventually(() => receipts.find((r) => r.receipt.message === alert.id && r.receipt.kind === 'acknowledged'));
    t.match(ack, { receipt: { inbox: DISPATCH, member: desk.keys.member }, signer: { label: 'poste-repartition' } }, 'the shelter’s SDK verified the desk’s acknowledgement');

    // A reply to the shelter's inbox, under the police's own consent for the case.
    await replyUnderConsent(page, { caseRef: 'EVENEMENT-1', purposeLabel: w.purpose, categoryCodes: ['release_conditions'], text: 'Patrouille envoyée.' });
    const reply = await eventually(() => replies.find((m) => m.header.replyTo === alert.id));
    t.match(reply, { header: { type: 'note', sender: { inbox: DISPATCH }, legalBasis: { code: 'consent', case: 'EVENEMENT-1' } }, content: { text: 'Patrouille envoyée.' } });
    t.same(await seriousViolations(page), [], 'the reply: no serious or critical accessibility violation');
    await backToBoard(page);
    t.equal(await page.getAttribute(`[data-id="${alert.id}"]`, 'data-ack'), 'acknowledged');

    // A level its own answers do not give: validly signed, flagged here.
    const own = (await sender.inboxes()).get('shelter-laval/intake')!;
    const dispatch = await sender.directory.recipient(DISPATCH, partners.underDanger.protocol);
    const envelopeTo = (key: Uint8Array, content: unknown, level: string | null) =>
      buildEnvelope(crypto, {
        type: 'danger_alert',
        urgency: 'immediate',
        sender: { agency: 'shelter-laval', member: partners.worker.keys.member, inbox: 'shelter-laval/intake' },
        senderInboxKey: own.keys.publicKey,
        senderInboxKeyVersion: own.certificate.keyVersion,
        recipients: [{ ...dispatch, encryptionKey: key }],
        content,
        ...partners.underDanger,
        ...(level ? { dataCategories: ['identity', 'location', 'threat', 'risk_level'], assessment: { instrument: grid.id, version: grid.version, level } } : {}),
        signingSecretKey: decodePair(partners.worker.keys.signing).secretKey,
      });
    const lie = envelopeTo(dispatch.encryptionKey, withAssessment({ text: 'Alerte.' }, assessment([])), top.id);
    await sender.resubmit(lie);
    await waitForAlert(page, lie.header.id);
    await expectAlarm(page);
    t.equal(await openAlert(page, lie.header.id), 'verified');
    await page.waitForSelector('[data-testid=assessment-mismatch]');
    t.match(await page.textContent('[data-testid=assessment-mismatch]'), w.mismatch, 'the mismatch is a warning a person cannot miss');
    t.equal(await page.textContent('[data-testid=signed-level]'), top.labels[lang]);
    t.equal(await page.textContent('[data-testid=recomputed-level]'), bottom.labels[lang]);
    t.same(await seriousViolations(page), [], 'the mismatch warning: no serious or critical accessibility violation');
    await shot('desk-mismatch', page);
    await acknowledge(page);
    await backToBoard(page);

    // Sealed to a key that is not the desk's: nothing of it can be verified, nothing is shown.
    const forged = envelopeTo(crypto.boxKeypair().publicKey, { text: 'Contenu qui ne doit jamais paraître.' }, null);
    await sender.resubmit(forged);
    await waitForUnverified(page, forged.header.id);
    t.equal(await openAlert(page, forged.header.id), 'unverified');
    t.match(await page.textContent('[data-testid=verification-failed]'), w.unverified);
    t.notMatch(await page.textContent('main'), /Contenu qui ne doit jamais paraître/, 'nothing of the content');
    t.equal(await page.$('[data-testid=content]'), null);
    t.same(await seriousViolations(page), [], 'the unverifiable message: no serious or critical accessibility violation');
    await shot('desk-unverified', page);
    await backToBoard(page);

    // The supervisor's console, in another browser context.
    const boss = await openConsole(browser, hub.url, lang);
    await observeAlarm(boss.page);
    await importDevice(boss.page, hub.url, lang, supervisor.keys, PASS.supervisor, 'superviseur-releve');
    await boss.page.waitForSelector('[data-testid=board][data-ready=yes]');

    // Nobody acknowledges: past the deadline, the chain's first step reaches the supervisor.
    const waiting = await worker.send({ type: 'danger_alert', recipients: [DISPATCH], content: { text: 'Personne ne répond.' }, ...partners.underDanger });
    await waitForAlert(page, waiting.id);
    clock.set(new Date(Date.parse(waiting.acceptedAt) + 300_000));
    await hub.app.watchdog.pass();
    await eventually(async () => (await hub.app.watchdog.pass()) && (await worker.escalation(waiting.id)).recipients[0]!.nextStep >= 2);
    // Back to the real time: the receipts signed from now on are dated as the hub expects.
    clock.set(new Date());
    await waitForEscalation(boss.page, waiting.id);
    const bossRinging = await expectAlarm(boss.page);
    t.match(bossRinging.title, /\(\d+\) (ALERTE|ALERT) — Vigie/, 'the supervisor is called too');
    t.match(await boss.page.textContent(`[data-testid=escalation-row][data-id="${waiting.id}"]`), w.escalated, 'set apart: escalated to you');
    t.equal(await boss.page.$(`[data-testid=alert-row][data-id="${waiting.id}"]`), null, 'not an alert of its own: no content to open');
    t.same(await seriousViolations(boss.page), [], 'the supervisor’s board: no serious or critical accessibility violation');
    await shot('desk-escalation-board', boss.page);
    await openEscalation(boss.page, waiting.id);
    await waitForChainState(boss.page, 'waiting');
    await boss.page.waitForSelector('[data-testid=chain-steps] [data-testid=chain-step]:nth-child(3)');
    t.same(await chainSteps(boss.page), [true, false], 'step 1 (the supervisor) reached; step 2 (the duty officer) ahead');
    t.match(await boss.page.textContent('[data-testid=chain-state]'), w.waiting);
    t.match(await boss.page.textContent('main'), lang === 'fr' ? /Vous n’en voyez pas le contenu/ : /You do not see its content/);
    t.notMatch(await boss.page.textContent('main'), /Personne ne répond/);
    t.same(await seriousViolations(boss.page), [], 'the escalation: no serious or critical accessibility violation');
    await shot('desk-escalation', boss.page);

    // The desk acknowledges: the supervisor's chain says so.
    await waitForAlert(page, waiting.id);
    t.equal(await openAlert(page, waiting.id), 'verified');
    await acknowledge(page);
    await waitForChainState(boss.page, 'acknowledged');
    t.match(await boss.page.textContent('[data-testid=chain-state]'), w.acknowledged);
    await backToBoard(boss.page);
    const row = `[data-testid=escalation-row][data-id="${waiting.id}"]`;
    await boss.page.waitForSelector(`${row}[data-state=acknowledged][data-alarm=off]`);
    t.match(await boss.page.textContent(row), w.acknowledged, 'the board says it too');
    // The message the desk could not verify escalated as well: it still calls the supervisor.
    await waitForEscalation(boss.page, forged.header.id);
    t.equal(await boss.page.getAttribute(`[data-testid=escalation-row][data-id="${forged.header.id}"]`, 'data-alarm'), 'on');

    // Locked: the page reloads and the decrypted content goes with it. What arrives meanwhile waits for the unlock.
    await lock(page, w.lock);
    t.notMatch(await page.textContent('body'), /Menace|Personne ne répond/, 'nothing decrypted is left on the page');
    t.notMatch(await storedText(page), /Menace|Érables|Personne ne répond|Patrouille/, 'nor in storage');
    const meanwhile = await worker.send({ type: 'danger_alert', recipients: [DISPATCH], content: { text: 'Pendant le verrouillage.' }, ...partners.underDanger });
    await unlock(page, PASS.desk);
    await openDesk(page);
    await waitForAlert(page, meanwhile.id);
    await expectAlarm(page);
    await page.waitForSelector(`[data-id="${alert.id}"][data-ack=acknowledged]`);
    t.pass('after unlock: the alert that waited rings, those acknowledged before say so');

    for (const p of [person, boss]) {
      t.same(p.foreign, [], 'no request to any third party');
      t.same(p.errors, [], 'no error in the page');
    }
  });
}
