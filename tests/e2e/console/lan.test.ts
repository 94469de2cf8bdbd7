// The console and /docs over plain HTTP on the machine's LAN address (not
// loopback, which browsers treat as secure): nothing is upgraded to https,
// both render, and libsodium runs (a device's keys can be made there).
import { networkInterfaces } from 'node:os';
import t from 'tap';
import { admitAgency } from '../../../clients/sdk/admin.js';
import { launchBrowser, openConsole } from '../../helpers/browser.js';
import { startTestHub } from '../../helpers/env.js';

const lan = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

t.test('the console and /docs on a LAN address over plain HTTP', async (t) => {
  if (!lan) throw new Error('this machine has no non-loopback IPv4 address: the test needs one');
  const hub = await startTestHub(t, { host: '0.0.0.0' });
  const url = hub.url.replace('127.0.0.1', lan);
  const browser = await launchBrowser(t);
  const person = await openConsole(browser, url, 'fr');
  const { page } = person;
  await page.waitForSelector('main h1');
  t.match(await page.textContent('main h1'), /Bienvenue/, 'the console renders over http://' + 'LAN');
  t.equal(new URL(page.url()).protocol, 'http:', 'still plain HTTP');
  t.equal(await page.evaluate(() => window.isSecureContext), false, 'an insecure context, as a LAN address over HTTP is');
  // An agency registered there: its root key made by libsodium (WebAssembly), sealed and kept in the page.
  const { code } = await admitAgency(hub.url, hub.operatorToken, { agency: 'maison-lan', kind: 'shelter', names: { fr: 'Maison LAN', en: 'LAN House' } });
  await page.goto(`${url}/console/?lang=fr&kdf=interactive#/setup/agency`);
  await page.fill('input[name=agency]', 'maison-lan');
  await page.fill('input[name=name-fr]', 'Maison LAN');
  await page.fill('input[name=name-en]', 'LAN House');
  await page.fill('input[name=admission-code]', code);
  await page.fill('input[name=passphrase]', 'une phrase de passe assez longue');
  await page.fill('input[name=passphrase-confirm]', 'une phrase de passe assez longue');
  await page.click('button[type=submit]');
  await page.waitForSelector('nav.roles');
  t.match((await (await fetch(`${hub.url}/v1/agencies/maison-lan`)).json()) as object, { rootKey: /^[A-Za-z0-9_-]{43}$/ }, 'registered from a LAN address');

  await page.goto(`${url}/docs/`);
  await page.waitForSelector('.swagger-ui .info .title');
  t.match(await page.textContent('.swagger-ui .info .title'), /Vigie/, '/docs renders its API description');
  t.same(person.foreign, [], 'no request to any third party');
  // Chromium's own notice that COOP only applies to https (the hub keeps sending it for https deployments).
  const errors = person.errors.filter((e) => !/Cross-Origin-Opener-Policy header has been ignored/.test(e));
  t.same(errors, [], 'no other error in either page');
});
