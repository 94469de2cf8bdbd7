/**
 * What this browser trusts of this hub's disclosure log, as the CLI keeps it
 * in log-trust.json and log-state.json (the SDK's LogTrustStorage): the log
 * key pinned on the first check that passed, the witnesses and quorum the
 * auditor requires, and the last checkpoint that passed every check. All
 * public: localStorage. What cannot be read is never replaced by an empty
 * trust (that would accept any history): it is an error the auditor sees.
 */
import type { SavedCheckpoint } from '../../../../sdk/audit.js';
import type { LogTrustStorage, PinnedLogKey, VerifiedCheckpoint, WitnessTrust } from '../../../../sdk/log-trust.js';

/** This browser's trust in the log could not be read: it was altered by something else than the console. */
export class TrustDamagedError extends Error {
  readonly code = 'LOG_TRUST_DAMAGED';
}

const TRUST = () => `vigie.logTrust|${location.origin}`;
const STATE = () => `vigie.logState|${location.origin}`;

function read(key: string): Record<string, unknown> {
  const text = localStorage.getItem(key);
  if (text === null) return {};
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TrustDamagedError(key);
}

const isString = (v: unknown): v is string => typeof v === 'string';

export const browserLogTrust: LogTrustStorage = {
  pinned(): PinnedLogKey | undefined {
    const entry = read(TRUST());
    if (entry.logKey === undefined) return undefined;
    if (!isString(entry.logKey)) throw new TrustDamagedError(TRUST());
    return { logKey: entry.logKey, pinnedAt: isString(entry.pinnedAt) ? entry.pinnedAt : '' };
  },
  pin(logKey: string, at: Date) {
    localStorage.setItem(TRUST(), JSON.stringify({ ...read(TRUST()), logKey, pinnedAt: at.toISOString() }));
  },
  witnessTrust(): WitnessTrust | undefined {
    const entry = read(TRUST());
    if (entry.witnesses === undefined) return undefined;
    if (!Array.isArray(entry.witnesses) || !entry.witnesses.every(isString) || !Number.isSafeInteger(entry.quorum)) throw new TrustDamagedError(TRUST());
    return { witnesses: entry.witnesses, quorum: entry.quorum as number };
  },
  setWitnessTrust(trust: WitnessTrust) {
    localStorage.setItem(TRUST(), JSON.stringify({ ...read(TRUST()), witnesses: trust.witnesses, quorum: trust.quorum }));
  },
  saved(origin: string): VerifiedCheckpoint | null {
    const entry = read(STATE())[origin] as Partial<VerifiedCheckpoint> | undefined;
    if (entry === undefined) return null;
    if (!entry || entry.origin !== origin || !Number.isSafeInteger(entry.size) || !isString(entry.rootHash)) throw new TrustDamagedError(STATE());
    return entry as VerifiedCheckpoint;
  },
  save(checkpoint: SavedCheckpoint, at: Date) {
    const entry: VerifiedCheckpoint = { origin: checkpoint.origin, size: checkpoint.size, rootHash: checkpoint.rootHash, verifiedAt: at.toISOString(), hub: location.origin };
    localStorage.setItem(STATE(), JSON.stringify({ ...read(STATE()), [checkpoint.origin]: entry }));
  },
};

/** The last checkpoint this browser verified for any origin of this hub (the newest), to show it. */
export function lastVerified(): VerifiedCheckpoint | null {
  try {
    const all = Object.values(read(STATE())) as VerifiedCheckpoint[];
    return all.sort((a, b) => b.verifiedAt.localeCompare(a.verifiedAt))[0] ?? null;
  } catch {
    return null;
  }
}
