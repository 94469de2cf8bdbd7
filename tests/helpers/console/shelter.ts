/**
 * Driving the console's shelter area (clients/web/src/views/shelter) from a
 * test: a case opened by its pseudonymous reference, a consent recorded and
 * revoked, the grille commune filled, a danger alert composed and sent, and
 * the timeline of a sent message waited on. A story test chains them with the
 * other areas' helpers (a device comes in with `importDevice` of desk.ts).
 */
import { Buffer } from 'node:buffer';
import type { Page } from 'playwright-core';

export type TimelineState = 'accepted' | 'pushed' | 'delivered' | 'acknowledged' | 'unacknowledged' | 'escalated' | 'exhausted';

/** The shelter area's list of cases. */
export async function openShelter(page: Page): Promise<void> {
  await page.click('nav.roles a[href="#/shelter"]');
  await page.waitForSelector('input[name=case]');
}

/** Types a case reference in the open-case field; resolves to the problem shown for it, or null when it may be used. */
export async function typeCaseReference(page: Page, ref: string): Promise<string | null> {
  await page.fill('input[name=case]', ref);
  const problem = (await page.textContent('[data-testid=case-problem]'))?.trim() ?? '';
  return problem === '' ? null : problem;
}

/** Opens a case by its reference (from the list of cases) and waits for its view. */
export async function openCase(page: Page, ref: string): Promise<void> {
  if (!(await page.$('input[name=case]'))) await openShelter(page);
  await page.fill('input[name=case]', ref);
  await page.click('button[name=open-case]');
  await page.waitForSelector('[data-testid=compose-link]');
}

export interface ConsentInput {
  /** Agency ids. */
  recipients: string[];
  purposes: string[];
  categories: string[];
  /** YYYY-MM-DD, included; none when absent. */
  until?: string;
  /** The signed form: it stays in the browser, only its fingerprint goes to the hub. */
  evidence?: { name: string; content: string };
}

/** Records a consent for the open case; resolves to the evidence fingerprint the browser computed, once the case view shows it in force. */
export async function recordConsent(page: Page, c: ConsentInput): Promise<string> {
  await page.click('[data-testid=consent-link]');
  await page.waitForSelector('input[name=recipient]');
  for (const a of c.recipients) await page.check(`input[name=recipient][value="${a}"]`);
  for (const p of c.purposes) await page.check(`input[name=purpose][value="${p}"]`);
  for (const d of c.categories) await page.check(`input[name=category][value="${d}"]`);
  if (c.until) await page.fill('input[name=valid-until]', c.until);
  const evidence = c.evidence ?? { name: 'consentement-signe.pdf', content: '%PDF-1.4 formulaire signé' };
  await page.setInputFiles('input[name=evidence]', { name: evidence.name, mimeType: 'application/pdf', buffer: Buffer.from(evidence.content) });
  const hash = (await (await page.waitForSelector('[data-testid=evidence-hash] code')).textContent())!.trim();
  await page.click('button[name=record-consent]');
  await page.waitForSelector(`[data-testid=consent][data-state=active]:has(code:text-is("${hash}"))`);
  return hash;
}

/** Revokes the case's consent whose evidence has this fingerprint, through the confirmation dialog. */
export async function revokeConsent(page: Page, evidenceHash: string): Promise<void> {
  const card = `[data-testid=consent]:has(code:text-is("${evidenceHash}"))`;
  await page.click(`${card} button[name=revoke]`);
  await page.waitForSelector('[data-testid=revoke-dialog][open]');
  await page.click('button[name=confirm-revoke]');
  await page.waitForSelector(`[data-testid=consent][data-state=revoked]:has(code:text-is("${evidenceHash}"))`);
}

/** The compose view of the open case. */
export async function openCompose(page: Page): Promise<void> {
  await page.click('[data-testid=compose-link]');
  await page.waitForSelector('button[name=send]');
}

/** The level the instrument form shows now, and whether the assessment is complete. */
export async function assessmentLevel(page: Page): Promise<{ level: string; complete: boolean; text: string }> {
  const el = await page.waitForSelector('[data-testid=assessment-level]');
  return { level: (await el.getAttribute('data-level'))!, complete: (await el.getAttribute('data-complete')) === 'true', text: (await el.textContent())!.trim() };
}

/** Waits until the live level reads `level`. */
export async function waitForLevel(page: Page, level: string): Promise<void> {
  await page.waitForSelector(`[data-testid=assessment-level][data-level="${level}"]`);
}

/** Attaches a risk instrument (`grille-commune`, `lap-lethality-screen`) in the compose view, rendered from its JSON; kept as it is when already attached. */
export async function pickInstrument(page: Page, id: string): Promise<void> {
  const option = await page.$eval('select[name=instrument]', (s, want) => Array.from((s as HTMLSelectElement).options).find((o) => o.value.startsWith(`${want}@`))?.value, id);
  if (!option) throw new Error(`${id} is not offered`);
  if ((await page.inputValue('select[name=instrument]')) !== option) await page.selectOption('select[name=instrument]', option);
  await page.waitForSelector(`[data-testid=instrument][data-instrument="${id}"]`);
}

/**
 * Attaches the grille commune in the compose view and answers it: `yes` for
 * the items named, `otherwise` (no) for every other required item; optional
 * items left unanswered unless named.
 */
export async function fillGrilleCommune(page: Page, answers: Record<string, 'yes' | 'no' | 'dont_know'>, otherwise: 'no' | 'dont_know' = 'no'): Promise<void> {
  await pickInstrument(page, 'grille-commune');
  for (const [item, answer] of Object.entries(answers)) await page.check(`input[name="item-${item}"][value=${answer}]`);
  const required = await page.$$eval('[data-testid=instrument] fieldset[data-item]', (sets) =>
    sets.filter((f) => f.querySelector('legend small') && !f.querySelector('input[type=radio]:checked')).map((f) => f.getAttribute('data-item')!),
  );
  for (const item of required) await page.check(`input[name="item-${item}"][value=${otherwise}]`);
}

export interface DangerAlert {
  /** Recipient inbox ids. */
  to: string[];
  categories: string[];
  text: string;
  /** A consent of the case (its purpose), or apprehended danger (the attestations, reason and directive). */
  basis: { consent: { purpose?: string } } | { danger: { attest?: ('reasonableCause' | 'seriousRisk' | 'identifiablePerson' | 'urgency')[]; reason: string; directive: string } };
}

/** Fills the compose view for a danger alert (the grille commune, if any, filled before or after), without sending. */
export async function composeDangerAlert(page: Page, a: DangerAlert): Promise<void> {
  await page.selectOption('select[name=type]', 'danger_alert');
  for (const inbox of a.to) await page.check(`input[name=recipient][value="${inbox}"]`);
  if ('consent' in a.basis) {
    await page.check('input[name=legal-basis][value=consent]');
    if (a.basis.consent.purpose) await page.selectOption('select[name=purpose]', a.basis.consent.purpose);
  } else {
    await page.check('input[name=legal-basis][value=apprehended_danger]');
    const attest = a.basis.danger.attest ?? ['reasonableCause', 'seriousRisk', 'identifiablePerson', 'urgency'];
    for (const c of ['reasonableCause', 'seriousRisk', 'identifiablePerson', 'urgency']) {
      if (attest.includes(c as never)) await page.check(`input[name=attest][value=${c}]`);
      else await page.uncheck(`input[name=attest][value=${c}]`);
    }
    await page.selectOption('select[name=reason]', a.basis.danger.reason);
    await page.fill('input[name=directive]', a.basis.danger.directive);
  }
  for (const c of a.categories) await page.check(`input[name=category][value=${c}]`);
  await page.fill('textarea[name=text]', a.text);
}

/** The refusal the compose view shows before sending (its code), or null when it would send. */
export async function preSendRefusal(page: Page): Promise<string | null> {
  const el = await page.$('[data-testid=presend-refusal]');
  return el ? el.getAttribute('data-code') : null;
}

/** Sends what the compose view holds; resolves to the message id once its timeline is shown. */
export async function send(page: Page): Promise<string> {
  await page.waitForSelector('[data-testid=compose-ready]');
  await page.click('button[name=send]');
  await page.waitForURL(/#\/shelter\/case\/[^/]+\/message\/[0-9a-f-]{36}$/);
  await page.waitForSelector('[data-testid=timeline-state]');
  return /message\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
}

/** Composes and sends a danger alert from the open case; resolves to its id. */
export async function sendDangerAlert(page: Page, a: DangerAlert): Promise<string> {
  await composeDangerAlert(page, a);
  return send(page);
}

/** Waits until the message timeline shown reads this state, or one of these states (colour, icon and words). */
export async function waitForTimelineState(page: Page, state: TimelineState | TimelineState[], timeout = 20_000): Promise<void> {
  const states = Array.isArray(state) ? state : [state];
  await page.waitForSelector(states.map((s) => `[data-testid=timeline-state][data-state=${s}]`).join(', '), { timeout });
}

/** Waits until a line of a recipient's timeline (`delivered`, `acknowledged`, `escalated`…) names this text (a device's label, an inbox). */
export async function waitForTimelineLine(page: Page, inbox: string, kind: string, text: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-testid=recipient-timeline][data-inbox="${inbox}"] li[data-kind=${kind}]:has-text("${text}")`, { timeout });
}

/** The lines of one recipient's timeline: kind, whether still due, and the words. */
export async function timelineEvents(page: Page, inbox: string): Promise<{ kind: string; due: boolean; text: string }[]> {
  return page.$$eval(`[data-testid=recipient-timeline][data-inbox="${inbox}"] ol.timeline li`, (lis) =>
    lis.map((li) => ({ kind: li.getAttribute('data-kind')!, due: li.getAttribute('data-due') === 'true', text: li.textContent!.trim() })),
  );
}
