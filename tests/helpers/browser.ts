/**
 * Real Chromium (Debian's, /usr/bin/chromium) driven by playwright-core, for
 * the console's end-to-end tests: one browser per test file (launched by its
 * first test, closed when the file ends), a fresh context (its own IndexedDB
 * and storage: one device) per person, closed at the end of its test.
 * A test tool's own browser download fails on this machine; this one is
 * installed by .ci/run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import tap from 'tap';
import type { Teardown } from './env.js';

export const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';

let shared: Promise<Browser> | null = null;

function launch(): Promise<Browser> {
  return chromium.launch({
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
}

/**
 * The file's browser. Each test's people are contexts of their own, isolated
 * from every other test's (storage, IndexedDB, permissions, cache), and closed
 * at the end of the test that made them; launching Chromium once per file
 * instead of once per test saves about two seconds a test.
 */
export async function launchBrowser(t: Teardown): Promise<Browser> {
  if (!shared) {
    shared = launch();
    shared.catch(() => (shared = null));
    const browser = shared;
    tap.teardown(async () => (await browser).close());
  }
  const browser = await shared;
  const before = new Set(browser.contexts());
  t.teardown(() => Promise.all(browser.contexts().filter((c) => !before.has(c)).map((c) => c.close())));
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
  // Notifications exist only in secure contexts: loopback or https, not a LAN address over plain HTTP.
  const secure = origin.startsWith('https:') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|$)/.test(origin);
  if (secure) await context.grantPermissions(['notifications'], { origin });
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The log's lookup answers 404 for "no such leaf" (a device never revoked, a key never rotated): an answer the SDK expects, that Chromium logs.
    const expected = /status of 404/.test(m.text()) && m.location().url.includes('/v1/log/lookup?');
    if (m.type() === 'error' && !expected) errors.push(m.text());
  });
  await page.goto(`${hubUrl}/console/?lang=${lang}`);
  return { context, page, foreign, errors };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core run on the page as it is now (evaluated through the debugging
 * protocol, so the console's CSP stays enforced): the serious and critical
 * violations, each with the selectors of its nodes. A test asserts the list
 * is empty for every view it shows.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE_SOURCE}\n;undefined`);
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/**
 * A screenshot of the whole page, kept when `VIGIE_SCREENSHOTS` names a
 * directory (docs/console.md shows them): `screenshot(page, 'desk-board')`.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.VIGIE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
