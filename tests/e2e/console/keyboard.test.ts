// Keyboard only: a dispatcher unlocks the desk, reaches a danger alert, opens
// it and acknowledges it without a pointer — Tab to move, Enter to act — and
// each control reached says what it is.
import t from 'tap';
import type { Page } from 'playwright-core';
import { enrolPartners } from '../../helpers/agencies.js';
import { launchBrowser, openConsole } from '../../helpers/browser.js';
import { importDevice, lock, waitForAlert } from '../../helpers/console/desk.js';
import { startTestHub } from '../../helpers/env.js';

/** Presses Tab until the focused element matches `selector` (at most `max` presses); returns its accessible text. */
async function tabTo(page: Page, selector: string, max = 60): Promise<string> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate((s) => {
      const el = document.activeElement;
      return el && el.matches(s) ? (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText).trim() : null;
    }, selector);
    if (text !== null) return text;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/**
 * Tabs through the whole page once and returns the visible, enabled controls
 * (inputs, selects, buttons, links, summaries) that Tab never reached.
 */
async function unreachable(page: Page): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    let i = 0;
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary'))) el.dataset.kbd = String(i++);
  });
  const reached = new Set<string>();
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.kbd ?? null);
    if (id === null) continue;
    if (reached.has(id) && reached.size > 1) break;
    reached.add(id);
  }
  return page.evaluate((seen) => {
    const missed: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-kbd]'))) {
      // Shown: not hidden, not inside a closed <details> (whose summary is reached instead).
      const visible = el.checkVisibility({ checkVisibilityCSS: true }) && (el.tagName === 'SUMMARY' || !el.closest('details:not([open])'));
      const disabled = (el as HTMLButtonElement).disabled === true;
      // A radio group is one Tab stop: its checked (or first) radio.
      const radio = el instanceof HTMLInputElement && el.type === 'radio';
      if (!visible || disabled || radio || seen.includes(el.dataset.kbd!)) continue;
      missed.push(el.outerHTML.slice(0, 120));
    }
    return missed;
  }, [...reached]);
}

for (const lang of ['fr', 'en'] as const) {
  t.test(`the desk with the keyboard alone (${lang})`, async (t) => {
    const hub = await startTestHub(t);
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    const browser = await launchBrowser(t);
    const desk = await openConsole(browser, hub.url, lang);
    const { page } = desk;
    const PASS = 'phrase du poste de répartition';
    await importDevice(page, hub.url, lang, partners.officer.keys, PASS, 'repartition');
    await lock(page, lang === 'fr' ? 'Verrouiller' : 'Lock');

    // The passphrase field has the focus: type, Enter.
    await page.keyboard.type(PASS);
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=board]');

    const alert = await partners.worker.client.send({ type: 'danger_alert', recipients: ['police-laval/dispatch'], content: { text: 'Menace de mort ce soir.' }, ...partners.underConsent });
    await waitForAlert(page, alert.id);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const open = await tabTo(page, `[data-id="${alert.id}"] [data-testid=open-alert]`);
    t.match(open, lang === 'fr' ? /Ouvrir/ : /Open/, 'Tab reaches the alert’s button, named for what it does');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=verified]');
    const ack = await tabTo(page, '[data-testid=acknowledge]');
    t.match(ack, lang === 'fr' ? /prise en charge|prends en charge/i : /acknowledge/i, 'then the one deliberate acknowledgement');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid=ack-state][data-state=acknowledged]');
    t.pass('acknowledged without a pointer');
    t.same(await unreachable(page), [], 'every control of the opened alert is reached by Tab');

    // The worker's compose view, the longest form: every control is reached by Tab.
    const worker = await openConsole(browser, hub.url, lang);
    await importDevice(worker.page, hub.url, lang, partners.worker.keys, 'phrase de l’intervenante', 'intervenante');
    // (A new address would reload the page, and locking is what a reload does: the hash only.)
    await worker.page.evaluate(() => (location.hash = '#/shelter/case/DOSSIER-1/send'));
    await worker.page.waitForSelector('button[name=send]');
    await worker.page.check('input[name=legal-basis][value=apprehended_danger]');
    t.same(await unreachable(worker.page), [], 'every control of the compose view is reached by Tab');
    t.same(desk.foreign, []);
    t.same(desk.errors, []);
  });
}
