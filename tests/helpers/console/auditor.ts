/**
 * Page helpers for the console's auditor area (tests/e2e/console/auditor.test.ts):
 * the register filtered and exported, the log verified in the browser, an
 * acceptance proof file checked. A story test chains them with the other
 * areas' helpers.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

export type AuditorView = 'register' | 'log' | 'proof';

/** Opens one of the auditor's views through the area's navigation. */
export async function openAuditorView(page: Page, view: AuditorView): Promise<void> {
  if (!(await page.isVisible('.auditor-views'))) await page.click('nav.roles a[href="#/auditor"]');
  await page.click(`.auditor-views a[data-view=${view}]`);
  const ready = { register: 'article.register', log: 'article.log-check', proof: 'article.proof-check' }[view];
  await page.waitForSelector(ready);
}

/** The register's filters, as a person chooses them (codes are the lists' values; the lists show words). */
export interface RegisterFilterInput {
  from?: string;
  to?: string;
  agency?: string;
  event?: string;
  legalBasis?: string;
  messageType?: string;
  withoutConsent?: boolean;
}

/** A row of the register table as the page shows it. */
export interface ShownRow {
  index: number;
  event: string;
  text: string;
  flags: string[];
}

const reads = (page: Page) => page.$eval('article.register', (a) => Number(a.getAttribute('data-reads')));

/** Waits for the register's first read (the view reads it when it opens). */
export async function registerLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => Number(document.querySelector('article.register')?.getAttribute('data-reads')) > 0);
}

/** The rows the register table shows now. */
export async function registerRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval('[data-testid=register-table] tbody tr', (trs) =>
    trs.map((tr) => ({
      index: Number(tr.getAttribute('data-index')),
      event: tr.getAttribute('data-event') ?? '',
      text: (tr as HTMLElement).innerText,
      flags: Array.from(tr.querySelectorAll('[data-flag]')).map((f) => f.getAttribute('data-flag') ?? ''),
    })),
  );
}

/** Sets the filters (those not given are cleared), shows the register, and returns the rows shown. */
export async function filterRegister(page: Page, f: RegisterFilterInput): Promise<ShownRow[]> {
  await page.fill('input[name=from]', f.from ?? '');
  await page.fill('input[name=to]', f.to ?? '');
  if (await page.isVisible('select[name=agency]')) await page.selectOption('select[name=agency]', f.agency ?? '');
  await page.selectOption('select[name=event]', f.event ?? '');
  await page.selectOption('select[name=legal-basis]', f.legalBasis ?? '');
  await page.selectOption('select[name=message-type]', f.messageType ?? '');
  await page.setChecked('input[name=without-consent]', f.withoutConsent ?? false);
  const before = await reads(page);
  await page.click('button[name=show-register]');
  await page.waitForFunction((n) => Number(document.querySelector('article.register')?.getAttribute('data-reads')) > n, before);
  return registerRows(page);
}

/** Exports the register as filtered now; the CSV file's name and text. */
export async function exportCsv(page: Page): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[name=export-csv]')]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** The witnesses (cosignature vkeys) and quorum this browser requires, saved in the log view's trust settings. */
export async function setWitnesses(page: Page, witnesses: string[], quorum: number): Promise<void> {
  if (!(await page.isVisible('textarea[name=witnesses]'))) await page.click('.trust-settings summary');
  await page.fill('textarea[name=witnesses]', witnesses.join('\n'));
  await page.fill('input[name=quorum]', String(quorum));
  await page.click('button[name=save-trust]');
  await page.waitForSelector('.trust-settings [role=status]');
}

export interface LogVerdict {
  /** ok, alarm, or error (the check could not run). */
  state: string;
  /** rewritten, unsigned, unwitnessed or keys, when an alarm. */
  alarm: string | null;
  /** Each check's state: signature, witnesses, consistency, entries, keys → ok, fail or skip. */
  checks: Record<string, string>;
  /** The problem codes listed. */
  problems: string[];
  text: string;
}

/** Runs the log verification in the browser (every entry re-hashed unless `quick`) and reads its verdict. */
export async function verifyLog(page: Page, opts: { quick?: boolean } = {}): Promise<LogVerdict> {
  await page.setChecked('input[name=full]', !opts.quick);
  const before = await page.$eval('article.log-check', (a) => Number(a.getAttribute('data-runs')));
  await page.click('button[name=verify-log]');
  await page.waitForFunction((n) => Number(document.querySelector('article.log-check')?.getAttribute('data-runs')) > n, before, { timeout: 60_000 });
  return page.$eval('[data-testid=log-verdict]', (v) => ({
    state: v.getAttribute('data-state') ?? '',
    alarm: v.getAttribute('data-alarm'),
    checks: Object.fromEntries(Array.from(v.querySelectorAll('[data-check]')).map((c) => [c.getAttribute('data-check'), c.getAttribute('data-state')])),
    problems: Array.from(v.querySelectorAll('[data-problem]')).map((p) => p.getAttribute('data-problem') ?? ''),
    text: (v as HTMLElement).innerText,
  }));
}

export interface ProofVerdict {
  /** ok or refused. */
  state: string;
  /** Why it was refused (RECORD_MISMATCH, SIGNATURE, NO_PINNED_KEY…). */
  problem: string | null;
  /** What a valid proof establishes, by fact (auditor.proof.type → « Alerte de danger »…). */
  facts: Record<string, string>;
  text: string;
}

/** Checks an acceptance proof file (`<message>.tlog-proof.json`) in the proof view and reads the verdict. */
export async function checkProofFile(page: Page, file: string): Promise<ProofVerdict> {
  await page.setInputFiles('input[name=proof-file]', []);
  await page.setInputFiles('input[name=proof-file]', file);
  const name = file.split('/').pop()!;
  const verdict = await page.waitForSelector(`[data-testid=proof-verdict][data-file="${name}"]`);
  return verdict.evaluate((v) => ({
    state: v.getAttribute('data-state') ?? '',
    problem: v.getAttribute('data-problem'),
    facts: Object.fromEntries(Array.from(v.querySelectorAll('[data-fact]')).map((d) => [d.getAttribute('data-fact'), (d as HTMLElement).innerText])),
    text: (v as HTMLElement).innerText,
  }));
}
