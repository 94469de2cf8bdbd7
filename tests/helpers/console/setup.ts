/**
 * Page helpers for setting up a device in the console (tests/e2e/console/*):
 * an agency's first administrator registers the agency, the root key made and
 * sealed in the browser. A story test chains them with the other areas' helpers.
 */
import type { Page } from 'playwright-core';

export interface AgencyRegistration {
  agency: string;
  kind: string;
  names: { fr: string; en: string };
  /** The hub operator's admission code. */
  code: string;
  passphrase: string;
}

/** The console's address on a hub, in a language, with fast Argon2id for tests. */
export const consoleUrl = (hubUrl: string, lang: 'fr' | 'en', route = '') => `${hubUrl}/console/?lang=${lang}&kdf=interactive${route ? `#/${route}` : ''}`;

/** Fills the new-agency form (without submitting it): the agency, its kind and names, the admission code, the passphrase twice. */
export async function fillAgencyForm(page: Page, hubUrl: string, lang: 'fr' | 'en', a: AgencyRegistration): Promise<void> {
  await page.goto(consoleUrl(hubUrl, lang, 'setup/agency'));
  await page.fill('input[name=agency]', a.agency);
  await page.selectOption('select[name=kind]', a.kind);
  await page.fill('input[name=name-fr]', a.names.fr);
  await page.fill('input[name=name-en]', a.names.en);
  await page.fill('input[name=admission-code]', a.code);
  await page.fill('input[name=passphrase]', a.passphrase);
  await page.fill('input[name=passphrase-confirm]', a.passphrase);
}

/** Registers an agency in the console and waits until its administration opens. */
export async function registerAgency(page: Page, hubUrl: string, lang: 'fr' | 'en', a: AgencyRegistration): Promise<void> {
  await fillAgencyForm(page, hubUrl, lang, a);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav.roles');
}

/** Unlocks the console's only (or the preselected) account with its passphrase. */
export async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.fill('input[name=passphrase]', passphrase);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav.roles');
}

/** Imports one key file made by the CLI (sealed under `passphrase`) as this browser's account, then opens it. */
export async function importKeyFile(page: Page, hubUrl: string, lang: 'fr' | 'en', file: string, passphrase: string): Promise<void> {
  await page.goto(consoleUrl(hubUrl, lang, 'setup/import'));
  await page.setInputFiles('input[name=key-file]', file);
  await page.fill('input[name=passphrase]', passphrase);
  // The import checks the passphrase opens the file, keeps it, and reloads on the unlock view.
  await Promise.all([page.waitForEvent('load'), page.click('button[type=submit]')]);
  await unlock(page, passphrase);
}
