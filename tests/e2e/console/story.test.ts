// Issue 13, done when: the whole story in real Chromium against a real hub on
// PostgreSQL and Redis, once in French and once in English, every person in
// their own browser context (their own device), every step through the
// console:
//  - each agency's administrator registers it with the operator's admission
//    code, creates its inboxes, invites and approves its people after
//    comparing their device's fingerprint, and both sign the shelter–police
//    protocol;
//  - the shelter worker records the victim's consent, fills the grille
//    commune and sends a danger alert; the police desk hears it arrive (a
//    real AudioContext and a notification), verifies it and acknowledges it;
//    the worker sees the acknowledgement live;
//  - an alert under apprehended danger nobody acknowledges escalates on the
//    hub's clock, moved by the test: the supervisor's desk and the worker's
//    timeline show each step, down to "call 911";
//  - an auditor filters the register, exports it as CSV and verifies the log.
// axe-core runs on each view the story shows (the areas' own tests run it on
// every view of theirs).
import { eq } from 'drizzle-orm';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { admitAgency } from '../../../clients/sdk/admin.js';
import { TEMPLATES_DIR } from '../../../clients/templates.js';
import { escalations } from '../../../server/escalation/tables.js';
import { ManualClock } from '../../../server/lib/clock.js';
import { launchBrowser, openConsole, seriousViolations, type Person } from '../../helpers/browser.js';
import { approveInvitation, coSignProtocol, createInbox, inviteMember, joinByInvitation, signProtocol, waitUntilJoined } from '../../helpers/console/admin.js';
import { exportCsv, filterRegister, openAuditorView, registerLoaded, verifyLog } from '../../helpers/console/auditor.js';
import { acknowledge, backToBoard, chainSteps, expectAlarm, observeAlarm, openAlert, openDesk, openEscalation, waitForAlert, waitForEscalation } from '../../helpers/console/desk.js';
import { registerAgency } from '../../helpers/console/setup.js';
import { fillGrilleCommune, openCase, openCompose, openShelter, recordConsent, send, sendDangerAlert, composeDangerAlert, waitForLevel, waitForTimelineState } from '../../helpers/console/shelter.js';
import { eventually, startTestHub } from '../../helpers/env.js';
import { rawCodes } from '../../helpers/raw-codes.js';

const SHELTER = 'maison-aurore';
const POLICE = 'police-riviere';
const CASE = 'DOSSIER-2026-042';
const WORDS = {
  fr: { acknowledged: /PRIS EN CHARGE/, call: /APPELEZ LE 911/, supervisor: /Superviseur de relève/, withoutConsent: /sans consentement/i, basis: /Fondement juridique[\s\S]*Consentement de la victime/ },
  en: { acknowledged: /ACKNOWLEDGED/, call: /CALL 911/, supervisor: /Shift supervisor/, withoutConsent: /without consent/i, basis: /Legal basis[\s\S]*Victim’s consent/ },
} as const;

async function clean(t: Test, who: Person, view: string, lang: 'fr' | 'en') {
  t.same(await seriousViolations(who.page), [], `${view}: no serious or critical accessibility violation`);
  t.same(rawCodes(await who.page.innerText('main'), lang), [], `${view}: no raw code`);
}

/** A person invited by an administrator joins on their own browser; the administrator approves after comparing fingerprints. */
async function enrol(admin: Person, person: Person, lang: 'fr' | 'en', input: { label: string; roles: string[]; inboxes: string[] }, passphrase: string) {
  const invited = await inviteMember(admin.page, input);
  const read = await joinByInvitation(person.page, invited.link, lang, passphrase);
  await approveInvitation(admin.page, invited.invitation, read);
  await waitUntilJoined(person.page);
}

for (const lang of ['fr', 'en'] as const) {
  t.test(`the whole story in the console (${lang})`, async (t) => {
    const w = WORDS[lang];
    const clock = new ManualClock();
    // The watchdog runs when the test says so, on the hub's clock the test moves.
    const hub = await startTestHub(t, { app: { clock }, config: { escalationPollMs: 60_000, watchdogIntervalMs: 60_000, watchdogGraceMs: 0 } });
    const browser = await launchBrowser(t);
    const people = {
      shelterAdmin: await openConsole(browser, hub.url, lang),
      policeAdmin: await openConsole(browser, hub.url, lang),
      // The worker on the move: a phone's width.
      worker: await openConsole(browser, hub.url, lang, { width: 390, height: 844 }),
      dispatcher: await openConsole(browser, hub.url, lang),
      supervisor: await openConsole(browser, hub.url, lang),
      auditor: await openConsole(browser, hub.url, lang),
    };
    const { shelterAdmin, policeAdmin, worker, dispatcher, supervisor, auditor } = people;
    // The desks' alarm is observed from before the console loads (real AudioContext and Notification, recorded).
    await observeAlarm(dispatcher.page);
    await observeAlarm(supervisor.page);

    // 1. Each administrator registers the agency, its inboxes and its people; both sign the protocol.
    const shelterCode = (await admitAgency(hub.url, hub.operatorToken, { agency: SHELTER, kind: 'shelter', names: { fr: 'Maison Aurore', en: 'Aurore House' } })).code;
    const policeCode = (await admitAgency(hub.url, hub.operatorToken, { agency: POLICE, kind: 'police', names: { fr: 'Police de Rivière', en: 'Rivière police' } })).code;
    await registerAgency(shelterAdmin.page, hub.url, lang, { agency: SHELTER, kind: 'shelter', names: { fr: 'Maison Aurore', en: 'Aurore House' }, code: shelterCode, passphrase: 'phrase de l’administratrice de la maison' });
    await registerAgency(policeAdmin.page, hub.url, lang, { agency: POLICE, kind: 'police', names: { fr: 'Police de Rivière', en: 'Rivière police' }, code: policeCode, passphrase: 'phrase de l’administrateur de la police' });
    await createInbox(shelterAdmin.page, SHELTER, 'intake', { fr: 'Accueil', en: 'Intake' });
    await createInbox(policeAdmin.page, POLICE, 'dispatch', { fr: 'Répartition', en: 'Dispatch' });
    await createInbox(policeAdmin.page, POLICE, 'supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
    await createInbox(policeAdmin.page, POLICE, 'duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
    await clean(t, policeAdmin, 'inboxes', lang);

    await enrol(shelterAdmin, worker, lang, { label: 'intervenante-nuit', roles: ['sender', 'receiver'], inboxes: [`${SHELTER}/intake`] }, 'phrase de l’intervenante de nuit');
    await enrol(shelterAdmin, auditor, lang, { label: 'verificatrice', roles: ['auditor'], inboxes: [] }, 'phrase de la vérificatrice');
    await enrol(policeAdmin, dispatcher, lang, { label: 'repartition-nuit', roles: ['receiver', 'sender'], inboxes: [`${POLICE}/dispatch`] }, 'phrase de la répartitrice');
    await enrol(policeAdmin, supervisor, lang, { label: 'superviseur-releve', roles: ['receiver'], inboxes: [`${POLICE}/supervision`] }, 'phrase du superviseur');
    await clean(t, shelterAdmin, 'members', lang);
    t.pass('two agencies, four inboxes and four devices, set up in the console');

    t.equal(await signProtocol(shelterAdmin.page, join(TEMPLATES_DIR, 'shelter-police.json'), { shelter: SHELTER, police: POLICE }), 'pending_signatures', 'the shelter signs and submits');
    t.equal(await coSignProtocol(policeAdmin.page, 'shelter-police', 1), 'active', 'the police co-sign: in force');
    await clean(t, policeAdmin, 'the protocol review', lang);

    // 2. Consent, grille commune, danger alert: heard, verified and acknowledged at the desk, seen live by the worker.
    await openDesk(dispatcher.page);
    await openDesk(supervisor.page);
    await openShelter(worker.page);
    await openCase(worker.page, CASE);
    await recordConsent(worker.page, { recipients: [POLICE], purposes: ['victim_safety'], categories: ['identity', 'location', 'threat', 'risk_level'] });
    await clean(t, worker, 'the case and its consent', lang);
    await openCompose(worker.page);
    await fillGrilleCommune(worker.page, { circumstantial_death_threats: 'yes', imminent_threat_with_plan: 'yes' });
    await waitForLevel(worker.page, 'imminent');
    await composeDangerAlert(worker.page, {
      to: [`${POLICE}/dispatch`],
      categories: ['identity', 'location', 'threat', 'risk_level'],
      text: lang === 'fr' ? 'Menaces de mort ce soir; il sait où elle est.' : 'Death threats tonight; he knows where she is.',
      basis: { consent: { purpose: 'victim_safety' } },
    });
    await clean(t, worker, 'compose', lang);
    const first = await send(worker.page);

    await waitForAlert(dispatcher.page, first);
    const ringing = await expectAlarm(dispatcher.page);
    t.ok(ringing.contexts.includes('running'), 'the desk hears it: a real AudioContext plays');
    await dispatcher.page.waitForFunction(() => (window as unknown as { __alarm: { notifications: unknown[] } }).__alarm.notifications.length > 0);
    t.pass('and a browser notification is shown');
    t.match(ringing.title, /\(1\)/, 'the tab’s title is marked');
    await clean(t, dispatcher, 'the board, ringing', lang);
    t.equal(await openAlert(dispatcher.page, first), 'verified', 'opened: decrypted and verified in the browser');
    const detail = (await dispatcher.page.innerText('main'))!;
    t.match(detail, /intervenante-nuit/, 'who signed it: the worker’s device');
    t.match(detail, w.basis, 'under which legal basis, in words');
    t.equal(await dispatcher.page.$('[data-testid=assessment-mismatch]'), null, 'the level recomputed at the desk is the level signed');
    await clean(t, dispatcher, 'the alert opened', lang);
    await acknowledge(dispatcher.page);
    await waitForTimelineState(worker.page, 'acknowledged');
    t.match(await worker.page.textContent('[data-testid=timeline-state]'), w.acknowledged, 'the worker sees the acknowledgement live');
    t.match(await worker.page.textContent('[data-testid=timeline-state]'), /repartition-nuit/, 'and by whom');
    await clean(t, worker, 'the timeline, acknowledged', lang);

    // 3. Under apprehended danger, nobody acknowledges: the chain runs on the hub's clock.
    await worker.page.click('a[href^="#/shelter/case/"]:not([href*="/message/"])');
    await openCompose(worker.page);
    const second = await sendDangerAlert(worker.page, {
      to: [`${POLICE}/dispatch`],
      categories: ['identity', 'location', 'threat'],
      text: lang === 'fr' ? 'Il est devant la maison avec une arme.' : 'He is outside the house with a weapon.',
      basis: { danger: { reason: 'weapon', directive: 'DIR-2026-07' } },
    });
    await backToBoard(dispatcher.page);
    await waitForAlert(dispatcher.page, second);
    const row = async () => (await hub.app.db.select().from(escalations).where(eq(escalations.messageId, second)))[0]!;
    const deadline = (await eventually(async () => (await row())?.nextAt ?? null))!;
    const runUntil = async (at: Date, step: number) => {
      clock.set(at);
      await eventually(async () => {
        await hub.app.watchdog.pass();
        return (await row()).nextStep >= step;
      }, 15_000);
    };
    await runUntil(deadline, 2);
    await waitForEscalation(supervisor.page, second);
    await expectAlarm(supervisor.page);
    t.pass('the supervisor’s desk rings with the escalation');
    await openEscalation(supervisor.page, second);
    t.same(await chainSteps(supervisor.page), [true, false], 'the supervisor sees the chain: step 1 reached, step 2 ahead');
    await clean(t, supervisor, 'the escalation', lang);
    await waitForTimelineState(worker.page, 'escalated');
    t.match(await worker.page.textContent('[data-testid=timeline-state]'), w.supervisor, 'the worker’s timeline: escalated to the supervisor');
    await runUntil(new Date(deadline.getTime() + 600_000), 3);
    await runUntil(new Date(deadline.getTime() + 900_000), 4);
    await waitForTimelineState(worker.page, 'exhausted');
    t.match(await worker.page.textContent('[data-testid=timeline-state]'), w.call, 'the chain exhausted: call 911');
    await clean(t, worker, 'the timeline, exhausted', lang);
    clock.set(new Date());

    // 4. The auditor: the register filtered, exported, and the log verified.
    await openAuditorView(auditor.page, 'register');
    await registerLoaded(auditor.page);
    const flagged = await filterRegister(auditor.page, { withoutConsent: true });
    t.ok(flagged.length >= 1, 'disclosures without consent, follow-up required');
    t.ok(flagged.every((r) => w.withoutConsent.test(r.text)), 'each says so in words');
    const csv = await exportCsv(auditor.page);
    t.equal(csv.text.trimEnd().split('\n').length, flagged.length + 1, 'the CSV holds the filtered rows under a header');
    t.match(csv.text, second, 'the second alert is in it');
    await clean(t, auditor, 'the register', lang);
    await openAuditorView(auditor.page, 'log');
    const verdict = await verifyLog(auditor.page);
    t.equal(verdict.state, 'ok', `the log verifies in the browser (${verdict.problems.join(', ')})`);
    await clean(t, auditor, 'the log verified', lang);

    for (const [name, p] of Object.entries(people)) {
      t.same(p.foreign, [], `${name}: no request to any third party`);
      t.same(p.errors, [], `${name}: no error in the page`);
    }
  });
}
