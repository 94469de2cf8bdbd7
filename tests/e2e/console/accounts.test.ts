// Several people on one browser, and key files that travel between the CLI
// and the console: files sealed as the CLI seals them are imported (several
// at once, as the demo hands them out), each opens only with its own
// passphrase, and a file exported by the console opens in Node as the CLI
// opens it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { openKeyFile, sealKeyFile } from '../../../protocol/keyfile.js';
import { loadSodium } from '../../../protocol/sodium.js';
import { enrolPartners } from '../../helpers/agencies.js';
import { launchBrowser, openConsole, screenshot, seriousViolations } from '../../helpers/browser.js';
import { startTestHub, tempDir } from '../../helpers/env.js';

const WORDS = {
  fr: { desk: 'Réception des alertes', admin: 'Administration', lock: 'Verrouiller', wrong: /Phrase de passe incorrecte/, device: 'Cet appareil' },
  en: { desk: 'Alert desk', admin: 'Administration', lock: 'Lock', wrong: /Wrong passphrase/, device: 'This device' },
} as const;

for (const lang of ['fr', 'en'] as const) {
  t.test(`one browser, several accounts, key files shared with the CLI (${lang})`, async (t) => {
    const w = WORDS[lang];
    const hub = await startTestHub(t);
    const partners = await enrolPartners(hub.url, hub.operatorToken);
    const crypto = await loadSodium();
    const dir = tempDir(t);
    const seal = (name: string, secrets: unknown, pass: string) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(sealKeyFile(crypto, secrets, pass, crypto.argon2idInteractive)));
      return path;
    };
    const files = [
      seal('intervenante.key', partners.worker.keys, 'phrase de l’intervenante'),
      seal('repartiteur.key', partners.officer.keys, 'phrase du répartiteur'),
      seal('admin-refuge.key', partners.shelter.keys, 'phrase de l’administratrice'),
    ];
    const browser = await launchBrowser(t);
    const person = await openConsole(browser, hub.url, lang);
    const { page } = person;
    await page.goto(`${hub.url}/console/?lang=${lang}#/setup/import`);
    await page.setInputFiles('input[name=key-file]', files);
    t.same(await seriousViolations(page), [], 'import view: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'setup-import');
    await page.click('button[type=submit]');

    // Three accounts to choose from; each opens with its own passphrase only.
    await page.waitForSelector('input[name=account]');
    t.same(await page.$$eval('input[name=account]', (inputs) => inputs.length), 3, 'one account per file');
    await page.check('label:has-text("repartiteur") input[name=account]');
    await page.fill('input[name=passphrase]', 'phrase de l’intervenante');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    t.match(await page.textContent('[role=alert]'), w.wrong, 'another account’s passphrase does not open it');
    t.same(await seriousViolations(page), [], 'account chooser: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'setup-accounts');
    await page.fill('input[name=passphrase]', 'phrase du répartiteur');
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.roles');
    t.match(await page.textContent('nav.roles'), w.desk, 'the dispatcher’s account opens the alert desk');

    // The console's export is the CLI's key file: Node opens it with the same passphrase.
    await page.click(`nav.roles a:has-text("${w.device}")`);
    await page.waitForSelector('button:has-text("member.key")');
    t.same(await seriousViolations(page), [], 'this device’s view: no serious or critical accessibility violation');
    if (lang === 'fr') await screenshot(page, 'setup-device');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button:has-text("member.key")')]);
    const exported = join(dir, 'exported.key');
    await download.saveAs(exported);
    t.same(openKeyFile(crypto, JSON.parse(readFileSync(exported, 'utf8')), 'phrase du répartiteur'), partners.officer.keys, 'the exported file holds the same keys, under the same passphrase');

    // Locked, the last account is preselected; another opens with its own passphrase.
    await page.click(`text=${w.lock}`);
    await page.waitForSelector('input[name=account]');
    t.ok(await page.isChecked('label:has-text("repartiteur") input[name=account]'), 'the last account used is preselected');
    await page.check('label:has-text("admin-refuge") input[name=account]');
    await page.fill('input[name=passphrase]', 'phrase de l’administratrice');
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.roles');
    t.match(await page.textContent('nav.roles'), w.admin, 'the agency key’s account opens administration');
    t.notMatch(await page.textContent('nav.roles'), w.desk, 'and not the dispatcher’s desk');

    // One file with a wrong passphrase is refused and not kept.
    await page.click(`text=${w.lock}`);
    await page.waitForSelector('input[name=account]');
    await page.goto(`${hub.url}/console/?lang=${lang}#/setup/import`);
    await page.setInputFiles('input[name=key-file]', files[0]!);
    await page.fill('input[name=passphrase]', 'pas la bonne phrase');
    await page.click('button[type=submit]');
    await page.waitForSelector('[role=alert]');
    t.match(await page.textContent('[role=alert]'), w.wrong, 'a single file is checked against its passphrase');
    await page.goto(`${hub.url}/console/?lang=${lang}`);
    await page.waitForSelector('input[name=account]');
    t.same(await page.$$eval('input[name=account]', (inputs) => inputs.length), 3, 'the refused file was not kept');
    t.same(person.foreign, [], 'no request to any third party');
    t.same(person.errors, [], 'no error in the page');
  });
}
