/**
 * Driving the console's agency desk (clients/web/src/views/desk) from a test:
 * a device's keys brought in through the import view, the board, the alarm,
 * an alert opened, acknowledged and answered, an escalation and its chain.
 *
 * The alarm is observed, never replaced: `observeAlarm` wraps the page's
 * real AudioContext, OscillatorNode and Notification before the console
 * loads, recording what the console does with them.
 */
import { Buffer } from 'node:buffer';
import type { Page } from 'playwright-core';
import type { MemberKeys } from '../../../clients/sdk/keys.js';
import { sealKeyFile } from '../../../protocol/keyfile.js';
import { loadSodium } from '../../../protocol/sodium.js';

type Lang = 'fr' | 'en';

/** Seals a device's keys as the CLI does and imports them through the console's import view, then unlocks. */
export async function importDevice(page: Page, hubUrl: string, lang: Lang, keys: MemberKeys, passphrase: string, label: string): Promise<void> {
  const crypto = await loadSodium();
  const file = sealKeyFile(crypto, keys, passphrase, crypto.argon2idInteractive);
  await page.goto(`${hubUrl}/console/?lang=${lang}&kdf=interactive#/setup/import`);
  await page.setInputFiles('input[name=key-file]', { name: `${label}.key`, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
  await page.fill('input[name=passphrase]', passphrase);
  await Promise.all([page.waitForEvent('load'), page.click('button[type=submit]')]);
  await unlock(page, passphrase);
}

/** Unlocks the device with its passphrase and waits for the areas. */
export async function unlock(page: Page, passphrase: string): Promise<void> {
  await page.fill('input[name=passphrase]', passphrase);
  await page.click('button[type=submit]');
  await page.waitForSelector('nav.roles');
}

/** Locks the device (the page reloads: every key and decrypted message it held is gone) and waits for the unlock view. */
export async function lock(page: Page, label: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(`header button:has-text("${label}")`)]);
  await page.waitForSelector('input[name=passphrase]');
}

/** Every value this page's origin keeps in localStorage, sessionStorage and IndexedDB, as text: what a look at the disk would find. */
export async function storedText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const name of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const req = db.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
        parts.push(JSON.stringify(all));
      }
      db.close();
    }
    return parts.join('\n');
  });
}

/** The desk's board, once what waited at unlock has been read. */
export async function openDesk(page: Page): Promise<void> {
  await page.click('nav.roles a[href="#/desk"]');
  await page.waitForSelector('[data-testid=board][data-ready=yes]');
}

/** Waits until the board shows this alert (live or caught up). */
export async function waitForAlert(page: Page, id: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-testid=alert-row][data-id="${id}"]`, { timeout });
}

/** Waits until the board shows an alert this device could not verify. */
export async function waitForUnverified(page: Page, id: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-testid=invalid-row][data-id="${id}"]`, { timeout });
}

/** The ids of the board's entries, top to bottom. */
export async function boardOrder(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid=board] li.entry', (rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
}

/** Opens an alert from the board; resolves once it is verified and shown, or refused. */
export async function openAlert(page: Page, id: string): Promise<'verified' | 'unverified'> {
  await page.click(`[data-id="${id}"] [data-testid=open-alert], [data-id="${id}"] [data-testid=open-invalid]`);
  const shown = await page.waitForSelector('[data-testid=verified], [data-testid=verification-failed]');
  return (await shown.getAttribute('data-testid')) === 'verified' ? 'verified' : 'unverified';
}

/** Back to the board from an opened alert or escalation. */
export async function backToBoard(page: Page): Promise<void> {
  await page.click('a[href="#/desk"]:not(nav a)');
  await page.waitForSelector('[data-testid=board]');
}

/** Acknowledges the opened alert with its one deliberate button; resolves once the hub stored it. */
export async function acknowledge(page: Page): Promise<void> {
  await page.click('[data-testid=acknowledge]');
  await page.waitForSelector('[data-testid=ack-state][data-state=acknowledged]');
}

/** Replies to the opened alert's sender with a note under a consent this agency recorded. */
export async function replyUnderConsent(page: Page, reply: { caseRef: string; purposeLabel: string; categoryCodes: string[]; text: string }): Promise<void> {
  await page.click('[data-testid=reply] summary');
  await page.selectOption('select[name=reply-type]', 'note');
  await page.check('input[name=reply-basis][value=consent]');
  const consent = await page.waitForSelector(`select[name=reply-consent] option:has-text("${reply.caseRef}")`, { state: 'attached' });
  await page.selectOption('select[name=reply-consent]', (await consent.getAttribute('value'))!);
  await page.selectOption('select[name=reply-purpose]', { label: reply.purposeLabel });
  for (const c of reply.categoryCodes) await page.check(`input[name=reply-category-${c}]`);
  await page.fill('textarea[name=reply-text]', reply.text);
  await page.click('[data-testid=send-reply]');
  await page.waitForSelector('[data-testid=reply-sent]');
}

/** Waits until the board shows an escalation of this message to one of the device's inboxes. */
export async function waitForEscalation(page: Page, id: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-testid=escalation-row][data-id="${id}"]`, { timeout });
}

export async function openEscalation(page: Page, id: string): Promise<void> {
  await page.click(`[data-testid=escalation-row][data-id="${id}"] [data-testid=open-escalation]`);
  await page.waitForSelector('[data-testid=chain]');
}

/** The chain's steps as the escalation view shows them: whether each was reached. */
export async function chainSteps(page: Page): Promise<boolean[]> {
  return page.$$eval('[data-testid=chain-step]', (steps) => steps.map((s) => s.getAttribute('data-reached') === 'yes'));
}

/** Asks the hub again where the chain stands, until it says `state`. */
export async function waitForChainState(page: Page, state: 'waiting' | 'acknowledged' | 'exhausted', timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await page.$(`[data-testid=chain][data-state=${state}]`)) return;
    if (Date.now() > deadline) throw new Error(`the chain never showed ${state}`);
    await page.click('[data-testid=refresh-chain]');
    await page.waitForFunction((s) => document.querySelector('[data-testid=chain]')?.getAttribute('data-state') === s, state, { timeout: 1000 }).catch(() => {});
  }
}

/**
 * Records, from before the console loads, the page's real audio contexts,
 * every tone started and every notification shown. Call before `goto`.
 */
export async function observeAlarm(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as {
      __alarm: { contexts: AudioContext[]; tones: number; notifications: { title: string; body: string; tag: string }[] };
      AudioContext: typeof AudioContext;
      Notification?: typeof Notification;
    };
    w.__alarm = { contexts: [], tones: 0, notifications: [] };
    const RealContext = w.AudioContext;
    w.AudioContext = class extends RealContext {
      constructor(options?: AudioContextOptions) {
        super(options);
        w.__alarm.contexts.push(this);
      }
    };
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
      w.__alarm.tones += 1;
      return start.call(this, when);
    };
    const RealNotification = w.Notification;
    if (RealNotification) {
      w.Notification = class extends RealNotification {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          w.__alarm.notifications.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
        }
      };
    }
  });
}

export interface AlarmObserved {
  /** The state of each audio context the page made ('running' when it plays). */
  contexts: string[];
  tones: number;
  notifications: { title: string; body: string; tag: string }[];
  title: string;
  sound: string | null;
  board: string | null;
}

export async function alarmObserved(page: Page): Promise<AlarmObserved> {
  return page.evaluate(() => {
    const a = (window as unknown as { __alarm: { contexts: AudioContext[]; tones: number; notifications: { title: string; body: string; tag: string }[] } }).__alarm;
    return {
      contexts: a.contexts.map((c) => c.state),
      tones: a.tones,
      notifications: a.notifications,
      title: document.title,
      sound: document.querySelector('[data-testid=alarm-sound]')?.getAttribute('data-state') ?? null,
      board: document.querySelector('[data-testid=board]')?.getAttribute('data-alarm') ?? null,
    };
  });
}

/**
 * Waits until the alarm rings: the board says so, a real audio context
 * runs, and the tone has started again (it repeats until a person acts).
 */
export async function expectAlarm(page: Page, timeout = 20_000): Promise<AlarmObserved> {
  await page.waitForSelector('[data-testid=board][data-alarm=on]', { timeout });
  await page.waitForFunction(
    () => {
      const a = (window as unknown as { __alarm: { contexts: AudioContext[]; tones: number } }).__alarm;
      // Two notes a ring: a third note is the ring repeated.
      return a.contexts.some((c) => c.state === 'running') && a.tones >= 3;
    },
    undefined,
    { timeout },
  );
  return alarmObserved(page);
}

/** Waits until nothing rings: the board's alarm is off and the sound stopped. */
export async function expectNoAlarm(page: Page, timeout = 20_000): Promise<AlarmObserved> {
  await page.waitForFunction(() => document.querySelector('[data-testid=alarm-sound]')?.getAttribute('data-state') !== 'playing' && !document.title.includes('('), undefined, { timeout });
  return alarmObserved(page);
}
