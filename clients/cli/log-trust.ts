/**
 * How this device trusts a hub's disclosure log (the SDK's LogTrustStorage,
 * clients/sdk/log-trust.ts, in files): the log key is pinned in the key
 * directory on first use (per hub), and the last checkpoint that passed
 * every check is saved (per log origin), so that the next audit can prove
 * the log only grew since. Neither file is ever replaced when it cannot be
 * read: starting over would accept any history.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CryptoPort } from '../../protocol/crypto-port.js';
import type { ParsedVkey } from '../../protocol/log/note.js';
import type { SavedCheckpoint } from '../sdk/audit.js';
import { logVkey, witnessVkey, type LogTrustStorage, type PinnedLogKey, type VerifiedCheckpoint, type WitnessTrust } from '../sdk/log-trust.js';
import type { Context } from './context.js';
import { CliError, UsageError } from './errors.js';
import { writeAtomically } from './key-store.js';

export const LOG_FILES = {
  /** Hub URL → its pinned log key. */
  trust: 'log-trust.json',
  /** Log origin → the last checkpoint this device verified. */
  state: 'log-state.json',
} as const;

export type { PinnedLogKey, VerifiedCheckpoint, WitnessTrust };

/** A clear JSON object file; {} when absent; a CliError when present but unreadable. */
function readObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError('error.fileUnreadable', { file });
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new CliError('error.logFileDamaged', { file });
}

function writeObject(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeAtomically(file, `${JSON.stringify(value, null, 2)}\n`, false);
}

const isString = (v: unknown): v is string => typeof v === 'string';

export class LogTrustStore implements LogTrustStorage {
  readonly trustFile: string;

  constructor(
    private readonly ctx: Context,
    /** Where checkpoints are saved (`--state`), by default in the key directory. */
    readonly stateFile: string = join(ctx.keyDir, LOG_FILES.state),
  ) {
    this.trustFile = join(ctx.keyDir, LOG_FILES.trust);
  }

  /** The log key pinned for this hub, if any. */
  pinned(): PinnedLogKey | undefined {
    const all = readObject(this.trustFile);
    const entry = all[this.ctx.hub] as Partial<PinnedLogKey> | undefined;
    if (entry === undefined || (entry && entry.logKey === undefined && 'witnesses' in entry)) return undefined;
    if (!entry || !isString(entry.logKey)) throw new CliError('error.logFileDamaged', { file: this.trustFile });
    return { logKey: entry.logKey, pinnedAt: isString(entry.pinnedAt) ? entry.pinnedAt : '' };
  }

  /**
   * The pinned key for a log origin, offline (`vigie audit prove`): the one
   * pinned for this hub when it names that origin, otherwise the only key
   * pinned under that origin for any hub; undefined when none or ambiguous.
   */
  pinnedForOrigin(crypto: CryptoPort, origin: string): string | undefined {
    const own = this.pinned();
    if (own && logVkey(crypto, own.logKey)?.name === origin) return own.logKey;
    const keys = new Set(
      Object.values(readObject(this.trustFile))
        .map((entry) => (entry as Partial<PinnedLogKey> | null)?.logKey)
        .filter((key): key is string => isString(key) && logVkey(crypto, key)?.name === origin),
    );
    return keys.size === 1 ? [...keys][0] : undefined;
  }

  pin(logKey: string, at: Date): void {
    const all = readObject(this.trustFile);
    const entry = (all[this.ctx.hub] ?? {}) as Record<string, unknown>;
    writeObject(this.trustFile, { ...all, [this.ctx.hub]: { ...entry, logKey, pinnedAt: at.toISOString() } });
  }

  /** The witnesses and quorum required for this hub's log, if set. */
  witnessTrust(): WitnessTrust | undefined {
    const entry = readObject(this.trustFile)[this.ctx.hub] as { witnesses?: unknown; quorum?: unknown } | undefined;
    if (!entry || entry.witnesses === undefined) return undefined;
    if (!Array.isArray(entry.witnesses) || !entry.witnesses.every(isString) || !Number.isSafeInteger(entry.quorum)) {
      throw new CliError('error.logFileDamaged', { file: this.trustFile });
    }
    return { witnesses: entry.witnesses, quorum: entry.quorum as number };
  }

  setWitnessTrust(trust: WitnessTrust): void {
    const all = readObject(this.trustFile);
    const entry = (all[this.ctx.hub] ?? {}) as Record<string, unknown>;
    writeObject(this.trustFile, { ...all, [this.ctx.hub]: { ...entry, witnesses: trust.witnesses, quorum: trust.quorum } });
  }

  /** The last checkpoint verified for this log origin, if any. */
  saved(origin: string): VerifiedCheckpoint | null {
    const entry = readObject(this.stateFile)[origin] as Partial<VerifiedCheckpoint> | undefined;
    if (entry === undefined) return null;
    if (!entry || entry.origin !== origin || !Number.isSafeInteger(entry.size) || !isString(entry.rootHash)) {
      throw new CliError('error.logFileDamaged', { file: this.stateFile });
    }
    return entry as VerifiedCheckpoint;
  }

  save(checkpoint: SavedCheckpoint, at: Date): void {
    const all = readObject(this.stateFile);
    const entry: VerifiedCheckpoint = { origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash, verifiedAt: at.toISOString(), hub: this.ctx.hub };
    writeObject(this.stateFile, { ...all, [checkpoint.origin]: entry });
  }
}

/** A log key as typed (`--log-key`): a C2SP vkey of type Ed25519 (0x01). */
export function logKeyOption(crypto: CryptoPort, value: string): ParsedVkey {
  const parsed = logVkey(crypto, value);
  if (!parsed) throw new UsageError('usage.badLogKey', { value });
  return parsed;
}

/** A witness key as typed (`--witness`): a C2SP vkey of type cosignature/v1 (0x04). */
export function witnessKeyOption(crypto: CryptoPort, value: string): string {
  if (!witnessVkey(crypto, value)) throw new UsageError('usage.badWitnessKey', { value });
  return value.trim();
}

/** `--quorum`: how many of the `--witness` keys must have cosigned; all of them by default. */
export function quorumOption(value: string | undefined, witnesses: number): number {
  if (value === undefined) return witnesses;
  const n = /^\d{1,2}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 0 && n <= witnesses)) throw new UsageError('usage.badQuorum', { value, witnesses });
  return n;
}

/** The `--witness` values, each checked; repeated keys count once. */
export function witnessOptions(crypto: CryptoPort, raw: unknown): string[] {
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  return [...new Set(list.map((w) => witnessKeyOption(crypto, w)))];
}
