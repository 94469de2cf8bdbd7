/**
 * This browser's keys for this hub: the sealed key files exactly as the CLI
 * writes them (protocol/keyfile.ts: Argon2id + XChaCha20-Poly1305 under the
 * person's passphrase), kept in IndexedDB, so a device set up in one works
 * in the other (export, import). Pinned root keys and the last verified
 * checkpoint are public: they live in localStorage.
 */
import type { KeyFile } from '../../../../protocol/keyfile.js';
import type { PinStore } from '../../../sdk/directory.js';

export type KeyKind = 'member' | 'agency';

const DB = 'vigie-console';
const STORE = 'keys';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
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

const keyOf = (kind: KeyKind) => `${location.origin}|${kind}`;

export const loadKeyFile = (kind: KeyKind) => run<KeyFile | undefined>('readonly', (s) => s.get(keyOf(kind)) as IDBRequest<KeyFile | undefined>);
export const saveKeyFile = (kind: KeyKind, file: KeyFile) => run('readwrite', (s) => s.put(file, keyOf(kind)));
export const deleteKeyFile = (kind: KeyKind) => run('readwrite', (s) => s.delete(keyOf(kind)));

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
