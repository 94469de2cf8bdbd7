/**
 * The device's session: its sealed keys opened with the person's passphrase
 * (a member device, an agency's root key, or both), the SDK client and the
 * administrator's tools built on them, and the live stream of its inboxes.
 *
 * Locking — by hand, after the idle time this device is set to, or when the
 * hub says the device was revoked — reloads the page: every key, token and
 * decrypted message held in memory goes with it. Nothing decrypted is ever
 * written to storage. A revoked device's sealed keys are erased too.
 */
import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { sealKeyFile, openKeyFile, type KeyFile } from '../../../../protocol/keyfile.js';
import type { CryptoPort } from '../../../../protocol/crypto-port.js';
import { loadSodium } from '../../../../protocol/sodium.js';
import { isProtocolError } from '../../../../protocol/errors.js';
import { AgencyAdmin } from '../../../sdk/admin.js';
import { VigieClient } from '../../../sdk/client.js';
import type { AgencyKeys, MemberKeys } from '../../../sdk/keys.js';
import { STREAM_CLOSE, type VigieStream } from '../../../sdk/stream.js';
import { INSTRUMENTS } from './instruments.js';
import { browserPinStore, deleteKeyFile, loadKeyFile, saveKeyFile, settings, type KeyKind } from './device-store.js';
import { useLang } from './lang.js';

export interface MemberSession {
  keys: MemberKeys;
  client: VigieClient;
  /** What the device's certificate says (roles, inboxes, label). */
  roles: string[];
  inboxes: string[];
  label: string;
  stream: VigieStream;
}

export interface AgencySession {
  keys: AgencyKeys;
  admin: AgencyAdmin;
  /** Re-seals the agency keys after a change (a new inbox, a rotation). */
  save(): Promise<void>;
}

export interface Open {
  crypto: CryptoPort;
  member: MemberSession | null;
  agency: AgencySession | null;
}

export type SessionState =
  | { phase: 'loading' }
  | { phase: 'setup' }
  | { phase: 'locked'; kinds: KeyKind[]; reason: 'idle' | 'revoked' | null }
  | { phase: 'open'; open: Open };

interface SessionApi {
  state: SessionState;
  unlock(passphrase: string): Promise<boolean>;
  /** Seals new keys under a passphrase, keeps them on this device, and opens them. */
  install(kind: KeyKind, secrets: MemberKeys | AgencyKeys, passphrase: string): Promise<void>;
  /** Keeps a key file made elsewhere (the CLI) after checking that the passphrase opens it. */
  importFile(file: KeyFile, passphrase: string): Promise<KeyKind>;
  lock(reason?: 'idle' | 'revoked'): void;
}

const SessionContext = createContext<SessionApi | null>(null);

const REASON = 'vigie.lockReason';
const hub = () => location.origin;

async function sealed(crypto: CryptoPort, secrets: MemberKeys | AgencyKeys, passphrase: string): Promise<KeyFile> {
  return sealKeyFile(crypto, secrets, passphrase, settings.kdf() === 'interactive' ? crypto.argon2idInteractive : crypto.argon2idModerate) as KeyFile;
}

async function openMember(crypto: CryptoPort, keys: MemberKeys, lang: 'fr' | 'en', onRevoked: () => void): Promise<MemberSession> {
  const client = await VigieClient.connect({ url: hub(), keys, lang, pinStore: browserPinStore, instruments: INSTRUMENTS });
  const cert = await client.http.get<{ certificate: { document: { roles: string[]; inboxes: string[]; label: string } }; revokedAt: string | null }>(`/v1/members/${keys.member}`);
  if (cert.revokedAt) onRevoked();
  const stream = client.stream();
  stream.on('disconnected', ({ code }) => {
    if (code === STREAM_CLOSE.revoked) onRevoked();
  });
  return { keys, client, stream, ...cert.certificate.document };
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const { lang } = useLang();
  const [state, setState] = useState<SessionState>({ phase: 'loading' });
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const lock = (reason?: 'idle' | 'revoked') => {
    if (reason) sessionStorage.setItem(REASON, reason);
    // Reloading drops every key, token and decrypted message this page held.
    location.reload();
  };

  const revoked = () => {
    void Promise.all([deleteKeyFile('member'), deleteKeyFile('agency')]).finally(() => lock('revoked'));
  };

  useEffect(() => {
    void (async () => {
      const kinds = (['member', 'agency'] as const).filter(Boolean);
      const present = (await Promise.all(kinds.map(async (k) => ((await loadKeyFile(k)) ? k : null)))).filter((k): k is KeyKind => k !== null);
      const reason = sessionStorage.getItem(REASON) as 'idle' | 'revoked' | null;
      sessionStorage.removeItem(REASON);
      setState(present.length === 0 ? (reason === 'revoked' ? { phase: 'locked', kinds: [], reason } : { phase: 'setup' }) : { phase: 'locked', kinds: present, reason });
    })();
  }, []);

  // Idle lock: any key or pointer activity postpones it.
  useEffect(() => {
    if (state.phase !== 'open') return;
    const arm = () => {
      if (idle.current) clearTimeout(idle.current);
      idle.current = setTimeout(() => lock('idle'), settings.idleMinutes() * 60_000);
    };
    arm();
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const e of events) addEventListener(e, arm, { passive: true });
    return () => {
      if (idle.current) clearTimeout(idle.current);
      for (const e of events) removeEventListener(e, arm);
    };
  }, [state.phase]);

  async function openWith(passphrase: string, files: Partial<Record<KeyKind, KeyFile>>) {
    const crypto = await loadSodium();
    const member = files.member ? (openKeyFile(crypto, files.member, passphrase) as MemberKeys) : null;
    const agencyKeys = files.agency ? (openKeyFile(crypto, files.agency, passphrase) as AgencyKeys) : null;
    const open: Open = { crypto, member: null, agency: null };
    if (agencyKeys) {
      const admin = await AgencyAdmin.create(hub(), agencyKeys, lang);
      open.agency = { keys: agencyKeys, admin, save: async () => void (await saveKeyFile('agency', await sealed(crypto, agencyKeys, passphrase))) };
    }
    if (member) {
      // The device's own agency's root key, when this browser holds it, is the first pin.
      if (agencyKeys && agencyKeys.agency === member.agency && !browserPinStore.load()[member.agency]) {
        browserPinStore.save({ ...browserPinStore.load(), [member.agency]: agencyKeys.root.publicKey });
      }
      open.member = await openMember(crypto, member, lang, revoked);
      await open.member.stream.open();
    }
    setState({ phase: 'open', open });
  }

  const api: SessionApi = {
    state,
    async unlock(passphrase) {
      const files = { member: await loadKeyFile('member'), agency: await loadKeyFile('agency') };
      try {
        await openWith(passphrase, { ...(files.member ? { member: files.member } : {}), ...(files.agency ? { agency: files.agency } : {}) });
        return true;
      } catch (err) {
        if (isProtocolError(err, 'KEYFILE_INVALID')) return false;
        throw err;
      }
    },
    async install(kind, secrets, passphrase) {
      const crypto = await loadSodium();
      await saveKeyFile(kind, await sealed(crypto, secrets, passphrase));
      if (state.phase === 'open') location.reload();
      else await api.unlock(passphrase);
    },
    async importFile(file, passphrase) {
      const crypto = await loadSodium();
      const secrets = openKeyFile(crypto, file, passphrase) as { kind?: string };
      const kind: KeyKind = secrets.kind === 'agency' ? 'agency' : 'member';
      await saveKeyFile(kind, file);
      return kind;
    },
    lock,
  };
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The open session, for views that only render once unlocked. */
export function useOpen(): Open {
  const { state } = useSession();
  if (state.phase !== 'open') throw new Error('the session is not open');
  return state.open;
}
