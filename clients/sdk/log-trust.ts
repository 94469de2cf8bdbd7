/**
 * How a device trusts a hub's disclosure log between one audit and the next:
 * the log key pinned on first use (per hub), the witnesses it requires, and
 * the last checkpoint that passed every check (per log origin), so that the
 * next audit proves the log only grew since. The CLI keeps them in files of
 * its key directory, the console in the browser's localStorage; both decide
 * the same way, here.
 *
 * @example
 * const choice = await chooseLogKey(hubUrl, storage);
 * const run = await verifyTrustedLog({ url: hubUrl, storage, choice, full: true }, crypto);
 * if (!run.report.ok) alarm(run.report.problems);
 */
import type { CryptoPort } from '../../protocol/crypto-port.js';
import { parseVkey, SIG_TYPE_COSIGNATURE, SIG_TYPE_ED25519, type ParsedVkey } from '../../protocol/log/note.js';
import { loadSodium } from '../../protocol/sodium.js';
import { auditLog, type AuditReport, type SavedCheckpoint } from './audit.js';
import { ROUTES } from '../../protocol/api/routes.js';
import { HubHttp } from './http.js';

export interface PinnedLogKey {
  logKey: string;
  pinnedAt: string;
}

/** The witnesses a device requires for a hub's log: checkpoints cosigned by fewer than `quorum` of them are refused. */
export interface WitnessTrust {
  witnesses: string[];
  quorum: number;
}

export interface VerifiedCheckpoint extends SavedCheckpoint {
  verifiedAt: string;
  hub: string;
}

/**
 * Where a device keeps what it trusts of one hub's log. Implementations
 * never start over when what they hold cannot be read: they throw, because
 * an empty trust would accept any history.
 */
export interface LogTrustStorage {
  /** The log key pinned for this hub, if any. */
  pinned(): PinnedLogKey | undefined;
  pin(logKey: string, at: Date): void;
  /** The witnesses and quorum required for this hub's log, if set. */
  witnessTrust(): WitnessTrust | undefined;
  setWitnessTrust(trust: WitnessTrust): void;
  /** The last checkpoint verified for this log origin, if any. */
  saved(origin: string): VerifiedCheckpoint | null;
  save(checkpoint: SavedCheckpoint, at: Date): void;
}

/** The hub announced a log key that is not an Ed25519 verifier key: nothing can be trusted with it. */
export class LogKeyError extends Error {
  readonly code = 'HUB_LOG_KEY_INVALID';
  constructor() {
    super('the hub announces no valid log key');
  }
}

/**
 * A C2SP verifier key of the given signature type (Ed25519 0x01 for a log,
 * cosignature 0x04 for a witness), or null when it is not one.
 *
 * @example
 * vkeyOfType(crypto, 'vigie.local/disclosure-log+1a2b3c4d+AX…', SIG_TYPE_ED25519)?.name // 'vigie.local/disclosure-log'
 */
export function vkeyOfType(crypto: CryptoPort, value: string, type: number): ParsedVkey | null {
  try {
    const parsed = parseVkey(crypto, value.trim());
    return parsed.type === type ? parsed : null;
  } catch {
    return null;
  }
}

/** A log key as a person gives it: an Ed25519 vkey, trimmed; null otherwise. */
export const logVkey = (crypto: CryptoPort, value: string) => vkeyOfType(crypto, value, SIG_TYPE_ED25519);
/** A witness key as a person gives it: a cosignature/v1 vkey, trimmed; null otherwise. */
export const witnessVkey = (crypto: CryptoPort, value: string) => vkeyOfType(crypto, value, SIG_TYPE_COSIGNATURE);

/** The log key a run trusts, and where it came from. */
export interface LogKeyChoice {
  logKey: string;
  source: 'given' | 'pinned' | 'hub';
  /** Whether a successful run pins it (nothing is pinned for this hub yet). */
  pinIfOk: boolean;
  /** The pinned key, when the person gave another one. */
  differsFromPinned?: string;
}

/** The log key the hub announces now (`GET /v1/log/key`). */
export async function hubLogKey(url: string, lang: 'fr' | 'en' = 'fr'): Promise<string> {
  return (await new HubHttp(url, lang).requestText('GET', ROUTES.logKey)).trim();
}

/**
 * The key to check the log with: the one given (an auditor's out-of-band
 * copy), else the one pinned for this hub, else — trust on first use — the
 * one the hub announces, pinned only once a run with it passes every check.
 */
export async function chooseLogKey(url: string, storage: LogTrustStorage, given?: string, crypto?: CryptoPort, lang: 'fr' | 'en' = 'fr'): Promise<LogKeyChoice> {
  const pinned = storage.pinned();
  if (given !== undefined) {
    return { logKey: given.trim(), source: 'given', pinIfOk: !pinned, ...(pinned && pinned.logKey !== given.trim() ? { differsFromPinned: pinned.logKey } : {}) };
  }
  if (pinned) return { logKey: pinned.logKey, source: 'pinned', pinIfOk: false };
  const served = await hubLogKey(url, lang);
  if (!logVkey(crypto ?? (await loadSodium()), served)) throw new LogKeyError();
  return { logKey: served, source: 'hub', pinIfOk: true };
}

export interface TrustedRun {
  report: AuditReport;
  /** The checkpoint this run was checked against (null: the first audit of this log on this device). */
  previous: VerifiedCheckpoint | null;
  /** Whether this run pinned the log key. */
  pinned: boolean;
  witnesses: string[];
  quorum: number;
  /**
   * The checkpoint is not signed by the pinned key and the hub now announces
   * this other one: a rotation to confirm out of band, or a forgery. Absent
   * when the hub still announces the pinned key (then the checkpoint is forged).
   */
  hubKeyNow?: string;
}

/**
 * One audit of the log against what this device trusts: the checkpoint's
 * signature by the chosen key, the witness quorum (given, else the stored
 * one), consistency with the checkpoint saved last, and with `full` every
 * entry re-hashed. A run that passes saves its checkpoint (and pins a key
 * taken on first use); a run that fails saves nothing.
 */
export async function verifyTrustedLog(
  opts: {
    url: string;
    storage: LogTrustStorage;
    choice: LogKeyChoice;
    witnesses?: WitnessTrust;
    full?: boolean;
    token?: () => Promise<string>;
    onProgress?: (done: number, total: number) => void;
    now?: () => Date;
    /** The person's language, for the hub's refusals. */
    lang?: 'fr' | 'en';
  },
  crypto?: CryptoPort,
): Promise<TrustedRun> {
  const c = crypto ?? (await loadSodium());
  const { storage, choice } = opts;
  const { witnesses, quorum } = opts.witnesses ?? storage.witnessTrust() ?? { witnesses: [], quorum: 0 };
  const previous = storage.saved(parseVkey(c, choice.logKey).name);
  const report = await auditLog(
    {
      url: opts.url,
      logKey: choice.logKey,
      witnesses,
      quorum,
      saved: previous,
      full: opts.full ?? false,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.token ? { token: opts.token } : {}),
      ...(opts.lang ? { lang: opts.lang } : {}),
    },
    c,
  );
  const now = (opts.now ?? (() => new Date()))();
  if (report.ok && report.save) storage.save(report.save, now);
  const pinned = report.ok && choice.pinIfOk;
  if (pinned) storage.pin(choice.logKey, now);
  const run: TrustedRun = { report, previous, pinned, witnesses, quorum };
  if (report.problems.includes('CHECKPOINT_SIGNATURE_INVALID') && choice.source === 'pinned') {
    const served = await hubLogKey(opts.url, opts.lang).catch(() => null);
    if (served && served !== choice.logKey) run.hubKeyNow = served;
  }
  return run;
}
