// The shelter worker in the console, in a real browser against a real hub, in
// French and in English. Agencies, their protocol and the police device are
// prepared with the SDK; the worker's device comes in as a CLI key file.
//
// 1. She opens a case under a pseudonymous reference (a name is refused),
//    records the victim's consent, fills the grille commune (the level
//    changes as she answers), is shown before sending why two messages would
//    be refused (nothing leaves), then sends a danger alert under the consent.
//    The police device receives it and a police officer acknowledges it with
//    the SDK: her timeline shows who received it and who acknowledged it, live.
//    She revokes the consent through its confirmation dialog.
// 2. An alert under apprehended danger that nobody acknowledges: the hub runs
//    on a clock the test moves; her timeline shows the deadline passing, each
//    escalation step and whom it notified, and the end of the chain: call 911.
import { count, eq } from 'drizzle-orm';
import t, { type Test } from 'tap';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { listInstruments } from '../../../clients/instruments.js';
import { checkAssessment, type OpenedMessage } from '../../../clients/sdk/client.js';
import { escalations } from '../../../server/escalation/tables.js';
import { ManualClock } from '../../../server/lib/clock.js';
import { messages } from '../../../server/messages/tables.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { rawCodes } from '../../helpers/raw-codes.js';
import { launchBrowser, openConsole, screenshot, seriousViolations, type Person } from '../../helpers/browser.js';
import { importDevice } from '../../helpers/console/desk.js';
import {
  assessmentLevel,
  composeDangerAlert,
  fillGrilleCommune,
  openCase,
  openCompose,
  openShelter,
  pickInstrument,
  preSendRefusal,
  recordConsent,
  revokeConsent,
  send,
  sendDangerAlert,
  timelineEvents,
  typeCaseReference,
  waitForLevel,
  waitForTimelineLine,
  waitForTimelineState,
} from '../../helpers/console/shelter.js';
import { eventually, startTestHub, type TestHub } from '../../helpers/env.js';

const PASS = 'phrase de passe de l’intervenante';
const CASE = 'DOSSIER-2026-014';
const WORDS = {
  fr: { noDigit: /peut être un nom/, acknowledged: /PRIS EN CHARGE/, call: /APPELEZ LE 911/, supervisor: /Superviseur de relève/ },
  en: { noDigit: /may be a name/, acknowledged: /ACKNOWLEDGED/, call: /CALL 911/, supervisor: /Shift supervisor/ },
} as const;

/** axe-core on the view as it is now, and no raw code of the shared vocabulary in what it shows. */
async function axe(t: Test, person: Person, view: string, lang: 'fr' | 'en') {
  t.same(await seriousViolations(person.page), [], `${view}: no serious or critical accessibility violation`);
  t.same(rawCodes(await person.page.innerText('main'), lang), [], `${view}: no raw code`);
}

const messageCount = async (hub: TestHub) => (await hub.app.db.select({ n: count() }).from(messages))[0]!.n;

for (const lang of ['fr', 'en'] as const) {
  const w = WORDS[lang];

  t.test(`a consent, the grille commune and a danger alert, acknowledged live (${lang})`, async (t) => {
    const hub = await startTestHub(t);
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    // The police device is up: it signs `delivered` as the alert arrives.
    const arrived: OpenedMessage[] = [];
    const police = partners.officer.client.stream();
    police.on('message', (m) => void arrived.push(m));
    await police.open();
    t.teardown(() => police.close());

    const browser = await launchBrowser(t);
    const worker = await openConsole(browser, hub.url, lang, { width: 390, height: 844 });
    const { page } = worker;
    await importDevice(page, hub.url, lang, partners.worker.keys, PASS, 'intervenante-1');
    await openShelter(page);
    await axe(t, worker, 'cases', lang);

    // Never a name: the field says why, and what a reference looks like.
    t.match(await typeCaseReference(page, 'Marie-Tremblay'), w.noDigit, 'a reference without a digit is refused as a possible name');
    t.equal(await typeCaseReference(page, CASE), null, 'a pseudonymous reference is accepted');
    await screenshotIf(lang, worker, 'cases');
    await openCase(page, CASE);
    await axe(t, worker, 'case without consent', lang);

    await page.click('[data-testid=consent-link]');
    await page.waitForSelector('input[name=recipient]');
    await axe(t, worker, 'consent form', lang);
    await screenshotIf(lang, worker, 'consent-form');
    await page.goBack();
    await page.waitForSelector('[data-testid=consent-link]');
    const evidence = await recordConsent(page, {
      recipients: ['police-laval'],
      purposes: ['victim_safety'],
      categories: ['identity', 'location', 'threat', 'risk_level'],
      until: `${new Date().getFullYear() + 1}-12-31`,
    });
    const [stored] = await partners.worker.client.consents({ case: CASE });
    t.match(stored, { case: CASE, recipients: ['police-laval'], purposes: ['victim_safety'], dataCategories: ['identity', 'location', 'threat', 'risk_level'], evidenceHash: evidence, state: 'active' });
    await axe(t, worker, 'case with its consent', lang);
    await screenshotIf(lang, worker, 'case');

    // The grille commune, level computed live by the shared scoring code.
    await openCompose(page);
    // The LAP screen, from its JSON: a yes to one of the first three questions screens the victim in.
    await pickInstrument(page, 'lap-lethality-screen');
    t.equal((await page.$$('[data-testid=instrument] fieldset[data-item]')).length, 11, 'the LAP screen’s eleven questions');
    await page.check('input[name="item-q1"][value=yes]');
    await waitForLevel(page, 'high_danger');
    await axe(t, worker, 'LAP screen', lang);
    await pickInstrument(page, 'grille-commune');
    const first = await assessmentLevel(page);
    t.equal(first.complete, false, 'an empty grid does not score yet');
    t.equal((await page.$$('[data-testid=instrument] fieldset[data-item]')).length, 35, 'the grille commune’s thirty-five items');
    await fillGrilleCommune(page, { circumstantial_death_threats: 'yes' });
    await waitForLevel(page, 'aggravated');
    t.equal((await assessmentLevel(page)).complete, true, 'every required item answered: the grid scores');
    await page.check('input[name="item-imminent_threat_with_plan"][value=yes]');
    await waitForLevel(page, 'imminent');
    t.pass('the level rose as the answers changed');

    // Refusals the device knows: shown before sending, nothing leaves.
    await composeDangerAlert(page, {
      to: ['police-laval/dispatch'],
      categories: ['identity', 'location', 'threat'],
      text: lang === 'fr' ? 'Menaces de mort ce soir; il sait où elle est.' : 'Death threats tonight; he knows where she is.',
      basis: { danger: { attest: ['reasonableCause', 'seriousRisk', 'identifiablePerson'], reason: 'death_threat', directive: 'DIR-2026-04' } },
    });
    await page.waitForSelector('[data-testid=presend-refusal]');
    t.equal(await preSendRefusal(page), 'ATTESTATION_MISSING', 'three conditions of four: refused before sending');
    t.ok(await page.isDisabled('button[name=send]'), 'and the alert cannot be sent');
    await axe(t, worker, 'compose with a refusal', lang);
    await page.check('input[name=legal-basis][value=consent]');
    await page.check('input[name=category][value=children]');
    await page.waitForSelector('[data-testid=presend-refusal][data-code=CONSENT_SCOPE_EXCEEDED]');
    t.pass('a category the consent does not cover: refused before sending');
    t.equal(await messageCount(hub), 0, 'nothing was sent');
    await page.uncheck('input[name=category][value=children]');
    await page.check('input[name=category][value=risk_level]');
    await page.waitForSelector('[data-testid=compose-ready]');
    await screenshotIf(lang, worker, 'compose');

    const id = await send(page);
    await axe(t, worker, 'timeline', lang);
    await eventually(() => arrived.find((m) => m.id === id));
    const received = arrived.find((m) => m.id === id)!;
    t.match(received.header, { type: 'danger_alert', urgency: 'immediate', legalBasis: { code: 'consent', case: CASE, purpose: 'victim_safety' }, assessment: { instrument: 'grille-commune', level: 'imminent' } });
    t.match(checkAssessment(received.header, received.content, listInstruments()), { matches: true, recomputedLevel: 'imminent' }, 'the police recompute the level the console signed');
    await waitForTimelineState(page, 'delivered');
    await waitForTimelineLine(page, 'police-laval/dispatch', 'delivered', 'repartiteur-1');
    t.pass('received by which device: its certified label');

    await partners.officer.client.acknowledge(received);
    await waitForTimelineState(page, 'acknowledged');
    await waitForTimelineLine(page, 'police-laval/dispatch', 'acknowledged', 'repartiteur-1');
    const banner = await page.textContent('[data-testid=timeline-state]');
    t.match(banner, w.acknowledged);
    t.match(banner, /repartiteur-1/, 'acknowledged by whom');
    const kinds = (await timelineEvents(page, 'police-laval/dispatch')).map((e) => e.kind).filter((k) => k !== 'pushed');
    t.same(kinds, ['accepted', 'delivered', 'acknowledged'], 'accepted, received, acknowledged: nothing left to come');
    await axe(t, worker, 'timeline acknowledged', lang);
    await screenshotIf(lang, worker, 'timeline-acknowledged');

    // The case lists the message and its state; the consent is revoked through its dialog.
    await page.click('a[href^="#/shelter/case/"]:not([href*="/message/"])');
    await page.waitForSelector(`[data-testid=message-row][data-message="${id}"] [data-testid=message-state][data-state=acknowledged]`);
    await page.click(`[data-testid=consent] button[name=revoke]`);
    await page.waitForSelector('[data-testid=revoke-dialog][open]');
    await axe(t, worker, 'revoke dialog', lang);
    await screenshotIf(lang, worker, 'revoke');
    await page.click('[data-testid=revoke-dialog] button.secondary');
    await page.waitForSelector('[data-testid=revoke-dialog]', { state: 'detached' });
    await revokeConsent(page, evidence);
    t.equal((await partners.worker.client.consents({ case: CASE }))[0]!.state, 'revoked', 'the hub has it revoked');
    t.same(worker.foreign, [], 'no request to any third party');
    t.same(worker.errors, [], 'no error in the page');
  });

  t.test(`an apprehended-danger alert nobody acknowledges: each step, then call 911 (${lang})`, async (t) => {
    const clock = new ManualClock();
    // Steps run when the test says so (a watchdog pass), never on the scheduler's own time.
    const hub = await startTestHub(t, { app: { clock }, config: { escalationPollMs: 60_000, watchdogIntervalMs: 60_000, watchdogGraceMs: 0 } });
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    await partners.police.admin.createInbox('supervision', { fr: 'Superviseur de relève', en: 'Shift supervisor' });
    await partners.police.admin.createInbox('duty-officer', { fr: 'Officier de service', en: 'Duty officer' });
    await enrolDevice(hub.url, partners.police, 'superviseur-releve', ['receiver'], ['police-laval/supervision']);

    const browser = await launchBrowser(t);
    const worker = await openConsole(browser, hub.url, lang);
    const { page } = worker;
    await importDevice(page, hub.url, lang, partners.worker.keys, PASS, 'intervenante-1');
    await openShelter(page);
    await openCase(page, 'DOSSIER-2026-015');
    await openCompose(page);
    const id = await sendDangerAlert(page, {
      to: ['police-laval/dispatch'],
      categories: ['identity', 'location', 'threat'],
      text: lang === 'fr' ? 'Il est devant la maison avec une arme.' : 'He is outside the house with a weapon.',
      basis: { danger: { reason: 'weapon', directive: 'DIR-2026-04' } },
    });
    await waitForTimelineState(page, ['accepted', 'pushed']);
    const events = await timelineEvents(page, 'police-laval/dispatch');
    t.same(events.filter((e) => e.due).map((e) => e.kind), ['deadline', 'escalated', 'escalated', 'exhausted'], 'the chain to come: the deadline, two steps, the end');
    await screenshotIf(lang, worker, 'timeline-waiting');

    const row = async () => (await hub.app.db.select().from(escalations).where(eq(escalations.messageId, id)))[0]!;
    const deadline = (await row()).nextAt!;
    /** Moves the hub's clock and runs its watchdog until the chain reached `step`. */
    const runUntil = async (at: Date, step: number) => {
      clock.set(at);
      await eventually(async () => {
        await hub.app.watchdog.pass();
        return (await row()).nextStep >= step;
      }, 15_000);
    };

    // The deadline passes; at once the supervisor is notified (step 1).
    await runUntil(deadline, 2);
    await waitForTimelineState(page, 'escalated');
    t.match(await page.textContent('[data-testid=timeline-state]'), w.supervisor, 'escalated to whom');
    let lines = await timelineEvents(page, 'police-laval/dispatch');
    t.match(lines.find((e) => e.kind === 'deadline'), { due: false }, 'the deadline passed');
    t.same(lines.filter((e) => e.kind === 'escalated').map((e) => e.due), [false, true], 'step 1 reached, step 2 to come');
    await axe(t, worker, 'timeline escalated', lang);
    await screenshotIf(lang, worker, 'timeline-escalated');

    // The duty officer (step 2), then the end of the chain.
    await runUntil(new Date(deadline.getTime() + 600_000), 3);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=recipient-timeline] li[data-kind=escalated][data-due=false]').length === 2);
    await runUntil(new Date(deadline.getTime() + 900_000), 4);
    await waitForTimelineState(page, 'exhausted');
    t.match(await page.textContent('[data-testid=timeline-state]'), w.call, 'the chain is exhausted: call 911');
    t.equal(await page.getAttribute('[data-testid=call-911]', 'href'), 'tel:911');
    lines = await timelineEvents(page, 'police-laval/dispatch');
    t.same(lines.map((e) => e.kind).filter((k) => k !== 'pushed'), ['accepted', 'deadline', 'escalated', 'escalated', 'exhausted'], 'every step, in order');
    t.notOk(lines.some((e) => e.due), 'nothing left to come');
    await axe(t, worker, 'timeline exhausted', lang);
    await screenshotIf(lang, worker, 'timeline-exhausted');
    t.same(worker.foreign, [], 'no request to any third party');
    t.same(worker.errors, [], 'no error in the page');
  });
}

/** The French screenshots go to docs/console.md. */
async function screenshotIf(lang: 'fr' | 'en', person: Person, name: string) {
  if (lang === 'fr') await screenshot(person.page, `shelter-${name}`);
}
