/**
 * The device's session: its sealed keys opened with the person's passphrase
 * (a member device, an agency's root key, or both), the SDK client and the
 * administrator's tools built on them, and the live stream of its inboxes.
 *
 * Locking — by hand, after the idle time this device is set to, or when the
 * hub says the device was revoked — reloads the page: every key, token and
 * decrypted message held in memory goes with it. Nothing decrypted is ever
 * written to storage. A revoked device's sealed keys are erased too.
 *
 * A device that receives alerts is guarded instead when idle: its views
 * (and any decrypted content they held) are closed and the passphrase is
 * asked again, but its stream keeps listening, so a danger alert still
 * rings at 2 a.m. on a desk nobody touched for an hour. "Lock" closes all.
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
import { type VigieStream } from '../../../sdk/stream.js';
import { STREAM_CLOSE } from '../../../../protocol/stream.js';
import { INSTRUMENTS } from './instruments.js';
import { browserPinStore, deleteAccount, listAccounts, newAccountId, saveAccount, settings, type Account } from './device-store.js';
import { useLang } from './lang.js';
import { AgencyViewSchema, MemberViewSchema } from '../../../../protocol/api/identity.js';
import { ROUTES, routePath } from '../../../../protocol/api/routes.js';

export interface MemberSession {
  keys: MemberKeys;
  client: VigieClient;
  /** What the device's certificate says (roles, inboxes, label). */
  roles: string[];
  /** The kind of the device's agency (shelter, police…): which area it opens on. */
  agencyKind: string;
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
  /** The account of this browser that is open (its label, its sealed files for export). */
  account: Account;
  /** The sealed file holding the member's or the agency's keys, as the CLI reads it. */
  fileOf(kind: 'member' | 'agency'): KeyFile | undefined;
  member: MemberSession | null;
  agency: AgencySession | null;
}

export interface AccountSummary {
  id: string;
  label: string;
}

export type SessionState =
  | { phase: 'loading' }
  | { phase: 'setup' }
  | { phase: 'locked'; accounts: AccountSummary[]; last: string | null; reason: 'idle' | 'revoked' | null }
  | { phase: 'open'; open: Open }
  /** Idle on a receiving device: keys and stream kept, every view closed until the passphrase is typed again. */
  | { phase: 'guarded'; open: Open };

interface SessionApi {
  state: SessionState;
  /** Opens an account (the only one, or the one picked) with its passphrase; false when the passphrase is wrong. */
  unlock(passphrase: string, account?: string): Promise<boolean>;
  /** Seals new keys under a passphrase as a new account of this browser, and opens it. */
  install(secrets: MemberKeys | AgencyKeys, passphrase: string, label: string): Promise<void>;
  /** Keeps key files made elsewhere (the CLI) as one account; with a passphrase, checks first that it opens every file. */
  importFiles(files: KeyFile[], label: string, passphrase?: string): Promise<void>;
  lock(reason?: 'idle' | 'revoked'): void;
  /** Back from the guard, once the passphrase opens the account's keys again. */
  resume(passphrase: string): Promise<boolean>;
}

const SessionContext = createContext<SessionApi | null>(null);

const REASON = 'vigie.lockReason';
const LAST = 'vigie.lastAccount';
const hub = () => location.origin;

function sealed(crypto: CryptoPort, secrets: MemberKeys | AgencyKeys, passphrase: string): KeyFile {
  return sealKeyFile(crypto, secrets, passphrase, settings.kdf() === 'interactive' ? crypto.argon2idInteractive : crypto.argon2idModerate) as KeyFile;
}

async function openMember(crypto: CryptoPort, keys: MemberKeys, lang: 'fr' | 'en', onRevoked: () => void): Promise<MemberSession> {
  const client = await VigieClient.connect({ url: hub(), keys, lang, pinStore: browserPinStore, instruments: INSTRUMENTS });
  const cert = await client.http.get(routePath(ROUTES.member, { member: keys.member }), MemberViewSchema);
  if (cert.revokedAt) onRevoked();
  const stream = client.stream();
  stream.on('disconnected', ({ code }) => {
    if (code === STREAM_CLOSE.revoked) onRevoked();
  });
  const agency = await client.http.get(routePath(ROUTES.agency, { agency: keys.agency }), AgencyViewSchema);
  const { roles, inboxes, label } = cert.certificate.document;
  return { keys, client, stream, agencyKind: agency.kind, roles, inboxes, label };
}

const summary = (accounts: Account[]): AccountSummary[] => accounts.map(({ id, label }) => ({ id, label }));

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const { lang } = useLang();
  const [state, setState] = useState<SessionState>({ phase: 'loading' });
  const idle = useRef<ReturnType<typeof setTimeout> | null>(null);

  const lock = (reason?: 'idle' | 'revoked') => {
    if (reason) sessionStorage.setItem(REASON, reason);
    // Reloading drops every key, token and decrypted message this page held.
    location.reload();
  };

  useEffect(() => {
    void (async () => {
      const accounts = await listAccounts();
      const reason = sessionStorage.getItem(REASON) as 'idle' | 'revoked' | null;
      sessionStorage.removeItem(REASON);
      const last = localStorage.getItem(LAST);
      if (accounts.length === 0 && reason !== 'revoked') return setState({ phase: 'setup' });
      setState({ phase: 'locked', accounts: summary(accounts), last: accounts.some((a) => a.id === last) ? last : null, reason });
    })();
  }, []);

  // The member's stream opens after the open views subscribed to it (their render and effects run before this
  // provider's effect): the desk and the casework hear what waited for the device as well as what comes live.
  const opened = useRef(new WeakSet<VigieStream>());
  useEffect(() => {
    if (state.phase !== 'open' || !state.open.member) return;
    const { stream } = state.open.member;
    // Once: coming back from the guard, the stream never stopped.
    if (opened.current.has(stream)) return;
    opened.current.add(stream);
    // Transient failures are retried by the stream itself; a revoked device is closed with 4401 (above).
    void stream.open().catch(() => {});
  }, [state.phase]);

  // Idle lock: any key or pointer activity postpones it.
  useEffect(() => {
    if (state.phase !== 'open') return;
    const open = state.open;
    // Idle, a device that receives alerts keeps listening behind its guard; any other locks.
    const idleOut = () => (open.member?.roles.includes('receiver') ? setState({ phase: 'guarded', open }) : lock('idle'));
    const arm = () => {
      if (idle.current) clearTimeout(idle.current);
      idle.current = setTimeout(idleOut, settings.idleMinutes() * 60_000);
    };
    arm();
    const events = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;
    for (const e of events) addEventListener(e, arm, { passive: true });
    return () => {
      if (idle.current) clearTimeout(idle.current);
      for (const e of events) removeEventListener(e, arm);
    };
  }, [state.phase]);

  async function openAccount(account: Account, passphrase: string) {
    const crypto = await loadSodium();
    const secrets = account.files.map((f) => openKeyFile(crypto, f, passphrase) as MemberKeys | AgencyKeys);
    const agencyAt = secrets.findIndex((k) => k.kind === 'agency');
    const agencyKeys = agencyAt >= 0 ? (secrets[agencyAt] as AgencyKeys) : null;
    const member = (secrets.find((k) => k.kind === 'member') as MemberKeys | undefined) ?? null;
    localStorage.setItem(LAST, account.id);
    const fileOf = (kind: 'member' | 'agency') => account.files[secrets.findIndex((k) => k.kind === kind)];
    const open: Open = { crypto, account, fileOf, member: null, agency: null };
    if (agencyKeys) {
      const admin = await AgencyAdmin.create(hub(), agencyKeys, lang);
      const save = async () => {
        account.files[agencyAt] = sealed(crypto, agencyKeys, passphrase);
        await saveAccount(account);
      };
      open.agency = { keys: agencyKeys, admin, save };
    }
    if (member) {
      // The device's own agency's root key, when this account holds it, is the first pin.
      if (agencyKeys && agencyKeys.agency === member.agency && !browserPinStore.load()[member.agency]) {
        browserPinStore.save({ ...browserPinStore.load(), [member.agency]: agencyKeys.root.publicKey });
      }
      // A revoked device's keys are erased: the account keeps only its agency key, if it has one.
      const revoked = () => {
        const rest = account.files.filter((_f, i) => secrets[i]?.kind !== 'member');
        void (rest.length ? saveAccount({ ...account, files: rest }) : deleteAccount(account.id)).finally(() => lock('revoked'));
      };
      open.member = await openMember(crypto, member, lang, revoked);
    }
    // The stream opens once the views are on screen (below): what waited for this device is replayed to their listeners.
    setState({ phase: 'open', open });
  }

  const api: SessionApi = {
    state,
    async unlock(passphrase, id) {
      const accounts = await listAccounts();
      const account = accounts.find((a) => a.id === id) ?? (accounts.length === 1 ? accounts[0] : undefined);
      if (!account) return false;
      try {
        await openAccount(account, passphrase);
        return true;
      } catch (err) {
        if (isProtocolError(err, 'KEYFILE_INVALID')) return false;
        throw err;
      }
    },
    async install(secrets, passphrase, label) {
      const crypto = await loadSodium();
      const account: Account = { id: newAccountId(), label, files: [sealed(crypto, secrets, passphrase)] };
      await saveAccount(account);
      await openAccount(account, passphrase);
    },
    async importFiles(files, label, passphrase) {
      if (passphrase !== undefined) {
        const crypto = await loadSodium();
        for (const f of files) openKeyFile(crypto, f, passphrase);
      }
      const account: Account = { id: newAccountId(), label, files };
      await saveAccount(account);
      localStorage.setItem(LAST, account.id);
    },
    lock,
    async resume(passphrase) {
      if (state.phase !== 'guarded') return false;
      const crypto = await loadSodium();
      try {
        for (const f of state.open.account.files) openKeyFile(crypto, f, passphrase);
      } catch (err) {
        if (isProtocolError(err, 'KEYFILE_INVALID')) return false;
        throw err;
      }
      setState({ phase: 'open', open: state.open });
      return true;
    },
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
