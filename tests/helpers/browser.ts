/**
 * Real Chromium (Debian's, /usr/bin/chromium) driven by playwright-core, for
 * the console's end-to-end tests: one browser per test file, a fresh context
 * (its own IndexedDB and storage: one device) per person, closed at the end.
 * A test tool's own browser download fails on this machine; this one is
 * installed by .ci/run.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Teardown } from './env.js';

export const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(t: Teardown): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine's network is closed: no background connection may even be tried.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  t.teardown(() => browser.close());
  return browser;
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Every request the page made to another origin than the hub's (there must be none). */
  foreign: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

/** A person's device: a browser context on the hub's console, in a language, with notifications allowed. */
export async function openConsole(browser: Browser, hubUrl: string, lang: 'fr' | 'en', viewport = { width: 1280, height: 900 }): Promise<Person> {
  const origin = new URL(hubUrl).origin;
  const context = await browser.newContext({ locale: lang === 'fr' ? 'fr-CA' : 'en-CA', viewport });
  await context.grantPermissions(['notifications'], { origin });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${hubUrl}/console/?lang=${lang}`);
  return { context, page, foreign, errors };
}
