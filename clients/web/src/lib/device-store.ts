/**
 * This browser's accounts for this hub. An account is one person's sealed
 * key files exactly as the CLI writes them (protocol/keyfile.ts: Argon2id +
 * XChaCha20-Poly1305 under that person's passphrase) — a member device, an
 * agency's root key, or both — kept in IndexedDB, so a device set up in one
 * works in the other (export, import). A shared workstation holds several
 * accounts; each opens only with its own passphrase. The account's label is
 * the one thing stored in clear: it names the person's role here, never a
 * victim. Pinned root keys and the last verified checkpoint are public: they
 * live in localStorage.
 */
import type { KeyFile } from '../../../../protocol/keyfile.js';
import type { PinStore } from '../../../sdk/directory.js';

export type KeyKind = 'member' | 'agency';

export interface Account {
  id: string;
  /** Shown on the unlock screen to pick the account: "Julie — Maison Halte". */
  label: string;
  /** Sealed key files; which is which is known once the passphrase opens them. */
  files: KeyFile[];
}

const DB = 'vigie-console';
const STORE = 'accounts';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 2);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = fn(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

const prefix = () => `${location.origin}|`;
const keyOf = (id: string) => `${prefix()}${id}`;

/** This hub's accounts on this browser, in the order they were added. */
export async function listAccounts(): Promise<Account[]> {
  const range = IDBKeyRange.bound(prefix(), `${prefix()}\uffff`);
  const all = await run<Account[]>('readonly', (s) => s.getAll(range) as IDBRequest<Account[]>);
  return all.sort((a, b) => a.id.localeCompare(b.id));
}
export const loadAccount = (id: string) => run<Account | undefined>('readonly', (s) => s.get(keyOf(id)) as IDBRequest<Account | undefined>);
export const saveAccount = (account: Account) => run('readwrite', (s) => s.put(account, keyOf(account.id)));
export const deleteAccount = (id: string) => run('readwrite', (s) => s.delete(keyOf(id)));

/** A new account's id: sortable by creation, unique on this browser (getRandomValues: randomUUID needs a secure context, a LAN address over HTTP is not one). */
export const newAccountId = () => `${Date.now().toString(36).padStart(9, '0')}-${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/** Root keys pinned by this browser for this hub: a PinStore for the SDK's directory. */
export const browserPinStore: PinStore = {
  load: () => JSON.parse(localStorage.getItem(`vigie.pins|${location.origin}`) ?? '{}') as Record<string, string>,
  save: (pins) => localStorage.setItem(`vigie.pins|${location.origin}`, JSON.stringify(pins)),
};

/** Small settings of this device (idle lock, KDF cost for new key files). */
export const settings = {
  idleMinutes: () => Number(localStorage.getItem('vigie.idleMinutes') ?? '15') || 15,
  setIdleMinutes: (m: number) => localStorage.setItem('vigie.idleMinutes', String(m)),
  /** `interactive` (tests, demo) or `moderate` (the CLI's default): the Argon2id cost of key files made here. */
  kdf: (): 'interactive' | 'moderate' => {
    const asked = new URLSearchParams(location.search).get('kdf');
    if (asked === 'interactive' || asked === 'moderate') localStorage.setItem('vigie.kdf', asked);
    return localStorage.getItem('vigie.kdf') === 'interactive' ? 'interactive' : 'moderate';
  },
};
