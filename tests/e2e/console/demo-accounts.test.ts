// `npm run demo` without --exit: after the scripted story the hub keeps
// running and the demo prints the console's address and one account per
// role. A newcomer imports the printed files at once in Chromium and opens
// each role with its printed passphrase: each lands in its own area.
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { launchBrowser, openConsole } from '../../helpers/browser.js';
import { PATHS } from '../../../server/paths.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The area each account opens first, in French. */
const EXPECTED: Record<string, RegExp> = {
  '1-intervenante-maison': /Intervention/,
  '2-repartition-police': /Réception des alertes/,
  '3-supervision-police': /Réception des alertes/,
  '4-administration-maison': /Administration/,
  '5-administration-police': /Administration/,
  '6-verification-commissaire': /Vérification/,
};

t.test('the demo prints the console and an account per role that opens in the browser', async (t) => {
  const child = spawn(process.execPath, [PATHS.demoMain], { cwd: ROOT, env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Le carrefour reste actif/.test(out)) resolve();
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGINT');
    await exited;
  });
  await ready;

  const consoleUrl = /Console : (http:\/\/\S+\/console\/)/.exec(out)?.[1];
  const dir = /les (\d+) fichiers de (\S+), puis/.exec(out)?.[2];
  t.ok(consoleUrl, 'the console’s address is printed');
  t.ok(dir, 'the accounts’ folder is printed');
  t.teardown(() => rmSync(join(dir!, '..'), { recursive: true, force: true }));
  const accounts = [...out.matchAll(/^\[\s*\d+ ms\]\s+(\d-[a-z-]+)\s+(demo-[a-z-]+)\s+(.+)$/gm)].map((m) => ({ name: m[1]!, passphrase: m[2]!, role: m[3]! }));
  t.same(accounts.map((a) => a.name).sort(), Object.keys(EXPECTED).sort(), 'one printed account per role, with its passphrase and what it does');
  const files = readdirSync(dir!).filter((f) => f.endsWith('.key'));
  t.equal(files.length, accounts.length, 'one key file per account');

  const browser = await launchBrowser(t);
  const person = await openConsole(browser, new URL(consoleUrl!).origin, 'fr');
  const { page } = person;
  await page.goto(`${consoleUrl}?lang=fr#/setup/import`);
  await page.setInputFiles('input[name=key-file]', files.map((f) => join(dir!, f)));
  await page.click('button[type=submit]');
  for (const a of accounts) {
    await page.waitForSelector('input[name=account]');
    await page.check(`label:has-text("${a.name}") input[name=account]`);
    await page.fill('input[name=passphrase]', a.passphrase);
    await page.click('button[type=submit]');
    await page.waitForSelector('nav.roles');
    t.match(await page.textContent('nav.roles [aria-current=page]'), EXPECTED[a.name]!, `${a.name} opens with its printed passphrase, in its area`);
    await page.click('text=Verrouiller');
  }
  t.same(person.foreign, [], 'no request to any third party');
  t.same(person.errors, [], 'no error in the page');
  child.kill('SIGINT');
  t.equal(await exited, 0, 'Ctrl-C stops the demo cleanly');
});
