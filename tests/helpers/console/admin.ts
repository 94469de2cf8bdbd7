/**
 * Page helpers for the administrator's area of the console, and for the
 * invited person's side of an invitation: a story test chains them with the
 * other areas' helpers. Each waits for the state it leads to, never for time.
 */
import type { Page } from 'playwright-core';

/** Moves the open console to a route without reloading it (a reload would lock the device). */
export async function go(page: Page, route: string): Promise<void> {
  await page.evaluate((r) => {
    location.hash = `#/${r}`;
  }, route);
}

export type AdminTab = 'inboxes' | 'members' | 'protocols' | 'partners';

/** Opens a tab of the administration area. */
export async function openAdmin(page: Page, tab: AdminTab = 'inboxes'): Promise<void> {
  await go(page, `admin/${tab}`);
  await page.waitForSelector(`[data-testid=admin-tab-${tab}][aria-current=page]`);
}

/** Creates an inbox (its key made and sealed in the browser) and waits until the agency's list shows it. */
export async function createInbox(page: Page, agency: string, desk: string, names: { fr: string; en: string }): Promise<string> {
  await openAdmin(page, 'inboxes');
  await page.fill('input[name=desk]', desk);
  await page.fill('input[name=inbox-name-fr]', names.fr);
  await page.fill('input[name=inbox-name-en]', names.en);
  await page.click('button[name=create-inbox]');
  const inbox = `${agency}/${desk}`;
  await page.waitForSelector(`tr[data-inbox="${inbox}"]`);
  await page.waitForSelector('[data-testid=inboxes-done]');
  return inbox;
}

export interface Invited {
  /** The one-time link to give the person. */
  link: string;
  invitation: string;
  code: string;
}

/** Invites a person (label, roles, inboxes, validity in days) and returns the link, invitation number and code the page shows once. */
export async function inviteMember(page: Page, input: { label: string; roles: string[]; inboxes: string[]; days?: 1 | 3 | 7 | 30 }): Promise<Invited> {
  await openAdmin(page, 'members');
  await page.click('[data-testid=invite-link]');
  await page.waitForSelector('[data-testid=invite-form]');
  await page.fill('input[name=label]', input.label);
  for (const role of input.roles) await page.check(`input[name=role][value="${role}"]`);
  for (const inbox of input.inboxes) await page.check(`input[name=inbox][value="${inbox}"]`);
  if (input.days) await page.selectOption('select[name=validity]', String(input.days * 24));
  await page.click('button[name=invite]');
  await page.waitForSelector('[data-testid=invitation-made]');
  return {
    link: (await page.getAttribute('[data-testid=invitation-link]', 'href'))!,
    invitation: (await page.textContent('[data-testid=invitation-id]'))!.trim(),
    code: (await page.textContent('[data-testid=invitation-code]'))!.trim(),
  };
}

/**
 * The invited person opens the link on their own browser (a fresh context),
 * chooses a passphrase and answers: returns the fingerprint their screen shows,
 * to read to the administrator. `waitUntilJoined` then waits for the approval.
 */
export async function joinByInvitation(page: Page, link: string, lang: 'fr' | 'en', passphrase: string): Promise<string> {
  const url = new URL(link);
  await page.goto(`${url.origin}${url.pathname}?lang=${lang}&kdf=interactive${url.hash}`);
  await page.waitForSelector('[data-testid=invitation-about]');
  await page.fill('input[name=passphrase]', passphrase);
  await page.fill('input[name=passphrase-confirm]', passphrase);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=device-fingerprint]');
  return (await page.textContent('[data-testid=device-fingerprint]'))!.trim();
}

/** The joining device opens once the administrator approved it. */
export async function waitUntilJoined(page: Page): Promise<void> {
  await page.waitForSelector('nav.roles', { timeout: 30_000 });
}

/** The fingerprint the administrator's page shows for the device that answered an invitation. */
export async function answeredFingerprint(page: Page, invitation: string): Promise<string> {
  await go(page, `admin/invitation/${invitation}`);
  await page.waitForSelector('[data-testid=answered-fingerprint]', { timeout: 30_000 });
  return (await page.textContent('[data-testid=answered-fingerprint]'))!.replace(/\s+/g, ' ').trim();
}

/**
 * Approves the device that answered an invitation once the fingerprint the
 * administrator sees is the one the person read (refuses otherwise, as a
 * person would), and waits for the certification.
 */
export async function approveInvitation(page: Page, invitation: string, readByThePerson: string): Promise<void> {
  const shown = await answeredFingerprint(page, invitation);
  if (shown !== readByThePerson) throw new Error(`the fingerprints differ: ${shown} ≠ ${readByThePerson}`);
  await page.click('button[name=approve]');
  await page.waitForSelector('[data-testid=invitation-approved]');
}

/** Revokes a member device by its label, confirming in the dialog, and waits until the list shows it revoked. */
export async function revokeMember(page: Page, label: string): Promise<void> {
  await openAdmin(page, 'members');
  await page.click(`tr[data-label="${label}"] button[name=revoke]`);
  await page.waitForSelector('[data-testid=revoke-dialog][open]');
  await page.click('[data-testid=revoke-dialog] button[name=confirm]');
  await page.waitForSelector('[data-testid=members-done]');
  await page.waitForSelector(`tr[data-label="${label}"].member-revoked`);
}

/** Pins every party key the signing panel shows as not pinned yet (after the phone comparison a person makes). */
async function pinUnpinned(page: Page): Promise<void> {
  for (;;) {
    const button = await page.$('button[name=pin]');
    if (!button) return;
    const before = await page.$$eval('button[name=pin]', (b) => b.length);
    await button.click();
    await page.waitForFunction((n) => document.querySelectorAll('button[name=pin]').length < n, before);
  }
}

/** Reads, checks, signs and submits the protocol the page shows; returns the status the hub gave it. */
async function signShown(page: Page): Promise<string> {
  await page.waitForSelector('[data-testid=protocol-review]');
  await pinUnpinned(page);
  await page.check('input[name=reviewed]');
  await page.click('button[name=sign]');
  await page.waitForSelector('[data-testid=protocol-submitted]');
  return (await page.getAttribute('[data-testid=protocol-submitted]', 'data-status'))!;
}

/**
 * Loads a protocol template or document from a file, names the parties of a
 * template (role → agency), signs it with the root key and submits it.
 * Returns the status the hub gave the version.
 */
export async function signProtocol(page: Page, file: string, parties: Record<string, string> = {}): Promise<string> {
  await openAdmin(page, 'protocols');
  await page.click('[data-testid=load-protocol-link]');
  await page.setInputFiles('input[name=protocol-file]', file);
  if (Object.keys(parties).length > 0) {
    await page.waitForSelector('[data-testid=bind-form]');
    for (const [role, agency] of Object.entries(parties)) await page.selectOption(`select[name=party-${role}]`, agency);
    await page.click('button[name=prepare]');
  }
  return signShown(page);
}

/** Co-signs a version a partner submitted: opens it, checks it, signs and submits. Returns the new status. */
export async function coSignProtocol(page: Page, id: string, version: number): Promise<string> {
  await go(page, `admin/protocol/${id}/${version}`);
  return signShown(page);
}

/** Pins a partner's root key from the partner keys tab (after comparing its fingerprint by phone); returns that fingerprint. */
export async function pinPartner(page: Page, agency: string): Promise<string> {
  await openAdmin(page, 'partners');
  await page.selectOption('select[name=partner]', agency);
  await page.waitForSelector('[data-testid=partner-fingerprint]');
  const fingerprint = (await page.textContent('[data-testid=partner-fingerprint]'))!.trim();
  await page.click('button[name=pin-partner]');
  await page.waitForSelector(`tr[data-agency="${agency}"]`);
  return fingerprint;
}

/** Retires a protocol from its review page, confirming in the dialog; returns the status the page then shows. */
export async function retireProtocol(page: Page, id: string, version: number): Promise<string> {
  await go(page, `admin/protocol/${id}/${version}`);
  await page.click('button[name=retire]');
  await page.waitForSelector('[data-testid=retire-dialog][open]');
  await page.click('[data-testid=retire-dialog] button[name=confirm]');
  await page.waitForSelector('#protocol-title ~ p [data-status=retired], hgroup [data-status=retired]');
  return (await page.getAttribute('hgroup [data-testid=protocol-status]', 'data-status'))!;
}

/** The agency's own root-key fingerprint, as its administrator reads it aloud to a partner. */
export async function ownFingerprint(page: Page): Promise<string> {
  await openAdmin(page, 'partners');
  await page.waitForSelector('[data-testid=own-fingerprint]');
  return (await page.textContent('[data-testid=own-fingerprint]'))!.trim();
}
