// The console's first steps in a real browser: an agency's first administrator
// registers the agency with the operator's admission code (the root key made
// and sealed in the browser), locks and unlocks the device; nothing reaches
// any third party.
import t from 'tap';
import { admitAgency } from '../../../clients/sdk/admin.js';
import { launchBrowser, openConsole, screenshot, seriousViolations } from '../../helpers/browser.js';
import { startTestHub } from '../../helpers/env.js';
import { fillAgencyForm } from '../../helpers/console/setup.js';

const PASS = 'une phrase de passe assez longue';

for (const lang of ['fr', 'en'] as const) {
  t.test(`an administrator registers an agency in the console (${lang})`, async (t) => {
    const hub = await startTestHub(t);
    const browser = await launchBrowser(t);
    const { code } = await admitAgency(hub.url, hub.operatorToken, { agency: 'maison-halte', kind: 'shelter', names: { fr: 'Maison Halte', en: 'Halte House' } });
    const admin = await openConsole(browser, `${hub.url}`, lang);
    const { page } = admin;
    const shot = (name: string) => (lang === 'fr' ? screenshot(page, name) : Promise.resolve());
    await page.waitForSelector('main h1');
    t.same(await seriousViolations(page), [], 'the welcome of a browser without keys: no serious or critical accessibility violation');
    await shot('setup-welcome');
    await fillAgencyForm(page, hub.url, lang, { agency: 'maison-halte', kind: 'shelter', names: { fr: 'Maison Halte', en: 'Halte House' }, code, passphrase: PASS });
    t.same(await seriousViolations(page), [], 'the new-agency form: no serious or critical accessibility violation');
    await shot('setup-agency');
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.roles');
    const agency = (await (await fetch(`${hub.url}/v1/agencies/maison-halte`)).json()) as { rootKey: string };
    t.match(agency.rootKey, /^[A-Za-z0-9_-]{43}$/, 'the agency is registered with a root key made in the browser');
    t.match(await page.textContent('nav.roles'), lang === 'fr' ? /Administration/ : /Administration/);

    // Locked: the keys are gone from memory; the passphrase opens them again.
    await page.click(`text=${lang === 'fr' ? 'Verrouiller' : 'Lock'}`);
    await page.waitForSelector('input[name=passphrase]');
    await page.fill('input[name=passphrase]', 'pas la bonne phrase');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    t.same(await seriousViolations(page), [], 'the unlock view: no serious or critical accessibility violation');
    await shot('setup-unlock');
    t.match(await page.textContent('[role=alert]'), lang === 'fr' ? /Phrase de passe incorrecte/ : /Wrong passphrase/);
    await page.fill('input[name=passphrase]', PASS);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.roles');
    t.same(admin.foreign, [], 'no request to any third party');
    t.same(admin.errors, [], 'no error in the page');
  });
}
