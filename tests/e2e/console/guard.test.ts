// A desk nobody touched: when its idle time runs out, a receiving device
// closes its views behind a guard but keeps listening — a danger alert that
// arrives then still rings and is announced (never its content) — and the
// passphrase, only it, brings the person back to the alert. A device that
// receives nothing locks completely instead.
import t from 'tap';
import { enrolPartners } from '../../helpers/agencies.js';
import { launchBrowser, openConsole, screenshot, seriousViolations } from '../../helpers/browser.js';
import { alarmObserved, importDevice, observeAlarm, openDesk, waitForAlert } from '../../helpers/console/desk.js';
import { enrolDevice } from '../../../clients/harness/enrol.js';
import { startTestHub } from '../../helpers/env.js';

const WORDS = {
  fr: { guard: /Écran verrouillé/, banner: /alerte/i, wrong: /Phrase de passe incorrecte/, idle: /Verrouillé après/ },
  en: { guard: /Screen locked/, banner: /alert/i, wrong: /Wrong passphrase/, idle: /Locked after/ },
} as const;

/** A fraction of a minute of idleness, written where the device's setting lives (the view only offers whole minutes). */
const IDLE_MINUTES = '0.05';

for (const lang of ['fr', 'en'] as const) {
  t.test(`idle, a receiving device is guarded and still rings; any other locks (${lang})`, async (t) => {
    const w = WORDS[lang];
    const hub = await startTestHub(t);
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    const browser = await launchBrowser(t);
    const desk = await openConsole(browser, hub.url, lang);
    const { page } = desk;
    await observeAlarm(page);
    await importDevice(page, hub.url, lang, partners.officer.keys, 'phrase du poste de répartition', 'repartition');
    await openDesk(page);
    await page.evaluate((m) => localStorage.setItem('vigie.idleMinutes', m), IDLE_MINUTES);
    // The idle timer is armed at the next activity.
    await page.keyboard.press('Shift');
    await page.waitForSelector('[data-testid=guard]');
    t.match(await page.textContent('[data-testid=guard] h1'), w.guard, 'idle: the guard replaces every view');
    t.equal(await page.$('[data-testid=board]'), null, 'the board is closed');
    t.same(await seriousViolations(page), [], 'the guard: no serious or critical accessibility violation');

    const alert = await partners.worker.client.send({
      type: 'danger_alert',
      recipients: ['police-laval/dispatch'],
      content: { text: 'Il est devant la maison avec une arme.' },
      ...partners.underDanger,
    });
    await page.waitForFunction(() => {
      const a = (window as unknown as { __alarm: { contexts: AudioContext[]; tones: number } }).__alarm;
      return a.contexts.some((c) => c.state === 'running') && a.tones >= 3;
    });
    const ringing = await alarmObserved(page);
    t.ok(ringing.contexts.includes('running'), 'behind the guard, the alarm plays');
    t.match(ringing.title, /\(1\)/, 'and the tab’s title is marked');
    t.match(await page.textContent('.desk-banner'), w.banner, 'the guard announces the waiting alert');
    t.notMatch(await page.textContent('main'), /arme|weapon/, 'never its content');
    t.same(await seriousViolations(page), [], 'the guard with a waiting alert: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'setup-guard');

    await page.fill('[data-testid=guard] input[name=passphrase]', 'pas la bonne phrase');
    await page.click('[data-testid=guard] button[type=submit]');
    await page.waitForSelector('[data-testid=guard] [role=alert]');
    t.match(await page.textContent('[data-testid=guard] [role=alert]'), w.wrong, 'only the passphrase lifts the guard');
    await page.evaluate(() => localStorage.setItem('vigie.idleMinutes', '15'));
    await page.fill('[data-testid=guard] input[name=passphrase]', 'phrase du poste de répartition');
    await page.click('[data-testid=guard] button[type=submit]');
    await page.waitForSelector('[data-testid=guard]', { state: 'detached' });
    await openDesk(page);
    await waitForAlert(page, alert.id);
    t.equal(await page.getAttribute('[data-testid=board]', 'data-alarm'), 'on', 'back on the board, the alert still waits for a person');

    // An auditor's device receives nothing: idle, it locks completely (the page reloads, the keys are gone).
    const auditor = await enrolDevice(hub.url, partners.shelter, 'verificatrice', ['auditor'], []);
    const other = await openConsole(browser, hub.url, lang);
    await importDevice(other.page, hub.url, lang, auditor.keys, 'phrase de la vérificatrice', 'verificatrice');
    await other.page.evaluate((m) => localStorage.setItem('vigie.idleMinutes', m), IDLE_MINUTES);
    await Promise.all([other.page.waitForEvent('load'), other.page.keyboard.press('Shift')]);
    await other.page.waitForSelector('input[name=passphrase]');
    t.match(await other.page.textContent('main'), w.idle, 'a device that receives nothing locks completely when idle');
    t.equal(await other.page.$('nav.roles'), null);
    for (const p of [desk, other]) {
      t.same(p.foreign, [], 'no request to any third party');
      t.same(p.errors, [], 'no error in the page');
    }
  });
}
